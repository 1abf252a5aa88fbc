import type { z } from 'zod';
import type { Access } from '../studio/auth.js';

/**
 * One endpoint of the HTTP API: the server registers its route from it
 * (src/server/routes/define-route.ts) and the web client is typed by it (src/web/lib/api-client.ts).
 */

/** Where an endpoint lives. MLflow's routes answer under two prefixes, as MLflow's own server does. */
export const apiBases = {
  studio: ['/api/studio'],
  mlflow: ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'],
  mlflowArtifacts: ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts'],
} as const;
export type ApiBase = keyof typeof apiBases;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What the response is: `json` (checked against `response`), `sse` (a server-sent event
 * stream the handler writes itself) or `raw` (bytes: downloads, with their own headers).
 */
export type ResponseKind = 'json' | 'sse' | 'raw';

/** What the request body is read as (the guard refuses any other declared type). */
export type RequestBodyKind = 'json' | 'octet-stream' | 'any';

export interface EndpointDef {
  method: HttpMethod;
  base: ApiBase;
  /**
   * Who may call it: `public`, or the least role (reader < contributor < admin). Required, so
   * an endpoint without a rule does not compile; the access matrix test covers every one.
   */
  access: Access;
  /** Path below the base, with `:params` and at most one trailing `*`. */
  path: string;
  params?: z.ZodType;
  query?: z.ZodType;
  /** Only for JSON bodies; a raw body (`accepts` other than json) is the handler's. */
  body?: z.ZodType;
  /** The JSON response; null for `sse` and `raw`. */
  response: z.ZodType | null;
  kind?: ResponseKind;
  accepts?: RequestBodyKind;
  /** The success status, when not 200. */
  status?: number;
}

/** Declares an endpoint, keeping its literal types (method, path, schemas). */
export const endpoint = <const E extends EndpointDef>(definition: E): E => definition;

/** What a caller sends: path params, query and body, each typed by the endpoint's schema. */
export type EndpointParams<E extends EndpointDef> = E extends { params: infer S extends z.ZodType } ? z.input<S> : undefined;
export type EndpointQuery<E extends EndpointDef> = E extends { query: infer S extends z.ZodType } ? z.input<S> : undefined;
export type EndpointBody<E extends EndpointDef> = E extends { body: infer S extends z.ZodType } ? z.input<S> : undefined;
/** What the server answers with on success (JSON endpoints). */
export type EndpointResponse<E extends EndpointDef> = E extends { response: infer S extends z.ZodType } ? z.output<S> : never;

/** The path of an endpoint under its first base, params filled in (each segment URL-encoded). */
export function endpointPath(e: EndpointDef, params: Record<string, string | number> = {}): string {
  const filled = e.path.replace(/:(\w+)|\*$/g, (match, name: string | undefined) => {
    const value = params[name ?? '*'];
    if (value === undefined) throw new Error(`${e.method} ${e.path}: missing path parameter '${name ?? '*'}'`);
    // A wildcard keeps its slashes: it names a file below a directory.
    return name === undefined ? String(value).split('/').map(encodeURIComponent).join('/') : encodeURIComponent(String(value));
  });
  return `${apiBases[e.base][0]}${filled}`;
}

/** A query object as URL search params: arrays repeat their key, undefined values are left out. */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** `GET /api/studio/runs/:id` — how errors and logs name an endpoint. */
export const endpointName = (e: EndpointDef) => `${e.method} ${apiBases[e.base][0]}${e.path}`;
