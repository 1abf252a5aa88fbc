import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment } from '../../test-support/seed.js';

describe.each(backends())('MLflow experiments API on %s', (backend) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await testServer(backend);
  });
  afterEach(async () => {
    await server.close();
  });

  it('has the Default experiment with id 0', async () => {
    const res = await server.get(`${ML}/experiments/get?experiment_id=0`);
    expect(res.status).toBe(200);
    expect(res.body.experiment).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active', artifact_location: 'mlflow-artifacts:/0' });
  });

  it('creates an experiment with tags and reads it by id and by name, under both prefixes', async () => {
    const created = await server.post(`${ML}/experiments/create`, { name: 'vision', tags: [{ key: 'team', value: 'cv' }] });
    expect(created.status).toBe(200);
    const id = created.body.experiment_id;
    expect(id).toMatch(/^\d+$/);
    const byId = await server.get(`/ajax-api/2.0/mlflow/experiments/get?experiment_id=${id}`);
    expect(byId.body.experiment).toMatchObject({ name: 'vision', artifact_location: `mlflow-artifacts:/${id}`, tags: [{ key: 'team', value: 'cv' }] });
    const byName = await server.get(`${ML}/experiments/get-by-name?experiment_name=vision`);
    expect(byName.body.experiment.experiment_id).toBe(id);
  });

  it('refuses a duplicate name with RESOURCE_ALREADY_EXISTS, also for a deleted one', async () => {
    const id = await createExperiment(server, 'dup');
    const again = await server.post(`${ML}/experiments/create`, { name: 'dup' });
    expect(again).toMatchObject({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS' } });
    await server.post(`${ML}/experiments/delete`, { experiment_id: id });
    const deleted = await server.post(`${ML}/experiments/create`, { name: 'dup' });
    expect(deleted.status).toBe(400);
    expect(deleted.body.message).toContain('deleted');
  });

  it('answers 404 RESOURCE_DOES_NOT_EXIST for unknown ids and names', async () => {
    for (const url of [`${ML}/experiments/get?experiment_id=999`, `${ML}/experiments/get?experiment_id=abc`, `${ML}/experiments/get-by-name?experiment_name=nope`]) {
      const res = await server.get(url);
      expect(res).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    }
    const update = await server.post(`${ML}/experiments/update`, { experiment_id: '999', new_name: 'x' });
    expect(update.status).toBe(404);
  });

  it('names the missing field of a bad body', async () => {
    const res = await server.post(`${ML}/experiments/create`, {});
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(res.body.message).toContain('name');
    const tag = await server.post(`${ML}/experiments/set-experiment-tag`, { experiment_id: '0', key: 'k' });
    expect(tag.status).toBe(400);
    expect(tag.body.message).toContain("'value'");
  });

  it('renames, deletes and restores, taking its runs along', async () => {
    const id = await createExperiment(server, 'old');
    const run = await server.post(`${ML}/runs/create`, { experiment_id: id });
    const runId = run.body.run.info.run_id;
    expect((await server.post(`${ML}/experiments/update`, { experiment_id: id, new_name: 'new' })).status).toBe(200);
    expect((await server.get(`${ML}/experiments/get?experiment_id=${id}`)).body.experiment.name).toBe('new');
    await createExperiment(server, 'taken');
    const clash = await server.post(`${ML}/experiments/update`, { experiment_id: id, new_name: 'taken' });
    expect(clash.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');

    await server.post(`${ML}/experiments/delete`, { experiment_id: id });
    expect((await server.get(`${ML}/experiments/get?experiment_id=${id}`)).body.experiment.lifecycle_stage).toBe('deleted');
    expect((await server.get(`${ML}/runs/get?run_id=${runId}`)).body.run.info.lifecycle_stage).toBe('deleted');
    const refused = await server.post(`${ML}/runs/create`, { experiment_id: id });
    expect(refused).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });

    await server.post(`${ML}/experiments/restore`, { experiment_id: id });
    expect((await server.get(`${ML}/experiments/get?experiment_id=${id}`)).body.experiment.lifecycle_stage).toBe('active');
    expect((await server.get(`${ML}/runs/get?run_id=${runId}`)).body.run.info.lifecycle_stage).toBe('active');
  });

  it('sets and overwrites an experiment tag', async () => {
    const id = await createExperiment(server, 'tagged');
    await server.post(`${ML}/experiments/set-experiment-tag`, { experiment_id: id, key: 'k', value: '1' });
    await server.post(`${ML}/experiments/set-experiment-tag`, { experiment_id: id, key: 'k', value: '2' });
    const res = await server.get(`${ML}/experiments/get?experiment_id=${id}`);
    expect(res.body.experiment.tags).toEqual([{ key: 'k', value: '2' }]);
  });

  it('searches with filter, order, view type and pages', async () => {
    for (const name of ['alpha', 'beta', 'gamma', 'delta']) await createExperiment(server, name);
    const gammaId = (await server.get(`${ML}/experiments/get-by-name?experiment_name=gamma`)).body.experiment.experiment_id;
    await server.post(`${ML}/experiments/set-experiment-tag`, { experiment_id: gammaId, key: 'owner', value: 'ana' });
    await server.post(`${ML}/experiments/delete`, { experiment_id: (await server.get(`${ML}/experiments/get-by-name?experiment_name=delta`)).body.experiment.experiment_id });

    const active = await server.post(`${ML}/experiments/search`, { order_by: ['name ASC'] });
    expect(active.body.experiments.map((e: { name: string }) => e.name)).toEqual(['Default', 'alpha', 'beta', 'gamma']);
    const deleted = await server.post(`${ML}/experiments/search`, { view_type: 'DELETED_ONLY' });
    expect(deleted.body.experiments.map((e: { name: string }) => e.name)).toEqual(['delta']);
    const like = await server.post(`${ML}/experiments/search`, { filter: "name LIKE '%a'", order_by: ['name DESC'] });
    expect(like.body.experiments.map((e: { name: string }) => e.name)).toEqual(['gamma', 'beta', 'alpha']);
    const tagged = await server.get(`${ML}/experiments/search?filter=${encodeURIComponent("tags.owner = 'ana'")}`);
    expect(tagged.body.experiments.map((e: { name: string }) => e.name)).toEqual(['gamma']);

    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await server.post(`${ML}/experiments/search`, { max_results: 3, order_by: ['name ASC'], view_type: 'ALL', ...(token ? { page_token: token } : {}) });
      names.push(...page.body.experiments.map((e: { name: string }) => e.name));
      token = page.body.next_page_token;
    } while (token);
    expect(names).toEqual(['Default', 'alpha', 'beta', 'delta', 'gamma']);
  });

  it('rejects a bad experiment filter, order or page token with 400', async () => {
    for (const body of [{ filter: 'name = ' }, { filter: 'metrics.loss < 1' }, { order_by: ['bogus ASC'] }, { page_token: '!!' }, { max_results: 0 }, { view_type: 'SOME' }]) {
      const res = await server.post(`${ML}/experiments/search`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
  });
});
