import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, expect, test } from '@playwright/test';
import { createExperiment, createRun, mlflow, unique } from '../fixtures/api.js';
import { appendLog } from '../fixtures/blobs.js';

/**
 * What a page on another site could send to a Runstudio on the visitor's machine: "simple"
 * requests that need no CORS preflight (text/plain, form-encoded, an HTML form, no body),
 * and a JSON request that does. Each is fired and forgotten, as an attacker would.
 */
function attackPage(target: string, ids: { runId: string; experimentId: string; loot: string }): string {
  const api = `${target}/api/2.0/mlflow`;
  const attacks = [
    [`${api}/runs/delete`, 'text/plain', { run_id: ids.runId }],
    [`${api}/experiments/delete`, 'text/plain', { experiment_id: ids.experimentId }],
    [`${api}/runs/set-tag`, 'text/plain', { run_id: ids.runId, key: 'planted', value: 'by another site' }],
    [`${api}/runs/set-tag`, 'application/x-www-form-urlencoded', { run_id: ids.runId, key: 'mlflow.note.content', value: 'planted description' }],
    [`${api}/experiments/create`, 'text/plain', { name: ids.loot, artifact_location: 's3://attacker-bucket/loot' }],
    [`${target}/api/studio/views`, 'text/plain', { name: 'planted view', visibility: 'shared', state: {} }],
    [`${target}/api/studio/runs/${ids.runId}/logs/std_log.txt?offset=0`, 'text/plain', 'planted log line\n'],
    [`${target}/api/studio/runs/${ids.runId}/cancel`, null, null],
  ] as const;
  return `<!doctype html><title>cute cats</title><body>
<iframe name="sink" style="display:none"></iframe>
<form id="form" method="POST" enctype="text/plain" target="sink" action="${api}/runs/delete">
  <input name='{"run_id":"${ids.runId}","x":"' value='"}'>
</form>
<script>
  const attacks = ${JSON.stringify(attacks)};
  const shots = attacks.map(([url, type, body]) => fetch(url, {
    method: 'POST', mode: 'no-cors', credentials: 'include',
    ...(type ? { headers: { 'content-type': type } } : {}),
    ...(body === null ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  }).then(() => 'sent', () => 'blocked'));
  // With a JSON type the browser asks first (a preflight), and the server says no.
  shots.push(fetch('${api}/runs/delete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ run_id: '${ids.runId}' }) }).then(() => 'sent', () => 'blocked'));
  document.getElementById('form').submit();
  document.querySelector('iframe').addEventListener('load', async () => {
    const outcomes = await Promise.all(shots);
    document.title = 'done ' + outcomes.join(',');
  });
</script></body>`;
}

test('a page on another site tries every cross-site write, and nothing changes', async ({ page, request, baseURL }) => {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: 'target-run' });
  await appendLog(request, runId, 'std_log.txt', 'real line\n');
  const loot = unique('loot');
  const attacker = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(attackPage(baseURL!, { runId, experimentId, loot })));
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  const { port } = attacker.address() as AddressInfo;
  try {
    // Another port is another origin: http://127.0.0.1:<port> is not the studio's.
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(page).toHaveTitle(/^done /, { timeout: 15_000 });
  } finally {
    attacker.close();
  }

  const { run } = await mlflow<{ run: { info: { status: string; lifecycle_stage: string }; data: { tags?: Array<{ key: string; value: string }> } } }>(request, `runs/get?run_id=${runId}`);
  expect(run.info).toMatchObject({ status: 'RUNNING', lifecycle_stage: 'active' });
  expect(run.data.tags?.find((t) => t.key === 'planted' || t.key === 'mlflow.note.content')).toBeUndefined();
  const { experiment } = await mlflow<{ experiment: { lifecycle_stage: string } }>(request, `experiments/get?experiment_id=${experimentId}`);
  expect(experiment.lifecycle_stage).toBe('active');
  const byName = await request.get(`/api/2.0/mlflow/experiments/get-by-name?experiment_name=${loot}`);
  expect(byName.status()).toBe(404);
  const views = await (await request.get('/api/studio/views')).json();
  expect(JSON.stringify(views)).not.toContain('planted view');
  const log = await request.get(`/api/studio/runs/${runId}/logs/std_log.txt`);
  expect(await log.text()).toBe('real line\n');

  // The studio's own page still works: it can still cancel the run.
  await page.goto(`/runs/${runId}`);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.getByRole('alertdialog', { name: 'Cancel this run?' }).getByRole('button', { name: 'Cancel run' }).click();
  await expect(page.getByText('Canceled', { exact: true })).toBeVisible();
});

test('a DNS-rebound name reaches nothing: every request under a foreign Host is refused', async ({ request, baseURL }) => {
  const experimentName = unique('private-exp');
  await createExperiment(request, experimentName);
  const port = new URL(baseURL!).port;
  // The attacker's name now resolves to this machine, as after a DNS rebinding.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--host-resolver-rules=MAP rebind.example 127.0.0.1'],
  });
  try {
    const page = await browser.newPage();
    const answer = await page.goto(`http://rebind.example:${port}/api/2.0/mlflow/experiments/search?max_results=1000`);
    expect(answer?.status()).toBe(403);
    const text = await page.locator('body').innerText();
    expect(text).toContain('--allowed-hosts');
    expect(text).not.toContain(experimentName);
    expect((await page.goto(`http://rebind.example:${port}/runs`))?.status()).toBe(403);
  } finally {
    await browser.close();
  }
});
