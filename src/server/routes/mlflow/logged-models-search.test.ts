import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchLoggedModelsRequest } from '../../../shared/mlflow/logged-models.js';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment, createRun } from '../../test-support/seed.js';

interface Point {
  key: string;
  value: number;
  step: number;
  timestamp: number;
  dataset_name?: string;
  dataset_digest?: string;
}

/** What the test logged for one model: the reference the server's answers are checked against. */
interface Seeded {
  i: number;
  id: string;
  exp: string;
  name: string;
  status: string;
  created: number;
  sourceRunId: string | undefined;
  params: Record<string, string>;
  tags: Record<string, string>;
  points: Point[];
}

interface DatasetRef {
  dataset_name: string;
  dataset_digest?: string;
}

const COUNT = 30;
const names = ['alpha', 'Beta', 'gamma'];
const statusOf = (i: number) => (i % 4 === 0 ? 'LOGGED_MODEL_READY' : i % 4 === 1 ? 'LOGGED_MODEL_UPLOAD_FAILED' : 'LOGGED_MODEL_PENDING');

/**
 * Model i's points, in the order logged (timestamps rise in that order). `acc` has several
 * steps and datasets, so "latest" depends on which datasets count; `loss` has a point at the
 * same step logged earlier, so the later timestamp must win.
 */
function pointsOf(i: number): Omit<Point, 'timestamp'>[] {
  const eval1 = { dataset_name: 'eval', dataset_digest: 'e1' };
  const points: Omit<Point, 'timestamp'>[] = [];
  if (i % 7 !== 6) {
    points.push({ key: 'acc', value: 0.9, step: 0, ...eval1 });
    points.push({ key: 'acc', value: ((i * 7) % 30) / 100, step: 1, ...eval1 });
    if (i % 10 === 9) points.push({ key: 'acc', value: Number.NaN, step: 2, ...eval1 });
    if (i % 3 === 0) points.push({ key: 'acc', value: 0.5 + i / 100, step: 3, dataset_name: 'test', dataset_digest: 't1' });
    if (i % 4 === 2) points.push({ key: 'acc', value: 0.3 + i / 1000, step: 4, dataset_name: 'eval', dataset_digest: 'e2' });
  }
  if (i % 5 === 0) points.push({ key: 'loss', value: 10, step: 0 });
  points.push({ key: 'loss', value: i % 4, step: 0 });
  return points;
}

const matches = (p: Point, datasets: DatasetRef[]) =>
  datasets.length === 0 || datasets.some((d) => p.dataset_name === d.dataset_name && (d.dataset_digest === undefined || p.dataset_digest === d.dataset_digest));

/** The model's value of a metric: its point at the latest time, then the highest step (MLflow's order). */
function latest(m: Seeded, key: string, datasets: DatasetRef[] = []): number | undefined {
  let best: Point | undefined;
  for (const p of m.points) {
    if (p.key !== key || !matches(p, datasets)) continue;
    if (!best || p.timestamp > best.timestamp || (p.timestamp === best.timestamp && p.step > best.step)) best = p;
  }
  return best?.value;
}

/** A metric comparison as MLflow makes it: no value never matches; NaN only matches `!=`. */
function compareMetric(value: number | undefined, op: '<' | '>' | '=' | '!=' | '>=', x: number): boolean {
  if (value === undefined) return false;
  if (Number.isNaN(value)) return op === '!=';
  return { '<': value < x, '>': value > x, '=': value === x, '!=': value !== x, '>=': value >= x }[op];
}

/** The server's last keys: newest first, then by id. */
const tieBreak = (a: Seeded, b: Seeded) => b.created - a.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byMetric = (key: string, ascending: boolean, datasets: DatasetRef[] = []) => (a: Seeded, b: Seeded) => {
  const va = latest(a, key, datasets);
  const vb = latest(b, key, datasets);
  const missingA = va === undefined || Number.isNaN(va);
  const missingB = vb === undefined || Number.isNaN(vb);
  if (missingA || missingB) return Number(missingA) - Number(missingB);
  return ascending ? va - vb : vb - va;
};
const byName = (ascending: boolean) => (a: Seeded, b: Seeded) => (a.name === b.name ? 0 : (a.name < b.name) === ascending ? -1 : 1);

