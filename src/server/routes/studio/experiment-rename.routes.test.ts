import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildAllSearchText } from '../../store/fulltext.store.js';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment, createRun } from '../../test-support/seed.js';

const CHILDREN = 3_000;

describe.each(backends())('renaming an experiment of %s runs, and q', (backend) => {
  let server: TestServer;
  let big: string;
  let other: string;
  let lone: string;
  const total = async (body: Record<string, unknown>) => {
    const res = await server.post('/api/studio/runs/search', { parentRunId: '*', pageSize: 1, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.total as number;
  };
  /** Each run's indexed text, to show a rename leaves it alone. */
  const indexRows = async () =>
    backend === 'sqlite'
      ? (await sql<{ id: number; body: string }>`SELECT rowid AS id, body FROM runs_fts ORDER BY rowid`.execute(server.db.kysely)).rows
      : (await sql<{ id: number; body: string }>`SELECT id, search_tsv::text AS body FROM runs ORDER BY id`.execute(server.db.kysely)).rows;

  beforeAll(async () => {
    server = await testServer(backend);
    big = await createExperiment(server, 'orion-survey');
    other = await createExperiment(server, 'vega');
    const parent = await createRun(server, big, { name: 'sweep' });
    for (let i = 0; i < CHILDREN / 1000; i += 1) {
      expect((await server.post(`/api/studio/runs/${parent}/children`, { count: 1000 })).status).toBe(201);
    }
    lone = await createRun(server, other, { name: 'lone', tags: { team: 'cv' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers other requests during the rename, which rewrites no run, and q finds every run by the new name at once', async () => {
    expect(await total({ q: 'orion', experimentIds: [big] })).toBe(CHILDREN + 1);
    const before = await indexRows();
    const events: string[] = [];
    const track = <T>(label: string, request: Promise<T>) =>
      request.then((res) => {
        events.push(label);
        return res;
      });
    const answers = await Promise.all([
      track('rename', server.post(`${ML}/experiments/update`, { experiment_id: big, new_name: 'andromeda-survey' })),
      track('get', server.get(`${ML}/experiments/get?experiment_id=${other}`)),
      track('search', server.post('/api/studio/runs/search', { experimentIds: [other] })),
      track('write', server.post(`${ML}/runs/log-parameter`, { run_id: lone, key: 'k', value: 'v' })),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect([...events].sort()).toEqual(['get', 'rename', 'search', 'write']);
    // Nothing is left to refresh once the rename is answered: the very next search finds
    // every run by the new name, none by the old one, and no run's indexed text changed.
    events.push('found by the new name');
    expect(await total({ q: 'andromeda', experimentIds: [big] })).toBe(CHILDREN + 1);
    expect(await total({ q: 'orion', experimentIds: [big] })).toBe(0);
    expect(await total({ q: 'orion' })).toBe(0);
    expect(events.indexOf('rename')).toBeLessThan(events.indexOf('found by the new name'));
    expect(await indexRows()).toEqual(before);
  });

  it('matches the experiment name as when it was part of each run’s text', async () => {
    await createRun(server, other, { name: 'andromeda-probe' });
    // A word matches the start of a word of the name, not its middle.
    expect(await total({ q: 'andro', experimentIds: [big] })).toBe(CHILDREN + 1);
    expect(await total({ q: 'dromeda', experimentIds: [big] })).toBe(0);
    // Words may match the name and the run's own text together: sweep-12, sweep-120…129 in each batch.
    expect(await total({ q: 'andromeda sweep 12', experimentIds: [big] })).toBe(33);
    // …and a status word: the children are scheduled, their parent is running.
    expect(await total({ q: 'andromeda scheduled', experimentIds: [big] })).toBe(CHILDREN);
    // Across every experiment, a name word finds that experiment's runs and runs with the word in their own text.
    expect(await total({ q: 'andromeda' })).toBe(CHILDREN + 2);
    expect(await total({ q: 'vega' })).toBe(2);
    expect(await total({ q: 'vega lone' })).toBe(1);
    expect(await total({ q: 'vega sweep' })).toBe(0);
    expect(await total({ q: 'survey vega' })).toBe(0);
    // Scoped to both experiments, a word only one name holds still narrows.
    expect(await total({ q: 'survey', experimentIds: [big, other] })).toBe(CHILDREN + 1);
  });

  it('rebuilds the text of runs stored before the experiment name left it (migration 0011)', async () => {
    const { id } = await server.db.kysely.selectFrom('runs').select('id').where('run_uuid', '=', lone).executeTakeFirstOrThrow();
    if (backend === 'sqlite') {
      await sql`DELETE FROM runs_fts WHERE rowid = ${id}`.execute(server.db.kysely);
      await sql`INSERT INTO runs_fts (rowid, body) VALUES (${id}, 'lone zebra')`.execute(server.db.kysely);
    } else {
      await sql`UPDATE runs SET search_tsv = to_tsvector('simple', 'lone zebra') WHERE id = ${id}`.execute(server.db.kysely);
    }
    expect(await total({ q: 'zebra' })).toBe(1);
    await rebuildAllSearchText(server.db.kysely, server.db.dialect);
    expect(await total({ q: 'zebra' })).toBe(0);
    expect(await total({ q: 'lone cv' })).toBe(1);
    expect(await total({ q: 'andromeda sweep 12' })).toBe(33);
  });
});
