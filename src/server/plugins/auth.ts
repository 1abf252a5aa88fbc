import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleAtLeast, type Access } from '../../shared/studio/auth.js';
import { TooManyAttempts } from '../auth/attempts.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import { ApiError } from '../errors.js';

export const SESSION_COOKIE = 'rs_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking: the local user in local mode; in team mode whoever signed in, or null. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route (the endpoint table's `access`); routes outside the table are public. */
    access?: Access;
    /** False on the one write a page makes before it has a CSRF token: signing in. */
    csrf?: boolean;
  }
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isMlflowClientPath = (url: string) => /^\/(ajax-)?api\/2\.0\//.test(url);

function signInHint(url: string): string {
  return isMlflowClientPath(url)
    ? 'This server runs in team mode: MLflow clients set MLFLOW_TRACKING_TOKEN to an API token (runstudio tokens create, or the Account page), or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD.'
    : 'Sign in first: this server runs in team mode (send a session cookie, or Authorization: Bearer <API token>).';
}

/** The session cookie: HttpOnly, SameSite=Lax, Secure when the page came over HTTPS. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAgeMs: number): void {
  void reply.setCookie(SESSION_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', maxAge: Math.floor(maxAgeMs / 1000) });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
}

/**
 * Who may do what, before any route runs: recognises the caller (see Authenticator), then
 * checks the route's `access` — anonymous callers get 401, too small a role 403 naming the role
 * needed — and, on writes signed in by a cookie or a proxy, the CSRF token.
 */
export async function registerAuth(app: FastifyInstance, auth: Authenticator): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('principal', null);
  // A refused guess says when to try again, whichever route it came through.
  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof TooManyAttempts) reply.header('retry-after', String(error.retryAfterSeconds));
  });
  app.addHook('onRequest', async (request, reply) => {
    const proxyUser = auth.proxyHeader ? request.headers[auth.proxyHeader] : undefined;
    request.principal = await auth.recognise({
      authorization: request.headers.authorization,
      sessionCookie: request.cookies[SESSION_COOKIE],
      proxyUser: typeof proxyUser === 'string' ? proxyUser : undefined,
      remoteAddress: request.socket.remoteAddress ?? '',
      clientAddress: request.ip,
    });
    const access = request.is404 ? 'public' : (request.routeOptions.config.access ?? 'public');
    const principal = request.principal;
    if (access !== 'public') {
      if (!principal) {
        reply.header('www-authenticate', 'Bearer realm="runstudio"');
        throw new ApiError('UNAUTHENTICATED', `${request.method} ${request.url.split('?')[0]!.slice(0, 200)} needs a signed-in user. ${signInHint(request.url)}`);
      }
      if (!roleAtLeast(principal.role, access)) {
        throw new ApiError('PERMISSION_DENIED', `${principal.name} is a ${principal.role}: ${request.method} ${request.url.split('?')[0]!.slice(0, 200)} needs the ${access} role. Ask an admin to change your role.`);
      }
    }
    if (principal && unsafeMethods.has(request.method) && request.routeOptions.config.csrf !== false) {
      const expected = auth.csrfFor(principal);
      if (expected !== null && request.headers[CSRF_HEADER] !== expected) {
        throw new ApiError('PERMISSION_DENIED', `${request.method} ${request.url.split('?')[0]!.slice(0, 200)} was refused: it lacks this session's CSRF token (header X-CSRF-Token). Reload the page and try again.`);
      }
    }
  });
}
