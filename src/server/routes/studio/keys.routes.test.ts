import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment, createRun } from '../../test-support/seed.js';

describe.each(backends())('studio experiments and keys on %s', (backend) => {
  let server: TestServer;
  let vision: string;
  let nlp: string;
  beforeAll(async () => {
    server = await testServer(backend);
    vision = await createExperiment(server, 'vision');
    nlp = await createExperiment(server, 'nlp');
    await createExperiment(server, 'empty');
    await createRun(server, vision, { startTime: 1000, metrics: { loss: 1 }, params: { lr: '0.1' }, tags: { team: 'cv', 'runstudio.compute': 'gpu-a' } });
    await createRun(server, vision, { startTime: 5000, params: { lr: '0.01' }, tags: { team: 'cv2' } });
    await createRun(server, nlp, { startTime: 3000, metrics: { bleu: 20 }, params: { layers: '12' } });
    const gone = await createRun(server, nlp, { startTime: 9000 });
    await server.post(`${ML}/runs/delete`, { run_id: gone });
  });
  afterAll(async () => {
    await server.close();
  });

  it('lists experiments with active run counts and the newest run', async () => {
    const res = await server.get('/api/studio/experiments');
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.experiments.map((e: { name: string }) => [e.name, e]));
    expect(byName.vision).toMatchObject({ experimentId: vision, runCount: 2, lastRunTime: 5000 });
    expect(byName.nlp).toMatchObject({ runCount: 1, lastRunTime: 3000 });
    expect(byName.empty).toMatchObject({ runCount: 0, lastRunTime: null });
  });

  it('lists the keys of the runs in scope', async () => {
    const all = await server.get('/api/studio/keys');
    expect(all.body.metrics).toEqual(['bleu', 'loss']);
    expect(all.body.params).toEqual(['layers', 'lr']);
    expect(all.body.tags).toEqual(expect.arrayContaining(['team', 'runstudio.compute', 'mlflow.runName']));
    const scoped = await server.get(`/api/studio/keys?experimentIds=${nlp}`);
    expect(scoped.body).toMatchObject({ metrics: ['bleu'], params: ['layers'] });
    expect((await server.get('/api/studio/keys?experimentIds=x')).status).toBe(400);
  });

  it('suggests existing values by prefix', async () => {
    expect((await server.get('/api/studio/keys/values?entity=param&key=lr')).body.values).toEqual(['0.01', '0.1']);
    expect((await server.get('/api/studio/keys/values?entity=tag&key=team&prefix=cv2')).body.values).toEqual(['cv2']);
    expect((await server.get(`/api/studio/keys/values?entity=param&key=lr&experimentIds=${nlp}`)).body.values).toEqual([]);
    expect((await server.get('/api/studio/keys/values?entity=compute')).body.values).toEqual(['gpu-a']);
    expect((await server.get('/api/studio/keys/values?entity=tag&key=team&prefix=%25')).body.values).toEqual([]);
    const missing = await server.get('/api/studio/keys/values?entity=param');
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('key');
  });
});
