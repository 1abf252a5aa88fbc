import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import { proxyPath, runArtifactPath } from '../../services/artifacts.service.js';
import type { Deps } from '../../services/deps.js';
import { invalidParameter } from '../../errors.js';
import { route } from '../define-route.js';

const e = endpoints.mlflow.artifacts;

const contentTypes: Record<string, string> = {
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.py': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
};
/** Types a browser would run as a page of this origin: always downloaded, never shown. */
const active = new Set(['.html', '.htm', '.svg', '.xhtml', '.xml', '.js', '.mjs']);

/** Sends a stored file with its type; script-capable types only as attachments, sandboxed. */
export function sendArtifact(reply: FastifyReply, file: { stream: NodeJS.ReadableStream; size: number }, name: string) {
  const ext = path.extname(name).toLowerCase();
  const safeName = name.replace(/[^\w.\- ]/g, '_');
  return reply
    .header('content-type', contentTypes[ext] ?? 'application/octet-stream')
    .header('content-length', String(file.size))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'")
    .header('content-disposition', `${active.has(ext) ? 'attachment' : 'inline'}; filename="${safeName}"`)
    .send(file.stream);
}

/** MLflow's artifact proxy (`mlflow-artifacts:/` URIs): upload, list, download. */
export function artifactProxyRoutes(app: FastifyInstance, deps: Deps): void {
  // Uploads stream the raw body to disk, whatever its content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(null));

  route(app, e.proxyList, async ({ query }) => {
    const { segments } = await proxyPath(deps, query.path);
    return { files: await deps.artifacts.list(segments, segments) };
  });
  route(app, e.upload, async ({ params, req }) => {
    const { segments, root } = await proxyPath(deps, params['*']);
    if (segments.length === root.length) throw invalidParameter(`Invalid artifact path '${params['*']}': it names the run's artifact directory, not a file.`);
    const length = Number(req.headers['content-length']);
    await deps.artifacts.put(segments, req.raw, Number.isSafeInteger(length) ? length : undefined);
    return {};
  });
  route(app, e.download, async ({ params, reply }) => {
    const { segments } = await proxyPath(deps, params['*']);
    return sendArtifact(reply, await deps.artifacts.open(segments), segments[segments.length - 1] ?? 'artifact');
  });
}

/** `artifacts/list` of the MLflow tracking API. */
export function artifactListRoutes(app: FastifyInstance, deps: Deps): void {
  route(app, e.list, async ({ query }) => {
    const { run, root, segments } = await runArtifactPath(deps, query.run_id || query.run_uuid || '', query.path);
    const files = await deps.artifacts.list(segments, root);
    return { root_uri: run.artifact_uri, files };
  });
}
