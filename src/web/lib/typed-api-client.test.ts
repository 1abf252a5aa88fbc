import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { endpoints } from '../../shared/api/index.js';
import { endpoint } from '../../shared/api/endpoint.js';
import { startTestServer } from '../test-support/server.js';
import { api, apiRaw, apiUrl, ApiRequestError } from './api-client.js';

const server = startTestServer();

describe('the typed API client', () => {
  it('calls an endpoint of the table against the server it is pointed at', async () => {
    const { experiment_id } = await api(endpoints.mlflow.experiments.create, { body: { name: 'client-test' } });
    const { experiment } = await api(endpoints.mlflow.experiments.get, { query: { experiment_id } });
    expect(experiment.name).toBe('client-test');
    expect(apiUrl(endpoints.logs.stream, { params: { id: 'a'.repeat(32), name: 'std log.txt' }, query: { from: 5 } })).toBe(`${server().url}/api/studio/runs/${'a'.repeat(32)}/logs/std%20log.txt/stream?from=5`);
  });

  it('keeps the whole error body: a stale save carries the current version', async () => {
    const view = await api(endpoints.views.create, { body: { name: 'v', state: {} } });
    await api(endpoints.views.update, { params: { id: view.id }, body: { version: view.version, name: 'v2' } });
    const stale = await api(endpoints.views.update, { params: { id: view.id }, body: { version: view.version, name: 'v3' } }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ApiRequestError);
    expect(stale).toMatchObject({ status: 409, code: 'RESOURCE_CONFLICT', body: { currentVersion: view.version + 1 } });
    const missing = await api(endpoints.control.get, { params: { id: 'b'.repeat(32) } }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('reads a raw endpoint through the same client', async () => {
    const { run } = await api(endpoints.mlflow.runs.create, { body: { experiment_id: '0' } });
    await fetch(`${server().url}/api/studio/runs/${run.info.run_id}/logs/out.txt?offset=0`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'hello\n' });
    const text = await apiRaw(endpoints.logs.download, { params: { id: run.info.run_id, name: 'out.txt' } }).then((r) => r.text());
    expect(text).toBe('hello\n');
    await expect(apiRaw(endpoints.logs.download, { params: { id: 'c'.repeat(32), name: 'out.txt' } })).rejects.toMatchObject({ status: 404, code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('refuses, in development and tests, a response that does not match the table', async () => {
    // The experiments list, read as if its table entry promised something else.
    const wrong = endpoint({ method: 'GET', base: 'studio', path: '/experiments', access: 'reader', response: z.object({ experiments: z.array(z.object({ experimentId: z.number() })) }) });
    const error = await api(wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect((error as Error).message).toMatch(/experiments\.0\.experimentId/);
  });
});
