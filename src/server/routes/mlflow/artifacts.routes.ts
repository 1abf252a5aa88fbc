import { create as contentDisposition } from 'content-disposition';
import type { FastifyInstance, FastifyReply } from 'fastify';
import mime from 'mime';
import { endpoints } from '../../../shared/api/index.js';
import { proxyPath, runArtifactPath } from '../../services/artifacts.service.js';
import type { Deps } from '../../services/deps.js';
import { invalidParameter } from '../../errors.js';
import { route } from '../define-route.js';

const e = endpoints.mlflow.artifacts;

/** Types a browser would run as a page of this origin: always downloaded, never shown. */
const active = new Set(['text/html', 'image/svg+xml', 'application/xhtml+xml', 'application/xml', 'text/xml', 'text/javascript', 'application/javascript']);

/** The Content-Type of a stored file, from its name (text in UTF-8); unknown types are bytes. */
export function contentTypeOf(name: string): string {
  const type = mime.getType(name) ?? 'application/octet-stream';
  return type.startsWith('text/') ? `${type}; charset=utf-8` : type;
}

/** Sends a stored file with its type; script-capable types only as attachments, sandboxed. */
export function sendArtifact(reply: FastifyReply, file: { stream: NodeJS.ReadableStream; size: number }, name: string) {
  const type = mime.getType(name);
  return reply
    .header('content-type', contentTypeOf(name))
    .header('content-length', String(file.size))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'")
    .header('content-disposition', contentDisposition(name, { type: type !== null && active.has(type) ? 'attachment' : 'inline' }))
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
    const { run, root, segments } = await runArtifactPath(deps, query.run_id, query.path);
    const files = await deps.artifacts.list(segments, root);
    return { root_uri: run.artifact_uri, files };
  });
}
