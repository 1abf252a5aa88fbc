import { timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleAtLeast, type Access, type Role } from '../../shared/studio/auth.js';
import { ChecksBusy, TooManyAttempts } from '../auth/attempts.js';
import { TooManyTests } from '../notify/test-limit.js';
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
    /** A server-sent event stream: it stays open, so its caller's sign-in is checked again while it does. */
    stream?: boolean;
  }
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isMlflowClientPath = (url: string) => /^\/(ajax-)?api\/2\.0\//.test(url);
const isApiPath = (url: string) => /^\/(ajax-)?api\//.test(url);

/** Whether a request carries the CSRF token expected, compared in constant time. */
function sameToken(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

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
/**
 * A stream outlives the check made when it opened: every `everyMs` its caller's credentials are
 * recognised again, and the stream is closed once they no longer sign anyone in with the role
 * it needs (signed out, token revoked, password changed, user removed or demoted).
 */
function recheckWhileOpen(reply: FastifyReply, access: Role, recognise: () => Promise<Principal | null>, everyMs: number): void {
  const timer = setInterval(() => {
    recognise().then(
      (now) => {
        if (!now || !roleAtLeast(now.role, access)) reply.raw.destroy();
      },
      () => reply.raw.destroy(),
    );
  }, everyMs);
  timer.unref();
  // The response's close: the stream ended, or its reader went away.
  reply.raw.once('close', () => clearInterval(timer));
}

export async function registerAuth(app: FastifyInstance, auth: Authenticator, recheckMs: number): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('principal', null);
  // A refused guess says when to try again, whichever route it came through.
  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof TooManyAttempts || error instanceof ChecksBusy || error instanceof TooManyTests) reply.header('retry-after', String(error.retryAfterSeconds));
  });
  app.addHook('onRequest', async (request, reply) => {
    const proxyUser = auth.proxyHeader ? request.headers[auth.proxyHeader] : undefined;
    const credentials = {
      authorization: request.headers.authorization,
      sessionCookie: request.cookies[SESSION_COOKIE],
      proxyUser: typeof proxyUser === 'string' ? proxyUser : undefined,
      remoteAddress: request.socket.remoteAddress ?? '',
      clientAddress: request.ip,
    };
    request.principal = await auth.recognise(credentials);
    // Routes outside the endpoint table are the app's files, /health and the 404 handler: public.
    // An API route without a rule (none exists; the access matrix test checks) is for admins only.
    const access = request.is404 ? 'public' : (request.routeOptions.config.access ?? (isApiPath(request.url) ? 'admin' : 'public'));
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
    if (principal && access !== 'public' && request.routeOptions.config.stream && auth.mode === 'team') {
      recheckWhileOpen(reply, access, () => auth.recognise(credentials), recheckMs);
    }
    if (principal && unsafeMethods.has(request.method) && request.routeOptions.config.csrf !== false) {
      const expected = auth.csrfFor(principal);
      if (expected !== null && !sameToken(request.headers[CSRF_HEADER], expected)) {
        throw new ApiError('PERMISSION_DENIED', `${request.method} ${request.url.split('?')[0]!.slice(0, 200)} was refused: it lacks this session's CSRF token (header X-CSRF-Token). Reload the page and try again.`);
      }
    }
  });
}
