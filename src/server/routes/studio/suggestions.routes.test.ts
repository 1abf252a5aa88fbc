import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment, createRun } from '../../test-support/seed.js';

const teams = ['cv', 'cv2', 'nlp', 'a_b', 'a%b', 'ab', 'Émile', ''];

describe.each(backends())('suggestions walk an index and give the answers of a plain scan, on %s', (backend) => {
  let server: TestServer;
  let big: string;
  let small: string;
  let empty: string;

  /** The answer of the plain scan every keystroke used to make: the reference. */
  async function scanned(entity: string, key: string, prefix: string, experimentIds: string[]): Promise<string[]> {
    const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const ids = experimentIds.map(Number);
    const runScope = ids.length === 0 ? sql`` : sql`AND run_uuid IN (SELECT run_uuid FROM runs WHERE experiment_id IN (${sql.join(ids)}))`;
    if (entity === 'user') {
      const expScope = ids.length === 0 ? sql`` : sql`AND experiment_id IN (${sql.join(ids)})`;
      return (await sql<{ v: string }>`SELECT DISTINCT user_id AS v FROM runs WHERE user_id LIKE ${like} ESCAPE '\\' AND user_id != '' ${expScope} ORDER BY v LIMIT 50`.execute(server.db.kysely)).rows.map((r) => r.v);
    }
    const table = sql.table(entity === 'param' ? 'params' : 'tags');
    const k = entity === 'compute' ? 'runstudio.compute' : key;
    return (await sql<{ v: string }>`SELECT DISTINCT value AS v FROM ${table} WHERE key = ${k} AND value LIKE ${like} ESCAPE '\\' ${runScope} ORDER BY v LIMIT 50`.execute(server.db.kysely)).rows.map((r) => r.v);
  }

  async function scannedKeys(experimentIds: string[]) {
    const ids = experimentIds.map(Number);
    const scope = ids.length === 0 ? sql`` : sql`WHERE run_uuid IN (SELECT run_uuid FROM runs WHERE experiment_id IN (${sql.join(ids)}))`;
    const keysOf = async (table: string) => (await sql<{ key: string }>`SELECT DISTINCT key FROM ${sql.table(table)} ${scope} ORDER BY key LIMIT 500`.execute(server.db.kysely)).rows.map((r) => r.key);
    return { metrics: await keysOf('latest_metrics'), params: await keysOf('params'), tags: await keysOf('tags') };
  }

  beforeAll(async () => {
    server = await testServer(backend);
    big = await createExperiment(server, 'big');
    small = await createExperiment(server, 'small');
    empty = await createExperiment(server, 'empty');
    // The big experiment holds more runs than are read row by row (2,000), so it is walked.
    for (const [i, user] of ['alice', 'al_bert', 'al%', 'bob', 'Émile', '100%', 'zed'].entries()) {
      const created = await server.post(`${ML}/runs/create`, { experiment_id: big, user_id: user, run_name: `parent-${i}` });
      expect(created.status).toBe(200);
      const parent = created.body.run.info.run_id as string;
      await server.post(`${ML}/runs/log-batch`, { run_id: parent, params: [{ key: 'lr', value: ['0.1', '0.01', '1e-3', ''][i % 4]! }], tags: [{ key: 'runstudio.compute', value: `gpu-${i % 3}` }] });
      if (i < 3) {
        const values = Array.from({ length: 1000 }, (_, j) => teams[(j + i) % teams.length]!);
        expect((await server.post(`/api/studio/runs/${parent}/children`, { tagKey: 'team', tagValues: values })).status).toBe(201);
      }
    }
    await server.post(`${ML}/runs/create`, { experiment_id: big, user_id: '' });
    await createRun(server, small, { metrics: { bleu: 1 }, params: { lr: '0.5', layers: '2' }, tags: { team: 'speech', 'runstudio.compute': 'tpu' } });
    await server.post(`${ML}/runs/create`, { experiment_id: small, user_id: 'carol' });
  });
  afterAll(async () => {
    await server.close();
  });

  const scopes = () => [[], [big], [small], [big, small], [empty]];

  it('suggests the same submitters, param and tag values as a scan, for every prefix and scope', async () => {
    const prefixes = ['', 'a', 'al', 'al_', 'al%', 'c', 'cv', 'É', '1', '100%', '0.0', 'gpu-1', 'z', 'zz', '%', '_', 'a_', 'a%'];
    const asks: Array<[string, string]> = [['user', ''], ['tag', 'team'], ['param', 'lr'], ['compute', ''], ['tag', 'absent']];
    for (const experimentIds of scopes()) {
      for (const [entity, key] of asks) {
        for (const prefix of prefixes) {
          const query = new URLSearchParams({ entity, key, prefix, experimentIds: experimentIds.join(',') });
          const res = await server.get(`/api/studio/keys/values?${query.toString()}`);
          expect(res.status).toBe(200);
          expect(res.body.values, `${entity} ${key} '${prefix}' in [${experimentIds.join(',')}]`).toEqual(await scanned(entity, key, prefix, experimentIds));
        }
      }
    }
    // The walk did find something: the test is not comparing empty lists.
    expect((await server.get(`/api/studio/keys/values?entity=user&prefix=al&experimentIds=${big}`)).body.values).toEqual(['al%', 'al_bert', 'alice']);
    expect((await server.get(`/api/studio/keys/values?entity=tag&key=team&prefix=a&experimentIds=${big}`)).body.values).toEqual(['a%b', 'a_b', 'ab']);
  });

  it('lists the same keys as a scan, in every scope', async () => {
    for (const experimentIds of scopes()) {
      const res = await server.get(`/api/studio/keys?experimentIds=${experimentIds.join(',')}`);
      expect(res.status).toBe(200);
      expect(res.body, `[${experimentIds.join(',')}]`).toEqual(await scannedKeys(experimentIds));
    }
    expect((await server.get(`/api/studio/keys?experimentIds=${big}`)).body.tags).toContain('team');
  });
});
