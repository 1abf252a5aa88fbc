import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningServer, ML } from '../../server/test-support/backends.js';
import { createExperiment, createRun } from '../../server/test-support/seed.js';
import { runCli, UNREACHABLE } from './cli-process.test-support.js';
import type { RunJson } from './run-json.js';

// One backend is enough: the CLI only speaks HTTP, and the server tests cover both stores.
let server: Awaited<ReturnType<typeof listeningServer>>;
const ids = { fantastic: '', ordinary: '', other: '', child: '' };

// MLFLOW_TRACKING_URI points nowhere in every call: each success shows RUNSTUDIO_URL wins over it.
// COLUMNS is unset so that tables are 120 wide whatever the shell running the tests says.
const cli = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { RUNSTUDIO_URL: server.url, MLFLOW_TRACKING_URI: UNREACHABLE, COLUMNS: undefined, ...env });
const json = <T>(stdout: string) => JSON.parse(stdout) as T;

beforeAll(async () => {
  server = await listeningServer('sqlite');
  const vision = await createExperiment(server, 'vision');
  const nlp = await createExperiment(server, 'nlp');
  ids.fantastic = await createRun(server, vision, {
    name: 'fantastic',
    startTime: Date.UTC(2024, 0, 2, 3, 4, 5),
    params: { author: 'azureml-user', lr: '0.01' },
    metrics: { accuracy: 0.9 },
    tags: { quality: 'fantastic run', 'worth another look - lr': '', 'mlflow.note.content': 'Best so far', 'runstudio.compute': 'gpu-a100', 'mlflow.user': 'ada' },
  });
  ids.ordinary = await createRun(server, vision, { name: 'ordinary', startTime: Date.UTC(2024, 0, 1), params: { author: 'someone-else' }, metrics: { accuracy: 0.5 }, tags: { quality: 'fantastic run', 'not worth another look': '' } });
  ids.other = await createRun(server, nlp, { name: 'x'.repeat(150), startTime: Date.UTC(2024, 0, 3), params: { author: 'azureml-user' }, tags: { quality: 'meh', 'worth another look later': 'yes' } });
  ids.child = (await server.post(`/api/studio/runs/${ids.other}/children`, { count: 1 })).body.runs[0].runId;
});

afterAll(async () => {
  await server?.close();
});

