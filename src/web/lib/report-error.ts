import { toast } from 'sonner';

/**
 * The end of a promise nobody else awaits (a navigation, a refetch started by a click): its
 * failure is shown, never dropped. Mutations do not need it: their errors reach the one
 * MutationCache.onError (lib/query-client.ts).
 */
export function reportError(error: unknown): void {
  toast.error(error instanceof Error ? error.message : String(error));
}
