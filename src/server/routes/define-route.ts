import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { z } from 'zod';
import { apiBases, type EndpointDef, type EndpointResponse } from '../../shared/api/endpoint.js';
import { ApiError, notFound } from '../errors.js';
import { parse } from '../parse.js';

/** What a handler gets: the request's params, query and body as the endpoint's schemas parsed them. */
export interface RouteInput<E extends EndpointDef> {
  params: E extends { params: infer S extends z.ZodType } ? z.output<S> : Record<string, never>;
  query: E extends { query: infer S extends z.ZodType } ? z.output<S> : undefined;
  /** A JSON body as parsed; a raw body (octet-stream) as Fastify read it. */
  body: E extends { body: infer S extends z.ZodType } ? z.output<S> : unknown;
  req: FastifyRequest;
  reply: FastifyReply;
}

/** A JSON endpoint's handler returns its response; an `sse` or `raw` one answers through `reply`. */
export type RouteHandler<E extends EndpointDef> = (input: RouteInput<E>) => Promise<E extends { kind: 'sse' | 'raw' } ? unknown : EndpointResponse<E>>;

export interface RouteOptions {
  /**
   * Check each JSON response against the endpoint's schema and answer 500 naming the field
   * when it does not match. Default: on unless NODE_ENV is `production`, so development and
   * tests catch a drift between a service and the table, and production pays nothing.
   */
  validateResponse?: boolean;
  /** Fastify route options the table does not describe (e.g. `compress: false`). */
  fastify?: Pick<RouteShorthandOptions, 'compress' | 'bodyLimit'>;
  /** Route config beyond the table's (`csrf: false`, a `rateLimit`). */
  config?: Record<string, unknown>;
}

const defaultValidation = () => process.env.NODE_ENV !== 'production';

/** A path param that does not parse names nothing: the 404 its resource would give. */
function parseParams(schema: z.ZodType, data: unknown): unknown {
  const result = schema.safeParse(data);
  if (!result.success) throw notFound(result.error.issues[0]?.message ?? 'Not found');
  return result.data;
}

function checkResponse(name: string, schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const field = issue.path.length === 0 ? '(the whole body)' : issue.path.map(String).join('.');
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  const message = `The response of ${name} does not match its schema in the endpoint table: ${field}: ${issue.message}${more}.`;
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: message })}\n`);
  throw new ApiError('INTERNAL_ERROR', message);
}

/**
 * Registers one endpoint of the shared table on a scope whose prefix is one of the
 * endpoint's bases: params, query and JSON body are parsed with its schemas (a bad param is
 * the resource's 404, a bad query or body a 400 naming the field); a JSON response is
 * checked against its schema (see RouteOptions) and sent with the endpoint's status.
 */
export function route<E extends EndpointDef>(app: FastifyInstance, endpoint: E, handler: RouteHandler<E>, options: RouteOptions = {}): void {
  const bases: readonly string[] = apiBases[endpoint.base];
  // The type requires it; this stops an endpoint built around the type from being served to anyone.
  if (!(endpoint as { access?: unknown }).access) throw new Error(`${endpoint.method} ${endpoint.path} has no access rule in the endpoint table`);
  if (!bases.includes(app.prefix)) throw new Error(`${endpoint.method} ${endpoint.path} belongs under ${bases.join(' or ')}, not '${app.prefix}'`);
  const name = `${endpoint.method} ${app.prefix}${endpoint.path}`;
  const kind = endpoint.kind ?? 'json';
  const schema = kind === 'json' && (options.validateResponse ?? defaultValidation()) ? endpoint.response : null;
  app.route({
    method: endpoint.method,
    url: endpoint.path,
    ...options.fastify,
    config: { ...options.config, accepts: endpoint.accepts ?? 'json', access: endpoint.access, stream: kind === 'sse' },
    handler: async (req, reply) => {
      const input = {
        params: endpoint.params ? parseParams(endpoint.params, req.params) : req.params,
        query: endpoint.query ? parse(endpoint.query, req.query) : undefined,
        body: endpoint.body ? parse(endpoint.body, req.body) : req.body,
        req,
        reply,
      } as RouteInput<E>;
      const result = await handler(input);
      if (kind !== 'json') return result;
      if (schema) checkResponse(name, schema, result);
      if (endpoint.status) reply.status(endpoint.status);
      return result;
    },
  });
}
