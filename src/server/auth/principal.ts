import type { Role } from '../../shared/studio/auth.js';

/** Who a request comes from, once recognised. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
  via: 'local' | 'session' | 'token' | 'basic' | 'proxy';
  /** What its CSRF token is made from: the session's id, or the proxy's user; null where writes need none. */
  csrfSubject: string | null;
}

/** Who a service records as having done something: a name, and whether a credential vouches for it. */
export interface Actor {
  name: string;
  /** True when a session, token, basic auth or proxy signed the request in (team mode): its name overrides what a client claims. */
  verified: boolean;
}

export const actorOf = (principal: Principal | null): Actor | null => (principal ? { name: principal.name, verified: principal.via !== 'local' } : null);
