import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { allEndpoints, apiBases, endpoints, type EndpointDef } from '../../shared/api/index.js';
import { endpoint } from '../../shared/api/endpoint.js';
import { registerErrorHandler } from '../plugins/error-handler.js';
import { testServer, type TestServer } from '../test-support/backends.js';
import { route, type RouteHandler } from './define-route.js';

const RUN = 'a'.repeat(32);
const control = { launched: false, cancelRequested: false, cancelRequestedAt: null, graceMs: null, host: null, pid: null, heartbeatAt: null };

/** A bare server with one endpoint of the table behind the adapter, answering what `handler` returns. */
async function serve<E extends EndpointDef>(e: E, handler: RouteHandler<E>, validateResponse?: boolean): Promise<FastifyInstance> {
  const app = Fastify();
  registerErrorHandler(app);
  await app.register(async (scope) => route(scope, e, handler, validateResponse === undefined ? {} : { validateResponse }), { prefix: apiBases[e.base][0] });
  return app;
}

describe('the route adapter', () => {
  it('answers 500 naming the endpoint and the field when a response does not match its schema', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // A deliberately wrong handler: `launched` must be a boolean.
    const app = await serve(endpoints.control.get, async () => ({ ...control, launched: 'yes' }) as never);
    const res = await app.inject({ method: 'GET', url: `/api/studio/runs/${RUN}/control` });
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('does not match its schema'));
    stderr.mockRestore();
    expect(res.statusCode).toBe(500);
    const body = res.json<{ error_code: string; message: string }>();
    expect(body.error_code).toBe('INTERNAL_ERROR');
    expect(body.message).toContain('GET /api/studio/runs/:id/control');
    expect(body.message).toContain('launched');
  });

  it('names a nested field, under either MLflow prefix', async () => {
    const app = Fastify();
    registerErrorHandler(app);
    const wrong = async () => ({ run: { info: {}, data: { metrics: [], params: [], tags: [] }, inputs: {} } }) as never;
    for (const prefix of apiBases.mlflow) await app.register(async (scope) => route(scope, endpoints.mlflow.runs.get, wrong), { prefix });
    vi.spyOn(process.stderr, 'write').mockImplementationOnce(() => true);
    const res = await app.inject({ method: 'GET', url: `/ajax-api/2.0/mlflow/runs/get?run_id=${RUN}` });
    expect(res.statusCode).toBe(500);
    expect(res.json<{ message: string }>().message).toMatch(/GET \/ajax-api\/2\.0\/mlflow\/runs\/get .*run\.info\.run_id/);
  });

  it('sends a mismatching response as it is when validation is off (production)', async () => {
    const app = await serve(endpoints.control.get, async () => ({ ...control, launched: 'yes' }) as never, false);
    const res = await app.inject({ method: 'GET', url: `/api/studio/runs/${RUN}/control` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...control, launched: 'yes' });
  });

  it('turns a path param that is not a run id into the 404 of a missing run, and a bad query into a 400 naming it', async () => {
    const handler = vi.fn(async () => ({ runs: [], nextPageToken: null }));
    const app = await serve(endpoints.runs.children, handler);
    const missing = await app.inject({ method: 'GET', url: '/api/studio/runs/nope/children' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=nope not found' });
    const bad = await app.inject({ method: 'GET', url: `/api/studio/runs/${RUN}/children?pageSize=0` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toContain("'pageSize'");
    expect(handler).not.toHaveBeenCalled();
    const good = await app.inject({ method: 'GET', url: `/api/studio/runs/${RUN}/children?recursive=true` });
    expect(good.statusCode).toBe(200);
    expect(handler).toHaveBeenCalledWith(expect.objectContaining({ params: { id: RUN }, query: { recursive: true, pageSize: 100 } }));
  });

  it("answers with the endpoint's status and refuses to register outside the endpoint's base", async () => {
    const e = endpoint({ method: 'POST', base: 'studio', path: '/things', access: 'public', body: z.object({ n: z.number() }), status: 201, response: z.object({ n: z.number() }) });
    const app = await serve(e, async ({ body }) => ({ n: body.n + 1 }));
    const res = await app.inject({ method: 'POST', url: '/api/studio/things', payload: { n: 1 } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ n: 2 });
    const wrongScope = Fastify();
    await expect(wrongScope.register(async (scope) => route(scope, e, async () => ({ n: 0 })), { prefix: '/api/2.0/mlflow' })).rejects.toThrow(/belongs under \/api\/studio/);
  });
});

describe('the endpoint table', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer('sqlite');
  });
  afterAll(() => server.close());

  it('has every endpoint registered by the server, under each of its prefixes', () => {
    expect(allEndpoints.length).toBeGreaterThan(45);
    for (const e of allEndpoints) {
      for (const base of apiBases[e.base]) {
        expect(server.app.hasRoute({ method: e.method, url: `${base}${e.path}` }), `${e.method} ${base}${e.path}`).toBe(true);
      }
    }
  });
});
