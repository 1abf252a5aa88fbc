import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { Delivery, NotificationRule, WebhookPayload } from '../../shared/studio/notifications.js';
import { backends, ML, testServer, type TestServer } from '../test-support/backends.js';
import { notifyingServer, webhookReceiver } from '../test-support/receivers.js';
import { createExperiment } from '../test-support/seed.js';

const RULES = '/api/studio/notifications/rules';
const PUBLIC_URL = 'https://studio.example.com';
/** Fast retries, so a receiver that is down is tried again within the test. */
const quick = { publicUrl: PUBLIC_URL, notifyPollMs: 20, notifyRetryBaseMs: 40, notifyRetryMaxMs: 200 };

async function addRule(server: TestServer, rule: Record<string, unknown>): Promise<{ rule: NotificationRule; secret: string | null }> {
  const res = await server.post(RULES, rule);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { rule: NotificationRule; secret: string | null };
}

async function deliveries(server: TestServer, ruleId: string): Promise<Delivery[]> {
  const res = await server.get(`${RULES}/${ruleId}/deliveries`);
  expect(res.status).toBe(200);
  return res.body.deliveries as Delivery[];
}

async function startRun(server: TestServer, experimentId: string, name: string, user = 'alice'): Promise<string> {
  const res = await server.post(`${ML}/runs/create`, { experiment_id: experimentId, run_name: name, user_id: user });
  expect(res.status).toBe(200);
  return res.body.run.info.run_id as string;
}

async function appendLog(server: TestServer, runId: string, text: string): Promise<void> {
  const res = await server.app.inject({ method: 'POST', url: `/api/studio/runs/${runId}/logs/std_log.txt?offset=0`, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from(text) });
  expect(res.statusCode, res.body).toBe(200);
}

const setStatus = (server: TestServer, runId: string, status: string, endTime?: number) => server.post(`${ML}/runs/update`, { run_id: runId, status, ...(endTime ? { end_time: endTime } : {}) });