describe('runstudio runs list / show', () => {
  it('lists every run, children too, newest first, in the documented JSON shape', async () => {
    const { code, stdout, stderr } = await cli(['runs', 'list']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const runs = json<RunJson[]>(stdout);
    expect(runs.map((r) => r.run_id)).toEqual([ids.child, ids.other, ids.fantastic, ids.ordinary]);
    expect(runs.find((r) => r.run_id === ids.fantastic)).toEqual({
      run_id: ids.fantastic,
      display_name: 'fantastic',
      status: 'RUNNING',
      experiment_id: expect.any(String),
      experiment_name: 'vision',
      submitter: expect.any(String),
      compute_target: 'gpu-a100',
      parent_run_id: null,
      start_time: '2024-01-02T03:04:05.000Z',
      end_time: null,
      description: 'Best so far',
      properties: { author: 'azureml-user', lr: '0.01' },
      tags: { quality: 'fantastic run', 'worth another look - lr': '' },
      metrics: { accuracy: 0.9 },
    } satisfies RunJson);
    expect(runs.find((r) => r.run_id === ids.child)).toMatchObject({ parent_run_id: ids.other, status: 'SCHEDULED', compute_target: null, description: null });
    expect(stdout.startsWith('[\n  {\n    "run_id"')).toBe(true);
  });

  it('runs both JMESPath examples from the README as written', async () => {
    const [byAuthor, byTagPrefix] = await Promise.all([
      cli(['runs', 'list', '--query', "[?properties.author=='azureml-user' && tags.quality=='fantastic run']"]),
      cli(['runs', 'list', '--query', "[?tags.keys(@)[?starts_with(@, 'worth another look')]]"]),
    ]);
    expect(json<RunJson[]>(byAuthor.stdout).map((r) => r.run_id)).toEqual([ids.fantastic]);
    expect(json<RunJson[]>(byTagPrefix.stdout).map((r) => r.run_id).sort()).toEqual([ids.fantastic, ids.other].sort());
  });

  it('narrows by experiment name, MLflow filter, full-text search and --max; prints table and tsv', async () => {
    const [table, narrow, tsv, searched, max, scalars, badQuery, badName] = await Promise.all([
      cli(['runs', 'list', '--output', 'table']),
      cli(['runs', 'list', '--output', 'table'], { COLUMNS: '90' }),
      cli(['runs', 'list', '--experiment-name', 'vision', '--filter', 'metrics.accuracy > 0.6', '-o', 'tsv']),
      cli(['runs', 'list', '--search', 'ordinary', '--query', '[].display_name']),
      cli(['runs', 'list', '--experiment-name', 'vision', '--experiment-name', 'nlp', '--max', '2', '--query', 'length(@)']),
      cli(['runs', 'list', '--experiment-name', 'vision', '--query', '[].{name: display_name, author: properties.author}', '-o', 'tsv']),
      cli(['runs', 'list', '--query', '[?']),
      cli(['runs', 'list', '--experiment-name', 'no-such-experiment']),
    ]);

    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^run_id +display_name +status +experiment_name +start_time$/);
    expect(lines).toHaveLength(5);
    expect(lines.every((line) => line.length <= 120)).toBe(true);
    const long = lines.find((line) => line.includes(ids.other))!;
    expect(long).toContain('x…');
    expect(long).toContain('Running');
    expect(long).toContain('2024-01-03T00:00:00.000Z');
    expect(lines.find((line) => line.includes(ids.child))).toContain('Queued');
    // Piped, the width comes from $COLUMNS; ids, statuses and times are never cut.
    expect(narrow.stdout.trimEnd().split('\n').every((line) => line.length <= 90)).toBe(true);
    expect(narrow.stdout).toContain(ids.other);

    expect(tsv.stdout).toBe(`run_id\tdisplay_name\tstatus\texperiment_name\tstart_time\n${ids.fantastic}\tfantastic\tRunning\tvision\t2024-01-02T03:04:05.000Z\n`);
    expect(json(searched.stdout)).toEqual(['ordinary']);
    expect(max.stdout.trim()).toBe('2');
    // A query that reshapes the runs: the union of the new keys becomes the columns.
    expect(scalars.stdout).toBe('name\tauthor\nfantastic\tazureml-user\nordinary\tsomeone-else\n');

    expect(badQuery.code).toBe(2);
    expect(badQuery.stderr).toContain("Invalid --query '[?'");
    expect(badName.code).toBe(4);
    expect(badName.stderr).toContain("Experiment 'no-such-experiment' not found");
  });

  it('shows one run as an object, as key/value lines, and says when it does not exist', async () => {
    const [shown, table, scalar, missing] = await Promise.all([
      cli(['runs', 'show', '-r', ids.fantastic]),
      cli(['runs', 'show', '--run-id', ids.fantastic, '-o', 'table']),
      cli(['runs', 'show', '-r', ids.fantastic, '--query', 'tags.quality', '-o', 'tsv']),
      cli(['runs', 'show', '-r', 'f'.repeat(32)]),
    ]);
    expect(json<RunJson>(shown.stdout)).toMatchObject({ run_id: ids.fantastic, display_name: 'fantastic', metrics: { accuracy: 0.9 } });
    expect(table.stdout).toMatch(/^run_id +[0-9a-f]{32}$/m);
    expect(table.stdout).toMatch(/^status +Running$/m);
    expect(table.stdout).toMatch(/^properties\.author +azureml-user$/m);
    expect(table.stdout).toMatch(/^tags\.quality +fantastic run$/m);
    expect(table.stdout).toMatch(/^compute_target +gpu-a100$/m);
    expect(scalar.stdout).toBe('fantastic run\n');
    expect(missing.code).toBe(4);
    expect(missing.stderr.trim()).toBe(`Run ID not found: ${'f'.repeat(32)}`);
  });

  it('follows nextPageToken past one page of 1,000 up to --max', async () => {
    const sweep = await createExperiment(server, 'sweep');
    const parent = await createRun(server, sweep, { name: 'sweep' });
    expect((await server.post(`/api/studio/runs/${parent}/children`, { count: 1000 })).status).toBe(201);
    const [some, all] = await Promise.all([
      cli(['runs', 'list', '--experiment-name', 'sweep', '--max', '1000', '--query', 'length(@)']),
      cli(['runs', 'list', '--experiment-name', 'sweep', '--max', '5000', '--query', '[].run_id']),
    ]);
    expect(some.stdout.trim()).toBe('1000');
    const runIds = json<string[]>(all.stdout);
    expect(runIds).toHaveLength(1001);
    expect(new Set(runIds).size).toBe(1001);
  });
});

