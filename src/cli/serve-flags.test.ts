import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from './api-client.js';
import { notificationsBanner, optionsFromFlags, role, type ServeFlags } from './serve-flags.js';
import { runCli } from './queries/cli-process.test-support.js';

const base: ServeFlags = {
  host: '127.0.0.1',
  port: 5000,
  data: './runstudio-data',
  log: false,
  allowedHosts: [],
  corsAllowedOrigins: [],
  allowArtifactLocations: false,
  maxLogStreams: 2000,
  durability: 'normal',
  heartbeatTimeout: 60_000,
  s3PathStyle: false,
  auth: false,
  insecureNoAuth: false,
  authProxyTrusted: [],
  authProxyRole: 'reader',
  notifications: true,
};

/** A password that must never be printed. */
const SECRET = 'hunter2-Secret';

describe('serve flags → server options', () => {
  it('is local mode by default, with the session length left to the server', () => {
    const options = optionsFromFlags(base);
    expect(options).toMatchObject({ auth: 'local', authProxyHeader: null, authProxyRole: 'reader' });
    expect(options).not.toHaveProperty('sessionTtlMs');
  });

  it('maps --auth, the proxy flags and --session-ttl; trusted IPv4 proxies also under their IPv6-mapped spelling', () => {
    const options = optionsFromFlags({ ...base, auth: true, authProxyHeader: 'X-Forwarded-User', authProxyTrusted: ['10.0.0.2', 'fd00::2'], authProxyRole: 'contributor', sessionTtl: 12 * 3600_000 });
    expect(options).toMatchObject({
      auth: 'team',
      authProxyHeader: 'X-Forwarded-User',
      authProxyTrusted: ['10.0.0.2', '::ffff:10.0.0.2', 'fd00::2'],
      authProxyRole: 'contributor',
      sessionTtlMs: 12 * 3600_000,
    });
  });

  it('refuses a proxy header without --auth, and --auth with --insecure-no-auth, naming the flags', () => {
    expect(() => optionsFromFlags({ ...base, authProxyHeader: 'X-Forwarded-User' })).toThrow(/--auth-proxy-header needs --auth/);
    expect(() => optionsFromFlags({ ...base, auth: true, insecureNoAuth: true })).toThrow(/--auth and --insecure-no-auth/);
    // Trusting a header from nobody in particular is not a default: the proxy's address is named.
    expect(() => optionsFromFlags({ ...base, auth: true, authProxyHeader: 'X-Forwarded-User' })).toThrow(/--auth-proxy-header needs --auth-proxy-trusted/);
    expect(() => role('owner')).toThrow(/reader, contributor or admin/);
  });
});

