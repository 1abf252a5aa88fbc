import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';

test('a 50 MB log opens at once and is never downloaded whole', async ({ page, request }) => {
  test.setTimeout(90_000);
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: 'chatty', status: 'FINISHED' });
  const line = (i: number) => `${String(i).padStart(7, '0')} epoch=${i % 90} step=${i} loss=${(1 / (i + 1)).toFixed(8)} ${'·'.repeat(40)}\n`;
  let offset = 0;
  let lines = 0;
  while (offset < 50 * 1024 * 1024) {
    let chunk = '';
    while (chunk.length < 4 * 1024 * 1024) chunk += line(lines++);
    const bytes = Buffer.from(chunk);
    const response = await request.post(`/api/studio/runs/${runId}/logs/std_log.txt?offset=${offset}`, { data: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(response.ok()).toBe(true);
    offset += bytes.length;
  }

  let largest = 0;
  page.on('response', async (response) => {
    const length = Number(response.headers()['content-length'] ?? (await response.body().catch(() => Buffer.alloc(0))).length);
    largest = Math.max(largest, length);
  });
  await page.goto(`/runs/${runId}?tab=outputs`);
  const log = page.getByRole('region', { name: 'Log std_log.txt' });
  await expect(log.getByText(line(0).trim())).toBeVisible();
  await log.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(log.getByText(line(lines - 1).trim())).toBeVisible();
  await expect(log.getByText(String(lines), { exact: true })).toBeVisible();
  expect(largest).toBeLessThan(1024 * 1024);
});
