import { describe, expect, it } from 'vitest';
import { EXIT } from './api-client.js';
import { optionsFromFlags, role, type ServeFlags } from './serve-flags.js';
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
};

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
