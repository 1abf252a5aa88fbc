import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useState } from 'react';
import { primeEmbeddedFirstPage } from '../lib/bootstrap-data.js';
import { primeEmbeddedSession } from '../lib/session.js';
import { createQueryClient } from '../lib/query-client.js';
import { router } from './router.js';

export function App() {
  const [queryClient] = useState(() => primeEmbeddedSession(primeEmbeddedFirstPage(createQueryClient())));
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
