import { afterAll, beforeAll } from 'vitest';
import { listeningServer } from '../../server/test-support/backends.js';

export type WebTestServer = Awaited<ReturnType<typeof listeningServer>>;

// The web client's modules, whichever of them offers `setApiBaseUrl` (the typed client does).
const clientModules = import.meta.glob<Record<string, unknown>>(['../lib/api*.ts', '!../lib/*.test.ts'], { eager: true });

/**
 * Points the web app at `url` as if it had been served from there: the page's origin becomes
 * the server's (relative `/api/...` fetches, share links and the artifact links resolve to
 * it), and the API client, when it takes a base URL, is given it too.
 */
export function pointWebClientAt(url: string): void {
  (globalThis as unknown as { jsdom: { reconfigure(options: { url: string }): void } }).jsdom.reconfigure({ url: `${url}/` });
  for (const module of Object.values(clientModules)) {
    const set = module.setApiBaseUrl;
    if (typeof set === 'function') (set as (base: string) => void)(url);
  }
}

/**
 * A real Runstudio server (SQLite in a temp dir) listening on a free loopback port for the
 * whole test file, with the web client pointed at it. Seed through `server().post(...)`.
 */
export function startTestServer(): () => WebTestServer {
  let server: WebTestServer | undefined;
  beforeAll(async () => {
    server = await listeningServer('sqlite');
    pointWebClientAt(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('The test server starts in beforeAll: call server() inside a test or hook.');
    return server;
  };
}
