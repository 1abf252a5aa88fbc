import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSearchRequest } from '../../shared/studio/explorer-state.js';
import { buildApp } from '../app.js';
import { FIRST_ROWS, escapeHtml } from './first-rows-html.js';
import { openTestDb, type TestDb } from '../test-support/backends.js';
import { addUser } from '../test-support/team.js';

describe('the web app', () => {
  let dir: string;
  let store: TestDb;
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-web-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><title>app</title><link rel="stylesheet" crossorigin href="/assets/app.css"></head><body><div id="root"></div></body></html>');
    fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
    store = await openTestDb('sqlite');
    app = await buildApp({ db: store.db, blobDir: dir, webRoot: dir });
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the app for deep links, files as files, and a 404 for a missing file', async () => {
    const deep = await app.inject({ method: 'GET', url: '/runs/abc?tab=outputs' });
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toContain('text/html');
    expect(deep.headers['content-security-policy']).toContain("script-src 'self'");
    const asset = await app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    const stale = await app.inject({ method: 'GET', url: '/assets/index-OLD.js' });
    expect(stale.statusCode).toBe(404);
    expect(stale.headers['content-type']).toContain('text/plain');
    const api = await app.inject({ method: 'GET', url: '/api/studio/nope' });
    expect(api.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
  });

  it('embeds the first page of All runs in a plain /runs, fresh and safe inside HTML, and nowhere else', async () => {
    const hostile = '</script><script>alert(1)</script><!--';
    const create = await app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/create', payload: { experiment_id: '0', run_name: hostile, tags: [{ key: 'note', value: '\u2028 & > "' }] } });
    expect(create.statusCode).toBe(200);
    const page = await app.inject({ method: 'GET', url: '/runs' });
    expect(page.headers['cache-control']).toBe('private, no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(/script-src [^;]*/.exec(String(page.headers['content-security-policy']))?.[0]).not.toContain('unsafe-inline');
    const html = page.body;
    const open = '<script type="application/json" id="runstudio-first-page">';
    expect(html.split(open)).toHaveLength(2);
    // The run's name cannot end the element early: two </script>, the element's own and the session's.
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toContain('<!--');
    const embedded: unknown = JSON.parse(html.slice(html.indexOf(open) + open.length, html.indexOf('</script>')));
    // Exactly what the explorer's default request gets from the API.
    const request = toSearchRequest({});
    const fetched = await app.inject({ method: 'POST', url: '/api/studio/runs/search', payload: request });
    // With the id of the last run event stored before it was read, where the page's stream resumes.
    expect(embedded).toEqual({ request, response: fetched.json(), eventsAfter: expect.any(Number) });
    expect((embedded as { response: { runs: Array<{ runName: string }> } }).response.runs.map((r) => r.runName)).toContain(hostile);

    // Gzipped (by the plugin itself, flushed after the head) when the browser takes it: the same page.
    const gzipped = await app.inject({ method: 'GET', url: '/runs', headers: { 'accept-encoding': 'gzip, br' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    // (Only the event id may have moved on: the run created above is stored by the bus within ms.)
    const sameEvents = (page: string) => page.replace(/"eventsAfter":\d+/, '"eventsAfter":N');
    expect(sameEvents(zlib.gunzipSync(gzipped.rawPayload).toString())).toBe(sameEvents(html));

    // Fresh per request: a run created since is in the next page served.
    await app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/create', payload: { experiment_id: '0', run_name: 'newer' } });
    expect((await app.inject({ method: 'GET', url: '/runs' })).body).toContain('"runName":"newer"');

    for (const other of ['/runs?q=newer', '/runs?sort=%22name%22', '/runs?sel=%5B%5D', '/experiments/0', '/runs/abc', '/experiments']) {
      const response = await app.inject({ method: 'GET', url: other });
      expect(response.statusCode, other).toBe(200);
      expect(response.body, other).not.toContain('runstudio-first-page');
    }
  });
  it('paints the first 100 rows of a plain /runs inside the root element, busy and named apart from the app\'s table', async () => {
    for (let i = 0; i < FIRST_ROWS + 20; i += 1) await app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/create', payload: { experiment_id: '0', run_name: `bulk-${i}`, start_time: Date.now() + i } });
    const html = (await app.inject({ method: 'GET', url: '/runs' })).body;
    // The root element holds the rows; the data follows it, before </body>.
    const root = html.slice(html.indexOf('<div id="root">'), html.indexOf('<script type="application/json"'));
    expect(root).toMatch(/^<div id="root"><style>[^<]*<\/style><div class="rs-fr" aria-busy="true">/);
    // The rows carry their own style; the app's sheet is preloaded from the head and applied after them.
    expect(root).toContain('<style>');
    expect(html.indexOf('<link rel="preload" as="style" crossorigin href="/assets/app.css">')).toBeLessThan(html.indexOf('</head>'));
    expect(html.indexOf('<link rel="stylesheet" crossorigin href="/assets/app.css">')).toBeGreaterThan(html.indexOf('</table>'));
    expect(html.match(/rel="stylesheet"/g)).toHaveLength(1);
    expect(root).toContain('<table aria-label="Runs (loading)">');
    expect(root).not.toContain('aria-label="Runs"');
    expect(root.match(/<tr data-run-id="[0-9a-f]{32}">/g)).toHaveLength(FIRST_ROWS);
    // Newest first, as the app lists them, each name a link to its run page.
    const links = [...root.matchAll(/<a href="\/runs\/([0-9a-f]{32})">([^<]*)<\/a>/g)];
    expect(links).toHaveLength(FIRST_ROWS);
    expect(links[0]![2]).toBe('bulk-119');
    expect(root).toContain(`<tr data-run-id="${links[0]![1]}">`);
    expect(root).toMatch(/>Running</);
    expect(root).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+Z" title="[^"]+">[^<]+<\/time>/);
  });

  it('escapes every string it paints: a hostile run is text, never markup', async () => {
    const hostile = '<img src=x onerror=alert(1)></script>';
    const experiment = await app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', payload: { name: '<b>exp</b> & "co"' } });
    expect(experiment.statusCode, experiment.body).toBe(200);
    const experimentId = experiment.json<{ experiment_id: string }>().experiment_id;
    const run = await app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/create', payload: { experiment_id: experimentId, run_name: hostile, user_id: "o'neil", start_time: Date.now() + 60_000, tags: [{ key: 'k', value: '"v" <i>' }, { key: 'runstudio.compute', value: '<gpu>' }] } });
    expect(run.statusCode, run.body).toBe(200);
    const html = (await app.inject({ method: 'GET', url: '/runs' })).body;
    const root = html.slice(html.indexOf('<div id="root">'), html.indexOf('<script type="application/json"'));
    expect(root).toContain(`>${escapeHtml(hostile)}</a>`);
    expect(root).toContain('&#60;img src=x onerror=alert(1)&#62;&#60;/script&#62;');
    expect(root).toContain(escapeHtml('<b>exp</b> & "co"'));
    expect(root).toContain('o&#39;neil');
    expect(root).toContain('&#60;gpu&#62;');
    expect(root).toContain('k: &#34;v&#34; &#60;i&#62;');
    // No markup from the store: the only tags are the painter's own.
    expect(root).not.toMatch(/<(img|b|gpu|i)[\s>]/);
    expect(html.match(/<\/script/gi)).toHaveLength(2);

    for (const other of ['/runs?q=newer', '/runs?sel=%5B%5D', '/runs/abc', '/experiments/0', '/experiments', '/']) {
      const body = (await app.inject({ method: 'GET', url: other })).body;
      expect(body, other).not.toContain('rs-fr');
      expect(body, other).not.toContain('data-run-id');
    }
  });

  it('embeds no runs in team mode for a page nobody signed in, and the run it may read for one who did', async () => {
    const team = await buildApp({ db: store.db, blobDir: dir, webRoot: dir, options: { auth: 'team' } });
    const reader = await addUser({ db: store.db }, 'spa-reader', 'reader');
    try {
      const anonymous = await team.inject({ method: 'GET', url: '/runs' });
      expect(anonymous.statusCode).toBe(200);
      expect(anonymous.body).not.toContain('data-run-id');
      expect(anonymous.body).not.toContain('runstudio-first-page');
      const signedIn = await team.inject({ method: 'GET', url: '/runs', headers: reader.headers });
      expect(signedIn.body).toContain('data-run-id');
      // Every page carries its caller's session, for the app's first paint; none a shared cache may keep.
      const session = (html: string) => JSON.parse(/<script type="application\/json" id="runstudio-session">(.*?)<\/script>/.exec(html)![1]!) as Record<string, unknown>;
      expect(session(anonymous.body)).toEqual({ mode: 'team', user: null, via: null, csrfToken: null });
      expect(session(signedIn.body)).toMatchObject({ mode: 'team', user: { name: 'spa-reader', role: 'reader' }, via: 'token' });
      const deep = await team.inject({ method: 'GET', url: '/runs/abc', headers: reader.headers });
      expect(session(deep.body)).toMatchObject({ user: { name: 'spa-reader' } });
      expect(deep.headers['cache-control']).toBe('private, no-cache');
    } finally {
      await team.close();
    }
  });
});
