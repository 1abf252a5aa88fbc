import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built single-page app from `webRoot`; any other GET outside /api falls back to
 * index.html so the client router can take deep links. Unknown API paths stay JSON 404s.
 */
export async function registerSpa(app: FastifyInstance, webRoot: string | null): Promise<void> {
  const index = webRoot ? path.join(webRoot, 'index.html') : null;
  const hasSpa = index !== null && fs.existsSync(index);
  if (hasSpa) {
    await app.register(fastifyStatic, { root: webRoot!, prefix: '/', wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    const isApi = url.startsWith('/api/') || url.startsWith('/ajax-api/');
    // A missing file (a script of an older build, say) is a 404, never the app's HTML.
    const isFile = url.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(url);
    if (isFile && !isApi) return reply.status(404).type('text/plain').send(`No file ${url}`);
    if (!isApi && (request.method === 'GET' || request.method === 'HEAD') && hasSpa) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(fs.createReadStream(index));
    }
    if (!isApi && request.method === 'GET') {
      return reply.status(404).type('text/plain').send('The web app is not built. Run `npm run build`, or `npm start`, which builds it.');
    }
    return reply.status(404).send({ error_code: 'ENDPOINT_NOT_FOUND', message: `No API endpoint ${request.method} ${url}` });
  });
}