describe('notification flags → server options', () => {
  it('sends notifications by default, with no e-mail and the server’s own From, link address and tries', () => {
    const options = optionsFromFlags(base);
    expect(options).toMatchObject({ notifications: true, smtpUrl: null });
    for (const key of ['mailFrom', 'publicUrl', 'notifyMaxAttempts']) expect(options).not.toHaveProperty(key);
  });

  it('maps --smtp-url, --mail-from, --public-url (without its trailing slash), --no-notifications and --notify-max-attempts', () => {
    const options = optionsFromFlags({
      ...base,
      smtpUrl: `smtps://mailer:${SECRET}@mail.example.com:465`,
      mailFrom: ' Runstudio <runstudio@example.com> ',
      publicUrl: 'https://studio.example.com/ml/',
      notifications: false,
      notifyMaxAttempts: 3,
    });
    expect(options).toMatchObject({
      smtpUrl: `smtps://mailer:${SECRET}@mail.example.com:465`,
      mailFrom: 'Runstudio <runstudio@example.com>',
      publicUrl: 'https://studio.example.com/ml',
      notifications: false,
      notifyMaxAttempts: 3,
    });
    expect(optionsFromFlags({ ...base, smtpUrl: 'smtp://localhost:25', mailFrom: 'ops@example.com', publicUrl: 'http://10.0.0.5:5000' })).toMatchObject({
      smtpUrl: 'smtp://localhost:25',
      mailFrom: 'ops@example.com',
      publicUrl: 'http://10.0.0.5:5000',
    });
  });

  it('refuses an --smtp-url that is not smtp:// or smtps://, naming the flag and never repeating the value', () => {
    for (const smtpUrl of [`http://mailer:${SECRET}@mail.example.com`, `mailer:${SECRET}@mail.example.com:587`, `smtp://mailer:${SECRET}@`, SECRET, '']) {
      let message = '';
      try {
        optionsFromFlags({ ...base, smtpUrl });
      } catch (error) {
        message = (error as Error).message;
        expect((error as { exitCode?: number }).exitCode).toBe(EXIT.usage);
      }
      expect(message, smtpUrl).toMatch(/^--smtp-url \(RUNSTUDIO_SMTP_URL\) must be an smtp:\/\/ or smtps:\/\/ URL/);
      expect(message).not.toContain(SECRET);
    }
  });

  it('refuses a --public-url that is not an http(s) address, and a --mail-from that is not an address, naming the flag', () => {
    for (const publicUrl of ['studio.example.com', 'ftp://studio.example.com', 'https://user:pw@studio.example.com', 'https://studio.example.com/?a=1', 'https://studio.example.com/#x']) {
      expect(() => optionsFromFlags({ ...base, publicUrl }), publicUrl).toThrow(/^--public-url \(RUNSTUDIO_PUBLIC_URL\) must be the http:\/\/ or https:\/\/ address/);
    }
    for (const mailFrom of ['runstudio', 'Runstudio', 'Runstudio <runstudio>', 'a@example.com\r\nBcc: victim@example.com', '<a@example.com> trailing']) {
      expect(() => optionsFromFlags({ ...base, mailFrom }), mailFrom).toThrow(/^--mail-from \(RUNSTUDIO_MAIL_FROM\) must be an e-mail address/);
    }
  });

  it('says at start where e-mail goes by host only, and where links point', () => {
    const smtp = optionsFromFlags({ ...base, smtpUrl: `smtps://mailer:${SECRET}@mail.example.com:465` });
    expect(notificationsBanner(smtp, 'https://studio.example.com')).toBe('Notifications: e-mail through smtps://mail.example.com:465; links in them open https://studio.example.com (--public-url).');
    expect(notificationsBanner(optionsFromFlags(base), 'http://127.0.0.1:5000')).toContain('no e-mail (no --smtp-url)');
    expect(notificationsBanner(optionsFromFlags({ ...base, notifications: false }), 'http://127.0.0.1:5000')).toContain('not sent from this replica (--no-notifications)');
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `runstudio serve` as a real process, waits for its notifications line, stops it, and returns all it printed. */
async function serveOutput(args: string[], env: Record<string, string | undefined>): Promise<{ stdout: string; stderr: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-notify-flags-'));
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...env })) if (value !== undefined) merged[key] = value;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/dev-entry.ts', 'serve', '--data', dataDir, ...args], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Notifications:')) resolve();
    });
    child.on('exit', () => reject(new Error(`serve exited early: ${stdout}${stderr}`)));
  });
  child.kill('SIGTERM');
  await exited;
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { stdout, stderr };
}

const notifyEnv = { RUNSTUDIO_SMTP_URL: undefined, RUNSTUDIO_MAIL_FROM: undefined, RUNSTUDIO_PUBLIC_URL: undefined, RUNSTUDIO_NOTIFICATIONS: undefined, RUNSTUDIO_NOTIFY_MAX_ATTEMPTS: undefined };