describe('runstudio runs update', () => {
  it('sets and removes tags, renames, sets the description, and prints the run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-cli-'));
    const file = path.join(dir, 'note.md');
    fs.writeFileSync(file, '# Why\nlr 0.01 is worth a rerun.\n');
    const [updated, missing, nothing] = await Promise.all([
      cli(['runs', 'update', '-r', ids.ordinary, '--add-tag', 'reviewed=by ada', '--add-tag', 'keeper', '--add-tag', 'eq=a=b', '--remove-tag', 'quality', '--name', 'ordinary v2', '--description-file', file]),
      cli(['runs', 'update', '-r', 'e'.repeat(32), '--add-tag', 'x']),
      cli(['runs', 'update', '-r', ids.ordinary]),
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(updated.stderr).toBe('');
    expect(json<RunJson>(updated.stdout)).toMatchObject({
      run_id: ids.ordinary,
      display_name: 'ordinary v2',
      description: '# Why\nlr 0.01 is worth a rerun.\n',
      tags: { reviewed: 'by ada', keeper: '', eq: 'a=b', 'not worth another look': '' },
    });
    expect(json<RunJson>(updated.stdout).tags).not.toHaveProperty('quality');
    const stored = (await server.get(`${ML}/runs/get?run_id=${ids.ordinary}`)).body.run;
    expect(stored.info.run_name).toBe('ordinary v2');

    // The server's own message, and its 404 as exit 4.
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/Run .*e{32}.* not found/);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Nothing to update');
  });
});

