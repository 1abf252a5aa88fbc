import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML } from '../../test-support/backends.js';
import { s3TestServer } from '../../test-support/s3.js';
import { useS3 } from '../../test-support/use-s3.js';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
const octets = { 'content-type': 'application/octet-stream' };

const s3 = useS3();

describe.each(backends())('MLflow artifacts in an S3 bucket on %s', (backend) => {
  let server: Awaited<ReturnType<typeof s3TestServer>>;
  let runId: string;
  let root: string;
  beforeAll(async () => {
    server = await s3TestServer(backend, s3(), `artifacts-${backend}`, { options: { maxArtifactBytes: 1024 * 1024 } });
    const exp = (await server.post(`${ML}/experiments/create`, { name: 's3' })).body.experiment_id as string;
    const run = (await server.post(`${ML}/runs/create`, { experiment_id: exp })).body.run.info;
    runId = run.run_id;
    root = run.artifact_uri.replace('mlflow-artifacts:/', '');
  });
  afterAll(async () => {
    await server?.close();
  });
  const put = (path: string, payload: Buffer | string) => server.app.inject({ method: 'PUT', url: `${PROXY}/${path}`, payload, headers: octets });

  it('uploads through the proxy, lists with MLflow’s entries and downloads byte-exact', async () => {
    const weights = randomBytes(300_000);
    expect((await put(`${root}/model/weights.bin`, weights)).statusCode).toBe(200);
    expect((await put(`${root}/model/MLmodel`, 'flavors: {}\n')).statusCode).toBe(200);
    expect((await put(`${root}/metrics.json`, '{"loss": 1}')).statusCode).toBe(200);
    const top = await server.get(`${ML}/artifacts/list?run_id=${runId}`);
    expect(top.body.files).toEqual([
      { path: 'metrics.json', is_dir: false, file_size: 11 },
      { path: 'model', is_dir: true },
    ]);
    const model = await server.get(`${ML}/artifacts/list?run_id=${runId}&path=model`);
    expect(model.body.files).toEqual([
      { path: 'model/MLmodel', is_dir: false, file_size: 12 },
      { path: 'model/weights.bin', is_dir: false, file_size: 300_000 },
    ]);
    expect((await server.get(`${PROXY}?path=${root}/model`)).body).toEqual({
      files: [
        { path: 'MLmodel', is_dir: false, file_size: 12 },
        { path: 'weights.bin', is_dir: false, file_size: 300_000 },
      ],
    });
    const download = await server.app.inject({ method: 'GET', url: `${PROXY}/${root}/model/weights.bin` });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-length']).toBe('300000');
    expect(download.rawPayload.equals(weights)).toBe(true);
    expect((await server.app.inject({ method: 'GET', url: `${PROXY}/${root}/metrics.json` })).headers['content-type']).toBe('application/json');
  });

  it("keeps a logged model's artifacts in the bucket: upload, list through the model route, download", async () => {
    const exp = (await server.post(`${ML}/experiments/create`, { name: 's3-models' })).body.experiment_id as string;
    const model = (await server.post(`${ML}/logged-models`, { experiment_id: exp, name: 'art' })).body.model;
    const id = model.info.model_id as string;
    const modelRoot = `${exp}/models/${id}/artifacts`;
    expect((await put(`${modelRoot}/MLmodel`, 'artifact_path: model')).statusCode).toBe(200);
    expect((await put(`${modelRoot}/data/model.pkl`, 'pickle-bytes')).statusCode).toBe(200);
    const listed = await server.get(`${ML}/logged-models/${id}/artifacts/directories`);
    expect(listed.body).toEqual({ root_uri: model.info.artifact_uri, files: [{ path: 'MLmodel', is_dir: false, file_size: 20 }, { path: 'data', is_dir: true }] });
    const sub = await server.get(`${ML}/logged-models/${id}/artifacts/directories?artifact_directory_path=data`);
    expect(sub.body.files).toEqual([{ path: 'data/model.pkl', is_dir: false, file_size: 12 }]);
    expect((await server.app.inject({ method: 'GET', url: `${PROXY}/${modelRoot}/data/model.pkl` })).body).toBe('pickle-bytes');
  });

  it('answers a missing artifact 404, a path leaving the run 400 and an upload past the limit 413', async () => {
    expect((await server.get(`${PROXY}/${root}/missing.txt`)).status).toBe(404);
    expect((await put(`${root}/..%2F..%2Fescape.txt`, 'x')).statusCode).toBe(400);
    const big = await put(`${root}/big.bin`, Buffer.alloc(1024 * 1024 + 1));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error_code: 'PAYLOAD_TOO_LARGE' });
    expect((await server.get(`${PROXY}/${root}/big.bin`)).status).toBe(404);
  });
});
