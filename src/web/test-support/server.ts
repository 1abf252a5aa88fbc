import { afterAll, beforeAll } from 'vitest';
import type { ServerOptions } from '../../server/options.js';
import { listeningServer } from '../../server/test-support/backends.js';
import { setApiBaseUrl } from '../lib/api-client.js';

export type WebTestServer = Awaited<ReturnType<typeof listeningServer>>;


/**
 * Points the web app at `url` as if it had been served from there: the page's origin becomes
 * the server's (relative `/api/...` fetches, share links and the artifact links resolve to
 * it), and the API client is given it as its base URL.
 */
export function pointWebClientAt(url: string): void {
  (globalThis as unknown as { jsdom: { reconfigure(options: { url: string }): void } }).jsdom.reconfigure({ url: `${url}/` });
  setApiBaseUrl(url);
}

/**
 * A real Runstudio server (SQLite in a temp dir) listening on a free loopback port for the
 * whole test file, with the web client pointed at it. Seed through `server().post(...)`.
 * `options`: operator flags, e.g. `{ auth: 'team' }` for a server where users sign in (team.ts).
 */
export function startTestServer(options?: Partial<ServerOptions>): () => WebTestServer {
  let server: WebTestServer | undefined;
  beforeAll(async () => {
    server = await listeningServer('sqlite', options);
    pointWebClientAt(server.url);
  });
  afterAll(async () => {
    // The page is gone when the file ends: drop its connections (keep-alive, or a request the
    // test left behind) as a closed tab would, so closing does not wait out their timeouts.
    server?.app.server.closeAllConnections();
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('The test server starts in beforeAll: call server() inside a test or hook.');
    return server;
  };
}