describe('runstudio serve notification flags (a real process)', () => {
  it('exits 2 on an --smtp-url that is not smtp(s)://, naming the flag but not the password; the same from RUNSTUDIO_SMTP_URL', async () => {
    const flag = await runCli(['serve', '--port', '0', '--data', '/nonexistent/runstudio-never', '--smtp-url', `https://mailer:${SECRET}@mail.example.com`], notifyEnv);
    expect(flag.code).toBe(EXIT.usage);
    expect(flag.stderr).toContain('--smtp-url');
    expect(flag.stdout + flag.stderr).not.toContain(SECRET);
    const fromEnv = await runCli(['serve', '--port', '0', '--data', '/nonexistent/runstudio-never'], { ...notifyEnv, RUNSTUDIO_SMTP_URL: `mailer:${SECRET}@mail.example.com` });
    expect(fromEnv.code).toBe(EXIT.usage);
    expect(fromEnv.stderr).toContain('RUNSTUDIO_SMTP_URL');
    expect(fromEnv.stdout + fromEnv.stderr).not.toContain(SECRET);
  });

  it('exits 2 on a bad RUNSTUDIO_PUBLIC_URL or RUNSTUDIO_MAIL_FROM, naming it', async () => {
    const url = await runCli(['serve', '--port', '0', '--data', '/nonexistent/runstudio-never'], { ...notifyEnv, RUNSTUDIO_PUBLIC_URL: 'studio.example.com' });
    expect(url.code).toBe(EXIT.usage);
    expect(url.stderr).toContain('--public-url (RUNSTUDIO_PUBLIC_URL)');
    const from = await runCli(['serve', '--port', '0', '--data', '/nonexistent/runstudio-never'], { ...notifyEnv, RUNSTUDIO_MAIL_FROM: 'nobody' });
    expect(from.code).toBe(EXIT.usage);
    expect(from.stderr).toContain('--mail-from (RUNSTUDIO_MAIL_FROM)');
  });

  it('starts with an --smtp-url holding a password and never prints it; --help with it in RUNSTUDIO_SMTP_URL neither', async () => {
    const { stdout, stderr } = await serveOutput(['--port', '0', '--smtp-url', `smtps://mailer:${SECRET}@127.0.0.1:1`, '--public-url', 'https://studio.example.com/'], notifyEnv);
    expect(stdout).toContain('Notifications: e-mail through smtps://127.0.0.1:1; links in them open https://studio.example.com (--public-url).');
    expect(stdout + stderr).not.toContain(SECRET);
    const help = await runCli(['serve', '--help'], { ...notifyEnv, RUNSTUDIO_SMTP_URL: `smtps://mailer:${SECRET}@127.0.0.1:1` });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--smtp-url <url>');
    expect(help.stdout + help.stderr).not.toContain(SECRET);
  });

  it('reads RUNSTUDIO_SMTP_URL, and links to the address it listens on without --public-url', async () => {
    const port = await freePort();
    const { stdout, stderr } = await serveOutput(['--port', String(port)], { ...notifyEnv, RUNSTUDIO_SMTP_URL: `smtp://mailer:${SECRET}@127.0.0.1:1` });
    expect(stdout).toContain(`Notifications: e-mail through smtp://127.0.0.1:1; links in them open http://127.0.0.1:${port} (--public-url).`);
    expect(stdout + stderr).not.toContain(SECRET);
  });

  it('sends nothing from a replica started with RUNSTUDIO_NOTIFICATIONS=0', async () => {
    const { stdout } = await serveOutput(['--port', '0'], { ...notifyEnv, RUNSTUDIO_NOTIFICATIONS: '0' });
    expect(stdout).toContain('Notifications: not sent from this replica (--no-notifications)');
  });
});

describe('runstudio serve refusals (a real process)', () => {
  it('exits 2 before listening on 0.0.0.0 without --auth or --insecure-no-auth', async () => {
    const result = await runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--data', '/nonexistent/runstudio-never'], {});
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/--auth.*--insecure-no-auth/s);
    expect(result.stderr).toContain('anyone who can reach this address could change or delete every run');
  });

  it('exits 2 on RUNSTUDIO_AUTH_PROXY_HEADER without --auth', async () => {
    const result = await runCli(['serve', '--port', '0', '--data', '/nonexistent/runstudio-never'], { RUNSTUDIO_AUTH_PROXY_HEADER: 'X-Forwarded-User', RUNSTUDIO_AUTH: undefined });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('--auth-proxy-header needs --auth');
  });
});
