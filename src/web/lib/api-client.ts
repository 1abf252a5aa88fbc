import { isErrorBody, type ErrorCode } from '../../shared/errors.js';

/** An API error as the UI shows it: the server's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK_ERROR',
    message: string,
  ) {
    super(message);
  }
}

/** POSTs or GETs JSON and turns any failure into an ApiError carrying the server's message. */
export async function apiFetch<T>(path: string, init: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal: init.signal ?? null,
    });
  } catch (error) {
    throw new ApiError(0, 'NETWORK_ERROR', `Cannot reach the Runstudio server (${String(error)}). Is it running?`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    if (isErrorBody(body)) throw new ApiError(response.status, body.error_code, body.message);
    throw new ApiError(response.status, 'INTERNAL_ERROR', `The server answered ${response.status} ${response.statusText}.`);
  }
  return body as T;
}
