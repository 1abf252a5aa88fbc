import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mailFrom } from '../../cli/serve-flags.js';
import type { NotificationRule } from '../../shared/studio/notifications.js';
import { backends, ML, testServer, type Backend, type TestServer } from '../test-support/backends.js';
import { notifyingServer, smtpReceiver, webhookReceiver } from '../test-support/receivers.js';
import { createExperiment, createRun } from '../test-support/seed.js';
import { addUser, callAs, onPage, teamServer, type TestUser } from '../test-support/team.js';

/**
 * A hostile user's view of notification rules: who may read or change which rule, what the
 * server can be made to send and to whom, what a run's name or a rule's filter can do to the
 * worker, and what leaks. Each `Was FOUND:` is an attack that worked once, kept as a guard.
 */

const RULES = '/api/studio/notifications/rules';
const PUBLIC_URL = 'https://studio.example.com';
const quick = { publicUrl: PUBLIC_URL, notifyPollMs: 20, notifyRetryBaseMs: 60_000, notifyRetryMaxMs: 60_000 };

async function startRun(server: TestServer, experimentId: string, name: string, tags: Record<string, string> = {}): Promise<string> {
  const res = await server.post(`${ML}/runs/create`, { experiment_id: experimentId, run_name: name, tags: Object.entries(tags).map(([key, value]) => ({ key, value })) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.run.info.run_id as string;
}
const fail = async (server: TestServer, runId: string) => expect((await server.post(`${ML}/runs/update`, { run_id: runId, status: 'FAILED', end_time: Date.now() })).status).toBe(200);

async function addRule(server: TestServer, rule: Record<string, unknown>): Promise<{ rule: NotificationRule; secret: string | null }> {
  const res = await server.post(RULES, rule);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { rule: NotificationRule; secret: string | null };
}

/** A webhook receiver that never answers; `hit` resolves on the first request that reaches it. */
async function hangingReceiver() {
  const emitter = new EventEmitter();
  let hits = 0;
  const server = http.createServer(() => {
    hits += 1;
    emitter.emit('hit');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`,
    hits: () => hits,
    hit: () => (hits > 0 ? Promise.resolve() : once(emitter, 'hit').then(() => undefined)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.each(backends())('notification attacks on %s', (backend: Backend) => {
  describe('team mode: who may touch which rule', () => {
    let server: TestServer;
    let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
    let hook: Awaited<ReturnType<typeof webhookReceiver>>;
    let admin: TestUser;
    let contributor: TestUser;
    let reader: TestUser;
    let other: TestUser;
    const readerPassword = 'reader-password-1';

    beforeAll(async () => {
      smtp = await smtpReceiver();
      hook = await webhookReceiver();
      server = await teamServer(backend, { ...quick, smtpUrl: smtp.url, mailFrom: 'Runstudio <studio@example.com>' });
      [admin, contributor, reader, other] = await Promise.all([
        addUser(server, 'root', 'admin'),
        addUser(server, 'carl', 'contributor'),
        addUser(server, 'rita', 'reader', readerPassword),
        addUser(server, 'otto', 'reader'),
      ]);
      // Everyone's own e-mail rules go to their account address, which an admin sets.
      for (const name of ['carl', 'rita', 'otto']) {
        expect((await callAs(server, admin, 'PATCH', `/api/studio/users/${name}`, { email: `${name}@example.com` })).status).toBe(200);
      }
    });
    afterAll(async () => {
      await server.close();
      await smtp.close();
      await hook.stop();
    });

    it("a reader cannot list, change, pause, test, delete or read the deliveries of another user's rule or an admin's webhook (404)", async () => {
      const theirs = await callAs(server, other, 'POST', RULES, { name: 'otto failures', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'email', to: 'otto@example.com' } });
      const webhook = await callAs(server, admin, 'POST', RULES, { name: 'admin hook', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } });
      expect([theirs.status, webhook.status]).toEqual([201, 201]);
      const ids = [theirs.body.rule.id as string, webhook.body.rule.id as string];

      const listed = await callAs(server, reader, 'GET', RULES);
      expect(listed.status).toBe(200);
      expect((listed.body.rules as NotificationRule[]).map((r) => r.id)).not.toEqual(expect.arrayContaining([ids[0]]));
      expect(JSON.stringify(listed.body)).not.toContain(hook.url);
      for (const id of ids) {
        expect((await callAs(server, reader, 'PATCH', `${RULES}/${id}`, { paused: true, name: 'pwned' })).status).toBe(404);
        expect((await callAs(server, reader, 'POST', `${RULES}/${id}/test`, {})).status).toBe(404);
        expect((await callAs(server, reader, 'GET', `${RULES}/${id}/deliveries`)).status).toBe(404);
        expect((await callAs(server, reader, 'DELETE', `${RULES}/${id}`)).status).toBe(404);
        expect((await callAs(server, contributor, 'PATCH', `${RULES}/${id}`, { paused: true })).status).toBe(404);
      }
      // Both untouched, and the webhook was never called.
      const all = (await callAs(server, admin, 'GET', RULES)).body.rules as NotificationRule[];
      for (const id of ids) expect(all.find((r) => r.id === id)).toMatchObject({ paused: false });
      expect(all.find((r) => r.id === ids[0])!.name).toBe('otto failures');
      expect(hook.requests).toHaveLength(0);
      expect((await callAs(server, null, 'GET', RULES)).status).toBe(401);
      expect((await callAs(server, null, 'POST', `${RULES}/${ids[0]}/test`, {})).status).toBe(401);
    });

    it('a reader or contributor cannot make the server post anywhere (SSRF): no webhook, not by PATCH, not by extra fields', async () => {
      for (const who of [reader, contributor]) {
        for (const channel of [
          { kind: 'webhook', url: 'http://169.254.169.254/latest/meta-data/' },
          { kind: 'webhook', url: hook.url, format: 'slack' },
        ]) {
          const res = await callAs(server, who, 'POST', RULES, { name: 'x', scope: { kind: 'all' }, events: ['FAILED'], channel });
          expect(res.status).toBe(403);
        }
      }
      // Mass assignment on create: owner, secret, paused and id are the server's.
      const made = await callAs(server, reader, 'POST', RULES, {
        name: 'mine',
        scope: { kind: 'all' },
        events: ['FAILED'],
        channel: { kind: 'email', to: 'rita@example.com' },
        owner: 'root',
        secret: 'whsec_AAAA',
        paused: true,
        id: 'fixed-id',
      });
      expect(made.status).toBe(201);
      expect(made.body.rule).toMatchObject({ owner: 'rita', mine: true, paused: false });
      expect(made.body.rule.id).not.toBe('fixed-id');
      expect(made.body.secret).toBeNull();
      // PATCH cannot turn an e-mail rule into a webhook or give it away.
      const patched = await callAs(server, reader, 'PATCH', `${RULES}/${made.body.rule.id}`, { channel: { kind: 'webhook', url: hook.url }, owner: 'otto', scope: { kind: 'run', runId: 'f'.repeat(32) } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ owner: 'rita', channel: { kind: 'email', to: 'rita@example.com' }, scope: { kind: 'all' } });
      const tested = await callAs(server, reader, 'POST', `${RULES}/${made.body.rule.id}/test`, {});
      expect(tested.body.state).toBe('sent');
      expect(hook.requests).toHaveLength(0);
    });

    it('an e-mail rule names exactly one address: no comma lists, no CR/LF header injection, no display-name tricks', async () => {
      const bad = [
        'a@example.com, b@evil.example',
        'a@example.com;b@evil.example',
        'a@example.com\r\nBcc: b@evil.example',
        'a@example.com\nBcc: b@evil.example',
        'a@example.com\rX: y',
        'Rita <a@example.com>',
        '<a@example.com>',
        '"b@evil.example"@example.com',
        'a@example.com>,<b@evil.example',
        'a@example.com%0d%0aBcc:b@evil.example',
        'a@[127.0.0.1]',
        'a@example.com\u2028Bcc: b@evil.example',
      ];
      for (const to of bad) {
        const res = await callAs(server, reader, 'POST', RULES, { name: 'inject', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'email', to } });
        expect(res.status, `${JSON.stringify(to)} → ${res.status}`).toBe(400);
      }
    });

    it('CSRF: a cookie session cannot create, change, test or delete a rule without the CSRF token, from another origin, or as a simple request', async () => {
      const page = await onPage(server, reader, readerPassword);
      const cookieOnly = { cookie: page.headers.cookie! };
      const body = { name: 'csrf', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'email', to: 'rita@example.com' } };
      const inject = (method: 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) =>
        server.app.inject({ method, url, headers, ...(payload === undefined ? {} : typeof payload === 'string' ? { payload } : { payload: payload as object }) });

      expect((await inject('POST', RULES, cookieOnly, body)).statusCode).toBe(403);
      expect((await inject('POST', RULES, { ...page.headers, origin: 'https://evil.example' }, body)).statusCode).toBe(403);
      expect((await inject('POST', RULES, { ...cookieOnly, 'content-type': 'text/plain' }, JSON.stringify(body))).statusCode).toBe(415);
      const made = await inject('POST', RULES, page.headers, body);
      expect(made.statusCode).toBe(201);
      const id = made.json<{ rule: NotificationRule }>().rule.id;
      const before = smtp.mails.length;
      expect((await inject('POST', `${RULES}/${id}/test`, cookieOnly, {})).statusCode).toBe(403);
      expect((await inject('POST', `${RULES}/${id}/test`, { ...cookieOnly, 'content-type': 'text/plain' }, '')).statusCode).toBe(415);
      expect((await inject('PATCH', `${RULES}/${id}`, cookieOnly, { paused: true })).statusCode).toBe(403);
      expect((await inject('DELETE', `${RULES}/${id}`, cookieOnly)).statusCode).toBe(403);
      expect((await inject('DELETE', `${RULES}/${id}`, { ...page.headers, origin: 'null' })).statusCode).toBe(403);
      expect(smtp.mails.length).toBe(before);
      const still = (await callAs(server, reader, 'GET', RULES)).body.rules as NotificationRule[];
      expect(still.find((r) => r.id === id)).toMatchObject({ paused: false });
    });

    it("a webhook's signing secret is shown once, at creation, and never again (list, PATCH, test, deliveries)", async () => {
      const made = await callAs(server, admin, 'POST', RULES, { name: 'signed', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } });
      const secret = made.body.secret as string;
      expect(secret).toMatch(/^whsec_/);
      const id = made.body.rule.id as string;
      const seen = [
        await callAs(server, admin, 'GET', RULES),
        await callAs(server, admin, 'PATCH', `${RULES}/${id}`, { name: 'signed 2' }),
        await callAs(server, admin, 'POST', `${RULES}/${id}/test`, {}),
        await callAs(server, admin, 'GET', `${RULES}/${id}/deliveries`),
      ];
      for (const res of seen) {
        expect(res.status).toBeLessThan(300);
        expect(JSON.stringify(res.body)).not.toContain(secret.slice(6));
        expect(JSON.stringify(res.body)).not.toContain('whsec_');
      }
      const received = await hook.next((r) => r.json.rule?.id === id);
      expect(JSON.stringify(received.headers)).not.toContain(secret.slice(6));
      expect(received.body).not.toContain(secret.slice(6));
      expect(() => new Webhook(secret).verify(received.body, received.headers as Record<string, string>)).not.toThrow();
    });

    // Was FOUND: "Send a test" had no rate limit and a reader's rule could mail any address,
    // with a subject of their choosing: a mail cannon through the organisation's SMTP server.
    // Now a reader's rules send to their own account address only, and tests are limited.
    it('"Send a test" cannot be used as a mail cannon: no outside address, and 30 tests at once are rate-limited', async () => {
      const outside = await callAs(server, reader, 'POST', RULES, { name: 'URGENT: your account is locked, verify at https://evil.example/login', scope: { kind: 'mine' }, events: ['FAILED'], channel: { kind: 'email', to: 'victim@outside.example' } });
      expect(outside.status).toBe(403);
      const rule = await callAs(server, reader, 'POST', RULES, { name: 'Mine', scope: { kind: 'mine' }, events: ['FAILED'], channel: { kind: 'email', to: 'rita@example.com' } });
      expect(rule.status).toBe(201);
      const before = smtp.mails.length;
      const answers = await Promise.all(Array.from({ length: 30 }, () => callAs(server, reader, 'POST', `${RULES}/${rule.body.rule.id}/test`, {})));
      const sent = answers.filter((a) => a.status === 200).length;
      expect(sent).toBeLessThanOrEqual(10);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(30 - sent);
      await vi.waitFor(() => expect(smtp.mails.length - before).toBe(sent));
      expect(smtp.mails.some((m) => JSON.stringify(m.to).includes('victim@outside.example'))).toBe(false);
    });

    // Was FOUND (now counted and inserted in one transaction, per-owner lock on PostgreSQL):
    // the 100-rules-per-user limit was a count read outside the insert's transaction
    // (notifications.service.ts createRule: listRules, then insertRule), so creates sent at
    // once all see 95 rules and all insert. A reader can exceed the limit without bound (each
    // extra rule is one more query per event in fanOut and the stall scan: a cheap amplifier).
    // Severity: low–medium. Fix: count and insert in one db.write transaction (on PostgreSQL,
    // lock the owner's row / use SELECT … FOR UPDATE on users, or a per-owner advisory lock).
    it('the 100-rule limit holds against concurrent creates', async () => {
      const racer = await addUser(server, 'racer', 'reader');
      await callAs(server, admin, 'PATCH', '/api/studio/users/racer', { email: 'racer@example.com' });
      const rule = (i: number) => ({ name: `r${i}`, scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'email', to: 'racer@example.com' } });
      for (let i = 0; i < 95; i += 1) expect((await callAs(server, racer, 'POST', RULES, rule(i))).status).toBe(201);
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => callAs(server, racer, 'POST', RULES, rule(100 + i))));
      const made = answers.filter((a) => a.status === 201).length;
      const owned = ((await callAs(server, racer, 'GET', RULES)).body.rules as NotificationRule[]).length;
      expect({ made, owned }).toEqual({ made: 5, owned: 100 });
    });

    // Was FOUND (now test and resume re-check the role): a webhook was admin-only when made,
    // but nothing was re-checked afterwards. An admin
    // demoted to reader keeps their webhook rules: they keep posting run data (with log tails)
    // to the address, and the ex-admin can still "Send a test" to it (a server-side request on
    // demand) and resume a paused one. Severity: low. Fix: on demotion pause (or delete) the
    // user's webhook rules, and have test/PATCH refuse a webhook rule to a non-admin owner
    // (and fanOut skip webhook rules whose owner is no longer an admin).
    it('an admin demoted to reader can no longer make the server call their webhook', async () => {
      const former = await addUser(server, 'former', 'admin');
      const made = await callAs(server, former, 'POST', RULES, { name: 'former hook', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } });
      expect(made.status).toBe(201);
      const setRole = await callAs(server, admin, 'PATCH', '/api/studio/users/former', { role: 'reader' });
      expect(setRole.status, JSON.stringify(setRole.body)).toBe(200);
      const tested = await callAs(server, former, 'POST', `${RULES}/${made.body.rule.id}/test`, {});
      expect(tested.status).toBe(403);
    });
  });

  describe('what a run or rule says cannot become headers, recipients or markup', () => {
    let receiving: Awaited<ReturnType<typeof notifyingServer>>;
    let server: TestServer;
    let smtp: typeof receiving.smtp;
    let hook: typeof receiving.hook;
    let experimentId: string;

    beforeAll(async () => {
      receiving = await notifyingServer(backend, quick);
      ({ server, smtp, hook } = receiving);
      experimentId = await createExperiment(server, 'exp <!here>\r\nBcc: exp@evil.example');
    });
    afterAll(() => receiving.close());

    it('a run name and a rule name with CR/LF, Bcc: and HTML reach the e-mail as text in one subject line, with no added header or recipient', async () => {
      const name = 'evil\r\nBcc: victim@evil.example\r\nX-Injected: 1\r\n\r\n<script>alert(1)</script><a href="https://evil.example">x</a>';
      const runId = await startRun(server, experimentId, name);
      const made = await addRule(server, { name: 'rule\r\nBcc: rule@evil.example\nX-Rule: 1', scope: { kind: 'run', runId }, events: ['FAILED'], channel: { kind: 'email', to: 'alice@example.com' } });
      await server.app.inject({ method: 'POST', url: `/api/studio/runs/${runId}/logs/std_log.txt?offset=0`, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('Subject: fake\r\n\u0000\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007\r\n<img src=x onerror=alert(1)>\n') });
      await fail(server, runId);
      const mail = await smtp.next((m) => (m.text ?? '').includes(runId));
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.subject).toContain('<script>');
      expect(mail.headers.has('bcc')).toBe(false);
      expect(mail.headers.has('x-injected')).toBe(false);
      expect(mail.headers.has('x-rule')).toBe(false);
      expect(mail.bcc).toBeUndefined();
      expect(mail.cc).toBeUndefined();
      expect(mail.to && 'value' in mail.to ? mail.to.value.map((a) => a.address) : []).toEqual(['alice@example.com']);
      expect(mail.html).toBe(false);
      for (const control of ['\u0000', '\u0007', '\u001b']) expect(mail.text).not.toContain(control);

      const tested = await server.post(`${RULES}/${made.rule.id}/test`, {});
      expect(tested.body.state).toBe('sent');
      const test = await smtp.next((m) => (m.subject ?? '').startsWith('[Runstudio] Test notification'));
      expect(test.subject).not.toMatch(/[\r\n]/);
      expect(test.headers.has('bcc')).toBe(false);
      expect(test.headers.has('x-rule')).toBe(false);
    });

    it('Slack: mentions, links and code fences in a run name, experiment, submitter or log are escaped', async () => {
      const runId = await startRun(server, experimentId, '<!channel> <https://evil.example|Reset your password> & <@U123>');
      await server.app.inject({ method: 'POST', url: `/api/studio/runs/${runId}/logs/std_log.txt?offset=0`, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('```\n<!everyone> <https://evil.example|click>\n```\n') });
      await addRule(server, { name: '<!subteam^S1>', scope: { kind: 'run', runId }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url, format: 'slack' } });
      await fail(server, runId);
      const got = await hook.next((r) => typeof r.json.text === 'string' && r.json.text.includes(runId));
      const text = got.json.text as string;
      expect(text).not.toMatch(/<!(channel|here|everyone|subteam)/);
      expect(text).not.toContain('<https://evil.example');
      expect(text).not.toContain('<@U123>');
      // The only link is the run's, and the code block is closed exactly once.
      expect(text.match(/<[^&]/g)).toEqual([`<${PUBLIC_URL}/runs/${runId}|Open the run>`.slice(0, 2)]);
      expect(text.split('```')).toHaveLength(3);
    });

    it('a rule on a run that is then deleted still lists, tests and leaves the worker serving other rules; the stall scan skips it', async () => {
      const doomed = await startRun(server, experimentId, 'doomed');
      const rule = await addRule(server, { name: 'doomed watch', scope: { kind: 'run', runId: doomed }, events: ['FAILED'], stalledMinutes: 1, channel: { kind: 'webhook', url: hook.url } });
      expect((await server.post(`${ML}/runs/delete`, { run_id: doomed })).status).toBe(200);
      expect((await server.post(`${RULES}/${rule.rule.id}/test`, {})).body.state).toBe('sent');
      expect((await server.get(RULES)).status).toBe(200);
      const alive = await startRun(server, experimentId, 'alive');
      await addRule(server, { name: 'alive watch', scope: { kind: 'run', runId: alive }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } });
      await fail(server, alive);
      await hook.next((r) => r.json.run?.id === alive);
      expect(await server.app.notifier.scanStalls()).toBe(0);
    });
  });

  describe('a poison rule cannot block the others', () => {
    let server: TestServer;
    let hook: Awaited<ReturnType<typeof webhookReceiver>>;
    let experimentId: string;
    let clock = Date.now();

    beforeAll(async () => {
      hook = await webhookReceiver();
      server = await testServer(backend, () => clock, { ...quick, notifyStallScanMs: 3600_000 });
      experimentId = await createExperiment(server, 'poison');
    });
    afterAll(async () => {
      await server.close();
      await hook.stop();
    });

    // Resisted (was FOUND while testing, since fixed in notifier.ts): a filter the database
    // refuses at run time (on PostgreSQL `LIKE 'x\\'`: "LIKE pattern must not end with escape
    // character") used to roll back the whole fan-out batch and stop the stall scan for every
    // rule. Now each rule is matched and scanned on its own: the others are still told.
    it('a rule whose filter the database refuses at run time does not stop other rules being told', async () => {
      const poison = await server.post(RULES, { name: 'poison', scope: { kind: 'filter', filter: "tags.t LIKE 'x'", experimentId: null }, events: ['FAILED'], stalledMinutes: 1, channel: { kind: 'webhook', url: hook.url } });
      expect(poison.status, JSON.stringify(poison.body)).toBe(201);
      // Stored as an older version would have let it be: a pattern the database refuses.
      const scope = JSON.stringify({ kind: 'filter', filter: "tags.t LIKE 'x\\\\'", experimentId: null });
      await server.db.kysely.updateTable('notification_rules').set({ scope }).where('id', '=', poison.body.rule.id as string).execute();
      const runId = await startRun(server, experimentId, 'victim');
      const stalling = await startRun(server, experimentId, 'stalling');
      await addRule(server, { name: 'honest', scope: { kind: 'run', runId }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } });
      await addRule(server, { name: 'honest stall', scope: { kind: 'run', runId: stalling }, stalledMinutes: 1, channel: { kind: 'webhook', url: hook.url } });
      await fail(server, runId);
      await hook.next((r) => r.json.run?.id === runId && r.json.type === 'run.failed', 3000);
      clock += 2 * 60_000;
      expect(await server.app.notifier.scanStalls()).toBe(1);
      await hook.next((r) => r.json.run?.id === stalling && r.json.type === 'run.stalled', 3000);
    });

    // Was FOUND (now the parser refuses both, for every search): a rule's filter was only
    // parsed when saved, never run, so a filter
    // the database refuses (`LIKE 'x\\'`, a NUL inside a quoted value) is accepted with 201 and
    // then fails every event it is matched against (failed deliveries, an error in the log per
    // batch and stall scan). Fix: in checkScope run the compiled scope once
    // (`SELECT 1 FROM runs r WHERE <scope> LIMIT 0`) and answer 400 with the database's reason;
    // or refuse a LIKE pattern ending in an unescaped backslash and NUL characters in the parser.
    it('a filter the database would refuse is refused when the rule is saved', async () => {
      const res = await server.post(RULES, { name: 'bad like', scope: { kind: 'filter', filter: "tags.t LIKE 'y\\\\'", experimentId: null }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } });
      expect(res.status).toBe(400);
    });

    it('a filter at the limits (4,000 characters of IN list and LIKE wildcards) is accepted or refused at once, and a status change is still told quickly', async () => {
      const values = Array.from({ length: 400 }, (_, i) => `'v${i}'`).join(',');
      const inList = `params.p IN (${values})`.slice(0, 3990);
      const big = await server.post(RULES, { name: 'huge in', scope: { kind: 'filter', filter: `${inList.slice(0, inList.lastIndexOf(','))})` }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } });
      expect(big.status, JSON.stringify(big.body)).toBe(201);
      const like = await server.post(RULES, { name: 'like', scope: { kind: 'filter', filter: Array.from({ length: 60 }, () => "tags.x LIKE '%a%b%c%d%e%f%g%h%'").join(' and ') }, events: ['FAILED'], stalledMinutes: 1, channel: { kind: 'webhook', url: hook.url } });
      expect(like.status, JSON.stringify(like.body)).toBe(201);
      expect((await server.post(RULES, { name: 'too long', scope: { kind: 'filter', filter: `${'a'.repeat(4001)}` }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } })).status).toBe(400);
      expect((await server.post(RULES, { name: 'bad', scope: { kind: 'filter', filter: 'attributes.start_time > 1e30' }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } })).status).toBe(400);
      const runId = await createRun(server, experimentId, { params: { p: 'v3' }, tags: { x: 'abcdefgh' } });
      const started = Date.now();
      await fail(server, runId);
      await hook.next((r) => r.json.run?.id === runId && r.json.rule?.id === big.body.rule.id, 3000);
      await hook.next((r) => r.json.run?.id === runId && r.json.rule?.id === like.body.rule.id, 3000);
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });

  describe('receivers that hang', () => {
    let server: TestServer;
    let hook: Awaited<ReturnType<typeof webhookReceiver>>;
    let slow: Awaited<ReturnType<typeof hangingReceiver>>;
    let experimentId: string;

    beforeAll(async () => {
      hook = await webhookReceiver();
      slow = await hangingReceiver();
      server = await testServer(backend, undefined, { ...quick, notifySendTimeoutMs: 4000 });
      experimentId = await createExperiment(server, 'slow');
    });
    afterAll(async () => {
      await slow.close();
      await server.close();
      await hook.stop();
    });

    it("one hanging receiver does not delay another rule's delivery", async () => {
      const stuck = await startRun(server, experimentId, 'stuck');
      const other = await startRun(server, experimentId, 'other');
      await addRule(server, { name: 'to the tarpit', scope: { kind: 'run', runId: stuck }, events: ['FAILED'], channel: { kind: 'webhook', url: slow.url } });
      await addRule(server, { name: 'to a good hook', scope: { kind: 'run', runId: other }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } });
      await fail(server, stuck);
      await slow.hit();
      await fail(server, other);
      await hook.next((r) => r.json.run?.id === other, 1500);
    });

    // Was FOUND (now also 4 per receiving host): the send pool was 16 per replica and 4 per
    // rule, but nothing per receiver. Four
    // rules whose receiver hangs (one blackholed host behind four teams' rules, or an admin's
    // tarpit) with four events each fill all 16 slots, and every other rule's delivery waits for
    // their timeouts (15 s per round, over and over while they keep failing and retrying).
    // Severity: low–medium (availability; webhooks are admin-only, but a receiver that drops
    // packets is an ordinary outage). Fix: also cap in-flight sends per receiver host (e.g. 4),
    // keep some slots for rules with nothing in flight, and use a shorter connect timeout than
    // the whole-try timeout.
    it('receivers that hang for several rules do not take every send slot from the others', async () => {
      const tarpitExperiment = await createExperiment(server, 'tarpit');
      for (let i = 0; i < 4; i += 1) await addRule(server, { name: `tarpit ${i}`, scope: { kind: 'experiment', experimentId: tarpitExperiment }, events: ['FAILED'], channel: { kind: 'webhook', url: slow.url } });
      const good = await startRun(server, experimentId, 'good');
      await addRule(server, { name: 'good hook', scope: { kind: 'run', runId: good }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } });
      for (let i = 0; i < 4; i += 1) await fail(server, await startRun(server, tarpitExperiment, `stuck ${i}`));
      await vi.waitFor(() => expect(slow.hits()).toBe(4), { timeout: 3000, interval: 20 });
      await fail(server, good);
      await hook.next((r) => r.json.run?.id === good, 1500);
    });
  });

  describe('an event storm', () => {
    let server: TestServer;
    let hook: Awaited<ReturnType<typeof webhookReceiver>>;
    let experimentId: string;

    beforeAll(async () => {
      hook = await webhookReceiver();
      server = await testServer(backend, undefined, quick);
      experimentId = await createExperiment(server, 'storm');
    });
    afterAll(async () => {
      await server.close();
      await hook.stop();
    });

    it('cancelling a run with 300 children sends each KILLED once per rule, in bounded batches, and nothing twice', async () => {
      const parent = await startRun(server, experimentId, 'sweep');
      const children: string[] = [];
      for (let i = 0; i < 300; i += 50) {
        children.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => startRun(server, experimentId, `child ${i + j}`, { 'mlflow.parentRunId': parent })))));
      }
      const rule = await addRule(server, { name: 'storm', scope: { kind: 'experiment', experimentId }, events: ['KILLED'], channel: { kind: 'webhook', url: hook.url } });
      const cancelled = await server.post(`/api/studio/runs/${parent}/cancel`, {});
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
      expect(cancelled.body.childrenCancelled).toBe(300);
      await vi.waitFor(() => expect(hook.requests.length).toBeGreaterThanOrEqual(301), { timeout: 8000, interval: 50 });
      await server.app.notifier.settle();
      const ids = hook.requests.map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(hook.requests.map((r) => r.json.run?.id)).size).toBe(301);
      const summary = ((await server.get(RULES)).body.rules as NotificationRule[]).find((r) => r.id === rule.rule.id)!.deliveries;
      expect(summary).toMatchObject({ pending: 0, failed: 0, sent: 301 });
    });
  });

  describe('secrets of the SMTP server', () => {
    const password = 'Sup3r-S3cret-smtp-pw';
    let smtpServer: SMTPServer;
    let server: TestServer;

    beforeAll(async () => {
      smtpServer = new SMTPServer({
        allowInsecureAuth: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onAuth: (auth, _session, callback) => callback(new Error(`535 Authentication failed for ${auth.username}`)),
      });
      await new Promise<void>((resolve) => smtpServer.listen(0, '127.0.0.1', resolve));
      const port = (smtpServer.server.address() as AddressInfo).port;
      server = await testServer(backend, undefined, { ...quick, smtpUrl: `smtp://runstudio:${encodeURIComponent(password)}@127.0.0.1:${port}`, mailFrom: 'studio@example.com' });
    });
    afterAll(async () => {
      await server.close();
      await new Promise<void>((resolve) => smtpServer.close(() => resolve()));
    });

    it('a refused SMTP login shows its reason, never the password, in the answer, the rules page or the log', async () => {
      const logged: string[] = [];
      const warn = vi.spyOn(server.app.log, 'warn').mockImplementation((...args: unknown[]) => void logged.push(JSON.stringify(args)));
      const err = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(JSON.stringify(args)));
      try {
        const rule = await addRule(server, { name: 'mail', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'email', to: 'a@example.com' } });
        const tested = await server.post(`${RULES}/${rule.rule.id}/test`, {});
        expect(tested.body.state).toBe('failed');
        expect(tested.body.lastError).toMatch(/auth|login|535/i);
        const seen = [JSON.stringify(tested.body), JSON.stringify((await server.get(RULES)).body), JSON.stringify((await server.get(`${RULES}/${rule.rule.id}/deliveries`)).body), ...logged];
        for (const text of seen) {
          expect(text).not.toContain(password);
          expect(text).not.toContain(encodeURIComponent(password));
          expect(text).not.toContain(Buffer.from(`\u0000runstudio\u0000${password}`).toString('base64'));
        }
      } finally {
        warn.mockRestore();
        err.mockRestore();
      }
    });

    it('--mail-from refuses a header injection', () => {
      expect(() => mailFrom('studio@example.com\r\nBcc: victim@evil.example')).toThrow();
      expect(() => mailFrom('Runstudio <studio@example.com>\nBcc: victim@evil.example')).toThrow();
      expect(() => mailFrom('Run\r\nBcc: v@evil.example <studio@example.com>')).toThrow();
    });
  });
});
