import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment, createRun } from '../../test-support/seed.js';

/** One dataset input as runs/log-inputs takes it; `context` becomes the `mlflow.data.context` input tag. */
const input = (name: string, digest: string, context?: string) => ({
  tags: context === undefined ? [] : [{ key: 'mlflow.data.context', value: context }],
  dataset: { name, digest, source_type: 'local', source: `{"uri": "file:///data/${name}"}` },
});

describe.each(backends())('run search by dataset (datasets.name, .digest, .context) on %s', (backend) => {
  let server: TestServer;
  let experimentIds: string[];

  beforeAll(async () => {
    server = await testServer(backend);
    const exp = await createExperiment(server, 'dataset-filter');
    const other = await createExperiment(server, 'dataset-filter-other');
    experimentIds = [exp, other];
    const seed = async (experimentId: string, name: string, inputs: ReturnType<typeof input>[], loss?: number) => {
      const runId = await createRun(server, experimentId, { name, ...(loss === undefined ? {} : { metrics: { loss } }) });
      if (inputs.length > 0) {
        const res = await server.post(`${ML}/runs/log-inputs`, { run_id: runId, datasets: inputs });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
    };
    await seed(exp, 'no-inputs', [], 0.9);
    await seed(exp, 'train-only', [input('train', 'aaa111', 'training')], 0.2);
    await seed(exp, 'train-and-eval', [input('train', 'aaa111', 'training'), input('eval-set', 'bbb222', 'eval')], 0.5);
    await seed(exp, 'upper-train', [input('Train', 'ccc333')], 0.1);
    await seed(exp, 'eval-only', [input('eval-set', 'bbb222', 'eval')]);
    await seed(other, 'other-experiment', [input('train', 'ddd444', 'training')]);
  });
  afterAll(async () => {
    await server.close();
  });

  const mlflowSearch = (filter: string) => server.post(`${ML}/runs/search`, { experiment_ids: experimentIds, filter });
  const studioSearch = (filter: string) => server.post('/api/studio/runs/search', { experimentIds, filter });

  async function mlflowNames(filter: string): Promise<string[]> {
    const res = await mlflowSearch(filter);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ((res.body.runs ?? []) as Array<{ info: { run_name: string } }>).map((r) => r.info.run_name).sort();
  }

  async function studioNames(filter: string): Promise<string[]> {
    const res = await studioSearch(filter);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total).toBe(res.body.runs.length);
    return (res.body.runs as Array<{ runName: string }>).map((r) => r.runName).sort();
  }

  it.each([
    ["datasets.name = 'train'", ['other-experiment', 'train-and-eval', 'train-only']],
    ["dataset.name = 'eval-set'", ['eval-only', 'train-and-eval']],
    ["datasets.name IN ('eval-set', 'Train')", ['eval-only', 'train-and-eval', 'upper-train']],
    // LIKE is case-sensitive on both stores, ILIKE is not, as in MLflow.
    ["datasets.name LIKE 'tr%'", ['other-experiment', 'train-and-eval', 'train-only']],
    ["datasets.name ILIKE 'TR%'", ['other-experiment', 'train-and-eval', 'train-only', 'upper-train']],
    ["datasets.digest = 'aaa111'", ['train-and-eval', 'train-only']],
    ["datasets.digest LIKE 'bbb%'", ['eval-only', 'train-and-eval']],
    ["datasets.context = 'training'", ['other-experiment', 'train-and-eval', 'train-only']],
    ["datasets.context IN ('eval')", ['eval-only', 'train-and-eval']],
    ["datasets.context ILIKE 'EV%'", ['eval-only', 'train-and-eval']],
    ["datasets.name = 'nothing'", []],
    // Combined with other clauses; each dataset clause may match a different input of the run.
    ["datasets.name = 'train' and metrics.loss < 0.4", ['train-only']],
    ["datasets.name = 'train' AND datasets.context = 'eval'", ['train-and-eval']],
    ["datasets.name = 'train' AND attributes.run_name != 'train-only'", ['other-experiment', 'train-and-eval']],
    // MLflow's inner-join meaning: "has a dataset input whose … is not …". Runs without inputs
    // (or, for context, without the input tag) match no dataset clause.
    ["datasets.name != 'train'", ['eval-only', 'train-and-eval', 'upper-train']],
    ["datasets.name NOT IN ('train', 'eval-set')", ['upper-train']],
    ["datasets.context != 'training'", ['eval-only', 'train-and-eval']],
  ])('%s finds the same runs through runs/search and the studio search', async (filter, expected) => {
    expect(await mlflowNames(filter)).toEqual(expected);
    expect(await studioNames(filter)).toEqual(expected);
  });

  it('keeps its meaning past the clauses PostgreSQL plans as joins', async () => {
    const filter = [...Array.from({ length: 7 }, () => "datasets.name = 'train'"), "datasets.context = 'eval'", 'metrics.loss >= 0.5'].join(' AND ');
    expect(await mlflowNames(filter)).toEqual(['train-and-eval']);
    expect(await studioNames(filter)).toEqual(['train-and-eval']);
  });

  it('reads the dataset of a run that runs/search returns', async () => {
    const res = await mlflowSearch("datasets.digest = 'ccc333'");
    expect(res.body.runs).toHaveLength(1);
    // An input without tags has none in MLflow's JSON (an empty repeated field is omitted).
    expect(res.body.runs[0].inputs.dataset_inputs).toEqual([{ dataset: input('Train', 'ccc333').dataset }]);
  });

  it.each([
    ["datasets.size = 'x'", ["'size'", 'name, digest, context']],
    ["datasets.name IS NULL", ["invalid comparator 'IS NULL'", "dataset 'name'"]],
    ["datasets.name < 'x'", ["invalid comparator '<'"]],
    ['datasets.digest = 5', ['quoted string']],
    ["datasets = 'x'", ["invalid attribute key 'datasets'"]],
  ])('rejects %s with 400 naming the problem on both searches', async (filter, fragments) => {
    for (const res of [await mlflowSearch(filter), await studioSearch(filter)]) {
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      for (const fragment of fragments) expect(res.body.message).toContain(fragment);
    }
  });

  it('does not order by a dataset, nor filter experiments by one', async () => {
    const ordered = await server.post(`${ML}/runs/search`, { experiment_ids: experimentIds, order_by: ['datasets.name'] });
    expect(ordered.status).toBe(400);
    expect(ordered.body.message).toContain('not ordered by datasets');
    const experiments = await server.post(`${ML}/experiments/search`, { filter: "datasets.name = 'train'" });
    expect(experiments.status).toBe(400);
    expect(experiments.body.message).toContain("'datasets' cannot be used here");
  });
});