describe.each(backends())('notifications on %s', (backend) => {
  let receiving: Awaited<ReturnType<typeof notifyingServer>>;
  let server: TestServer;
  let smtp: typeof receiving.smtp;
  let hook: typeof receiving.hook;
  let experimentId: string;
  beforeAll(async () => {
    receiving = await notifyingServer(backend, quick);
    ({ server, smtp, hook } = receiving);
    experimentId = await createExperiment(server, 'vision');
  });
  afterAll(() => receiving.close());

  it('a run that fails sends one e-mail and one signed webhook, naming the run, its experiment, the change, duration, submitter, log tail and link', async () => {
    const runId = await startRun(server, experimentId, 'resnet-50 <b>bold</b>');
    const mailRule = await addRule(server, { name: 'Failures to me', scope: { kind: 'experiment', experimentId }, events: ['FAILED'], channel: { kind: 'email', to: 'alice@example.com' } });
    const hookRule = await addRule(server, { name: 'Failures to the hook', scope: { kind: 'run', runId }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } });
    expect(mailRule.secret).toBeNull();
    expect(hookRule.secret).toMatch(/^whsec_/);
    const lines = Array.from({ length: 30 }, (_, i) => `step ${i}: loss=${(1 / (i + 1)).toFixed(3)}`);
    await appendLog(server, runId, `${lines.join('\n')}\n\u001b[31mCUDA error: out of memory\u001b[0m\n`);
    const started = (await server.get(`${ML}/runs/get?run_id=${runId}`)).body.run.info.start_time as number;
    expect((await setStatus(server, runId, 'FAILED', started + 3 * 3600_000 + 12 * 60_000)).status).toBe(200);

    const mail = await smtp.next((m) => (m.text ?? '').includes(runId));
    expect(mail.subject).toBe('[Runstudio] Failed: resnet-50 <b>bold</b> (vision)');
    expect(mail.from?.text).toContain('studio@example.com');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('alice@example.com');
    expect(mail.html).toBe(false);
    const text = mail.text ?? '';
    expect(text).toContain('Experiment:  vision');
    expect(text).toContain('Status:      Running → Failed');
    expect(text).toContain('Duration:    3h 12m');
    expect(text).toContain('Submitter:   alice');
    expect(text).toContain('CUDA error: out of memory');
    expect(text).not.toContain('\u001b[');
    expect(text).toContain('step 29: loss=0.033');
    expect(text).not.toContain('step 10:'); // only the last 20 lines
    expect(text).toContain(`Open the run: ${PUBLIC_URL}/runs/${runId}`);

    const request = await hook.next((r) => r.json.run?.id === runId);
    const payload = new Webhook(hookRule.secret!).verify(request.body, request.headers as Record<string, string>) as WebhookPayload;
    expect(request.headers['webhook-id']).toBe(payload.id);
    expect(payload.type).toBe('run.failed');
    expect(payload.rule).toEqual({ id: hookRule.rule.id, name: 'Failures to the hook' });
    expect(payload.run).toMatchObject({
      id: runId,
      name: 'resnet-50 <b>bold</b>',
      experimentId,
      experimentName: 'vision',
      status: 'FAILED',
      statusLabel: 'Failed',
      previousStatus: 'RUNNING',
      durationMs: 3 * 3600_000 + 12 * 60_000,
      submitter: 'alice',
      url: `${PUBLIC_URL}/runs/${runId}`,
    });
    expect(payload.logTail).toHaveLength(20);
    expect(payload.logTail?.at(-1)).toBe('CUDA error: out of memory');
    // A signature under another secret, or of another body, does not verify.
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(request.body, request.headers as Record<string, string>)).toThrow();
    expect(() => new Webhook(hookRule.secret!).verify(request.body.replace('FAILED', 'FINISHED'), request.headers as Record<string, string>)).toThrow();

    await server.app.notifier.settle();
    expect(smtp.mails.filter((m) => (m.text ?? '').includes(runId))).toHaveLength(1);
    expect(hook.requests.filter((r) => r.json.run?.id === runId)).toHaveLength(1);
    const [sent] = await deliveries(server, hookRule.rule.id);
    expect(sent).toMatchObject({ id: payload.id, eventId: payload.eventId, state: 'sent', attempts: 1, lastError: null, type: 'run.failed', runId });
    const list = (await server.get(RULES)).body.rules as NotificationRule[];
    expect(list.find((r) => r.id === mailRule.rule.id)?.deliveries).toMatchObject({ sent: 1, pending: 0, failed: 0, last: { state: 'sent' } });
  });

  it('tells only the events a rule names, only for runs in its scope (an MLflow filter compiled to SQL), and nothing while paused', async () => {
    const a = await startRun(server, experimentId, 'a');
    const b = await startRun(server, experimentId, 'b');
    for (const [runId, team] of [[a, 'nlp'], [b, 'vision']] as const) {
      expect((await server.post(`${ML}/runs/set-tag`, { run_id: runId, key: 'team', value: team })).status).toBe(200);
    }
    const rule = await addRule(server, { name: 'NLP ends', scope: { kind: 'filter', filter: "tags.team = 'nlp'", experimentId }, events: ['FINISHED', 'KILLED'], channel: { kind: 'webhook', url: hook.url } });
    const mine = (r: { json: Record<string, any> }) => r.json.rule?.id === rule.rule.id;
    await setStatus(server, b, 'FINISHED');
    await setStatus(server, a, 'FAILED'); // not an event this rule names
    const c = await startRun(server, experimentId, 'c');
    await server.post(`${ML}/runs/set-tag`, { run_id: c, key: 'team', value: 'nlp' });
    expect((await server.post(`/api/studio/runs/${c}/cancel`, {})).status).toBe(200);
    const canceled = await hook.next((r) => mine(r) && r.json.run?.id === c);
    expect(canceled.json.type).toBe('run.canceled');
    expect(canceled.json.run.previousStatus).toBe('RUNNING');
    await server.app.notifier.settle();
    expect(hook.requests.filter(mine).map((r) => r.json.run.id)).toEqual([c]);

    const paused = await server.app.inject({ method: 'PATCH', url: `${RULES}/${rule.rule.id}`, payload: { paused: true } });
    expect(paused.json<NotificationRule>().paused).toBe(true);
    const d = await startRun(server, experimentId, 'd');
    await server.post(`${ML}/runs/set-tag`, { run_id: d, key: 'team', value: 'nlp' });
    await setStatus(server, d, 'FINISHED');
    await server.app.notifier.settle();
    expect(hook.requests.filter(mine)).toHaveLength(1);
    expect(await deliveries(server, rule.rule.id)).toHaveLength(1);
  });

  it('tells Running: a run created running (no previous status), and one queued that starts', async () => {
    const rule = await addRule(server, { name: 'Starts', scope: { kind: 'experiment', experimentId }, events: ['RUNNING'], channel: { kind: 'webhook', url: hook.url } });
    const mine = (r: { json: Record<string, any> }) => r.json.rule?.id === rule.rule.id;
    const created = await startRun(server, experimentId, 'starts-running');
    const first = await hook.next((r) => mine(r) && r.json.run?.id === created);
    expect(first.json).toMatchObject({ type: 'run.running', run: { status: 'RUNNING', statusLabel: 'Running', previousStatus: null } });
    const queued = await startRun(server, experimentId, 'queued-first');
    await hook.next((r) => mine(r) && r.json.run?.id === queued);
    expect((await setStatus(server, queued, 'SCHEDULED')).status).toBe(200);
    expect((await setStatus(server, queued, 'RUNNING')).status).toBe(200);
    const started = await hook.next((r) => mine(r) && r.json.run?.id === queued && r.json.run?.previousStatus === 'SCHEDULED');
    expect(started.json.type).toBe('run.running');
    await server.app.notifier.settle();
    expect(hook.requests.filter(mine)).toHaveLength(3);
  });

  it('a receiver that is down for a while gets the event once it is back, and the page shows the retries meanwhile', async () => {
    const down = await webhookReceiver();
    await down.stop();
    const runId = await startRun(server, experimentId, 'retry-me');
    const rule = await addRule(server, { name: 'Flaky receiver', scope: { kind: 'run', runId }, events: ['FAILED'], channel: { kind: 'webhook', url: down.url, format: 'json' } });
    await setStatus(server, runId, 'FAILED');
    await vi.waitFor(
      async () => {
        const [d] = await deliveries(server, rule.rule.id);
        expect(d?.state).toBe('pending');
        expect(d?.attempts).toBeGreaterThanOrEqual(2);
        expect(d?.lastError).toMatch(/ECONNREFUSED|fetch failed/);
      },
      { timeout: 10_000, interval: 20 },
    );
    await down.start();
    const got = await down.next();
    expect(got.json.run.id).toBe(runId);
    await vi.waitFor(async () => expect((await deliveries(server, rule.rule.id))[0]?.state).toBe('sent'), { timeout: 5000, interval: 20 });
    await server.app.notifier.settle();
    expect(down.requests).toHaveLength(1);
    const [d] = await deliveries(server, rule.rule.id);
    expect(d!.lastError).toBeNull();
    expect(d!.id).toBe(got.json.id);
    expect(d!.eventId).toBe(got.json.eventId);
    await down.stop();
  });

  it('a receiver that keeps refusing is failed for good after the last try, with its answer', async () => {
    const refusing = await webhookReceiver();
    refusing.answer(500);
    const short = await testServer(backend, undefined, { ...quick, notifyMaxAttempts: 3 });
    try {
      const exp = await createExperiment(short, 'e');
      const runId = await startRun(short, exp, 'r');
      const rule = await addRule(short, { name: 'Refused', scope: { kind: 'all' }, events: ['FINISHED'], channel: { kind: 'webhook', url: refusing.url } });
      await setStatus(short, runId, 'FINISHED');
      await vi.waitFor(async () => expect((await deliveries(short, rule.rule.id))[0]?.state).toBe('failed'), { timeout: 10_000, interval: 20 });
      const [d] = await deliveries(short, rule.rule.id);
      expect(d).toMatchObject({ attempts: 3, nextAttemptAt: null });
      expect(d!.lastError).toContain('HTTP 500');
      const listed = (await short.get(RULES)).body.rules as NotificationRule[];
      expect(listed[0]!.deliveries).toMatchObject({ failed: 1, pending: 0, sent: 0 });
    } finally {
      await short.close();
      await refusing.stop();
    }
  });

  it('Send a test goes through the channel at once and answers how it went', async () => {
    const rule = await addRule(server, { name: 'Test me', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url, format: 'slack' } });
    const ok = await server.post(`${RULES}/${rule.rule.id}/test`, {});
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'sent', type: 'test', attempts: 1 });
    const request = await hook.next((r) => r.headers['webhook-id'] === ok.body.id);
    expect(request.json).toEqual({ text: 'Runstudio: Test notification for rule "Test me"' });
    expect(() => new Webhook(rule.secret!).verify(request.body, request.headers as Record<string, string>)).not.toThrow();

    const mail = await addRule(server, { name: 'Mail test', scope: { kind: 'mine' }, events: ['FAILED'], channel: { kind: 'email', to: 'bob@example.com' } });
    const mailed = await server.post(`${RULES}/${mail.rule.id}/test`, {});
    expect(mailed.body.state).toBe('sent');
    const message = await smtp.next((m) => (m.text ?? '').includes(mailed.body.eventId as string));
    expect(message.subject).toBe('[Runstudio] Test notification for rule "Mail test"');

    hook.answer(503);
    try {
      const failed = await server.post(`${RULES}/${rule.rule.id}/test`, {});
      expect(failed.body).toMatchObject({ state: 'failed', attempts: 1 });
      expect(failed.body.lastError).toContain('HTTP 503');
    } finally {
      hook.answer(204);
    }
  });
});

