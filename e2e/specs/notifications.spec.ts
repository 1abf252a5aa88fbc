import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { smtpReceiver, webhookReceiver } from '../../src/server/test-support/receivers.js';
import { createExperiment, createRun, mlflow } from '../fixtures/api.js';
import { startServe } from '../fixtures/serve.js';

// A server started with --smtp-url (a real SMTP server started here) and --public-url, and a
// real webhook receiver: a rule is made on the Notifications page and tested from it, then a
// run that fails reaches both the webhook and, through "Notify me", an e-mail.
let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
let hook: Awaited<ReturnType<typeof webhookReceiver>>;
let server: Awaited<ReturnType<typeof startServe>>;
let api: APIRequestContext;

test.beforeAll(async () => {
  smtp = await smtpReceiver();
  hook = await webhookReceiver();
  server = await startServe(mkdtempSync(join(tmpdir(), 'runstudio-notify-')), ['--smtp-url', smtp.url, '--mail-from', 'Runstudio <studio@example.com>', '--public-url', 'https://studio.example.com']);
  api = await playwrightRequest.newContext({ baseURL: server.url });
});

test.afterAll(async () => {
  await api?.dispose();
  await server?.stop();
  await hook?.stop();
  await smtp?.close();
});


test('a webhook rule made on the Notifications page sends a signed test, then tells a failed run', async ({ page }) => {
  const experimentId = await createExperiment(api, 'vision');
  await page.goto(`${server.url}/runs`);
  await page.getByRole('link', { name: 'Notifications' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();

  await page.getByRole('button', { name: 'Add rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add rule' });
  await dialog.getByRole('textbox', { name: 'Rule name' }).fill('Vision failures');
  await dialog.getByRole('radio', { name: 'One experiment' }).check();
  await dialog.getByRole('combobox', { name: /experiment/i }).selectOption({ label: 'vision' });
  await dialog.getByRole('checkbox', { name: 'Completed' }).uncheck();
  await dialog.getByRole('checkbox', { name: 'Canceled' }).uncheck();
  await expect(dialog.getByRole('checkbox', { name: 'Failed' })).toBeChecked();
  await dialog.getByRole('radio', { name: 'Webhook' }).check();
  await dialog.getByRole('textbox', { name: 'Webhook URL' }).fill(hook.url);
  await dialog.getByRole('button', { name: 'Add rule' }).click();

  // The signing secret is shown once: the receiver verifies with it.
  const secretDialog = page.getByRole('dialog', { name: /Signing secret/ });
  const secret = await secretDialog.getByRole('textbox', { name: 'Webhook signing secret' }).inputValue();
  expect(secret).toMatch(/^whsec_/);
  await secretDialog.getByRole('button', { name: 'Done' }).click();

  const rule = page.getByRole('article', { name: 'Vision failures' });
  await expect(rule).toContainText('Experiment vision');
  await expect(rule).toContainText('Failed');
  await rule.getByRole('button', { name: 'Send a test' }).click();
  await expect(page.getByText('Test sent', { exact: true })).toBeVisible();
  const test = await hook.next((r) => r.json.type === 'test');
  expect(new Webhook(secret).verify(test.body, test.headers as Record<string, string>)).toMatchObject({ type: 'test', rule: { name: 'Vision failures' } });
  await expect(rule).toContainText('1 sent');

  const runId = await createRun(api, { experimentId, name: 'resnet-50', status: 'RUNNING' });
  await mlflow(api, 'runs/update', { run_id: runId, status: 'FAILED' });
  const told = await hook.next((r) => r.json.run?.id === runId);
  expect(new Webhook(secret).verify(told.body, told.headers as Record<string, string>)).toMatchObject({
    type: 'run.failed',
    run: { name: 'resnet-50', experimentName: 'vision', previousStatus: 'RUNNING', url: `https://studio.example.com/runs/${runId}` },
  });
  await page.reload();
  await expect(page.getByRole('article', { name: 'Vision failures' })).toContainText('2 sent');

  await rule.getByRole('button', { name: 'Pause' }).click();
  await expect(rule.getByRole('button', { name: 'Resume' })).toBeVisible();
  await expect(rule).toContainText(/paused/i);
});

test('"Notify me when this run ends" on a run page e-mails when it fails, with its last log lines', async ({ page }) => {
  const experimentId = await createExperiment(api, 'long-runs');
  const runId = await createRun(api, { experimentId, name: 'three-day-run', status: 'RUNNING' });
  const appended = await api.post(`/api/studio/runs/${runId}/logs/std_log.txt?offset=0`, { headers: { 'content-type': 'application/octet-stream' }, data: Buffer.from('epoch 41 loss 0.12\nRuntimeError: CUDA out of memory\n') });
  expect(appended.ok()).toBe(true);
  await page.goto(`${server.url}/runs/${runId}`);
  await page.getByRole('button', { name: 'Notify me when this run ends' }).click();
  const dialog = page.getByRole('dialog', { name: 'Notify me when this run ends' });
  await dialog.getByRole('textbox', { name: 'E-mail address' }).fill('me@example.com');
  await dialog.getByRole('button', { name: 'Notify me' }).click();
  await expect(page.getByText('You will get an e-mail when “three-day-run” ends.')).toBeVisible();

  await mlflow(api, 'runs/update', { run_id: runId, status: 'FAILED' });
  const mail = await smtp.next((m) => (m.text ?? '').includes(runId));
  expect(mail.subject).toBe('[Runstudio] Failed: three-day-run (long-runs)');
  expect(mail.text).toContain('Status:      Running → Failed');
  expect(mail.text).toContain('RuntimeError: CUDA out of memory');
  expect(mail.text).toContain(`Open the run: https://studio.example.com/runs/${runId}`);
  expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('me@example.com');
});

test('the Notifications page and its Add rule dialog have no serious accessibility violations and work from the keyboard', async ({ page }) => {
  const made = await api.post('/api/studio/notifications/rules', { data: { name: 'Nightly to chat', scope: { kind: 'all' }, events: ['FAILED'], stalledMinutes: 30, channel: { kind: 'webhook', url: hook.url, format: 'slack' } } });
  expect(made.ok()).toBe(true);
  const scan = async (where: string) => {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${where}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
  };
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${server.url}/notifications`);
    await expect(page.getByRole('article', { name: 'Nightly to chat' })).toBeVisible();
    await scan(`/notifications (${scheme})`);
    // Keyboard alone: the dialog opens on Enter, takes the name first, and Escape gives focus back.
    await page.getByRole('button', { name: 'Add rule' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add rule' });
    await expect(dialog.getByRole('textbox', { name: 'Rule name' })).toBeFocused();
    await page.keyboard.type('Typed');
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('radio', { name: 'All runs' })).toBeFocused();
    await scan(`Add rule dialog (${scheme})`);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('button', { name: 'Add rule' })).toBeFocused();
  }
});
