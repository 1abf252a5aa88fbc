import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metric, Run } from '../../shared/mlflow/types.js';
import { listeningServer } from '../../server/test-support/backends.js';
import { addUser, type TestUser } from '../../server/test-support/team.js';
import { EXIT } from '../api-client.js';
import { eventually, startLauncher } from './fixtures/harness.js';

// `runstudio run` as a real process against a team-mode server (--auth).
let server: Awaited<ReturnType<typeof listeningServer>>;
let carol: TestUser;
const noCredentials = { RUNSTUDIO_TOKEN: '', MLFLOW_TRACKING_TOKEN: '', MLFLOW_TRACKING_USERNAME: '', MLFLOW_TRACKING_PASSWORD: '' };

beforeAll(async () => {
  server = await listeningServer('sqlite', { auth: 'team', heartbeatTimeoutMs: 2000 });
  carol = await addUser(server, 'carol', 'contributor');
});
afterAll(() => server.close());

const asCarol = async <T>(p: string): Promise<T> => (await fetch(`${server.url}${p}`, { headers: carol.headers })).json() as Promise<T>;

// The child logs a metric the way an MLflow client does, with the MLFLOW_TRACKING_TOKEN it inherits.
const child = `
const { MLFLOW_TRACKING_URI: uri, MLFLOW_RUN_ID: run_id, MLFLOW_TRACKING_TOKEN: token } = process.env;
console.log('training as a token holder');
const res = await fetch(uri + '/api/2.0/mlflow/runs/log-metric', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify({ run_id, key: 'loss', value: 0.5, timestamp: Date.now(), step: 0 }) });
console.log('metric ' + res.status);
`;

describe('runstudio run against a team-mode server', () => {
  it('with RUNSTUDIO_TOKEN of a contributor: the run is theirs whatever the OS user, its log is shipped, and the child signs in with MLFLOW_TRACKING_TOKEN', async () => {
    const launcher = startLauncher(['run', '--tracking-uri', server.url, '--', 'node', '--input-type=module', '-e', child], { ...noCredentials, RUNSTUDIO_TOKEN: carol.token, USER: 'someone-else' });
    const runId = await launcher.runId;
    expect(await launcher.exit).toEqual({ code: 0, signal: null });
    const { run } = await asCarol<{ run: Run }>(`/api/2.0/mlflow/runs/get?run_id=${runId}`);
    expect(run.info.status).toBe('FINISHED');
    expect(run.info.user_id).toBe('carol');
    expect(run.data.tags.find((t) => t.key === 'mlflow.user')?.value).toBe('carol');
    const log = await eventually(async () => (await fetch(`${server.url}/api/studio/runs/${runId}/logs/std_log.txt`, { headers: carol.headers })).text(), (text) => text.includes('metric'));
    expect(log).toBe('training as a token holder\nmetric 200\n');
    const { metrics } = await asCarol<{ metrics: Metric[] }>(`/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`);
    expect(metrics.map((m) => m.value)).toEqual([0.5]);
  });

  it('without a token: exits 7 (denied) before starting anything, naming RUNSTUDIO_TOKEN', async () => {
    const launcher = startLauncher(['run', '--tracking-uri', server.url, '--', 'node', '-e', 'console.log("must not run")'], noCredentials);
    launcher.runId.catch(() => undefined); // no run is ever made
    expect((await launcher.exit).code).toBe(EXIT.denied);
    expect(launcher.stderr()).toContain('RUNSTUDIO_TOKEN');
    expect(launcher.stderr()).toMatch(/needs a signed-in user/);
    expect(launcher.stdout()).not.toContain('must not run');
  });

  it('with a wrong token: exits 7 with the server saying so', async () => {
    const launcher = startLauncher(['run', '--tracking-uri', server.url, '--', 'node', '-e', ''], { ...noCredentials, MLFLOW_TRACKING_TOKEN: `rst_${'x'.repeat(43)}` });
    launcher.runId.catch(() => undefined);
    expect((await launcher.exit).code).toBe(EXIT.denied);
    expect(launcher.stderr()).toContain('This API token is not valid');
  });
});