describe.each(backends())('MLflow logged-models/search on %s', (backend) => {
  let server: TestServer;
  let clock = 1_000_000;
  let exps: [string, string];
  let runIds: [string, string];
  const seeded: Seeded[] = [];
  const deletedNames = ['deleted-one', 'deleted-two'];

  beforeAll(async () => {
    server = await testServer(backend, () => clock);
    exps = [await createExperiment(server, 'search-a'), await createExperiment(server, 'search-b')];
    runIds = [await createRun(server, exps[0]), await createRun(server, exps[1])];
    let timestamp = 1;
    const doomed: string[] = [];
    const batches: [Array<Record<string, unknown>>, Array<Record<string, unknown>>] = [[], []];
    for (let i = 0; i < COUNT + deletedNames.length; i++) {
      const deleted = i >= COUNT;
      const side = deleted || i < 20 ? 0 : 1;
      clock = 1_000_000 + Math.floor(i / 2) * 1000;
      const params: Record<string, string> = { lr: ['0.1', '0.01', '0.001'][i % 3]!, ...(i % 2 === 0 ? { depth: String(i % 5) } : {}) };
      const tags: Record<string, string> = { team: i % 2 === 1 ? 'red' : 'blue', ...(i % 5 === 0 ? { note: `round ${i}` } : {}) };
      const sourceRunId = i % 2 === 0 || deleted ? runIds[side] : undefined;
      const name = deleted ? deletedNames[i - COUNT]! : `${names[i % 3]}-${String(i).padStart(2, '0')}`;
      const res = await server.post(`${ML}/logged-models`, {
        experiment_id: exps[side],
        name,
        ...(sourceRunId ? { source_run_id: sourceRunId } : {}),
        params: Object.entries(params).map(([key, value]) => ({ key, value })),
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const id = res.body.model.info.model_id as string;
      const status = deleted ? 'LOGGED_MODEL_READY' : statusOf(i);
      if (status !== 'LOGGED_MODEL_PENDING') {
        const fin = await server.app.inject({ method: 'PATCH', url: `${ML}/logged-models/${id}`, payload: { status } });
        expect(fin.statusCode, fin.body).toBe(200);
      }
      const points = pointsOf(i).map((p) => ({ ...p, timestamp: timestamp++ }));
      for (const p of points) batches[side].push({ ...p, value: Number.isNaN(p.value) ? 'NaN' : p.value, model_id: id });
      if (!deleted) seeded.push({ i, id, exp: exps[side], name, status, created: clock, sourceRunId, params, tags, points });
      else doomed.push(id);
    }
    for (const side of [0, 1] as const) {
      const res = await server.post(`${ML}/runs/log-batch`, { run_id: runIds[side], metrics: batches[side] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    // Deleted after their metrics were logged: they would match the filters below if they were listed.
    for (const id of doomed) expect((await server.app.inject({ method: 'DELETE', url: `${ML}/logged-models/${id}` })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await server.close();
  });

  async function search(body: SearchLoggedModelsRequest): Promise<{ models?: Array<{ info: { model_id: string } }>; next_page_token?: string }> {
    const res = await server.post(`${ML}/logged-models/search`, { experiment_ids: exps, max_results: 1000, ...body });
    expect(res.status, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  }
  const labels = (body: { models?: Array<{ info: { model_id: string } }> }) =>
    (body.models ?? []).map((m) => seeded.find((s) => s.id === m.info.model_id)?.name ?? `unknown ${m.info.model_id}`);
  const expected = (keep: (m: Seeded) => boolean, order: (a: Seeded, b: Seeded) => number = () => 0) =>
    seeded
      .filter(keep)
      .sort((a, b) => order(a, b) || tieBreak(a, b))
      .map((m) => m.name);
  const model = (i: number) => seeded[i]!;

  it('answers each model whole: info, params and tags by key, metrics with their run and dataset', async () => {
    const m = model(9);
    const res = await search({ filter: `model_id = '${m.id}'` });
    expect(res.models).toHaveLength(1);
    const found = res.models![0] as Record<string, any>;
    expect(found.info).toMatchObject({ name: 'alpha-09', experiment_id: exps[0], status: 'LOGGED_MODEL_UPLOAD_FAILED', creation_timestamp_ms: m.created });
    expect(found.info.tags).toEqual([{ key: 'team', value: 'red' }]);
    expect(found.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(found.data.metrics).toEqual(
      m.points.map((p) => ({ ...p, value: Number.isNaN(p.value) ? 'NaN' : p.value, model_id: m.id, run_id: runIds[0] })),
    );
  });

  const cases: Array<[string | ((s: (i: number) => Seeded, runs: string[]) => string), (m: Seeded) => boolean, DatasetRef[]?]> = [
    ["name = 'alpha-03'", (m) => m.name === 'alpha-03'],
    ["attributes.name != 'alpha-03'", (m) => m.name !== 'alpha-03'],
    ["name LIKE 'alpha-%'", (m) => m.name.startsWith('alpha-')],
    ["name LIKE 'beta-%'", () => false],
    ["name LIKE '%-1_'", (m) => m.i >= 10 && m.i < 20],
    ["name ILIKE 'BETA-%'", (m) => m.name.startsWith('Beta-')],
    ["name IN ('alpha-00', 'gamma-05', 'nope')", (m) => ['alpha-00', 'gamma-05'].includes(m.name)],
    ["name NOT IN ('alpha-00', 'gamma-05')", (m) => !['alpha-00', 'gamma-05'].includes(m.name)],
    ["status = 'LOGGED_MODEL_READY'", (m) => m.status === 'LOGGED_MODEL_READY'],
    ["attributes.status != 'LOGGED_MODEL_PENDING'", (m) => m.status !== 'LOGGED_MODEL_PENDING'],
    ["status IN ('LOGGED_MODEL_UPLOAD_FAILED', 'LOGGED_MODEL_READY')", (m) => m.status !== 'LOGGED_MODEL_PENDING'],
    [(s) => `model_id = '${s(4).id}'`, (m) => m.i === 4],
    [(s) => `model_id IN ('${s(4).id}', '${s(25).id}')`, (m) => m.i === 4 || m.i === 25],
    [(_, runs) => `source_run_id = '${runs[0]}'`, (m) => m.i < 20 && m.i % 2 === 0],
    [(_, runs) => `run_id = '${runs[1]}'`, (m) => m.i >= 20 && m.i % 2 === 0],
    ['creation_timestamp > 1010000', (m) => m.created > 1_010_000],
    ['creation_timestamp >= 1010000', (m) => m.created >= 1_010_000],
    ['attributes.creation_timestamp <= 1002000', (m) => m.created <= 1_002_000],
    ['creation_timestamp = 1005000', (m) => m.created === 1_005_000],
    ['creation_timestamp != 1005000', (m) => m.created !== 1_005_000],
    ["params.lr = '0.01'", (m) => m.params.lr === '0.01'],
    ["params.lr != '0.01'", (m) => m.params.lr !== '0.01'],
    ["param.depth IN ('0', '4')", (m) => ['0', '4'].includes(m.params.depth ?? '')],
    ['params.depth IS NULL', (m) => m.params.depth === undefined],
    ["tags.team = 'red'", (m) => m.tags.team === 'red'],
    ["tags.team LIKE 'b%'", (m) => m.tags.team === 'blue'],
    ["tag.note ILIKE 'ROUND 1%'", (m) => m.tags.note !== undefined && m.i >= 10 && m.i < 20],
    ['tags.note IS NOT NULL', (m) => m.tags.note !== undefined],
    ['metrics.acc < 0.1', (m) => compareMetric(latest(m, 'acc'), '<', 0.1)],
    ['metrics.acc > 0.2', (m) => compareMetric(latest(m, 'acc'), '>', 0.2)],
    ['metrics.acc = 0.07', (m) => compareMetric(latest(m, 'acc'), '=', 0.07)],
    ['metrics.acc != 0.07', (m) => compareMetric(latest(m, 'acc'), '!=', 0.07)],
    ['metric.loss = 2', (m) => compareMetric(latest(m, 'loss'), '=', 2)],
    ['metrics.loss >= 3', (m) => compareMetric(latest(m, 'loss'), '>=', 3)],
    ['metrics.loss > 5', () => false],
    ["metrics.acc > 0.1 AND params.lr = '0.1' AND tags.team = 'blue'", (m) => compareMetric(latest(m, 'acc'), '>', 0.1) && m.params.lr === '0.1' && m.tags.team === 'blue'],
    [
      "name LIKE 'gamma%' and status = 'LOGGED_MODEL_PENDING' and creation_timestamp < 1012000",
      (m) => m.name.startsWith('gamma') && m.status === 'LOGGED_MODEL_PENDING' && m.created < 1_012_000,
    ],
    // Datasets restrict which points a metric clause considers.
    ['metrics.acc < 0.1', (m) => compareMetric(latest(m, 'acc', [{ dataset_name: 'eval' }]), '<', 0.1), [{ dataset_name: 'eval' }]],
    ['metrics.acc < 0.2', (m) => compareMetric(latest(m, 'acc', [{ dataset_name: 'eval', dataset_digest: 'e1' }]), '<', 0.2), [{ dataset_name: 'eval', dataset_digest: 'e1' }]],
    ['metrics.acc != 0.5', (m) => compareMetric(latest(m, 'acc', [{ dataset_name: 'eval', dataset_digest: 'e1' }]), '!=', 0.5), [{ dataset_name: 'eval', dataset_digest: 'e1' }]],
    ['metrics.acc > 0', (m) => compareMetric(latest(m, 'acc', [{ dataset_name: 'test' }]), '>', 0), [{ dataset_name: 'test' }]],
    ['metrics.acc >= 0.3', (m) => compareMetric(latest(m, 'acc', [{ dataset_name: 'test' }, { dataset_name: 'eval', dataset_digest: 'e2' }]), '>=', 0.3), [{ dataset_name: 'test' }, { dataset_name: 'eval', dataset_digest: 'e2' }]],
    ['metrics.acc > 0', () => false, [{ dataset_name: 'nowhere' }]],
    // Without a metric clause, datasets still narrow to models with a metric logged on one of them (MLflow).
    ["tags.team = 'red'", () => false, [{ dataset_name: 'nowhere' }]],
    ["tags.team = 'red'", (m) => m.tags.team === 'red' && m.points.some((p) => p.dataset_name === 'test'), [{ dataset_name: 'test' }]],
  ];

  it('filters on attributes, params, tags and metrics (their latest point), alone and combined', async () => {
    expect(cases.length).toBeGreaterThan(40);
    for (const [filterOf, keep, datasets] of cases) {
      const filter = typeof filterOf === 'string' ? filterOf : filterOf(model, runIds);
      const want = expected(keep);
      const got = labels(await search({ filter, ...(datasets ? { datasets } : {}) }));
      expect(got, `${filter} ${JSON.stringify(datasets ?? [])}`).toEqual(want);
    }
    // `datasets` alone narrows to models with a metric logged against one of them, as in MLflow.
    for (const datasets of [[{ dataset_name: 'test' }], [{ dataset_name: 'eval', dataset_digest: 'e1' }]]) {
      const want = expected((m) => m.points.some((p) => matches(p, datasets)));
      expect(want.length).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(COUNT);
      expect(labels(await search({ datasets })), JSON.stringify(datasets)).toEqual(want);
    }
    // The seed makes "latest" matter: the first point and the last disagree for most models.
    expect(expected((m) => compareMetric(latest(m, 'acc'), '<', 0.1)).length).toBeGreaterThan(0);
    expect(expected((m) => compareMetric(latest(m, 'acc'), '!=', 0.07) && Number.isNaN(latest(m, 'acc')!))).not.toEqual([]);
  });

  it('searches one experiment only when asked, and answers {} when nothing matches', async () => {
    expect(labels(await search({ experiment_ids: [exps[1]] }))).toEqual(expected((m) => m.exp === exps[1]));
    expect(await search({ filter: "name = 'nope'" })).toEqual({});
    expect(await search({ filter: "name LIKE 'deleted%'" })).toEqual({});
    const empty = await createExperiment(server, 'empty');
    expect(await search({ experiment_ids: [empty] })).toEqual({});
  });

  it('never lists deleted models, whatever the filter or order', async () => {
    const all = await search({ order_by: [{ field_name: 'metrics.loss', ascending: false }] });
    expect(all.models).toHaveLength(COUNT);
    expect(labels(all)).not.toContain('unknown');
    expect(labels(await search({ filter: 'metrics.loss = 0 AND tags.team = \'blue\'' }))).toEqual(expected((m) => latest(m, 'loss') === 0 && m.tags.team === 'blue'));
  });

  const orders: Array<[SearchLoggedModelsRequest['order_by'], (a: Seeded, b: Seeded) => number]> = [
    [[], () => 0],
    [[{ field_name: 'name' }], byName(true)],
    [[{ field_name: 'name', ascending: true }], byName(true)],
    [[{ field_name: 'attributes.name', ascending: false }], byName(false)],
    [[{ field_name: 'creation_timestamp', ascending: true }], (a, b) => a.created - b.created],
    [[{ field_name: 'creation_timestamp', ascending: false }], (a, b) => b.created - a.created],
    [[{ field_name: 'metrics.acc', ascending: true }], byMetric('acc', true)],
    [[{ field_name: 'metrics.acc', ascending: false }], byMetric('acc', false)],
    [[{ field_name: 'metrics.acc', ascending: false, dataset_name: 'eval', dataset_digest: 'e1' }], byMetric('acc', false, [{ dataset_name: 'eval', dataset_digest: 'e1' }])],
    [[{ field_name: 'metrics.acc', ascending: true, dataset_name: 'test' }], byMetric('acc', true, [{ dataset_name: 'test' }])],
    [[{ field_name: 'metrics.loss', ascending: true }, { field_name: 'name', ascending: false }], (a, b) => byMetric('loss', true)(a, b) || byName(false)(a, b)],
    [
      [{ field_name: 'status', ascending: true }, { field_name: 'metrics.acc', ascending: false }],
      (a, b) => (a.status < b.status ? -1 : a.status > b.status ? 1 : 0) || byMetric('acc', false)(a, b),
    ],
    [[{ field_name: 'metrics.nothing', ascending: false }], () => 0],
    // Models without a source run last, whichever the direction (as in MLflow), on both stores.
    [[{ field_name: 'source_run_id', ascending: true }], bySourceRun(true)],
    [[{ field_name: 'source_run_id', ascending: false }], bySourceRun(false)],
  ];

  function bySourceRun(ascending: boolean) {
    return (a: Seeded, b: Seeded) => {
      if (a.sourceRunId === undefined || b.sourceRunId === undefined) return Number(a.sourceRunId === undefined) - Number(b.sourceRunId === undefined);
      const c = a.sourceRunId < b.sourceRunId ? -1 : a.sourceRunId > b.sourceRunId ? 1 : 0;
      return ascending ? c : -c;
    };
  }

  it('orders by attributes and by metrics (models without the metric, or with NaN, last), by several fields', async () => {
    for (const [orderBy, order] of orders) {
      expect.soft(labels(await search({ order_by: orderBy })), JSON.stringify(orderBy)).toEqual(expected(() => true, order));
    }
    // Missing and NaN last in both directions: the last models are the same set either way.
    const tail = (list: string[]) => list.slice(-expected((m) => !compareMetric(latest(m, 'acc'), '>=', -1)).length).sort();
    expect(tail(labels(await search({ order_by: [{ field_name: 'metrics.acc', ascending: true }] })))).toEqual(
      tail(labels(await search({ order_by: [{ field_name: 'metrics.acc', ascending: false }] }))),
    );
  });

  it('pages with next_page_token: every model once, no overlap, in the order of one big page', async () => {
    const plans: Array<Partial<SearchLoggedModelsRequest>> = [
      {},
      { order_by: [{ field_name: 'metrics.loss', ascending: true }] },
      { order_by: [{ field_name: 'metrics.acc', ascending: false }] },
      { order_by: [{ field_name: 'name', ascending: false }], filter: "tags.team = 'blue'" },
    ];
    for (const plan of plans) {
      const whole = labels(await search(plan));
      const pages: string[][] = [];
      let token: string | undefined;
      do {
        const page = await search({ ...plan, max_results: 7, ...(token ? { page_token: token } : {}) });
        pages.push(labels(page));
        token = page.next_page_token;
        expect(pages.length).toBeLessThan(10);
      } while (token);
      expect(pages.flat(), JSON.stringify(plan)).toEqual(whole);
      expect(new Set(pages.flat()).size).toBe(whole.length);
      expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    }
    // An exact multiple: the last full page says there is no more.
    const blue = expected((m) => m.tags.team === 'blue').length;
    const first = await search({ filter: "tags.team = 'blue'", max_results: blue });
    expect(first.models).toHaveLength(blue);
    expect(first.next_page_token).toBeUndefined();
    // The default page is 100.
    const unbounded = await server.post(`${ML}/logged-models/search`, { experiment_ids: exps });
    expect(unbounded.body.models).toHaveLength(COUNT);
  });

  it('answers a bad search with 400 INVALID_PARAMETER_VALUE naming the problem', async () => {
    const bad: Array<[Record<string, unknown>, string | RegExp]> = [
      [{ filter: 'name = ' }, 'Invalid filter'],
      [{ filter: "name = 'a' OR name = 'b'" }, 'OR'],
      [{ filter: "bogus = 'x'" }, 'bogus'],
      [{ filter: "attributes.colour = 'x'" }, 'colour'],
      [{ filter: "datasets.name = 'eval'" }, 'datasets'],
      [{ filter: "metrics.acc > 'high'" }, 'acc'],
      [{ order_by: [{ field_name: 'params.lr' }] }, 'params.lr'],
      [{ order_by: [{ field_name: 'colour' }] }, 'colour'],
      [{ order_by: [{ field_name: '' }] }, 'order_by'],
      [{ max_results: 0 }, 'max_results'],
      [{ max_results: 1001 }, 'max_results'],
      [{ max_results: -5 }, 'max_results'],
      [{ page_token: 'not a token!' }, 'page token'],
      [{ page_token: Buffer.from('-7').toString('base64') }, 'page token'],
      [{ page_token: Buffer.from('seven').toString('base64') }, 'page token'],
      [{ page_token: '%%%' }, 'page token'],
      [{ order_by: [{ field_name: 'metrics.acc', dataset_digest: 'e1' }] }, 'dataset_digest'],
      [{ experiment_ids: undefined }, 'experiment_ids'],
      [{ experiment_ids: [] }, 'experiment_ids'],
      [{ experiment_ids: ['zero'] }, 'experiment_ids'],
      [{ experiment_ids: [exps[0], 'zero'] }, 'zero'],
    ];
    for (const [body, problem] of bad) {
      const res = await server.post(`${ML}/logged-models/search`, { experiment_ids: exps, ...body });
      expect(res.status, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(res.body.message, JSON.stringify(body)).toMatch(problem);
    }
  });
});

describe.each(backends())('the datasets of many runs on %s', (backend) => {
  let server: TestServer;
  let exp: string;
  const RUNS = 300;
  const pool = Array.from({ length: 10 }, (_, k) => ({ name: `ds-${k}`, digest: `dg${k}`, source_type: 'local', source: `{"uri": "file:///data/${k}"}` }));
  const contexts = ['training', 'eval', 'test'];
  /** Per run, the datasets it logged, in the order logged, with their context. */
  const logged = new Map<string, Array<{ k: number; context: string }>>();

  beforeAll(async () => {
    server = await testServer(backend);
    exp = await createExperiment(server, 'many-runs');
    for (let start = 0; start < RUNS; start += 50) {
      const created = await Promise.all(
        Array.from({ length: Math.min(50, RUNS - start) }, (_, j) => server.post(`${ML}/runs/create`, { experiment_id: exp, run_name: `run-${start + j}`, start_time: 1000 + start + j })),
      );
      const ids = created.map((res) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.run.info.run_id as string;
      });
      const answers = await Promise.all(
        ids.map((runId, j) => {
          const r = start + j;
          const picks = [r % 10, (r * 3 + 1) % 10, (r * 7 + 2) % 10].filter((k, n, all) => all.indexOf(k) === n).slice(0, 2 + (r % 2));
          const inputs = picks.map((k) => ({ k, context: contexts[(r + k) % 3]! }));
          logged.set(runId, inputs);
          return server.post(`${ML}/runs/log-inputs`, {
            run_id: runId,
            datasets: inputs.map(({ k, context }) => ({ tags: [{ key: 'mlflow.data.context', value: context }], dataset: pool[k] })),
          });
        }),
      );
      for (const res of answers) expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('stores each dataset of the pool once', async () => {
    const rows = await server.db.kysely.selectFrom('datasets').select(['name', 'digest']).execute();
    expect(rows.map((r) => `${r.name}/${r.digest}`).sort()).toEqual(pool.map((d) => `${d.name}/${d.digest}`).sort());
    const links = await server.db.kysely.selectFrom('run_inputs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(links.n)).toBe([...logged.values()].reduce((n, inputs) => n + inputs.length, 0));
  });

  it('returns each run its own inputs in one runs/search page of 300', async () => {
    const res = await server.post(`${ML}/runs/search`, { experiment_ids: [exp], max_results: RUNS });
    expect(res.status).toBe(200);
    expect(res.body.runs).toHaveLength(RUNS);
    expect(res.body.next_page_token).toBeUndefined();
    for (const run of res.body.runs) {
      const inputs = logged.get(run.info.run_id)!;
      expect(run.inputs, run.info.run_name).toEqual({
        dataset_inputs: inputs.map(({ k, context }) => ({ tags: [{ key: 'mlflow.data.context', value: context }], dataset: pool[k] })),
      });
    }
  });

  it("finds exactly the runs that logged a dataset: datasets.name = 'ds-3'", async () => {
    const want = [...logged].filter(([, inputs]) => inputs.some((d) => d.k === 3)).map(([id]) => id);
    expect(want.length).toBeGreaterThan(30);
    const res = await server.post(`${ML}/runs/search`, { experiment_ids: [exp], max_results: RUNS, filter: "datasets.name = 'ds-3'" });
    expect(res.status).toBe(200);
    expect(res.body.runs.map((r: { info: { run_id: string } }) => r.info.run_id).sort()).toEqual(want.sort());
    const eval3 = [...logged].filter(([, inputs]) => inputs.some((d) => d.k === 3 && d.context === 'eval')).map(([id]) => id);
    const both = await server.post(`${ML}/runs/search`, { experiment_ids: [exp], max_results: RUNS, filter: "datasets.name = 'ds-3' AND datasets.context = 'eval'" });
    // Two dataset clauses may be met by two different inputs of the run (as MLflow does), so this is a superset.
    const found = new Set(both.body.runs.map((r: { info: { run_id: string } }) => r.info.run_id));
    for (const id of eval3) expect(found.has(id)).toBe(true);
  });

  it("gives each studio row the run's datasets, in the order logged, with their context", async () => {
    const res = await server.post('/api/studio/runs/search', { experimentIds: [exp], pageSize: RUNS });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.runs).toHaveLength(RUNS);
    for (const row of res.body.runs) {
      const inputs = logged.get(row.runId)!;
      expect(row.datasets, row.runName).toEqual(inputs.map(({ k, context }) => ({ name: pool[k]!.name, digest: pool[k]!.digest, context })));
      expect(row.models).toEqual([]);
    }
  });
});
