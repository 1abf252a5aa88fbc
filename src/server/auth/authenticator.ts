import proxyAddr from '@fastify/proxy-addr';
import pLimit from 'p-limit';
import type { Role } from '../../shared/studio/auth.js';
import { roleSchema } from '../../shared/studio/auth.js';
import { ApiError } from '../errors.js';
import type { ServerOptions } from '../options.js';
import type { Db } from '../store/db.js';
import { ChecksBusy, FailedAttempts, TooManyAttempts } from './attempts.js';
import * as store from '../store/users.store.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import { csrfToken, looksLikeToken, newId, newSessionSecret, sha256 } from './secrets.js';

/** What a request offers to be recognised by. */
export interface Credentials {
  authorization: string | undefined;
  sessionCookie: string | undefined;
  proxyUser: string | undefined;
  /** The peer's address, to decide whether its proxy header is believed. */
  remoteAddress: string;
  /** The client's address (a trusted proxy's X-Forwarded-For, else the peer's), to count failed passwords per client. */
  clientAddress: string;
}

const BASIC_CACHE_MS = 60_000;
/** Password checks at once, and waiting; the libuv pool has 4 threads. */
const CONCURRENT_CHECKS = 2;
const MAX_QUEUED_CHECKS = 32;
/** An address may fail this many times the per-name limit, across names. */
const ADDRESS_FACTOR = 5;
const BASIC_CACHE_SIZE = 1000;
const TOUCH_EVERY_MS = 60_000;

export const unauthenticated = (message: string) => new ApiError('UNAUTHENTICATED', message);

const roleOf = (role: string): Role => roleSchema.catch('reader').parse(role);

/**
 * Recognises who a request comes from, in team mode: an API token (Bearer, or as a basic-auth
 * password), basic auth with a user's password, a trusted proxy's header, or a session cookie.
 * Bad credentials are a 401 even on public endpoints (a client should learn its token is wrong);
 * no credentials at all is an anonymous request (null). Nothing here is kept per process but
 * caches that expire, so replicas agree within a minute.
 */
export class Authenticator {
  /** Verified basic-auth credentials (their hash) → the user id and the password hash they matched. */
  private readonly basic = new Map<string, { userId: string; passwordHash: string; until: number }>();
  private readonly touched = new Map<string, number>();
  /** Failed password checks, by sign-in and basic auth alike, per address and user name. */
  private readonly attempts: FailedAttempts;
  /** Failures from one address whatever the name, so trying many names is limited too. */
  private readonly perAddress: FailedAttempts;
  private readonly verifying = pLimit(CONCURRENT_CHECKS);
  /** The proxy's addresses (and CIDR ranges), as Fastify's trustProxy reads the same list. */
  private readonly trustedProxy: (address: string, hop: number) => boolean;

  private constructor(
    private readonly db: Db,
    private readonly options: ServerOptions,
    private readonly now: () => number,
    private readonly secret: string,
  ) {
    this.attempts = new FailedAttempts(options.signInAttempts, now);
    this.trustedProxy = proxyAddr.compile(options.authProxyTrusted);
    this.perAddress = new FailedAttempts(options.signInAttempts * ADDRESS_FACTOR, now);
  }

  static async open(db: Db, options: ServerOptions, now: () => number): Promise<Authenticator> {
    const secret = await store.setting(db, 'csrf_secret', newSessionSecret);
    return new Authenticator(db, options, now, secret);
  }

  get mode() {
    return this.options.auth;
  }

  /** The trusted proxy's header, lower case (as Node keeps headers); null when none is trusted. */
  get proxyHeader(): string | null {
    return this.options.auth === 'team' && this.options.authProxyHeader ? this.options.authProxyHeader.toLowerCase() : null;
  }

  /** The one user of local mode. */
  localPrincipal(): Principal {
    return { id: 'local', name: this.options.localUser, role: 'admin', via: 'local', csrfSubject: null };
  }

  csrfFor(principal: Principal): string | null {
    return principal.csrfSubject === null ? null : csrfToken(this.secret, principal.csrfSubject);
  }

  async recognise(credentials: Credentials): Promise<Principal | null> {
    if (this.options.auth === 'local') return this.localPrincipal();
    if (credentials.authorization !== undefined) return this.byAuthorization(credentials.authorization, credentials.clientAddress);
    const header = this.options.authProxyHeader;
    if (header !== null && credentials.proxyUser !== undefined && this.trustedProxy(credentials.remoteAddress, 0)) {
      return this.byProxy(credentials.proxyUser);
    }
    if (credentials.sessionCookie !== undefined) return this.bySession(credentials.sessionCookie);
    return null;
  }

