import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const USER_COOKIE = 'rs_uid';

declare module 'fastify' {
  interface FastifyRequest {
    userId: string;
  }
}

/**
 * Who is asking, until accounts exist (the teams issue): an anonymous id kept in a cookie,
 * so "my views" stay mine in this browser. It is an identity, not an authorisation.
 */
export async function registerIdentity(app: FastifyInstance): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('userId', '');
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    const existing = request.cookies[USER_COOKIE];
    if (existing && /^[0-9a-f-]{36}$/.test(existing)) {
      request.userId = existing;
      return;
    }
    request.userId = randomUUID();
    if (request.url.startsWith('/api/studio/') || !request.url.startsWith('/api/')) {
      void reply.setCookie(USER_COOKIE, request.userId, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 10 * 365 * 24 * 3600 });
    }
  });
}
