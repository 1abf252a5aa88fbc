import { hostname } from 'node:os';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mlflow } from '../fixtures/api.js';
import { isAlive, launchRun, type LaunchedRun } from '../fixtures/launch.js';

const launched: LaunchedRun[] = [];
test.afterEach(() => launched.splice(0).forEach((run) => run.cleanup()));

/** No serious accessibility violation on the page as it is now, light and dark (or only those given). */
async function expectAccessible(page: Page, what: string, schemes: Array<'light' | 'dark'> = ['light', 'dark']) {
  for (const scheme of schemes) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${what} (${scheme}): ${v.id} ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Samples as MLflow's enable_system_metrics_logging writes them, plus one metric of the run's own. */
async function logMetrics(request: Parameters<typeof mlflow>[0], runId: string) {
  const now = Date.now();
  const metrics = [0, 1, 2, 3, 4].flatMap((step) => [
    { key: 'loss', value: 1 / (step + 1), step, timestamp: now + step * 1000 },
    { key: 'system/cpu_utilization_percentage', value: 40 + step * 7, step, timestamp: now + step * 1000 },
    { key: 'system/system_memory_usage_megabytes', value: 2100 + step * 30, step, timestamp: now + step * 1000 },
    { key: 'system/gpu_0_utilization_percentage', value: 90 - step, step, timestamp: now + step * 1000 },
  ]);
  await mlflow(request, 'runs/log-batch', { run_id: runId, metrics, params: [], tags: [] });
}

test('a run launched by `runstudio run`: its Launch facts, System metrics, and Cancel stopping its process', async ({ page, request, baseURL }) => {
  test.setTimeout(60_000);
  // The script ignores SIGTERM: only the SIGKILL after the 2 s grace period ends it.
  const run = await launchRun(baseURL!, 'launched-cancel', { ignoreSigterm: true });
  launched.push(run);
  await expect.poll(run.scriptPid, { message: 'the launched script writes its pid' }).not.toBeNull();
  const pid = run.scriptPid()!;
  await logMetrics(request, run.runId);

  await page.goto(`/runs/${run.runId}`);
  await expect(page.getByText('Running', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Launch', exact: true })).toBeVisible();
  const launch = page.getByRole('table', { name: 'Launch', exact: true });
  await expect(launch.getByRole('row', { name: /^Command/ })).toContainText('node -e');
  await expect(launch.getByRole('row', { name: /^Host/ })).toContainText(hostname());
  await expect(launch.getByRole('row', { name: /^Working directory/ })).toContainText(process.cwd());
  await expect(launch.getByRole('button', { name: 'Copy command' })).toBeVisible();
  // Launch tags are system tags: none of them is offered as a user tag.
  await expect(page.getByRole('list', { name: 'Tags' })).not.toContainText('runstudio.launch');
  await page.screenshot({ path: 'test-results/run-launch-overview.png', fullPage: true });
  await expectAccessible(page, 'Overview with Launch');

  await page.getByRole('tab', { name: 'Metrics' }).click();
  await expect(page.getByRole('heading', { name: 'System', exact: true })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Chart of CPU utilization (%) (system/cpu_utilization_percentage) over step' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Chart of Memory used (MB) (system/system_memory_usage_megabytes) over step' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Chart of loss over step' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'GPU 0 utilization (%) system/gpu_0_utilization_percentage' })).toBeVisible();
  await page.screenshot({ path: 'test-results/run-launch-metrics.png', fullPage: true });

  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Cancel this run?' });
  await expect(dialog).toContainText('Runstudio launched this run');
  await expect(dialog).toContainText(`on ${hostname()} gets SIGTERM now, then SIGKILL if it is still running after 2 s`);
  await page.screenshot({ path: 'test-results/run-launch-cancel-dialog.png' });
  await expectAccessible(page, 'Cancel dialog');
  await dialog.getByRole('button', { name: 'Cancel run' }).click();

  // The launcher holds the run: it stays Running, shown "Cancel requested", until the process is gone.
  await expect(page.getByText('Cancel requested', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toBeDisabled();
  await expect(page.getByText('Canceled', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => isAlive(pid), { message: `launched process ${pid} is gone`, timeout: 10_000 }).toBe(false);
  expect(await run.exited).not.toBeNull();

  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(launch.getByRole('row', { name: /^(Exit code|Signal)/ }).first()).toBeVisible();
});

test('Mark as failed, with a reason, on a launched running run', async ({ page, baseURL }) => {
  test.setTimeout(60_000);
  const run = await launchRun(baseURL!, 'launched-fail');
  launched.push(run);
  await expect.poll(run.scriptPid).not.toBeNull();
  const pid = run.scriptPid()!;

  await page.goto(`/runs/${run.runId}`);
  await expect(page.getByText('Running', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Mark as failed', exact: true }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Mark this run as failed?' });
  await dialog.getByRole('textbox', { name: 'Reason (optional)' }).fill('the node was preempted');
  await page.screenshot({ path: 'test-results/run-launch-fail-dialog.png' });
  await expectAccessible(page, 'Mark as failed dialog');
  await dialog.getByRole('button', { name: 'Mark run as failed' }).click();

  await expect(page.getByText('Failed', { exact: true })).toBeVisible();
  await expect(page.getByRole('note')).toHaveText('Failed: the node was preempted');
  await expect(page.getByRole('button', { name: 'Mark as failed', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toBeDisabled();
  // The launcher hears the run was ended by someone else and stops its process.
  await expect.poll(() => isAlive(pid), { message: `launched process ${pid} is gone`, timeout: 15_000 }).toBe(false);
  await page.reload();
  await expect(page.getByText('Failed', { exact: true })).toBeVisible();
  await expect(page.getByRole('note')).toHaveText('Failed: the node was preempted');
  await expectAccessible(page, 'Failed run');
});
