import type { z } from 'zod';
import type { ApiToken, createTokenBody } from '../../shared/studio/auth.js';
import type { Principal } from '../auth/principal.js';
import { newId, newToken } from '../auth/secrets.js';
import { ApiError, notFound } from '../errors.js';
import * as store from '../store/users.store.js';
import { requireUser, type UserContext } from './users.service.js';

const DAY_MS = 24 * 3600 * 1000;

type TokenListRow = Awaited<ReturnType<typeof store.listTokens>>[number];

const toToken = (row: TokenListRow): ApiToken => ({
  id: row.id,
  name: row.name,
  user: row.user_name,
  prefix: row.prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
});

/** Issues a token for a user; the secret is returned once and only its hash is kept. */
export async function issueToken(ctx: UserContext, user: store.UserRow, name: string, expiresInDays: number | null): Promise<{ token: ApiToken; secret: string }> {
  const { secret, hash, prefix } = newToken();
  const now = ctx.now();
  const row = { id: newId(), user_id: user.id, name, hash, prefix, created_at: now, last_used_at: null, expires_at: expiresInDays === null ? null : now + expiresInDays * DAY_MS };
  await store.insertToken(ctx.db, row);
  return { token: toToken({ ...row, user_name: user.name }), secret };
}

/**
 * A token for the caller, made on a signed-in page (a session or the proxy): a token cannot make
 * another (a stolen one would outlive its revocation through its offspring), and nobody makes
 * one for someone else through the API, admins included (it would let them act in that user's
 * name). An operator on the server can, with `runstudio tokens create --user`.
 */
export async function createToken(ctx: UserContext, caller: Principal, body: z.output<typeof createTokenBody>) {
  if (caller.via === 'local') throw new ApiError('INVALID_STATE', 'This server runs without sign-in (local mode): clients need no token. Start it with --auth to use tokens.');
  if (caller.via !== 'session' && caller.via !== 'proxy') {
    throw new ApiError('PERMISSION_DENIED', 'API tokens are made on the Account page while signed in, or with `runstudio tokens create` on the server; not with another token or a password sent by a client.');
  }
  if (body.user !== undefined && body.user !== caller.name) {
    throw new ApiError('PERMISSION_DENIED', `Tokens are made by their owner: ${caller.name} cannot make one for ${body.user.slice(0, 64)}. An operator can, with \`runstudio tokens create --user ${body.user.slice(0, 64)}\`.`);
  }
  return issueToken(ctx, await requireUser(ctx, caller.name), body.name, body.expiresInDays);
}

export async function listTokens(ctx: UserContext, caller: Principal, all: boolean): Promise<ApiToken[]> {
  if (all && caller.role !== 'admin') throw new ApiError('PERMISSION_DENIED', `Only admins may list every user's tokens (${caller.name} is a ${caller.role}).`);
  if (caller.via === 'local' && !all) return [];
  return (await store.listTokens(ctx.db, all ? null : caller.id)).map(toToken);
}

/** Revokes a token: one's own, or any as an admin. Another user's token is "not found" to a non-admin. */
export async function revokeToken(ctx: UserContext, caller: Principal, id: string): Promise<void> {
  const row = await store.findTokenById(ctx.db, id);
  if (!row || (row.user_id !== caller.id && caller.role !== 'admin')) throw notFound(`No token with id '${id.slice(0, 64)}'.`);
  await store.deleteToken(ctx.db, id);
}

/** Tokens of one user by name (the CLI). */
export async function tokensOf(ctx: UserContext, name: string | null): Promise<ApiToken[]> {
  const user = name === null ? null : await requireUser(ctx, name);
  return (await store.listTokens(ctx.db, user?.id ?? null)).map(toToken);
}