describe('runstudio runs cancel / fail', () => {
  it('cancels a run nobody launched at once, with its queued children, and refuses an ended one', async () => {
    const exp = await createExperiment(server, 'cancel-plain');
    const parent = await createRun(server, exp, { name: 'manual' });
    expect((await server.post(`/api/studio/runs/${parent}/children`, { count: 2 })).status).toBe(201);
    const first = await cli(['runs', 'cancel', '-r', parent]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe(`Run ${parent} set to Canceled. Runstudio did not launch it, so its process (if any) was not stopped.\n2 queued or running run(s) below it canceled too.\n`);
    expect((await server.get(`${ML}/runs/get?run_id=${parent}`)).body.run.info.status).toBe('KILLED');
    const again = await cli(['runs', 'cancel', '-r', parent]);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('has already ended');
  });

  it('asks the launcher to stop a launched run; --wait waits for it, or times out with exit 1', async () => {
    const exp = await createExperiment(server, 'cancel-launched');
    const stopped = await createRun(server, exp, { name: 'stopped' });
    const stuck = await createRun(server, exp, { name: 'stuck' });
    for (const runId of [stopped, stuck]) {
      expect((await server.post(`/api/studio/runs/${runId}/control`, { graceMs: 1000, host: 'gpu-box-7', pid: 4242 })).status).toBe(200);
    }
    // Plays the launcher: once the cancel is asked for, it ends the run as `runstudio run` does.
    const stream = await fetch(`${server.url}/api/studio/runs/${stopped}/control/stream`);
    const launcher = (async () => {
      // Its control stream says when the cancel is asked for.
      const decoder = new TextDecoder();
      let received = '';
      for await (const chunk of stream.body!) {
        received += decoder.decode(chunk, { stream: true });
        if (received.includes('event: cancel')) break;
      }
      await server.post(`${ML}/runs/update`, { run_id: stopped, status: 'KILLED', end_time: Date.now() });
    })();
    const [waited, timedOut] = await Promise.all([
      cli(['runs', 'cancel', '-r', stopped, '--wait', '--timeout', '30s']),
      cli(['runs', 'cancel', '-r', stuck, '--wait', '--timeout', '1s']),
    ]);
    await launcher;
    expect(waited.stderr).toBe('');
    expect(waited.stdout).toBe(`Cancel requested: the launcher on gpu-box-7 is stopping the process.\nRun ${stopped} is Canceled (KILLED).\n`);
    expect(timedOut.stdout).toBe('Cancel requested: the launcher on gpu-box-7 is stopping the process.\n');
    expect(timedOut.code).toBe(1);
    expect(timedOut.stderr).toContain(`Timed out after 1s: run ${stuck} is still Running (RUNNING)`);
  });

  it('marks a run as failed with a reason', async () => {
    const exp = await createExperiment(server, 'fail');
    const runId = await createRun(server, exp, { name: 'hung' });
    const failed = await cli(['runs', 'fail', '-r', runId, '--reason', 'stuck in data loading']);
    expect(failed.stderr).toBe('');
    expect(failed.stdout).toBe(`Run ${runId} marked as Failed.\n`);
    const run = (await server.get(`${ML}/runs/get?run_id=${runId}`)).body.run;
    expect(run.info.status).toBe('FAILED');
    expect(run.data.tags).toContainEqual({ key: 'runstudio.failReason', value: 'stuck in data loading' });
  });
});

describe('runstudio experiments list, and finding the server', () => {
  it('lists experiments with run counts', async () => {
    const [listed, tsv] = await Promise.all([cli(['experiments', 'list']), cli(['experiments', 'list', '-o', 'tsv', '--query', "[?name=='vision' || name=='nlp']"])]);
    const vision = json<Array<Record<string, unknown>>>(listed.stdout).find((e) => e.name === 'vision');
    expect(vision).toEqual({
      experiment_id: expect.any(String),
      name: 'vision',
      lifecycle_stage: 'active',
      run_count: 2,
      creation_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      last_update_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      last_run_time: '2024-01-02T03:04:05.000Z',
    });
    const rows = tsv.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('experiment_id\tname\trun_count\tlast_run_time');
    expect(rows.slice(1).map((row) => row.split('\t').slice(1, 3)).sort()).toEqual([['nlp', '2'], ['vision', '2']]);
  });

  it('takes --tracking-uri over RUNSTUDIO_URL over MLFLOW_TRACKING_URI, and exits 3 when nothing answers', async () => {
    const [flag, mlflowOnly, unreachable, notHttp] = await Promise.all([
      cli(['experiments', 'list', '--tracking-uri', server.url, '--query', 'length(@) > `0`'], { RUNSTUDIO_URL: UNREACHABLE }),
      cli(['experiments', 'list', '--query', 'length(@) > `0`'], { RUNSTUDIO_URL: undefined, MLFLOW_TRACKING_URI: server.url }),
      cli(['runs', 'list'], { RUNSTUDIO_URL: UNREACHABLE }),
      cli(['runs', 'list', '--tracking-uri', 'localhost:5000']),
    ]);
    expect([flag.stdout, mlflowOnly.stdout]).toEqual(['true\n', 'true\n']);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain(`Cannot reach the Runstudio server at ${UNREACHABLE}`);
    expect(notHttp.code).toBe(2);
  });
});