  private async byAuthorization(header: string, clientAddress: string): Promise<Principal> {
    const [scheme, value = ''] = header.trim().split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'bearer') return this.byToken(value);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon === -1) throw unauthenticated('Basic auth needs user:password.');
      const name = decoded.slice(0, colon);
      const password = decoded.slice(colon + 1);
      // MLflow clients with only MLFLOW_TRACKING_PASSWORD set send a token there.
      if (looksLikeToken(password)) return this.byToken(password);
      return this.byPassword(name, password, clientAddress);
    }
    throw unauthenticated(`Authorization scheme '${(scheme ?? '').slice(0, 20)}' is not supported: send 'Bearer <token>' or basic auth.`);
  }

  private async byToken(secret: string): Promise<Principal> {
    const row = secret ? await store.findToken(this.db, sha256(secret)) : undefined;
    const now = this.now();
    if (!row || (row.expires_at !== null && row.expires_at <= now)) {
      throw unauthenticated(row ? 'This API token has expired: create a new one (Account page, or runstudio tokens create).' : 'This API token is not valid (revoked, or never issued by this server).');
    }
    if (now - (this.touched.get(row.token_id) ?? row.last_used_at ?? 0) > TOUCH_EVERY_MS) {
      this.touched.set(row.token_id, now);
      await store.touchToken(this.db, row.token_id, now);
    }
    return { id: row.id, name: row.name, role: roleOf(row.role), via: 'token', csrfSubject: null };
  }

  private async byPassword(name: string, password: string, clientAddress: string): Promise<Principal> {
    const key = sha256(`${name}\u0000${password}`);
    const cached = this.basic.get(key);
    const now = this.now();
    if (cached && cached.until > now) {
      const user = await store.findUserById(this.db, cached.userId);
      if (user && user.password_hash === cached.passwordHash) return { id: user.id, name: user.name, role: roleOf(user.role), via: 'basic', csrfSubject: null };
      this.basic.delete(key);
    }
    const user = await this.checkPassword(name, password, clientAddress);
    if (!user) throw unauthenticated('Wrong user name or password.');
    if (this.basic.size >= BASIC_CACHE_SIZE) this.basic.delete(this.basic.keys().next().value!);
    this.basic.set(key, { userId: user.id, passwordHash: user.password_hash!, until: now + BASIC_CACHE_MS });
    return { id: user.id, name: user.name, role: roleOf(user.role), via: 'basic', csrfSubject: null };
  }

  /**
   * The user whose password this is, or null; as slow for a missing user as for a wrong
   * password. Past `signInAttempts` failures for this name from this address in the window,
   * a TooManyAttempts (429) without checking.
   */
  async checkPassword(name: string, password: string, clientAddress: string): Promise<store.UserRow | null> {
    const key = FailedAttempts.key(clientAddress, name);
    const addressKey = FailedAttempts.key(clientAddress, '');
    const wait = this.attempts.blockedFor(key);
    if (wait > 0) throw new TooManyAttempts(wait);
    const addressWait = this.perAddress.blockedFor(addressKey);
    if (addressWait > 0) throw new TooManyAttempts(addressWait, 'this address');
    // A check is counted failed until it succeeds: concurrent guesses all count.
    const undo = [this.attempts.reserve(key), this.perAddress.reserve(addressKey)];
    const succeeded = () => undo.forEach((take) => take());
    try {
      // Each check takes ~0.4 s and 128 MiB (this 2-core machine) on the libuv pool, which file reads share: a few
      // at a time, and a 503 past a short queue rather than a pool busy with guesses.
      if (this.verifying.pendingCount >= MAX_QUEUED_CHECKS) {
        succeeded();
        throw new ChecksBusy();
      }
      const user = await store.findUserByName(this.db, name);
      const ok = await this.verifying(() => verifyPassword(password, user?.password_hash ?? DUMMY_HASH));
      if (ok && user?.password_hash) {
        succeeded();
        return user;
      }
      return null;
    } catch (error) {
      if (!(error instanceof ApiError)) succeeded();
      throw error;
    }
  }

  private async byProxy(name: string): Promise<Principal> {
    const trimmed = name.trim();
    if (!/^[\p{L}\p{N}._@+-]{1,64}$/u.test(trimmed)) throw unauthenticated(`The proxy's ${this.options.authProxyHeader} header does not hold a valid user name.`);
    let user = await store.findUserByName(this.db, trimmed);
    if (!user) {
      await store.insertUser(this.db, { id: newId(), name: trimmed, role: this.options.authProxyRole, password_hash: null, created_at: this.now(), email: null });
      user = await store.findUserByName(this.db, trimmed);
      if (!user) throw new ApiError('INTERNAL_ERROR', `User ${trimmed} could not be created.`);
    }
    return { id: user.id, name: user.name, role: roleOf(user.role), via: 'proxy', csrfSubject: `proxy:${user.id}` };
  }

  private async bySession(cookie: string): Promise<Principal | null> {
    const id = sha256(cookie);
    const user = await store.findSession(this.db, id, this.now());
    // An expired or signed-out session is no session: the page shows sign-in.
    if (!user) return null;
    return { id: user.id, name: user.name, role: roleOf(user.role), via: 'session', csrfSubject: `session:${id}` };
  }

  /** Starts a session for a user whose password was checked; returns the cookie's value. */
  async startSession(userId: string): Promise<{ cookie: string; principal: Principal }> {
    const cookie = newSessionSecret();
    const id = sha256(cookie);
    const now = this.now();
    await store.insertSession(this.db, { id, user_id: userId, created_at: now, expires_at: now + this.options.sessionTtlMs });
    const user = await store.findUserById(this.db, userId);
    if (!user) throw unauthenticated('This user was removed.');
    return { cookie, principal: { id: user.id, name: user.name, role: roleOf(user.role), via: 'session', csrfSubject: `session:${id}` } };
  }

  async endSession(cookie: string): Promise<void> {
    await store.deleteSession(this.db, sha256(cookie));
  }
}
