import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toSearchRequest } from '../../shared/studio/explorer-state.js';
import { SESSION_ELEMENT_ID } from '../../shared/studio/auth.js';
import { FIRST_PAGE_ELEMENT_ID, type EmbeddedFirstPage } from '../../shared/studio/first-page.js';
import { studioSearchRunsBody } from '../../shared/studio/runs.js';
import type { Deps } from '../services/deps.js';
import { describeSession } from '../services/session.js';
import { searchStudioRuns } from '../services/studio-runs.service.js';
import { firstRowsHtml } from './first-rows-html.js';

/**
 * JSON that stays data inside an HTML `<script>` element: every `<` (so no `</script>` or
 * `<!--` in a run name can end or change it), `>` and `&`, and the line separators JavaScript
 * once refused, are written as \u escapes, which JSON.parse reads back unchanged.
 */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A plain `/runs`: the All runs page in its default state, the one URL whose first page is embedded. */
const isDefaultAllRuns = (request: FastifyRequest) => request.method === 'GET' && /^\/runs\/?$/.test(request.url);

/**
 * The first page of All runs for this request, computed now (never cached): its first rows as
 * HTML for the root element, and the whole page as JSON data for the app. Both '' when the
 * search fails (the app then asks for it and shows the error).
 */
async function firstPageParts(deps: Deps, request: FastifyRequest): Promise<{ rows: string; data: string }> {
  const search = toSearchRequest({});
  try {
    const eventsAfter = deps.events.head;
    const page: EmbeddedFirstPage = { request: search, response: await searchStudioRuns(deps, studioSearchRunsBody.parse(search)), eventsAfter };
    return { rows: firstRowsHtml(page.response), data: `<script type="application/json" id="${FIRST_PAGE_ELEMENT_ID}">${jsonForHtml(page)}</script>` };
  } catch (error) {
    request.log.error({ err: error }, 'the first page of All runs could not be embedded');
    return { rows: '', data: '' };
  }
}

/** The page's session as data for the app (see SESSION_ELEMENT_ID), so its first paint knows who is asking. */
const sessionScript = (deps: Deps, request: FastifyRequest) => `<script type="application/json" id="${SESSION_ELEMENT_ID}">${jsonForHtml(describeSession(deps.auth, request.principal))}</script>`;

/** index.html with the page's session before `</body>`. */
function withSession(html: string, deps: Deps, request: FastifyRequest): string {
  const at = positionOf(html, /<\/body>/i, { before: true });
  return html.slice(0, at) + sessionScript(deps, request) + html.slice(at);
}

/** Where a part goes in index.html: just after `marker`, or before it with `before`; `missing` without it. */
function positionOf(html: string, marker: RegExp, { before = false, missing = html.length } = {}): number {
  const match = marker.exec(html);
  if (!match) return missing;
  return before ? match.index : match.index + match[0].length;
}

/**
 * index.html with the first page of All runs: its first rows painted inside the root element
 * (before any script runs; React replaces them on mount), then its data and the app's style
 * sheets before `</body>`. The part before the root's content goes out (and is flushed through
 * gzip) at once, so the browser fetches the scripts and styles while the runs are read; the
 * module scripts run only once the whole document is parsed, so they always find the data.
 */
async function sendWithFirstPage(html: string, deps: Deps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  // The app's style sheet blocks rendering from the head; after the rows, it blocks only what
  // follows them, so they paint without waiting for it (they carry their own style).
  // A preload in its place keeps it downloading from the start.
  const sheets = html.match(/<link rel="stylesheet"[^>]*>/g) ?? [];
  const page = sheets.reduce((out, sheet) => out.replace(sheet, sheet.replace('rel="stylesheet"', 'rel="preload" as="style"')), html);
  const bodyEnd = positionOf(page, /<\/body>/i, { before: true });
  // The root's id is index.html's; without a root, the rows go where the data goes.
  const rootAt = Math.min(positionOf(page, /<div id="root">/, { missing: bodyEnd }), bodyEnd);
  const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const body = gzip ? zlib.createGzip() : new PassThrough();
  if (gzip) reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding');
  body.write(page.slice(0, rootAt));
  if (gzip) (body as zlib.Gzip).flush();
  // Never rejects (a failed search embeds nothing); a reader gone meanwhile gets nothing more.
  firstPageParts(deps, request)
    .then(({ rows, data }) => {
      if (!body.destroyed) body.end(rows + page.slice(rootAt, bodyEnd) + data + sessionScript(deps, request) + sheets.join('') + page.slice(bodyEnd));
    })
    .catch((error: unknown) => body.destroy(error as Error));
  return reply.send(body);
}

/**
 * Serves the built single-page app from `webRoot`; any other GET outside /api falls back to
 * index.html so the client router can take deep links. Unknown API paths stay JSON 404s.
 * A plain `/runs` carries its first page of runs, painted and as data (see sendWithFirstPage).
 */
export async function registerSpa(app: FastifyInstance, webRoot: string | null, deps: Deps): Promise<void> {
  const index = webRoot ? path.join(webRoot, 'index.html') : null;
  const hasSpa = index !== null && fs.existsSync(index);
  if (hasSpa) {
    await app.register(fastifyStatic, { root: webRoot!, prefix: '/', wildcard: false, index: false });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    const isApi = url.startsWith('/api/') || url.startsWith('/ajax-api/');
    // A missing file (a script of an older build, say) is a 404, never the app's HTML.
    const isFile = url.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(url);
    if (isFile && !isApi) return reply.status(404).type('text/plain').send(`No file ${url}`);
    if (!isApi && (request.method === 'GET' || request.method === 'HEAD') && hasSpa) {
      // Each page carries its caller's session (and All runs its runs): never one for a shared cache.
      reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-cache');
      const html = await fs.promises.readFile(index, 'utf8');
      // Runs are embedded only for someone allowed to read them: in team mode, a signed-in user.
      if (isDefaultAllRuns(request) && request.principal) return sendWithFirstPage(html, deps, request, reply);
      return reply.send(withSession(html, deps, request));
    }
    if (!isApi && request.method === 'GET') {
      return reply.status(404).type('text/plain').send('The web app is not built. Run `npm run build`, or `npm start`, which builds it.');
    }
    return reply.status(404).send({ error_code: 'ENDPOINT_NOT_FOUND', message: `No API endpoint ${request.method} ${url}` });
  });
}
