import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.js';
import './app/app.css';
import { applyTheme, usePreferences } from './lib/preferences.js';

// Before the first paint, so a chosen theme never flashes the other one.
applyTheme(usePreferences.getState().theme);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
