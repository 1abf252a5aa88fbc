import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { usePreferences } from '../lib/preferences.js';
import { renderApp } from '../test-support/render-app.js';
import { startTestServer } from '../test-support/server.js';

startTestServer();

const stored = () => (JSON.parse(localStorage.getItem('runstudio.preferences') ?? '{}') as { state?: { theme?: string } }).state?.theme;

afterEach(() => {
  delete document.documentElement.dataset.theme;
});

describe('the theme picker', () => {
  it('applies a theme at once, remembers it on this device, and System follows the OS again', async () => {
    const { user } = renderApp('/experiments');
    const picker = await screen.findByRole('combobox', { name: 'Theme' });
    expect(picker).toHaveValue('system');
    expect(document.documentElement.dataset.theme).toBeUndefined();

    await user.selectOptions(picker, 'Dark');
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(stored()).toBe('dark');

    await user.selectOptions(picker, 'Light');
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('light'));

    await user.selectOptions(picker, 'System theme');
    await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined());
    expect(stored()).toBe('system');
  });

  it('starts with the theme chosen before, read back from this device', async () => {
    localStorage.setItem('runstudio.preferences', JSON.stringify({ version: 2, state: { theme: 'dark', defaultSmoothing: 0.6, panelSizes: { p1: 'l' }, recentViews: [] } }));
    await usePreferences.persist.rehydrate();
    renderApp('/experiments');
    expect(await screen.findByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(usePreferences.getState()).toMatchObject({ defaultSmoothing: 0.6, panelSizes: { p1: 'l' } });
  });

  it('survives stored preferences that are old or corrupt: each bad field falls back to its default', async () => {
    localStorage.setItem('runstudio.preferences', JSON.stringify({ version: 2, state: { theme: 'purple', defaultSmoothing: 'high', panelSizes: null, recentViews: 'x' } }));
    await usePreferences.persist.rehydrate();
    expect(usePreferences.getState()).toMatchObject({ theme: 'system', defaultSmoothing: 0, panelSizes: {}, recentViews: [] });
    renderApp('/experiments');
    expect(await screen.findByRole('combobox', { name: 'Theme' })).toHaveValue('system');

    // Version 1 kept panel heights and recent views without their scope: both are dropped, the theme kept.
    localStorage.setItem('runstudio.preferences', JSON.stringify({ version: 1, state: { theme: 'light', panelHeights: { p1: 300 }, recentViews: [{ id: 'v1', name: 'old' }] } }));
    await usePreferences.persist.rehydrate();
    expect(usePreferences.getState()).toMatchObject({ theme: 'light', panelSizes: {}, recentViews: [] });
  });
});
