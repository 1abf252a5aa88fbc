import { createHash, createHmac, randomBytes } from 'node:crypto';

/** Hex SHA-256: how tokens and session cookies are stored (they are random, so no salt is needed). */
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A new API token: `rst_` and 32 random bytes; the prefix shown later is its first 12 characters. */
export function newToken(): { secret: string; hash: string; prefix: string } {
  const secret = `rst_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: sha256(secret), prefix: secret.slice(0, 12) };
}

export const looksLikeToken = (text: string) => /^rst_[A-Za-z0-9_-]{43}$/.test(text);

/** A session cookie's value: 32 random bytes. */
export const newSessionSecret = () => randomBytes(32).toString('base64url');

/** A short random id for users and tokens. */
export const newId = () => randomBytes(12).toString('base64url');

/**
 * The CSRF token of a signed-in principal: an HMAC of what signs it in (the session's stored
 * hash, or the proxy's user id) under the server's secret, so any replica computes the same
 * and a page of another origin, which cannot read it, cannot forge it.
 */
export const csrfToken = (serverSecret: string, subject: string) => createHmac('sha256', serverSecret).update(`csrf:${subject}`).digest('base64url');
