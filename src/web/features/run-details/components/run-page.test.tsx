import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { ML } from '../../../../server/test-support/backends.js';
import { renderApp } from '../../../test-support/render-app.js';
import { appendLog, createExperiment, logHistory, seedChildren, seedRun, uploadArtifact } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';

const server = startTestServer();

let experimentId = '';
beforeAll(async () => {
  experimentId = await createExperiment(server(), 'run-page');
});

const tab = (name: string) => screen.findByRole('tab', { name });
const storedRun = async (runId: string) => (await server().get(`${ML}/runs/get?run_id=${runId}`)).body.run as { info: { run_name: string; status: string }; data: { tags?: Array<{ key: string; value: string }> } };
const storedTags = async (runId: string) => Object.fromEntries(((await storedRun(runId)).data.tags ?? []).map((t) => [t.key, t.value]));

describe('the run page', () => {
  it('shows the header, breadcrumb and Overview of a run', async () => {
    const parent = await seedRun(server(), experimentId, { name: 'sweep' });
    const runId = await seedRun(server(), experimentId, {
      name: 'trial-7',
      parentRunId: parent,
      params: { lr: '0.01' },
      tags: {
        team: 'vision',
        'mlflow.note.content': '# Why\nTo try **a smaller** learning rate.',
        'runstudio.compute': 'gpu-a',
        'runstudio.launch.command': 'python train.py --lr 0.01',
        'runstudio.launch.host': 'node-3',
        'runstudio.launch.gitCommit': '0123456789abcdef',
        'runstudio.launch.gitDirty': 'true',
        'runstudio.launch.exitCode': '0',
      },
    });
    const { user } = renderApp(`/runs/${runId}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'trial-7' })).toBeInTheDocument();
    const crumbs = screen.getByRole('navigation', { name: 'Breadcrumb' });
    expect(await within(crumbs).findByRole('link', { name: 'run-page' })).toBeInTheDocument();
    expect(await within(crumbs).findByRole('link', { name: 'sweep' })).toBeInTheDocument();
    expect(screen.getByText('Completed')).toBeInTheDocument();
    expect(screen.getByText('gpu-a')).toBeInTheDocument();
    expect(await tab('Overview')).toHaveAttribute('aria-selected', 'true');

    expect(screen.getByRole('heading', { level: 1, name: 'Why' })).toBeInTheDocument();
    expect(within(screen.getByRole('list', { name: 'Tags' })).getByText('team: vision')).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Properties' })).getByRole('row', { name: 'lr 0.01' })).toBeInTheDocument();
    const launch = screen.getByRole('table', { name: 'Launch' });
    expect(within(launch).getByText('python train.py --lr 0.01')).toBeInTheDocument();
    expect(within(launch).getByText('0123456')).toBeInTheDocument();
    expect(within(launch).getByText('(uncommitted changes)')).toBeInTheDocument();
    await user.click(within(launch).getByRole('button', { name: 'Copy command' }));
    expect(await within(launch).findByText('Copied')).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Run' })).getByRole('link', { name: parent })).toBeInTheDocument();

    await user.click(screen.getByRole('checkbox', { name: 'Show system tags' }));
    expect(within(screen.getByRole('table', { name: 'System tags' })).getByText('runstudio.compute')).toBeInTheDocument();
    await user.click(within(crumbs).getByRole('link', { name: 'sweep' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'sweep' })).toBeInTheDocument();
  });

  it('says when a run does not exist', async () => {
    renderApp(`/runs/${'f'.repeat(32)}`);
    expect(await screen.findByRole('alert')).toHaveTextContent(/Could not load this run: .*not found/);
  });

  it('renames a run with the pencil; Escape changes nothing', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'old-name' });
    const { user } = renderApp(`/runs/${runId}`);
    await user.click(await screen.findByRole('button', { name: 'Edit display name' }));
    const input = screen.getByRole('textbox', { name: 'Display name' });
    await user.clear(input);
    await user.type(input, 'ignored{Escape}');
    expect(await screen.findByRole('heading', { level: 1, name: 'old-name' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Edit display name' }));
    await user.clear(screen.getByRole('textbox', { name: 'Display name' }));
    await user.type(screen.getByRole('textbox', { name: 'Display name' }), 'new-name{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'new-name' })).toBeInTheDocument();
    await waitFor(async () => expect((await storedRun(runId)).info.run_name).toBe('new-name'));
  });

  it('says why an empty display name cannot be saved', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'keep-name' });
    const { user } = renderApp(`/runs/${runId}`);
    await user.click(await screen.findByRole('button', { name: 'Edit display name' }));
    await user.clear(screen.getByRole('textbox', { name: 'Display name' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert', {}, { timeout: 1_000 })).toHaveTextContent('A display name cannot be empty.');
  });

  it('adds, edits and deletes tags', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'tagged' });
    const { user } = renderApp(`/runs/${runId}`);
    await user.click(await screen.findByRole('button', { name: 'Add tag' }));
    await user.type(screen.getByRole('textbox', { name: 'Key' }), 'mlflow.secret');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Keys starting with “mlflow.” or “runstudio.” are reserved.');
    await user.clear(screen.getByRole('textbox', { name: 'Key' }));
    await user.type(screen.getByRole('textbox', { name: 'Key' }), 'stage');
    await user.type(screen.getByRole('textbox', { name: 'Value (optional)' }), 'draft');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    const tags = screen.getByRole('list', { name: 'Tags' });
    expect(await within(tags).findByText('stage: draft')).toBeInTheDocument();
    await waitFor(async () => expect(await storedTags(runId)).toMatchObject({ stage: 'draft' }));

    await user.click(within(tags).getByRole('button', { name: 'Edit tag stage' }));
    const value = screen.getByRole('textbox', { name: 'Value of stage' });
    await user.clear(value);
    await user.type(value, 'final');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await within(tags).findByText('stage: final')).toBeInTheDocument();

    await user.click(within(tags).getByRole('button', { name: 'Delete tag stage' }));
    expect(await within(tags).findByText('No tags.')).toBeInTheDocument();
    await waitFor(async () => expect(await storedTags(runId)).not.toHaveProperty('stage'));
  });

  it('edits the description with a live preview, and deletes it', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'described' });
    const { user } = renderApp(`/runs/${runId}`);
    expect(await screen.findByText(/No description yet/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Edit description' }));
    await user.type(screen.getByRole('textbox', { name: 'Description (Markdown)' }), '## Goal{Enter}Beat the *baseline*');
    const preview = screen.getByRole('region', { name: 'Description preview' });
    expect(within(preview).getByRole('heading', { level: 2, name: 'Goal' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save description' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Goal' })).toBeInTheDocument();
    await waitFor(async () => expect(await storedTags(runId)).toMatchObject({ 'mlflow.note.content': '## Goal\nBeat the *baseline*' }));

    await user.click(screen.getByRole('button', { name: 'Edit description' }));
    await user.click(screen.getByRole('button', { name: 'Delete description' }));
    expect(await screen.findByText(/No description yet/)).toBeInTheDocument();
    await waitFor(async () => expect(await storedTags(runId)).not.toHaveProperty('mlflow.note.content'));
  });

  it('cancels a running run and its children, after saying what Cancel does', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'to-cancel', status: 'RUNNING' });
    await seedChildren(server(), runId, 2);
    const { user } = renderApp(`/runs/${runId}`);
    expect(await screen.findByText('Running')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Cancel this run?' });
    expect(await within(dialog).findByText(/Runstudio did not launch this run and cannot stop its process/)).toBeInTheDocument();
    expect(await within(dialog).findByText(/Its queued and running child runs are canceled too/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel run' }));
    expect(await screen.findByText('2 child runs were canceled too.')).toBeInTheDocument();
    expect(await screen.findByText('Canceled')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled();
    expect((await storedRun(runId)).info.status).toBe('KILLED');
  });

  it('marks a running run as failed, with a reason shown on Overview', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'to-fail', status: 'RUNNING' });
    const { user } = renderApp(`/runs/${runId}`);
    await user.click(await screen.findByRole('button', { name: 'Mark as failed' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Mark this run as failed?' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Reason (optional)' }), 'node preempted');
    await user.click(within(dialog).getByRole('button', { name: 'Mark run as failed' }));
    expect(await screen.findByRole('note')).toHaveTextContent('Failed: node preempted');
    expect(await screen.findByText('Failed', { selector: '[data-status] *, [data-status]' })).toBeInTheDocument();
    expect((await storedRun(runId)).info.status).toBe('FAILED');
  });

  it('shows metric charts over step or wall time, the System group, and the latest values', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'with-metrics' });
    await logHistory(server(), runId, 'loss', [1, 0.5, 0.25]);
    await logHistory(server(), runId, 'system/cpu_utilization_percentage', [10, 20]);
    const { user } = renderApp(`/runs/${runId}?tab=metrics`);
    expect(await screen.findByRole('figure', { name: 'Chart of loss over step' })).toHaveTextContent('3 points');
    expect(await screen.findByRole('figure', { name: 'Chart of CPU utilization (%) (system/cpu_utilization_percentage) over step' })).toBeInTheDocument();
    const latest = screen.getByRole('table', { name: 'Latest values' });
    expect(within(latest).getByRole('row', { name: /^loss 0.25 2/ })).toBeInTheDocument();
    expect(within(latest).getByRole('columnheader', { name: 'System' })).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Wall time' }));
    expect(await screen.findByRole('figure', { name: 'Chart of loss over wall time' })).toBeInTheDocument();
  });

  it('says when a run has logged no metrics', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'no-metrics' });
    renderApp(`/runs/${runId}?tab=metrics`);
    expect(await screen.findByText('This run has logged no metrics.')).toBeInTheDocument();
  });

  it('lists the whole tree of child runs, each linking to its page', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'tree-root' });
    const [first] = await seedChildren(server(), runId, 3);
    await seedChildren(server(), first!, 2);
    const { user, location } = renderApp(`/runs/${runId}`);
    await user.click(await tab('Child runs'));
    expect(await screen.findByText('5 child runs')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Child runs' });
    expect(within(table).getAllByText(', level 2')).toHaveLength(2);
    expect(location().search).toEqual({ tab: 'children' });
    await user.click(within(table).getByRole('link', { name: 'tree-root-3' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'tree-root-3' })).toBeInTheDocument();
    await user.click(await tab('Child runs'));
    expect(await screen.findByText('This run has no child runs.')).toBeInTheDocument();
  });

  it('shows logs and previews outputs of every kind on Outputs + logs', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'with-outputs' });
    await appendLog(server(), runId, 'stdout.log', 'epoch 1\n\u001b[31mred warning\u001b[0m\nepoch 2\n');
    await uploadArtifact(server(), runId, 'metrics.json', '{"acc":0.9}');
    await uploadArtifact(server(), runId, 'table.csv', 'name,acc\nalpha,0.9\n');
    await uploadArtifact(server(), runId, 'notes/README.md', '# Notes\n');
    await uploadArtifact(server(), runId, 'notes/config.yaml', 'lr: 0.01\n');
    await uploadArtifact(server(), runId, 'model.bin', 'binary');
    await uploadArtifact(server(), runId, 'plot.png', 'png');
    const { user, location } = renderApp(`/runs/${runId}?tab=outputs`);
    const files = await screen.findByRole('navigation', { name: 'Outputs and logs' });

    // The first log opens by itself.
    const log = await screen.findByRole('region', { name: 'Log stdout.log' });
    expect(await within(log).findByText('red warning')).toBeInTheDocument();
    expect(within(log).getByText('epoch 2')).toBeInTheDocument();

    await user.click(await within(files).findByRole('button', { name: 'metrics.json' }));
    expect(await screen.findByLabelText('Contents of metrics.json')).toHaveTextContent('"acc": 0.9');
    expect(location().search).toEqual({ tab: 'outputs', file: 'artifact:metrics.json' });
    await user.click(within(files).getByRole('button', { name: 'table.csv' }));
    const csv = await screen.findByRole('table', { name: 'Contents of table.csv' });
    expect(within(csv).getByRole('columnheader', { name: 'acc' })).toBeInTheDocument();
    expect(within(csv).getByRole('cell', { name: 'alpha' })).toBeInTheDocument();
    await user.click(within(files).getByRole('button', { name: 'model.bin' }));
    expect(await screen.findByText('No preview for this type of file; download it to open it.')).toBeInTheDocument();
    await user.click(within(files).getByRole('button', { name: 'plot.png' }));
    expect(await screen.findByRole('img', { name: 'plot.png' })).toBeInTheDocument();

    const folder = within(files).getByRole('button', { name: 'notes' });
    await user.click(folder);
    expect(folder).toHaveAttribute('aria-expanded', 'true');
    await user.click(await within(files).findByRole('button', { name: 'README.md' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Notes' })).toBeInTheDocument();
    await user.click(within(files).getByRole('button', { name: 'config.yaml' }));
    expect(await screen.findByLabelText('Contents of notes/config.yaml')).toHaveTextContent('lr: 0.01');
    expect(screen.getByRole('link', { name: 'Download' })).toHaveAttribute('href', expect.stringContaining('notes/config.yaml'));
  });

  it('says when a run has no logs and no outputs', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'bare' });
    renderApp(`/runs/${runId}?tab=outputs`);
    expect(await screen.findByText('No logs')).toBeInTheDocument();
    expect(await screen.findByText('No outputs')).toBeInTheDocument();
    expect(screen.getByText('Choose a log or an output on the left.')).toBeInTheDocument();
  });

  it('re-reads the run with Refresh', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'before-refresh' });
    const { user } = renderApp(`/runs/${runId}`);
    await screen.findByRole('heading', { level: 1, name: 'before-refresh' });
    await server().post(`${ML}/runs/update`, { run_id: runId, run_name: 'after-refresh' });
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'after-refresh' })).toBeInTheDocument();
  });
});
