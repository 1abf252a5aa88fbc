import { describe, expect, it } from 'vitest';
import { createdId, EARLIER_RUN, expectedAnswer, IdMap, numbersSent, patternBytes, readWire, requestPayload, runDataByKey, withoutEmptyLists, type WireLine } from './replay.js';

const RUN = '3bda4e0fcd594898a94343710c235119';
const MODEL = 'm-8825f98cdaba4b538bfcbeb4945f4645';
const OUR_RUN = 'a'.repeat(32);
const OUR_MODEL = `m-${'b'.repeat(32)}`;

function ids(unborn: string[] = []) {
  const map = new IdMap('12', new Set(unborn));
  map.learn(RUN, OUR_RUN);
  map.learn(MODEL, OUR_MODEL);
  return map;
}

describe('wire replay id mapping', () => {
  it('maps run and model ids anywhere, and the experiment number only where it is one', () => {
    const map = ids();
    expect(map.mapText(`/api/2.0/mlflow-artifacts/artifacts/5/models/${MODEL}/artifacts/MLmodel`)).toBe(`/api/2.0/mlflow-artifacts/artifacts/12/models/${OUR_MODEL}/artifacts/MLmodel`);
    expect(map.mapText(`/api/2.0/mlflow-artifacts/artifacts?path=5%2F${RUN}%2Fartifacts`)).toBe(`/api/2.0/mlflow-artifacts/artifacts?path=12%2F${OUR_RUN}%2Fartifacts`);
    expect(map.mapText(`artifact_path: mlflow-artifacts:/5/models/${MODEL}/artifacts\nrun_id: ${RUN}\n`)).toBe(`artifact_path: mlflow-artifacts:/12/models/${OUR_MODEL}/artifacts\nrun_id: ${OUR_RUN}\n`);
    expect(map.mapText('mlflow-artifacts:/5')).toBe('mlflow-artifacts:/12');
    expect(map.mapText('mlflow-artifacts:/55/x')).toBe('mlflow-artifacts:/55/x');
    expect(map.mapJson({ experiment_id: '5', experiment_ids: ['5'], value: '5', alpha: '0.5', n: 5 })).toEqual({ experiment_id: '12', experiment_ids: ['12'], value: '5', alpha: '0.5', n: 5 });
  });

  it('refuses an id no line created, rather than sending or expecting it unmapped', () => {
    expect(() => ids().mapText(`/runs/get?run_id=${EARLIER_RUN.run}`)).toThrow(/978713934d9d47d0865b30ed16f76d42 has no counterpart/);
  });

  it('learns ids from runs/create and POST logged-models answers only', () => {
    const wire = readWire();
    expect(createdId(wire[1]!, wire[1]!.response)).toBe(RUN);
    expect(createdId(wire[15]!, wire[15]!.response)).toBe(MODEL);
    expect(createdId(wire[27]!, wire[27]!.response)).toBeUndefined();
  });
});

describe('wire replay expected answers', () => {
  it('loosens only server-chosen times: numbers under time-like keys the client never sent', () => {
    const recorded = { info: { start_time: 100, end_time: 200, creation_timestamp_ms: 300, last_update_time: '400', step: 7 }, metrics: [{ timestamp: 100 }] };
    expect(expectedAnswer(recorded, ids(), new Set([100, 7]))).toEqual({
      info: { start_time: 100, end_time: expect.any(Number), creation_timestamp_ms: expect.any(Number), last_update_time: '400', step: 7 },
      metrics: [{ timestamp: 100 }],
    });
    const loose = expectedAnswer(recorded, ids(), new Set());
    expect({ info: { start_time: 1, end_time: 2, creation_timestamp_ms: 3, last_update_time: '400', step: 7 }, metrics: [{ timestamp: 9 }] }).toEqual(loose);
    expect({ info: { start_time: '1', end_time: 2, creation_timestamp_ms: 3, last_update_time: '400', step: 7 }, metrics: [{ timestamp: 9 }] }).not.toEqual(loose);
  });

  it('counts numbers the client sent up to and including the line itself', () => {
    const lines = readWire();
    expect(numbersSent(lines, 38).has(1795444810460)).toBe(false);
    expect(numbersSent(lines, 39).has(1795444810460)).toBe(true);
  });

  it('treats a key holding [] as absent, and nothing else', () => {
    expect(withoutEmptyLists({ files: [], data: { tags: [], params: [{ key: 'a', value: '' }] }, inputs: {}, name: '' })).toEqual({
      data: { params: [{ key: 'a', value: '' }] },
      inputs: {},
      name: '',
    });
  });

  it("orders a run's tags, params and metrics by key, and no other list", () => {
    const tags = [{ key: 'b', value: '1' }, { key: 'a', value: '2' }];
    const sorted = [...tags].reverse();
    const run = { info: {}, data: { tags, params: tags, metrics: tags, other: tags } };
    expect(runDataByKey({ run })).toEqual({ run: { info: {}, data: { tags: sorted, params: sorted, metrics: sorted, other: tags } } });
    expect(runDataByKey({ runs: [run] })).toEqual({ runs: [{ info: {}, data: { tags: sorted, params: sorted, metrics: sorted, other: tags } }] });
    // A logged model's lists keep their order: MLflow sorts them, and so must the server.
    const model = { info: { tags }, data: { params: tags } };
    expect(runDataByKey({ model })).toEqual({ model });
  });

  it('drops from a list what no pass has made yet, and keeps it once it is made', () => {
    const answer = {
      models: [
        { info: { model_id: MODEL, source_run_id: RUN } },
        { info: { model_id: EARLIER_RUN.model, source_run_id: EARLIER_RUN.run } },
      ],
    };
    expect(expectedAnswer(answer, ids([EARLIER_RUN.model, EARLIER_RUN.run]), new Set())).toEqual({ models: [{ info: { model_id: OUR_MODEL, source_run_id: OUR_RUN } }] });
    const second = ids();
    second.learn(EARLIER_RUN.model, 'm-first-pass');
    second.learn(EARLIER_RUN.run, 'first-pass-run');
    expect(expectedAnswer(answer, second, new Set())).toEqual({
      models: [{ info: { model_id: OUR_MODEL, source_run_id: OUR_RUN } }, { info: { model_id: 'm-first-pass', source_run_id: 'first-pass-run' } }],
    });
  });
});

describe('wire replay request bodies', () => {
  const put = (request: unknown): WireLine => ({ method: 'PUT', path: '/x', content_type: 'text/plain', request, status: 200, response: {} });

  it('sends N pattern bytes for "<N bytes>", mapped text for text, compact JSON for a parsed text upload', () => {
    expect(requestPayload(put('<1281 bytes>'), ids())).toEqual(patternBytes(1281));
    expect(patternBytes(1281)).toHaveLength(1281);
    expect(requestPayload(put(`run_id: ${RUN}`), ids())).toBe(`run_id: ${OUR_RUN}`);
    // Line 35's table: the recorded listing (line 47) says 34 bytes.
    expect(requestPayload(put({ columns: ['a'], data: [[1], [2]] }), ids())).toHaveLength(34);
  });
});
