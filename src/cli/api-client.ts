import { isErrorBody } from '../shared/errors.js';

/**
 * Exit codes of every `runstudio` command but `run` and `sweep` (which exit with their
 * process's code). Documented in the README.
 */
export const EXIT = {
  /** Something unexpected. */
  failure: 1,
  /** Bad command-line usage (commander's own errors too). */
  usage: 2,
  /** The server cannot be reached. */
  unreachable: 3,
  /** The run, experiment or other object does not exist (404). */
  notFound: 4,
  /** The server refused the input (400, 413, 415). */
  invalid: 5,
  /** The object is not in a state that allows it (409: already ended, stale). */
  conflict: 6,
  /** Refused: 401, 403. */
  denied: 7,
} as const;

/** An error the CLI prints as one line and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The server to talk to: `--tracking-uri`, else RUNSTUDIO_URL, else MLFLOW_TRACKING_URI, else the local default. */
export function resolveTrackingUri(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const uri = flag ?? env.RUNSTUDIO_URL ?? env.MLFLOW_TRACKING_URI ?? 'http://127.0.0.1:5000';
  if (!/^https?:\/\//.test(uri)) {
    throw new CliError(`Tracking URI '${uri}' is not an http(s) URL: pass --tracking-uri http://host:port or set RUNSTUDIO_URL.`, EXIT.usage);
  }
  return uri.replace(/\/+$/, '');
}

/**
 * The credentials the CLI sends: `Bearer` RUNSTUDIO_TOKEN, else MLFLOW_TRACKING_TOKEN, else
 * basic auth from MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (as MLflow's own
 * clients do); none in local mode, where the server asks for nothing.
 */
export function authHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const token = env.RUNSTUDIO_TOKEN || env.MLFLOW_TRACKING_TOKEN;
  if (token) return { authorization: `Bearer ${token}` };
  if (env.MLFLOW_TRACKING_USERNAME && env.MLFLOW_TRACKING_PASSWORD !== undefined) {
    return { authorization: `Basic ${Buffer.from(`${env.MLFLOW_TRACKING_USERNAME}:${env.MLFLOW_TRACKING_PASSWORD}`).toString('base64')}` };
  }
  return {};
}

const SIGN_IN_HINT = 'Set RUNSTUDIO_TOKEN to a valid API token (runstudio tokens create, or the Account page).';

/** The exit status of an HTTP error status (and of a service's ApiError, by its status). */
export function exitCodeFor(status: number): number {
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 401 || status === 403) return EXIT.denied;
  if (status >= 400 && status < 500) return EXIT.invalid;
  return EXIT.failure;
}

export interface ApiClient {
  readonly baseUrl: string;
  /** GETs (no body) or POSTs JSON; a non-2xx throws a CliError with the server's message. */
  json<T>(path: string, init?: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; body?: unknown; signal?: AbortSignal }): Promise<T>;
  /** Raw fetch against the server, for bytes (log appends) and streams; same error mapping for unreachable. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * A small client of the Runstudio and MLflow APIs for the CLI and the launcher. Every request,
 * streams and log appends included, carries the credentials of `authHeaders(env)`.
 */
export function apiClient(baseUrl: string, env: NodeJS.ProcessEnv = process.env): ApiClient {
  const auth = authHeaders(env);
  const raw = async (path: string, init: RequestInit = {}): Promise<Response> => {
    try {
      const headers = new Headers(init.headers);
      for (const [name, value] of Object.entries(auth)) if (!headers.has(name)) headers.set(name, value);
      return await fetch(`${baseUrl}${path}`, { ...init, headers });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new CliError(`Cannot reach the Runstudio server at ${baseUrl} (${(error as Error & { cause?: Error }).cause?.message ?? String(error)}). Is it running? Set --tracking-uri or RUNSTUDIO_URL.`, EXIT.unreachable);
    }
  };
  return {
    baseUrl,
    fetch: raw,
    async json<T>(path: string, init: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
      const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
      const hasBody = init.body !== undefined || method === 'POST';
      const response = await raw(path, {
        method,
        headers: hasBody ? { 'content-type': 'application/json' } : {},
        body: hasBody ? JSON.stringify(init.body ?? {}) : null,
        signal: init.signal ?? null,
      });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        const message = isErrorBody(body) ? body.message : `The server answered ${response.status} ${response.statusText}.`;
        throw new CliError(response.status === 401 ? `${message}\n${SIGN_IN_HINT}` : message, exitCodeFor(response.status));
      }
      return body as T;
    },
  };
}
