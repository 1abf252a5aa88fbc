import type { FastifyError, FastifyInstance } from 'fastify';
import { errorStatus, type ErrorCode } from '../../shared/errors.js';
import { ApiError } from '../errors.js';

/** Fastify's own client errors, in MLflow's words. */
function codeForFastifyError(error: FastifyError): ErrorCode | null {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'PAYLOAD_TOO_LARGE';
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'UNSUPPORTED_MEDIA_TYPE';
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return 'MALFORMED_REQUEST';
  return null;
}

/**
 * The one error path: every error leaves as `{error_code, message}` with the status its
 * code stands for. Anything unexpected is logged to stderr with the request id and becomes
 * a 500 that carries the same id and no internals.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.status(error.status).send({ ...error.extra, error_code: error.code, message: error.message });
    }
    const code = codeForFastifyError(error);
    if (code) {
      const status = code === 'MALFORMED_REQUEST' ? (error.statusCode ?? 400) : errorStatus[code];
      return reply.status(status).send({ error_code: code, message: `Malformed request: ${error.message}` });
    }
    // Logged whether or not request logging is on: a 500 nobody can look up helps no one.
    const line = { time: new Date().toISOString(), level: 'error', requestId: request.id, method: request.method, url: request.url.slice(0, 500), error: error.stack ?? String(error) };
    process.stderr.write(`${JSON.stringify(line)}\n`);
    return reply.status(500).send({
      error_code: 'INTERNAL_ERROR',
      message: `Internal error; the server's log (stderr) has the details under request id ${request.id}.`,
      request_id: request.id,
    });
  });
}
