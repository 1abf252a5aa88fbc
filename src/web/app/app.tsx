import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { ExperimentsList } from '../features/experiments/components/experiments-list.js';

export function App() {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000 } } }));
  return (
    <QueryClientProvider client={queryClient}>
      <header className="topbar">
        <a className="brand" href="/">
          Runstudio
        </a>
      </header>
      <main className="page">
        <h1>Experiments</h1>
        <ExperimentsList />
      </main>
    </QueryClientProvider>
  );
}
