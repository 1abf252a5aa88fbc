import { endpointName, endpointPath, queryString, type EndpointBody, type EndpointDef, type EndpointParams, type EndpointQuery, type EndpointResponse } from '../../shared/api/endpoint.js';
import { isErrorBody, type ErrorCode } from '../../shared/errors.js';

/**
 * A failed API call as the UI shows it: the server's code and message, and its whole error
 * body (`currentVersion` of a 409, a log's `size`, a 500's `request_id`). Named apart from
 * the server's ApiError, which is what a service throws.
 */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK_ERROR',
    message: string,
    readonly body: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

let baseUrl = '';

/** Where the API lives; relative to the page (`''`) unless set, e.g. by tests against a server on another port. */
export function setApiBaseUrl(url: string): void {
  baseUrl = url.replace(/\/+$/, '');
}

let csrfToken: string | null = null;

/** The session's CSRF token, sent as `X-CSRF-Token` on every write; null where none is needed (local mode, signed out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type UnauthenticatedListener = () => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/**
 * Calls `listener` whenever a call that needs a signed-in user is answered 401 (the session
 * ended or expired), so the app can read the session again and show sign-in. Returns the
 * unsubscribe. Public endpoints (session, sign-in) never notify: a failed sign-in is a 401 too.
 */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => {
    unauthenticatedListeners.delete(listener);
  };
}

// Responses are checked against the table in development and tests, never in production builds.
const validateResponses = import.meta.env.DEV;

type Field<K extends string, T> = [T] extends [undefined] ? { [P in K]?: never } : object extends T ? { [P in K]?: T } : { [P in K]: T };

/** What a call to an endpoint takes: its path params, query and body, typed by the table. */
export type ApiOptions<E extends EndpointDef> = Field<'params', EndpointParams<E>> &
  Field<'query', EndpointQuery<E>> &
  Field<'body', EndpointBody<E>> & { signal?: AbortSignal | undefined };

type OptionsArg<E extends EndpointDef> = object extends ApiOptions<E> ? [options?: ApiOptions<E>] : [options: ApiOptions<E>];

/** The address of an endpoint: for links, downloads and EventSource, which cannot go through fetch. */
export function apiUrl<E extends EndpointDef>(endpoint: E, ...[options]: OptionsArg<E>): string {
  const { params, query } = (options ?? {}) as { params?: Record<string, string | number>; query?: Record<string, unknown> };
  return `${baseUrl}${endpointPath(endpoint, params)}${queryString(query)}`;
}

async function send(endpoint: EndpointDef, options: { params?: unknown; query?: unknown; body?: unknown; signal?: AbortSignal | undefined } = {}): Promise<Response> {
  // A write always declares JSON, even when empty: the server refuses any other body type.
  const writes = endpoint.method !== 'GET';
  let response: Response;
  try {
    response = await fetch(apiUrl(endpoint, options as never), {
      method: endpoint.method,
      headers: writes ? { 'content-type': 'application/json', ...(csrfToken === null ? {} : { 'x-csrf-token': csrfToken }) } : {},
      body: writes ? JSON.stringify(options.body ?? {}) : null,
      signal: options.signal ?? null,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiRequestError(0, 'NETWORK_ERROR', `Cannot reach the Runstudio server (${String(error)}). Is it running?`);
  }
  if (response.ok) return response;
  if (response.status === 401 && endpoint.access !== 'public') for (const listener of unauthenticatedListeners) listener();
  const body: unknown = await response.json().catch(() => null);
  if (isErrorBody(body)) throw new ApiRequestError(response.status, body.error_code, body.message, body as unknown as Record<string, unknown>);
  throw new ApiRequestError(response.status, 'INTERNAL_ERROR', `The server answered ${response.status} ${response.statusText}.`);
}

/** Calls a JSON endpoint of the table; any failure is an ApiRequestError carrying the server's message. */
export async function api<E extends EndpointDef>(endpoint: E, ...[options]: OptionsArg<E>): Promise<EndpointResponse<E>> {
  const response = await send(endpoint, options);
  const body: unknown = await response.json();
  if (validateResponses && endpoint.response) {
    const checked = endpoint.response.safeParse(body);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const field = issue?.path.map(String).join('.') || '(the whole body)';
      // Status 0: the request itself succeeded; it is this client that refuses the answer.
      throw new ApiRequestError(0, 'INTERNAL_ERROR', `The response of ${endpointName(endpoint)} does not match the endpoint table: ${field}: ${issue?.message ?? 'invalid'}.`);
    }
  }
  return body as EndpointResponse<E>;
}

/** Calls a `raw` endpoint (a file, a log) and resolves to its Response once the status is a success. */
export function apiRaw<E extends EndpointDef>(endpoint: E, ...[options]: OptionsArg<E>): Promise<Response> {
  return send(endpoint, options);
}
