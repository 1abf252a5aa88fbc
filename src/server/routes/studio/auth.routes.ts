import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import type { Session } from '../../../shared/studio/auth.js';
import type { Principal } from '../../auth/principal.js';
import { ApiError } from '../../errors.js';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../../plugins/auth.js';
import type { Deps } from '../../services/deps.js';
import * as tokens from '../../services/tokens.service.js';
import { describeSession } from '../../services/session.js';
import * as users from '../../services/users.service.js';
import { route } from '../define-route.js';
import { caller } from './caller.js';

const session = (deps: Deps, principal: Principal | null): Session => describeSession(deps.auth, principal);


/** Sign-in and sign-out, users (admins) and API tokens: `/api/studio`. */
export async function authRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const e = endpoints;
  route(app, e.auth.session, async ({ req }) => session(deps, req.principal));
  // Failed sign-ins are counted per address and user name (with basic auth's, in the
  // Authenticator), so one guessing client neither locks a user out everywhere nor gets
  // around the limit by changing the name; past the limit: 429 (the auth plugin's Retry-After).
  route(
    app,
    e.auth.signIn,
    async ({ req, reply, body }) => {
      if (deps.auth.mode === 'local') return session(deps, req.principal);
      const user = await deps.auth.checkPassword(body.name.trim(), body.password, req.ip);
      if (!user) throw new ApiError('UNAUTHENTICATED', 'Wrong user name or password.');
      // Whoever this browser was signed in as before is signed out: a shared machine keeps one session.
      const previous = req.cookies[SESSION_COOKIE];
      if (previous !== undefined) await deps.auth.endSession(previous);
      const started = await deps.auth.startSession(user.id);
      setSessionCookie(req, reply, started.cookie, deps.options.sessionTtlMs);
      return session(deps, started.principal);
    },
    { config: { csrf: false } },
  );
  route(app, e.auth.signOut, async ({ req, reply }) => {
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie !== undefined) await deps.auth.endSession(cookie);
    clearSessionCookie(req, reply);
    return {};
  });

  route(app, e.users.list, async () => ({ users: await users.listUsers(deps) }));
  route(app, e.users.create, async ({ body }) => users.createUser(deps, body));
  route(app, e.users.update, async ({ params, body }) => users.updateUser(deps, params.name, body));
  route(app, e.users.remove, async ({ params }) => {
    await users.removeUser(deps, params.name);
    return {};
  });

  route(app, e.tokens.list, async ({ req, query }) => ({ tokens: await tokens.listTokens(deps, caller(req), query.all) }));
  route(app, e.tokens.create, async ({ req, body }) => tokens.createToken(deps, caller(req), body));
  route(app, e.tokens.revoke, async ({ req, params }) => {
    await tokens.revokeToken(deps, caller(req), params.id);
    return {};
  });

}