describe.each(backends())('a stalled run on %s', (backend) => {
  let clock = Date.UTC(2026, 10, 28, 9, 0, 0);
  let server: TestServer;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeAll(async () => {
    hook = await webhookReceiver();
    server = await testServer(backend, () => clock, quick);
  });
  afterAll(async () => {
    await server.close();
    await hook.stop();
  });

  it('is reported once per stall: silence past N minutes, again only after it showed life and went silent again', async () => {
    const experimentId = await createExperiment(server, 'long');
    const runId = await startRun(server, experimentId, 'three-day-run');
    const finished = await startRun(server, experimentId, 'done');
    await setStatus(server, finished, 'FINISHED');
    const rule = await addRule(server, { name: 'Silent runs', scope: { kind: 'experiment', experimentId }, stalledMinutes: 30, channel: { kind: 'webhook', url: hook.url } });
    const stalls = () => hook.requests.filter((r) => r.json.type === 'run.stalled');

    clock += 29 * 60_000;
    expect(await server.app.notifier.scanStalls()).toBe(0);
    clock += 2 * 60_000;
    expect(await server.app.notifier.scanStalls()).toBe(1);
    expect(await server.app.notifier.scanStalls()).toBe(0);
    const first = await hook.next((r) => r.json.type === 'run.stalled');
    expect(first.json.run).toMatchObject({ id: runId, status: 'RUNNING' });
    expect(first.json.stalled).toMatchObject({ minutes: 30 });
    // Sent and recorded before the clock jumps: an hour later its lease would have run out.
    await server.app.notifier.settle();
    clock += 60 * 60_000;
    expect(await server.app.notifier.scanStalls()).toBe(0);
    await server.app.notifier.settle();
    expect(stalls()).toHaveLength(1);

    // It logs again (a metric: a sign of life, once the event bus has stored it) ...
    expect((await server.post(`${ML}/runs/log-metric`, { run_id: runId, key: 'loss', value: 0.5, timestamp: clock, step: 1 })).status).toBe(200);
    await vi.waitFor(async () => {
      const row = await server.db.kysely.selectFrom('run_liveness').select('at').where('run_uuid', '=', runId).executeTakeFirst();
      expect(Number(row?.at)).toBe(clock);
    });
    expect(await server.app.notifier.scanStalls()).toBe(0);
    // ... and goes silent again: a new stall, told once more.
    clock += 31 * 60_000;
    expect(await server.app.notifier.scanStalls()).toBe(1);
    await server.app.notifier.settle();
    await vi.waitFor(() => expect(stalls()).toHaveLength(2));
    expect(stalls().every((r) => r.json.run.id === runId)).toBe(true);
    expect((await deliveries(server, rule.rule.id)).map((d) => d.type)).toEqual(['run.stalled', 'run.stalled']);
  });
});
