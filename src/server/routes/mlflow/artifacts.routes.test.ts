import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, listeningServer, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment } from '../../test-support/seed.js';

/** Sends the path exactly as written, as `curl --path-as-is` would: no URL normalisation. */
function rawRequest(base: string, method: string, path: string, body = ''): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, agent: false, headers: { 'content-type': 'application/octet-stream' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(backends())('artifacts on %s', (backend) => {
  let server: Awaited<ReturnType<typeof listeningServer>>;
  let exp: string;
  let runId: string;
  let otherRun: string;
  let root: string;
  beforeAll(async () => {
    server = await listeningServer(backend);
    exp = await createExperiment(server, 'artifacts');
    const run = (await server.post(`${ML}/runs/create`, { experiment_id: exp })).body.run.info;
    runId = run.run_id;
    root = run.artifact_uri.replace('mlflow-artifacts:/', '');
    otherRun = (await server.post(`${ML}/runs/create`, { experiment_id: exp })).body.run.info.run_id;
  });
  afterAll(async () => {
    await server.close();
  });

  const put = (path: string, body: string) =>
    server.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${path}`, payload: body, headers: { 'content-type': 'application/octet-stream' } });

  it('uploads through the proxy, lists both ways, and downloads with the right type', async () => {
    expect(root).toBe(`${exp}/${runId}/artifacts`);
    expect((await put(`${root}/metrics/summary.json`, '{"auc": 0.9}')).statusCode).toBe(200);
    expect((await put(`${root}/notes.txt`, 'hello')).statusCode).toBe(200);
    const top = (await server.get(`/api/2.0/mlflow-artifacts/artifacts?path=${root}`)).body;
    expect(top.files).toEqual([{ path: 'metrics', is_dir: true }, { path: 'notes.txt', is_dir: false, file_size: 5 }]);
    const listed = (await server.get(`${ML}/artifacts/list?run_id=${runId}&path=metrics`)).body;
    expect(listed).toEqual({ root_uri: `mlflow-artifacts:/${root}`, files: [{ path: 'metrics/summary.json', is_dir: false, file_size: 12 }] });
    const download = await server.app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts/${root}/metrics/summary.json` });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('{"auc": 0.9}');
    expect(download.headers['content-type']).toBe('application/json');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-disposition']).toContain('inline');
  });

  it('never renders HTML or SVG inline from this origin', async () => {
    for (const name of ['page.html', 'image.svg', 'page.xhtml', 'feed.xml', 'code.js']) {
      await put(`${root}/${name}`, '<svg onload="alert(1)"><script>alert(1)</script></svg>');
      const res = await server.app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts/${root}/${name}` });
      expect(res.headers['content-disposition']).toMatch(/^attachment/);
      expect(res.headers['content-security-policy']).toContain('sandbox');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answers artifacts/list without a run id as MLflow does: 400 naming run_id', async () => {
    const res = await server.get(`${ML}/artifacts/list?path=metrics`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(res.body.message).toContain("Missing value for required parameter 'run_id'");
    const legacy = await server.get(`${ML}/artifacts/list?run_uuid=${runId}&path=metrics`);
    expect(legacy.status).toBe(200);
  });

  it('names a download by its type and its own name, accents and quotes included', async () => {
    await put(`${root}/r%C3%A9sum%C3%A9%20%22v2%22.csv`, 'a,b\n1,2\n');
    const res = await server.app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts/${root}/r%C3%A9sum%C3%A9%20%22v2%22.csv` });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`inline; filename="r?sum? \\"v2\\".csv"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22.csv`);
    await put(`${root}/weights.pt`, 'bytes');
    const unknown = await server.app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts/${root}/weights.pt` });
    expect(unknown.headers['content-type']).toBe('application/octet-stream');
  });

  it('rejects every path that would leave the run', async () => {
    const attempts = [
      `${root}/..%2F..%2F..%2Fescape.txt`,
      `${root}/%2E%2E/%2E%2E/x.txt`,
      `${exp}/${otherRun}/%2E%2E/${runId}/artifacts/x.txt`,
      `${exp}/${runId}/elsewhere/x.txt`,
      `999/${runId}/artifacts/x.txt`,
      `%2Fetc%2Fpasswd`,
      `${root}/a%5C..%5C..%5Cx.txt`,
    ];
    for (const path of [...attempts, `${exp}/${otherRun}/../${runId}/artifacts/x.txt`, `${root}/../../../../escape.txt`]) {
      for (const method of ['PUT', 'GET']) {
        const status = await rawRequest(server.url, method, `/api/2.0/mlflow-artifacts/artifacts/${path}`, 'x').catch((e: Error) => { throw new Error(`${method} ${path}: ${e.message}`); });
        expect(status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(status, `${method} ${path}`).toBeLessThan(500);
      }
    }
    for (const path of ['../', '..', 'a/../../..', '/etc']) {
      const res = await server.get(`${ML}/artifacts/list?run_id=${runId}&path=${encodeURIComponent(path)}`);
      expect(res.status, path).toBe(400);
      expect(res.body.message).toMatch(/inside (the|their) run/);
    }
    const other = await server.get(`${ML}/artifacts/list?run_id=${otherRun}`);
    expect(other.body.files).toEqual([]);
    expect((await server.get(`/api/2.0/mlflow-artifacts/artifacts/${root}/missing.txt`)).status).toBe(404);
  });
});

describe.each(backends())('cancel and ancestors on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer(backend, () => 1_700_000_000_000);
  });
  afterAll(async () => {
    await server.close();
  });

  it('cancels a run with no launcher at once; an ended run cannot be cancelled', async () => {
    const runId = (await server.post(`${ML}/runs/create`, {})).body.run.info.run_id;
    const res = await server.post(`/api/studio/runs/${runId}/cancel`, {});
    expect(res.status).toBe(200);
    expect(res.body.run_info).toMatchObject({ status: 'KILLED', end_time: 1_700_000_000_000 });
    expect((await server.get(`${ML}/runs/get?run_id=${runId}`)).body.run.info.status).toBe('KILLED');
    const again = await server.post(`/api/studio/runs/${runId}/cancel`, {});
    expect(again).toMatchObject({ status: 400, body: { error_code: 'INVALID_STATE' } });
    expect((await server.post('/api/studio/runs/0123456789abcdef0123456789abcdef/cancel', {})).status).toBe(404);
  });

  it('lists the parents of a run up to the root', async () => {
    const root = (await server.post(`${ML}/runs/create`, { run_name: 'root' })).body.run.info.run_id;
    const mid = (await server.post(`${ML}/runs/create`, { run_name: 'mid', tags: [{ key: 'mlflow.parentRunId', value: root }] })).body.run.info.run_id;
    const leaf = (await server.post(`${ML}/runs/create`, { run_name: 'leaf', tags: [{ key: 'mlflow.parentRunId', value: mid }] })).body.run.info.run_id;
    const res = await server.get(`/api/studio/runs/${leaf}/ancestors`);
    expect(res.body.runs).toEqual([
      { runId: mid, runName: 'mid', depth: 1 },
      { runId: root, runName: 'root', depth: 2 },
    ]);
    expect((await server.get(`/api/studio/runs/${root}/ancestors`)).body.runs).toEqual([]);
  });
});
