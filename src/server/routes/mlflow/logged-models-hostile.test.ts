import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment, createRun } from '../../test-support/seed.js';

/** An attacker's pass over MLflow 3's logged-model endpoints: every bad input is a 4xx naming its field or limit. */

const kv = (n: number, value: (i: number) => string = String, key: (i: number) => string = (i) => `k${i}`) =>
  Array.from({ length: n }, (_, i) => ({ key: key(i), value: value(i) }));

describe.each(backends())('logged models under attack on %s', (backend) => {
  let server: TestServer;
  let exp: string;
  let runId: string;

  beforeAll(async () => {
    server = await testServer(backend);
    exp = await createExperiment(server, 'hostile');
    runId = await createRun(server, exp);
  });
  afterAll(async () => {
    await server.close();
  });

  async function send(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
    const res = await server.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
    let body: Record<string, any> | undefined;
    try {
      body = res.body === '' ? undefined : res.json<Record<string, any>>();
    } catch {
      body = { raw: res.body };
    }
    return { status: res.statusCode, body };
  }
  async function create(body: Record<string, unknown> = {}): Promise<string> {
    const res = await server.post(`${ML}/logged-models`, { experiment_id: exp, ...body });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    return res.body.model.info.model_id;
  }
  /** A refusal: a 4xx whose message names what was wrong. */
  function expectRefused(res: { status: number; body?: Record<string, any> | undefined }, names: string | RegExp, what: string) {
    expect(res.status, `${what}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(res.status, `${what}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
    expect(res.body?.message, what).toMatch(names);
  }
  const modelCount = async () =>
    Number((await server.db.kysely.selectFrom('logged_models').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('refuses 1,001 params or tags (on create, set-tags and log-params), and 1,001 models in runs/outputs or log-inputs, naming the limit', async () => {
    const before = await modelCount();
    const id = await create();
    const cases: Array<[string, 'POST' | 'PATCH', string, Record<string, unknown>, RegExp]> = [
      ['create params', 'POST', `${ML}/logged-models`, { experiment_id: exp, params: kv(1001) }, /'params'.*at most 1000/],
      ['create tags', 'POST', `${ML}/logged-models`, { experiment_id: exp, tags: kv(1001) }, /'tags'.*at most 1000/],
      ['set tags', 'PATCH', `${ML}/logged-models/${id}/tags`, { tags: kv(1001) }, /'tags'.*at most 1000/],
      ['log params', 'POST', `${ML}/logged-models/${id}/params`, { params: kv(1001) }, /'params'.*at most 1000/],
      ['runs/outputs', 'POST', `${ML}/runs/outputs`, { run_id: runId, models: Array.from({ length: 1001 }, () => ({ model_id: id })) }, /'models'.*at most 1000/],
      ['log-inputs', 'POST', `${ML}/runs/log-inputs`, { run_id: runId, models: Array.from({ length: 1001 }, () => ({ model_id: id })) }, /'models'.*at most 1000/],
    ];
    for (const [what, method, url, body, names] of cases) expectRefused(await send(method, url, body), names, what);
    // 1,000 is allowed, in one request.
    const full = await send('PATCH', `${ML}/logged-models/${id}/tags`, { tags: kv(1000) });
    expect(full.status).toBe(200);
    const got = await server.get(`${ML}/logged-models/${id}`);
    expect(got.body.model.info.tags).toHaveLength(1000);
    expect(await modelCount()).toBe(before + 1);
    expect(got.body.model.data).toEqual({});
  });

  it('refuses values past their limits, naming the field and the limit', async () => {
    const id = await create();
    const long = (n: number) => 'x'.repeat(n);
    const cases: Array<[string, 'POST' | 'PATCH', string, Record<string, unknown>, RegExp]> = [
      ['tag value', 'PATCH', `${ML}/logged-models/${id}/tags`, { tags: [{ key: 'k', value: long(8001) }] }, /tags\[0\]\.value.*8000/],
      ['tag value on create', 'POST', `${ML}/logged-models`, { experiment_id: exp, tags: [{ key: 'k', value: long(100_000) }] }, /tags\[0\]\.value.*8000/],
      ['param value', 'POST', `${ML}/logged-models/${id}/params`, { params: [{ key: 'k', value: long(6001) }] }, /params\[0\]\.value.*6000/],
      ['tag key', 'PATCH', `${ML}/logged-models/${id}/tags`, { tags: [{ key: long(251), value: 'v' }] }, /tags\[0\]\.key.*250/],
      ['empty tag key', 'PATCH', `${ML}/logged-models/${id}/tags`, { tags: [{ key: '', value: 'v' }] }, /tags\[0\]\.key/],
      ['name', 'POST', `${ML}/logged-models`, { experiment_id: exp, name: long(501) }, /'name'.*500/],
      ['model_type', 'POST', `${ML}/logged-models`, { experiment_id: exp, model_type: long(501) }, /'model_type'.*500/],
      ['source_run_id', 'POST', `${ML}/logged-models`, { experiment_id: exp, source_run_id: long(65) }, /source_run_id/],
      ['tag key path', 'PATCH', `${ML}/logged-models/${id}/tags`, { tags: [{ key: '../../etc', value: 'v' }] }, /\.\.\/\.\.\/etc/],
      ['param key path', 'POST', `${ML}/logged-models/${id}/params`, { params: [{ key: '/abs', value: 'v' }] }, /\/abs/],
      ['runs/outputs model id', 'POST', `${ML}/runs/outputs`, { run_id: runId, models: [{ model_id: long(65) }] }, /model_id/],
      ['metric model id', 'POST', `${ML}/runs/log-batch`, { run_id: runId, metrics: [{ key: 'm', value: 1, timestamp: 1, model_id: long(65) }] }, /model_id/],
      ['metric dataset', 'POST', `${ML}/runs/log-batch`, { run_id: runId, metrics: [{ key: 'm', value: 1, timestamp: 1, dataset_digest: long(37) }] }, /dataset_digest/],
      ['status', 'PATCH', `${ML}/logged-models/${id}`, { status: 'READY; DROP TABLE logged_models' }, /status/],
    ];
    for (const [what, method, url, body, names] of cases) expectRefused(await send(method, url, body), names, what);
    // At the limits, accepted.
    expect((await send('PATCH', `${ML}/logged-models/${id}/tags`, { tags: [{ key: long(250), value: long(8000) }] })).status).toBe(200);
    expect((await send('POST', `${ML}/logged-models/${id}/params`, { params: [{ key: 'p', value: long(6000) }] })).status).toBe(200);
    // 1,000 tags of 8,000 characters (8 MB) are within every limit; a body past the server's 16 MiB is a 413.
    const big = await send('POST', `${ML}/logged-models`, { experiment_id: exp, tags: kv(1000, () => long(8000)) });
    expect(big.status).toBe(200);
    expect(big.body!.model.info.tags).toHaveLength(1000);
    const huge = await send('POST', `${ML}/logged-models`, { experiment_id: exp, tags: kv(1000, () => long(17_000)) });
    expect(huge.status, JSON.stringify(huge.body).slice(0, 200)).toBe(413);
  });

  it("refuses model names that cannot be part of a models:/ URI: '/', '..', '%', ':', quotes, blank", async () => {
    const before = await modelCount();
    for (const name of ['a/b', '../../x', '..', 'ten%', "o'brien", 'say "hi"', 'models:/x', '   ', 'a.b']) {
      expectRefused(await server.post(`${ML}/logged-models`, { experiment_id: exp, name }), /'name'/, JSON.stringify(name));
    }
    expect(await modelCount()).toBe(before);
    // Other punctuation is fine and comes back as sent.
    const id = await create({ name: 'model_v2-final (copy) #3 ünï 模型' });
    expect((await server.get(`${ML}/logged-models/${id}`)).body.model.info.name).toBe('model_v2-final (copy) #3 ünï 模型');
  });

  it('bounds a search: a 10,000-character filter passes, one more is a 400; 200 clauses pass, 201 are a 400', async () => {
    const exactly = `name = '${'a'.repeat(10_000 - 9)}'`;
    expect(exactly).toHaveLength(10_000);
    expect(await server.post(`${ML}/logged-models/search`, { experiment_ids: [exp], filter: exactly })).toEqual({ status: 200, body: {} });
    expectRefused(await server.post(`${ML}/logged-models/search`, { experiment_ids: [exp], filter: `${exactly} ` }), /10,001 characters; the limit is 10,000/, 'filter length');

    const clauses = (n: number) => Array.from({ length: n }, (_, i) => `tags.k${i} != 'x'`).join(' AND ');
    expect((await server.post(`${ML}/logged-models/search`, { experiment_ids: [exp], filter: clauses(200) })).status).toBe(200);
    expectRefused(await server.post(`${ML}/logged-models/search`, { experiment_ids: [exp], filter: clauses(201) }), /200 clauses/, '201 clauses');
    // An IN list as long as the length allows.
    const list = Array.from({ length: 1500 }, (_, i) => `'${i}'`).join(',');
    expect(list.length).toBeGreaterThan(8500);
    expect((await server.post(`${ML}/logged-models/search`, { experiment_ids: [exp], filter: `name IN (${list})` })).status).toBe(200);

    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ order_by: Array.from({ length: 11 }, () => ({ field_name: 'name' })) }, /at most 10 order_by/],
      [{ order_by: [{ field_name: 'x'.repeat(1001) }] }, /field_name/],
      [{ order_by: [{ field_name: 'name; DROP TABLE logged_models' }] }, /order_by/],
      [{ datasets: Array.from({ length: 101 }, () => ({ dataset_name: 'd' })) }, /at most 100 datasets/],
      [{ datasets: [{ dataset_name: 'd', dataset_digest: 'x'.repeat(37) }] }, /dataset_digest/],
      [{ page_token: 'x'.repeat(1001) }, /page_token/],
      [{ page_token: Buffer.from('1e308').toString('base64') }, /page token/],
      [{ max_results: 'lots' }, /max_results/],
      [{ max_results: 1e20 }, /max_results/],
      [{ experiment_ids: ['1 OR 1=1'] }, /experiment_ids/],
      [{ experiment_ids: Array.from({ length: 1001 }, () => exp) }, /experiment_ids.*1,000/],
    ];
    for (const [body, names] of bad) expectRefused(await server.post(`${ML}/logged-models/search`, { experiment_ids: [exp], ...body }), names, JSON.stringify(body).slice(0, 100));
    // A page far past the end is an empty answer, not an error.
    expect(await server.post(`${ML}/logged-models/search`, { experiment_ids: [exp], page_token: Buffer.from('9007199254740000').toString('base64') })).toEqual({ status: 200, body: {} });
  });

  it('stores SQL-looking values as sent and matches them literally', async () => {
    const evil = "x' OR '1'='1";
    const drop = "'); DROP TABLE logged_models; --";
    const a = await create({ name: 'injected-a', tags: [{ key: 'evil', value: evil }], params: [{ key: 'p', value: '100%_x' }] });
    const b = await create({ name: 'injected-b', tags: [{ key: 'evil', value: drop }], params: [{ key: 'p', value: '1000' }] });
    const c = await create({ name: 'injected-c', tags: [{ key: 'evil', value: 'x' }], params: [{ key: 'p', value: '100\\' }] });
    const search = async (filter: string, order?: string) => {
      const res = await server.post(`${ML}/logged-models/search`, {
        experiment_ids: [exp],
        filter: `name LIKE 'injected-%' AND ${filter}`,
        ...(order ? { order_by: [{ field_name: order }] } : {}),
      });
      expect(res.status, `${filter}: ${JSON.stringify(res.body)}`).toBe(200);
      return (res.body.models ?? []).map((m: { info: { model_id: string } }) => m.info.model_id).sort();
    };
    const refusedSearch = (filter: string) => server.post(`${ML}/logged-models/search`, { experiment_ids: [exp], filter });
    expect(await search(`tags.evil = "${evil}"`)).toEqual([a]);
    expect(await search(`tags.evil = "${drop}"`)).toEqual([b]);
    expect(await search(`tags.evil = 'x'`)).toEqual([c]);
    // A doubled quote is a quote inside the string: this is a's value, written the SQL way.
    expect(await search(`tags.evil = 'x'' OR ''1''=''1'`)).toEqual([a]);
    expectRefused(await refusedSearch(`tags.evil = 'x' OR '1'='1'`), /OR is not supported/, 'OR');
    expect(await search("params.p = '100%_x'")).toEqual([a]);
    expect(await search("params.p LIKE '100%'")).toEqual([a, b, c].sort());
    // A backslash escapes a quote in a filter string: the value 100\ is written '100\\'.
    expect(await search("params.p = '100\\\\'")).toEqual([c]);
    expect(await search("model_id = 'm-1'' OR 1=1 --'")).toEqual([]);
    expectRefused(await refusedSearch(`model_id IN ('${a}', '${b}'); DELETE FROM logged_models; --')`), /Invalid filter/, 'trailing statement');
    // A metric key is a value, not SQL, in a filter and in an order.
    expect(await search('metrics.`acc; DROP TABLE logged_models` > 0')).toEqual([]);
    expect(await search('tags.evil IS NOT NULL', 'metrics.`x) OR 1=1; --`')).toEqual([a, b, c].sort());
    const tags = (await server.get(`${ML}/logged-models/${b}`)).body.model.info.tags;
    expect(tags).toEqual([{ key: 'evil', value: drop }]);
    expect(await modelCount()).toBeGreaterThanOrEqual(3);
  });

  it('keeps a consistent model under 20 concurrent finalizes and tag updates', async () => {
    const id = await create({ tags: [{ key: 'stage', value: 'start' }] });
    const requests = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? send('PATCH', `${ML}/logged-models/${id}`, { status: i % 4 === 0 ? 'LOGGED_MODEL_READY' : 'LOGGED_MODEL_UPLOAD_FAILED' })
        : send('PATCH', `${ML}/logged-models/${id}/tags`, { tags: [{ key: 'stage', value: `v${i}` }, { key: `own${i}`, value: String(i) }] }),
    );
    const probe = server.get(`${ML}/experiments/get?experiment_id=${exp}`);
    const answers = await Promise.all(requests);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect((await probe).status).toBe(200);
    const model = (await server.get(`${ML}/logged-models/${id}`)).body.model;
    expect(['LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED']).toContain(model.info.status);
    const tags = new Map(model.info.tags.map((t: { key: string; value: string }) => [t.key, t.value]));
    expect(tags.size).toBe(11);
    expect(Array.from({ length: 10 }, (_, j) => `v${2 * j + 1}`)).toContain(tags.get('stage'));
    for (let i = 1; i < 20; i += 2) expect(tags.get(`own${i}`)).toBe(String(i));
    // Each finalize answered the model as it stood after its own change.
    for (const a of answers.filter((_, i) => i % 2 === 0)) expect(['LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED']).toContain(a.body!.model.info.status);
  });

  it('lets one of 20 concurrent writers of a param win; the others are 400 and the value is the winner’s', async () => {
    const id = await create();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => send('POST', `${ML}/logged-models/${id}/params`, { params: [{ key: 'seed', value: String(i) }] })));
    const winners = answers.flatMap((a, i) => (a.status === 200 ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const a of answers) if (a.status !== 200) expectRefused(a, /Changing param values is not allowed/, 'param race');
    expect((await server.get(`${ML}/logged-models/${id}`)).body.model.data.params).toEqual([{ key: 'seed', value: String(winners[0]) }]);
  });

  it('creates models and logs outputs for the same run at the same time; retried outputs are idempotent', async () => {
    const target = await createRun(server, exp, { name: 'target' });
    const existing = await Promise.all(Array.from({ length: 10 }, (_, i) => create({ name: `out-${i}` })));
    const storm = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => send('POST', `${ML}/logged-models`, { experiment_id: exp, name: `sourced-${i}`, source_run_id: target })),
      ...existing.map((id, i) => send('POST', `${ML}/runs/outputs`, { run_id: target, models: [{ model_id: id, step: i }, { model_id: existing[0], step: 99 }] })),
      ...Array.from({ length: 5 }, () => send('POST', `${ML}/runs/outputs`, { run_id: target, models: existing.map((id) => ({ model_id: id, step: 7 })) })),
      server.get(`${ML}/runs/get?run_id=${target}`),
    ]);
    for (const [i, a] of storm.entries()) expect(a.status, `#${i}: ${JSON.stringify(a.body).slice(0, 200)}`).toBe(200);
    const outputs = (await server.get(`${ML}/runs/get?run_id=${target}`)).body.run.outputs.model_outputs as Array<{ model_id: string; step: number }>;
    expect(outputs.map((o) => o.model_id).sort()).toEqual([...existing].sort());
    const sourced = (storm.slice(0, 10) as Array<{ body?: Record<string, any> }>).map((a) => a.body!.model.info.model_id as string);
    expect(new Set(sourced).size).toBe(10);

    const row = (await server.post('/api/studio/runs/search', { experimentIds: [exp], filter: "attributes.run_name = 'target'" })).body.runs[0];
    expect(row.models.map((m: { modelId: string }) => m.modelId).sort()).toEqual([...existing, ...sourced].sort());

    // The same request retried, in sequence and at once, changes nothing.
    const retry = { run_id: target, models: [{ model_id: existing[3], step: 1000 }] };
    const again = await Promise.all(Array.from({ length: 5 }, () => server.post(`${ML}/runs/outputs`, retry)));
    expect(again.map((a) => a.status)).toEqual(Array(5).fill(200));
    expect((await server.get(`${ML}/runs/get?run_id=${target}`)).body.run.outputs.model_outputs).toEqual(outputs);
  });

  it('answers a simple GET while a storm of writes and searches runs', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, (_, i) => create({ name: `storm-${i}` })));
    const storm = Array.from({ length: 60 }, (_, i) => {
      const id = ids[i % ids.length]!;
      switch (i % 4) {
        case 0:
          return send('PATCH', `${ML}/logged-models/${id}/tags`, { tags: kv(50, (j) => `${i}-${j}`) });
        case 1:
          return send('POST', `${ML}/logged-models/search`, { experiment_ids: [exp], filter: "tags.k1 LIKE '%1%'", order_by: [{ field_name: 'metrics.acc' }] });
        case 2:
          return send('POST', `${ML}/runs/log-batch`, { run_id: runId, metrics: Array.from({ length: 100 }, (_, j) => ({ key: 'acc', value: j, timestamp: i, step: j, model_id: id })) });
        default:
          return send('PATCH', `${ML}/logged-models/${id}`, { status: 'LOGGED_MODEL_READY' });
      }
    });
    const probe = await server.get(`${ML}/logged-models/${ids[0]}`);
    expect(probe.status).toBe(200);
    const answers = await Promise.all(storm);
    expect(answers.filter((a) => a.status !== 200).map((a) => JSON.stringify(a.body).slice(0, 200))).toEqual([]);
    // ids[2] got the log-batches of i = 2, 22 and 42 (i % 4 = 2, i % 5 = 2): 100 distinct points each.
    const metrics = (await server.get(`${ML}/logged-models/${ids[2]}`)).body.model.data.metrics;
    expect(metrics).toHaveLength(300);
  });

  it('acts on the model of the path, whatever model_id the body names', async () => {
    const a = await create({ name: 'path-model' });
    const b = await create({ name: 'body-model' });
    expect((await send('PATCH', `${ML}/logged-models/${a}`, { model_id: b, status: 'LOGGED_MODEL_READY' })).status).toBe(200);
    expect((await send('PATCH', `${ML}/logged-models/${a}/tags`, { model_id: b, tags: [{ key: 'who', value: 'a' }] })).status).toBe(200);
    const [ma, mb] = await Promise.all([server.get(`${ML}/logged-models/${a}`), server.get(`${ML}/logged-models/${b}`)]);
    expect(ma.body.model.info).toMatchObject({ status: 'LOGGED_MODEL_READY', tags: [{ key: 'who', value: 'a' }] });
    expect(mb.body.model.info.status).toBe('LOGGED_MODEL_PENDING');
    expect(mb.body.model.info).not.toHaveProperty('tags');
    // Ids and keys of absurd length in the path are refused, not looked up.
    for (const url of [`${ML}/logged-models/${'m'.repeat(5000)}`, `${ML}/logged-models/${a}/tags/${'k'.repeat(300)}`]) {
      const res = await send(url.includes('/tags/') ? 'DELETE' : 'GET', url);
      expect(res.status, JSON.stringify(res.body).slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('names the field when a path param is too long to be an id', async () => {
    const res = await send('GET', `${ML}/logged-models/${'m'.repeat(80)}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
    expect(res.body!.message).toMatch(/model_id|Logged model/);
  });
});
