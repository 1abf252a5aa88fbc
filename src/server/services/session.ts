import type { Session } from '../../shared/studio/auth.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';

/** What a page knows of its session: the mode, who it is, and the CSRF token its writes carry. */
export function describeSession(auth: Authenticator, principal: Principal | null): Session {
  return {
    mode: auth.mode,
    user: principal && { id: principal.id, name: principal.name, role: principal.role },
    via: principal?.via ?? null,
    csrfToken: principal ? auth.csrfFor(principal) : null,
  };
}
