import { MutationCache, QueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import type { ErrorCode } from '../../shared/errors.js';
import { ApiRequestError } from './api-client.js';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /** The mutation shows its own errors (inline, in a dialog): the global toast stays silent. */
      handlesError?: boolean;
      /** Error codes the mutation answers itself (e.g. a 409 opens a dialog); others are toasted. */
      handlesCodes?: readonly ErrorCode[];
    };
  }
}

/** Whether the global handler should show this failure, or the mutation said it shows it itself. */
function shownElsewhere(error: Error, meta: { handlesError?: boolean; handlesCodes?: readonly ErrorCode[] } | undefined): boolean {
  if (meta?.handlesError) return true;
  return error instanceof ApiRequestError && error.code !== 'NETWORK_ERROR' && (meta?.handlesCodes ?? []).includes(error.code);
}

/**
 * One client for the app; tests make their own with retries off. Every failed mutation shows
 * the server's message once, in a toast, unless it handles the error itself (`meta`).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (!shownElsewhere(error, mutation.meta)) toast.error(error.message);
      },
    }),
    defaultOptions: {
      queries: { staleTime: 5_000, refetchOnWindowFocus: false, retry: 1 },
    },
  });
}
