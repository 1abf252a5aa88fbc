import os from 'node:os';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import type { ServerOptions } from '../options.js';

/** What a route reads its body as; the guard refuses any other declared type. */
export type BodyKind = 'json' | 'octet-stream' | 'any';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Default `json`: the body must be declared `application/json` (POST: always). */
    accepts?: BodyKind;
  }
}

const mediaTypes: Record<Exclude<BodyKind, 'any'>, string> = { json: 'application/json', 'octet-stream': 'application/octet-stream' };
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const loopbackNames = ['localhost', '127.0.0.1', '[::1]'];

/** Splits a Host header into its name (lower case, IPv6 kept in brackets) and port. */
export function splitHost(host: string): { name: string; port: string | null } {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    const rest = lower.slice(end + 1);
    return { name: lower.slice(0, end + 1), port: rest.startsWith(':') ? rest.slice(1) : null };
  }
  const colon = lower.lastIndexOf(':');
  return colon === -1 ? { name: lower, port: null } : { name: lower.slice(0, colon), port: lower.slice(colon + 1) };
}

/**
 * The names this server answers to. A wildcard bind (0.0.0.0, ::) is meant for other
 * machines, so the machine's own addresses and host name count as its name too.
 */
function ownNames(boundHost: string | null): string[] {
  const names = [...loopbackNames];
  if (boundHost === null) return names;
  const bound = boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost;
  if (bound !== '0.0.0.0' && bound !== '[::]' && bound !== '') return [...names, bound.toLowerCase()];
  const addresses = Object.values(os.networkInterfaces()).flatMap((list) => list ?? []).map((a) => (a.family === 'IPv6' ? `[${a.address.split('%')[0]}]` : a.address));
  return [...names, ...addresses, os.hostname().toLowerCase()];
}

function hostChecker(options: ServerOptions): (host: string | undefined) => boolean {
  if (options.allowedHosts === '*') return () => true;
  const names = new Set(ownNames(options.boundHost));
  const extra = options.allowedHosts.map((h) => splitHost(h));
  return (host) => {
    if (!host) return false;
    const { name, port } = splitHost(host);
    if (names.has(name)) return true;
    return extra.some((allowed) => allowed.name === name && (allowed.port === null || allowed.port === port));
  };
}

function mediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/**
 * The request guard, before any route runs. In local mode nothing signs requests in, so
 * the server itself refuses what a foreign web page could send it:
 * - a Host it does not answer to (DNS rebinding): 403 naming `--allowed-hosts`;
 * - a write (or CORS preflight) from another Origin than its own or `--cors-allowed-origins`: 403;
 * - a body of another type than the route reads: 415. JSON routes take only
 *   application/json, and a POST must say so even when empty, so no "simple" cross-site
 *   request (text/plain, a form) can ever reach them.
 */
export async function registerGuard(app: FastifyInstance, options: ServerOptions): Promise<void> {
  const hostAllowed = hostChecker(options);
  const corsOrigins = new Set(options.corsAllowedOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase()));

  app.addHook('onRequest', async (request) => {
    const host = request.headers.host;
    if (!hostAllowed(host)) {
      throw new ApiError(
        'PERMISSION_DENIED',
        `Host '${(host ?? '').slice(0, 200)}' is not allowed: this server answers to ${loopbackNames.join(', ')} and its own address. Start it with --allowed-hosts <name> to accept another name.`,
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined && (unsafeMethods.has(request.method) || request.method === 'OPTIONS')) {
      const normalised = origin.toLowerCase();
      const sameOrigin = normalised === `http://${host!.toLowerCase()}` || normalised === `https://${host!.toLowerCase()}`;
      if (!sameOrigin && !corsOrigins.has(normalised)) {
        throw new ApiError(
          'PERMISSION_DENIED',
          `Cross-origin ${request.method} from '${origin.slice(0, 200)}' refused: only this server's own pages may change data. Start it with --cors-allowed-origins ${origin.slice(0, 200)} to allow that origin.`,
        );
      }
    }
    if (request.is404 || !unsafeMethods.has(request.method)) return;
    const accepts = request.routeOptions.config.accepts ?? 'json';
    if (accepts === 'any') return;
    if (request.method !== 'POST' && !hasBody(request)) return;
    const type = mediaType(request);
    if (type !== mediaTypes[accepts]) {
      throw new ApiError(
        'UNSUPPORTED_MEDIA_TYPE',
        `${request.method} ${request.url.split('?')[0]} takes a body of Content-Type ${mediaTypes[accepts]}${type ? `, not '${type.slice(0, 100)}'` : ' (none was given)'}.`,
      );
    }
  });

  if (corsOrigins.size > 0) {
    await app.register(cors, {
      origin: (origin, callback) => callback(null, origin !== undefined && corsOrigins.has(origin.toLowerCase())),
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['content-type', 'authorization', 'last-event-id'],
      exposedHeaders: ['x-log-size', 'retry-after'],
      maxAge: 600,
    });
  }
}
