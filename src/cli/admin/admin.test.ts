import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../../server/main.js';
import { EXIT } from '../api-client.js';
import { runCli } from '../queries/cli-process.test-support.js';

// `runstudio users …` and `tokens …` as real processes on a real SQLite data directory, and a
// team-mode server on that directory answering what they made.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-admin-'));
const env = { RUNSTUDIO_DATA: dataDir, RUNSTUDIO_DATABASE_URL: undefined };
const cli = (args: string[], input?: string) => runCli(args, env, input);
let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  server = await serve({ host: '127.0.0.1', port: 0, dataDir, webRoot: null, options: { auth: 'team' } });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const session = (headers: Record<string, string>) => fetch(`${server.url}/api/studio/auth/session`, { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('runstudio users', () => {
  it('adds an admin from --password-stdin who then signs in over HTTP; lists users without passwords', async () => {
    expect(server.needsFirstAdmin).toBe(true);
    const added = await cli(['users', 'add', 'alice', '--role', 'admin', '--password-stdin'], 'alice-secret-pw\n');
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toContain('Added alice (admin)');
    expect(added.stdout + added.stderr).not.toContain('alice-secret-pw');

    const signIn = await fetch(`${server.url}/api/studio/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'alice', password: 'alice-secret-pw' }) });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    expect(((await (await session({ cookie })).json()) as { user: { name: string; role: string } }).user).toMatchObject({ name: 'alice', role: 'admin' });

    const list = await cli(['users', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'alice', role: 'admin', hasPassword: true })]);
    expect(list.stdout).not.toMatch(/scrypt|alice-secret-pw/);
  });

  it('makes a new store readable by its owner only: it holds password hashes before any server starts', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-admin-fresh-'));
    try {
      expect(await runCli(['users', 'add', 'first', '--role', 'admin', '--password-stdin', '--data', fresh], { ...env, RUNSTUDIO_DATA: fresh }, 'first-secret-pw\n')).toMatchObject({ code: 0 });
      expect(fs.statSync(path.join(fresh, 'runstudio.db')).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('reads a piped password without --password-stdin; refuses a short one, a duplicate, and demoting the last admin, with their exit codes', async () => {
    expect((await cli(['users', 'add', 'bob', '--role', 'contributor'], 'bob-password-1\n')).code).toBe(0);
    expect(await cli(['users', 'add', 'carl'], 'short\n')).toMatchObject({ code: EXIT.invalid, stderr: expect.stringContaining('at least 8 characters') });
    expect(await cli(['users', 'add', 'bob', '--no-password'])).toMatchObject({ code: EXIT.invalid, stderr: expect.stringContaining('already exists') });
    expect(await cli(['users', 'set-role', 'alice', 'reader'])).toMatchObject({ code: EXIT.invalid, stderr: expect.stringContaining('last admin') });
    expect(await cli(['users', 'set-role', 'nobody', 'reader'])).toMatchObject({ code: EXIT.notFound });
    expect(await cli(['users', 'add', 'dora', '--role', 'owner', '--no-password'])).toMatchObject({ code: EXIT.usage });
    expect(await cli(['users', 'list', '--data', path.join(dataDir, 'typo')])).toMatchObject({ code: EXIT.usage, stderr: expect.stringContaining('No Runstudio database') });
  });

  it('adds a proxy user with --no-password, changes roles and passwords, and removes users', async () => {
    expect((await cli(['users', 'add', 'pat', '--no-password'])).stdout).toContain('no password');
    expect((await cli(['users', 'set-role', 'pat', 'contributor'])).stdout).toContain('pat is now a contributor');
    expect((await cli(['users', 'set-password', 'bob', '--password-stdin'], 'bob-password-2\n')).code).toBe(0);
    const basic = (password: string) => session({ authorization: `Basic ${Buffer.from(`bob:${password}`).toString('base64')}` });
    expect((await basic('bob-password-1')).status).toBe(401);
    expect((await basic('bob-password-2')).status).toBe(200);
    expect((await cli(['users', 'remove', 'pat'])).code).toBe(0);
    const table = await cli(['users', 'list']);
    expect(table.stdout).toMatch(/^NAME\s+ROLE/);
    expect(table.stdout).toContain('bob');
    expect(table.stdout).not.toContain('pat');
  });
  it('adds a user with --email, sets, changes and clears it with set-email, and shows it in list and over HTTP', async () => {
    expect((await cli(['users', 'add', 'erin', '--no-password', '--email', ' erin@example.com '])).stdout).toContain('Added erin (reader, erin@example.com, no password');
    const table = await cli(['users', 'list']);
    expect(table.stdout).toMatch(/^NAME\s+ROLE\s+E-MAIL\s+PASSWORD/);
    expect(table.stdout).toMatch(/erin\s+reader\s+erin@example\.com/);
    expect(table.stdout).toMatch(/bob\s+contributor\s+-/);

    expect((await cli(['users', 'set-email', 'erin', 'erin@lab.example.org'])).stdout).toContain('E-mail of erin is now erin@lab.example.org.');
    // What the admin page reads: the server answers with the stored address.
    const alice = { authorization: `Basic ${Buffer.from('alice:alice-secret-pw').toString('base64')}` };
    const users = async () => ((await (await fetch(`${server.url}/api/studio/users`, { headers: alice })).json()) as { users: Array<{ name: string; email: string | null }> }).users;
    expect((await users()).find((u) => u.name === 'erin')?.email).toBe('erin@lab.example.org');

    expect((await cli(['users', 'set-email', 'erin', '--clear'])).stdout).toContain('erin has no e-mail address now.');
    expect(JSON.parse((await cli(['users', 'list', '--json'])).stdout)).toContainEqual(expect.objectContaining({ name: 'erin', email: null }));
    expect((await cli(['users', 'set-email', 'erin', 'erin@example.com'])).code).toBe(0);
    expect((await cli(['users', 'set-email', 'erin', '--none'])).code).toBe(0);
    expect((await users()).find((u) => u.name === 'erin')?.email).toBeNull();
  });

  it('refuses a bad address naming the field, and set-email without an address or with both', async () => {
    expect(await cli(['users', 'add', 'fred', '--no-password', '--email', 'fred-at-example'])).toMatchObject({ code: EXIT.invalid, stderr: expect.stringContaining('Invalid value for --email: an e-mail address like name@example.com') });
    expect(await cli(['users', 'set-email', 'bob', 'bob@localhost'])).toMatchObject({ code: EXIT.invalid, stderr: expect.stringContaining('Invalid value for address: an e-mail address like name@example.com') });
    expect(await cli(['users', 'set-email', 'bob'])).toMatchObject({ code: EXIT.usage, stderr: expect.stringContaining('--clear') });
    expect(await cli(['users', 'set-email', 'bob', 'bob@example.com', '--clear'])).toMatchObject({ code: EXIT.usage });
    expect(await cli(['users', 'set-email', 'nobody', 'x@example.com'])).toMatchObject({ code: EXIT.notFound });
    expect(JSON.parse((await cli(['users', 'list', '--json'])).stdout).map((u: { name: string }) => u.name)).not.toContain('fred');
  });
});

describe('runstudio tokens', () => {
  it('creates a token printed once that signs in as its user, lists it without the secret, and revokes it to 401', async () => {
    const created = await cli(['tokens', 'create', '--user', 'bob', '--name', 'laptop', '--expires-in-days', '30']);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^rst_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('export MLFLOW_TRACKING_TOKEN=');
    expect(created.stderr).not.toContain(secret);

    const signedIn = await session(bearer(secret));
    expect(((await signedIn.json()) as { user: { name: string }; via: string })).toMatchObject({ user: { name: 'bob' }, via: 'token' });

    const json = await cli(['tokens', 'list', '--user', 'bob', '--json']);
    const [token] = JSON.parse(json.stdout) as Array<{ id: string; name: string; user: string; prefix: string; expiresAt: number | null; lastUsedAt: number | null }>;
    expect(token).toMatchObject({ name: 'laptop', user: 'bob', prefix: secret.slice(0, 12) });
    expect(token!.expiresAt).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);
    expect(token!.lastUsedAt).not.toBeNull();
    const table = await cli(['tokens', 'list']);
    for (const output of [json.stdout, table.stdout, table.stderr]) expect(output).not.toContain(secret);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+USER\s+PREFIX/);

    expect((await cli(['tokens', 'revoke', token!.id])).code).toBe(0);
    expect((await session(bearer(secret))).status).toBe(401);
    expect(await cli(['tokens', 'revoke', token!.id])).toMatchObject({ code: EXIT.notFound });
    expect(await cli(['tokens', 'create', '--user', 'nobody'])).toMatchObject({ code: EXIT.notFound, stdout: '' });
  });
});
