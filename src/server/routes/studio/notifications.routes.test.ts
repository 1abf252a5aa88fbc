import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RULE_FILTER_CHARS, MAX_STALLED_MINUTES, type NotificationRule } from '../../../shared/studio/notifications.js';
import { MAX_RULES_PER_USER } from '../../services/notifications.service.js';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { webhookReceiver } from '../../test-support/receivers.js';
import { createExperiment } from '../../test-support/seed.js';
import { addUser, callAs, teamServer, type TestUser } from '../../test-support/team.js';

const RULES = '/api/studio/notifications/rules';
/** An SMTP address nothing listens on: rules may be made; nothing here is sent by e-mail. */
const SMTP = { smtpUrl: 'smtp://127.0.0.1:9' };
const emailRule = (to = 'me@example.com') => ({ name: 'Mine', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'email', to } });

describe.each(backends())('notification rules API on %s', (backend) => {
  let server: TestServer;
  let experimentId: string;
  beforeAll(async () => {
    server = await testServer(backend, undefined, SMTP);
    experimentId = await createExperiment(server, 'e');
  });
  afterAll(() => server.close());

  const create = (body: unknown) => server.post(RULES, body);

  it.each([
    ['no name', { ...emailRule(), name: '  ' }, 'a rule needs a name'],
    ['no event and no stall', { ...emailRule(), events: [] }, 'a rule needs at least one event or stalledMinutes'],
    ['an unknown event', { ...emailRule(), events: ['EXPLODED'] }, 'events'],
    ['an event twice', { ...emailRule(), events: ['FAILED', 'FAILED'] }, 'events are listed once each'],
    ['a stall of 0 minutes', { ...emailRule(), stalledMinutes: 0 }, 'stalledMinutes is at least 1'],
    ['a stall past a week', { ...emailRule(), stalledMinutes: MAX_STALLED_MINUTES + 1 }, `stalledMinutes is at most ${MAX_STALLED_MINUTES}`],
    ['a bad address', emailRule('not an address'), 'an e-mail address like name@example.com'],
    ['a webhook that is not http', { ...emailRule(), channel: { kind: 'webhook', url: 'file:///etc/passwd' } }, 'url is an http:// or https:// address'],
    ['a filter that is too long', { ...emailRule(), scope: { kind: 'filter', filter: `tags.a = '${'x'.repeat(MAX_RULE_FILTER_CHARS)}'` } }, `filter is at most ${MAX_RULE_FILTER_CHARS} characters`],
    ['a filter that does not parse', { ...emailRule(), scope: { kind: 'filter', filter: 'metrics.loss >>> 1' } }, 'scope.filter: Invalid filter'],
    ['a run id that is not one', { ...emailRule(), scope: { kind: 'run', runId: 'abc' } }, 'runId is a run id'],
    ['an unknown scope', { ...emailRule(), scope: { kind: 'everything' } }, 'scope'],
  ])('refuses %s with a 400 naming it', async (_what, body, message) => {
    const res = await create(body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.message).toContain(message);
    expect((await server.get(RULES)).body.rules.filter((r: NotificationRule) => r.name === (body as { name: string }).name && r.name !== 'Mine')).toEqual([]);
  });

  it('404s a rule on a run or experiment that does not exist', async () => {
    expect((await create({ ...emailRule(), scope: { kind: 'run', runId: '0'.repeat(32) } })).status).toBe(404);
    expect((await create({ ...emailRule(), scope: { kind: 'experiment', experimentId: '999999' } })).status).toBe(404);
  });

  it('creates, lists, renames, pauses, resumes and deletes a rule', async () => {
    const runId = (await server.post(`${ML}/runs/create`, { experiment_id: experimentId })).body.run.info.run_id as string;
    const made = await create({ name: 'When it ends', scope: { kind: 'run', runId }, events: ['FINISHED', 'FAILED', 'KILLED'], channel: { kind: 'email', to: 'me@example.com' } });
    expect(made.status).toBe(201);
    const rule = made.body.rule as NotificationRule;
    expect(rule).toMatchObject({ name: 'When it ends', mine: true, paused: false, stalledMinutes: null, deliveries: { pending: 0, sent: 0, failed: 0, last: null } });
    expect((await server.get(RULES)).body).toMatchObject({ email: true, rules: expect.arrayContaining([expect.objectContaining({ id: rule.id })]) });
    const patch = (body: unknown) => server.app.inject({ method: 'PATCH', url: `${RULES}/${rule.id}`, payload: body as object });
    expect((await patch({ name: 'Renamed', paused: true })).json()).toMatchObject({ name: 'Renamed', paused: true });
    expect((await patch({ paused: false, stalledMinutes: 90 })).json()).toMatchObject({ paused: false, stalledMinutes: 90 });
    const emptied = await patch({ events: [], stalledMinutes: null });
    expect(emptied.statusCode).toBe(400);
    expect(emptied.json().message).toContain('at least one event');
    expect((await server.app.inject({ method: 'DELETE', url: `${RULES}/${rule.id}` })).statusCode).toBe(200);
    expect((await server.get(`${RULES}/${rule.id}/deliveries`)).status).toBe(404);
    expect((await server.app.inject({ method: 'PATCH', url: `${RULES}/${rule.id}`, payload: { paused: true } })).statusCode).toBe(404);
  });

  it(`keeps at most ${MAX_RULES_PER_USER} rules per user`, async () => {
    const own = (await server.get(RULES)).body.rules.length as number;
    for (let i = own; i < MAX_RULES_PER_USER; i += 1) expect((await create(emailRule())).status).toBe(201);
    const over = await create(emailRule());
    expect(over.status).toBe(400);
    expect(over.body.message).toContain(`(${MAX_RULES_PER_USER})`);
  });

  it('refuses e-mail rules on a server without --smtp-url, saying so', async () => {
    const plain = await testServer(backend);
    try {
      const res = await plain.post(RULES, emailRule());
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('--smtp-url');
      expect((await plain.get(RULES)).body.email).toBe(false);
    } finally {
      await plain.close();
    }
  });
});

