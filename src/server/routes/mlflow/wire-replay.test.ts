import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment } from '../../test-support/seed.js';
import {
  actualAnswer,
  createdId,
  EARLIER_RUN,
  expectedAnswer,
  IdMap,
  numbersSent,
  patternBytes,
  readWire,
  recordedByteCount,
  requestPayload,
  type WireLine,
} from '../../test-support/wire/replay.js';

/**
 * Replays every request MLflow 3's own client sent to MLflow's own server
 * (test-support/wire/mlflow3-client.jsonl) and compares each answer with the recorded one, ids,
 * server-chosen times and the experiment number aside (rules in test-support/wire/replay.ts).
 *
 * The recording's server had already seen the script once (line 0 finds the experiment; line 43
 * finds an earlier 'scorer'), so the experiment is created first and the file is replayed twice
 * on one server: pass 2 sees pass 1's model where the recording saw the earlier run's.
 */
const wire = readWire();
const recordedRun = createdId(wire[1]!, wire[1]!.response)!;
const recordedModel = createdId(wire[15]!, wire[15]!.response)!;

describe.each(backends())('MLflow 3 client exchange replayed on %s', (backend) => {
  let server: TestServer;
  let experiment: string;
  const passes: IdMap[] = [];
  beforeAll(async () => {
    server = await testServer(backend);
    experiment = await createExperiment(server, 'wire-scenario');
  });
  afterAll(async () => {
    await server.close();
  });

  /** Sends line n with recorded ids replaced by ours; learns the id it creates; checks the answer. */
  async function replay(ids: IdMap, line: WireLine, n: number) {
    const payload = requestPayload(line, ids);
    const res = await server.app.inject({
      method: line.method,
      url: ids.mapText(line.path),
      ...(payload === undefined ? {} : { payload, headers: { 'content-type': line.content_type ?? 'application/json' } }),
    });
    const where = `line ${n} ${line.method} ${line.path}`;
    if (typeof line.response === 'string') {
      // An artifact download: the recorded text exactly, or for "<N bytes>" the N pattern bytes line 25 uploaded.
      const size = recordedByteCount(line.response);
      const expected = size === undefined ? ids.mapText(line.response) : patternBytes(size).toString('base64');
      const body = size === undefined ? res.body : res.rawPayload.toString('base64');
      expect({ status: res.statusCode, body }, where).toEqual({ status: line.status, body: expected });
      return;
    }
    let body: unknown;
    try {
      body = res.json();
    } catch {
      body = res.body;
    }
    const ours = createdId(line, body);
    const recorded = createdId(line, line.response);
    if (ours !== undefined && recorded !== undefined) ids.learn(recorded, ours);
    expect({ status: res.statusCode, body: actualAnswer(body) }, where).toEqual({
      status: line.status,
      body: expectedAnswer(line.response, ids, numbersSent(wire, n)),
    });
  }

  describe('pass 1', () => {
    // The earlier run's model is in no store yet: line 43's answer is expected without it.
    const ids = () => (passes[0] ??= new IdMap(experiment, new Set([EARLIER_RUN.model, EARLIER_RUN.run])));
    wire.forEach((line, n) => {
      it(`line ${n}: ${line.method} ${line.path.split('?')[0]}`, () => replay(ids(), line, n));
    });
  });

  describe('pass 2', () => {
    // What the recording saw from its earlier run is, here, what pass 1 made.
    const ids = () => {
      if (!passes[1]) {
        const map = new IdMap(experiment);
        map.learn(EARLIER_RUN.model, passes[0]!.get(recordedModel));
        map.learn(EARLIER_RUN.run, passes[0]!.get(recordedRun));
        passes[1] = map;
      }
      return passes[1];
    };
    wire.forEach((line, n) => {
      it(`line ${n}: ${line.method} ${line.path.split('?')[0]}`, () => replay(ids(), line, n));
    });
  });
});