describe.each(backends())('notification rules by role on %s', (backend) => {
  let server: TestServer;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeAll(async () => {
    hook = await webhookReceiver();
    server = await teamServer(backend, { ...SMTP, notifyPollMs: 20 });
    admin = await addUser(server, 'root', 'admin');
    alice = await addUser(server, 'alice', 'reader');
    bob = await addUser(server, 'bob', 'contributor');
    for (const name of ['alice', 'bob']) {
      expect((await callAs(server, admin, 'PATCH', `/api/studio/users/${name}`, { email: `${name}@example.com` })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await server.close();
    await hook.stop();
  });

  it('lets a reader keep e-mail rules to their own account address, but not mail others or add a webhook', async () => {
    const mine = await callAs(server, alice, 'POST', RULES, emailRule('Alice@Example.com'));
    expect(mine.status).toBe(201);
    expect(mine.body.rule).toMatchObject({ owner: 'alice', mine: true });
    expect((await callAs(server, alice, 'GET', RULES)).body).toMatchObject({ ownEmail: 'alice@example.com', anyAddress: false });
    const stranger = await callAs(server, alice, 'POST', RULES, emailRule('victim@example.org'));
    expect(stranger.status).toBe(403);
    expect(stranger.body.message).toContain('your rules send to your own address (alice@example.com)');
    const carol = await addUser(server, 'dora', 'reader');
    const none = await callAs(server, carol, 'POST', RULES, emailRule('dora@example.com'));
    expect(none.status).toBe(400);
    expect(none.body.message).toContain('your account has no e-mail address yet');
    expect((await callAs(server, admin, 'POST', RULES, emailRule('oncall@example.org'))).status).toBe(201);
    const webhook = await callAs(server, alice, 'POST', RULES, { ...emailRule(), channel: { kind: 'webhook', url: hook.url } });
    expect(webhook.status).toBe(403);
    expect(webhook.body.message).toContain('Only admins add or test webhooks');
    expect((await callAs(server, bob, 'POST', RULES, { ...emailRule(), channel: { kind: 'webhook', url: hook.url } })).status).toBe(403);
  });

  it("hides one user's rules from another (404, as if absent); an admin sees and changes every rule", async () => {
    const rule = (await callAs(server, alice, 'POST', RULES, { ...emailRule('alice@example.com'), name: "Alice's" })).body.rule as NotificationRule;
    expect((await callAs(server, bob, 'GET', RULES)).body.rules.map((r: NotificationRule) => r.owner)).not.toContain('alice');
    for (const [method, url, body] of [
      ['PATCH', `${RULES}/${rule.id}`, { paused: true }],
      ['DELETE', `${RULES}/${rule.id}`, undefined],
      ['POST', `${RULES}/${rule.id}/test`, {}],
      ['GET', `${RULES}/${rule.id}/deliveries`, undefined],
    ] as const) {
      expect((await callAs(server, bob, method, url, body)).status, `${method} ${url}`).toBe(404);
    }
    const all = (await callAs(server, admin, 'GET', RULES)).body.rules as NotificationRule[];
    expect(all.find((r) => r.id === rule.id)).toMatchObject({ owner: 'alice', mine: false });
    expect((await callAs(server, admin, 'PATCH', `${RULES}/${rule.id}`, { paused: true })).body.paused).toBe(true);
    expect((await callAs(server, alice, 'GET', RULES)).body.rules.find((r: NotificationRule) => r.id === rule.id).paused).toBe(true);
  });

  it('"runs I submitted" means the runs its owner submitted, whoever the client says it is', async () => {
    const rule = (await callAs(server, admin, 'POST', RULES, { name: 'My ends', scope: { kind: 'mine' }, events: ['FINISHED'], channel: { kind: 'webhook', url: hook.url } })).body.rule as NotificationRule;
    const runFor = async (user: TestUser) => (await callAs(server, user, 'POST', `${ML}/runs/create`, { user_id: 'root' })).body.run.info.run_id as string;
    const bobs = await runFor(bob);
    const roots = await runFor(admin);
    for (const [user, runId] of [[bob, bobs], [admin, roots]] as const) {
      expect((await callAs(server, user, 'POST', `${ML}/runs/update`, { run_id: runId, status: 'FINISHED' })).status).toBe(200);
    }
    await hook.next((r) => r.json.run?.id === roots);
    await server.app.notifier.settle();
    expect(hook.requests.filter((r) => r.json.rule?.id === rule.id).map((r) => r.json.run.id)).toEqual([roots]);
  });

  it("a removed user's rules go with them", async () => {
    const carol = await addUser(server, 'carol', 'reader');
    await callAs(server, admin, 'PATCH', '/api/studio/users/carol', { email: 'carol@example.com' });
    const rule = (await callAs(server, carol, 'POST', RULES, emailRule('carol@example.com'))).body.rule as NotificationRule;
    expect((await callAs(server, admin, 'DELETE', '/api/studio/users/carol')).status).toBe(200);
    expect((await callAs(server, admin, 'GET', RULES)).body.rules.map((r: NotificationRule) => r.id)).not.toContain(rule.id);
  });

  it('an admin demoted to reader may pause or delete their webhook, not resume or test it', async () => {
    const eve = await addUser(server, 'eve', 'admin');
    const rule = (await callAs(server, eve, 'POST', RULES, { name: 'Eve hook', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } })).body.rule as NotificationRule;
    expect((await callAs(server, admin, 'PATCH', '/api/studio/users/eve', { role: 'reader' })).status).toBe(200);
    expect((await callAs(server, eve, 'POST', `${RULES}/${rule.id}/test`, {})).status).toBe(403);
    expect((await callAs(server, eve, 'PATCH', `${RULES}/${rule.id}`, { paused: true })).status).toBe(200);
    const resumed = await callAs(server, eve, 'PATCH', `${RULES}/${rule.id}`, { paused: false });
    expect(resumed.status).toBe(403);
    expect(resumed.body.message).toContain('Only admins add or test webhooks');
    expect((await callAs(server, eve, 'DELETE', `${RULES}/${rule.id}`)).status).toBe(200);
  });

  it('sends at most 10 tests a minute per user, then 429 with Retry-After', async () => {
    const rule = (await callAs(server, admin, 'POST', RULES, { name: 'Tested', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } })).body.rule as NotificationRule;
    const codes: number[] = [];
    for (let i = 0; i < 11; i += 1) codes.push((await callAs(server, admin, 'POST', `${RULES}/${rule.id}/test`, {})).status);
    expect(codes).toEqual([...Array<number>(10).fill(200), 429]);
    const refused = await callAs(server, admin, 'POST', `${RULES}/${rule.id}/test`, {});
    expect(refused.body.message).toContain('At most 10 tests a minute');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(hook.requests.filter((r) => r.json.type === 'test' && r.json.rule.id === rule.id)).toHaveLength(10);
  });
});
