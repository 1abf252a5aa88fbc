import type { Kysely, Selectable } from 'kysely';
import type { Db } from './db.js';
import type { ApiTokensTable, Database, SessionsTable, UsersTable } from './schema.js';
import { deleteRulesOf } from './notification-rules.store.js';

export type UserRow = Selectable<UsersTable>;
export type TokenRow = Selectable<ApiTokensTable>;

export async function findUserByName(db: Db, name: string): Promise<UserRow | undefined> {
  return db.kysely.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  return db.kysely.selectFrom('users').selectAll().orderBy('name').execute();
}

export async function userNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.kysely.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Inserts a user unless the name is taken; returns whether it was inserted. */
export async function insertUser(db: Db, row: UserRow): Promise<boolean> {
  const result = await db.write((trx) => trx.insertInto('users').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst());
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * Throws `refuse()` when user `id` is the last admin. In the writing transaction, with the
 * admins' rows locked on PostgreSQL, so two admins demoting each other at once (two replicas,
 * the CLI beside the page) cannot both pass and leave none. SQLite's writes are serial already.
 */
async function keepAnAdmin(db: Db, trx: Kysely<Database>, id: string, refuse: () => Error): Promise<void> {
  let query = trx.selectFrom('users').select(['id']).where('role', '=', 'admin');
  if (db.dialect === 'postgres') query = query.forUpdate();
  const admins = await query.execute();
  if (admins.length <= 1 && admins.some((a) => a.id === id)) throw refuse();
}

export async function updateUser(db: Db, id: string, changes: Partial<Pick<UserRow, 'role' | 'password_hash' | 'email'>>, dropSessions: boolean, lastAdmin: () => Error): Promise<void> {
  await db.write(async (trx) => {
    if (changes.role !== undefined && changes.role !== 'admin') await keepAnAdmin(db, trx, id, lastAdmin);
    await trx.updateTable('users').set(changes).where('id', '=', id).execute();
    // A new password signs every browser out: whoever knew the old one loses their session.
    if (dropSessions) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
  });
}

/** Removes a user with their sessions and tokens (SQLite does not enforce the foreign keys). */
export async function deleteUser(db: Db, id: string, lastAdmin: () => Error): Promise<void> {
  await db.write(async (trx) => {
    await keepAnAdmin(db, trx, id, lastAdmin);
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await trx.deleteFrom('api_tokens').where('user_id', '=', id).execute();
    // A removed user is told nothing more: their notification rules go with them.
    const user = await trx.selectFrom('users').select('name').where('id', '=', id).executeTakeFirst();
    if (user) await deleteRulesOf(trx, user.name);
    await trx.deleteFrom('users').where('id', '=', id).execute();
  });
}

export async function countAdmins(db: Db): Promise<number> {
  const row = await db.kysely.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertToken(db: Db, row: TokenRow): Promise<void> {
  await db.write((trx) => trx.insertInto('api_tokens').values(row).execute());
}

/** A token's row with its user, by the token's hash. */
export async function findToken(db: Db, hash: string) {
  return db.kysely
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as token_id', 'api_tokens.expires_at', 'api_tokens.last_used_at', 'users.id', 'users.name', 'users.role'])
    .where('api_tokens.hash', '=', hash)
    .executeTakeFirst();
}

export async function touchToken(db: Db, id: string, now: number): Promise<void> {
  await db.write((trx) => trx.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute());
}

/** Tokens with their owner's name: one user's, or everyone's when `userId` is null. */
export async function listTokens(db: Db, userId: string | null) {
  let query = db.kysely
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.name', 'api_tokens.prefix', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.expires_at', 'api_tokens.user_id', 'users.name as user_name'])
    .orderBy('api_tokens.created_at', 'desc');
  if (userId !== null) query = query.where('api_tokens.user_id', '=', userId);
  return query.execute();
}

export async function findTokenById(db: Db, id: string): Promise<TokenRow | undefined> {
  return db.kysely.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteToken(db: Db, id: string): Promise<void> {
  await db.write((trx) => trx.deleteFrom('api_tokens').where('id', '=', id).execute());
}

export async function insertSession(db: Db, row: Selectable<SessionsTable>): Promise<void> {
  await db.write(async (trx) => {
    // Each sign-in sweeps the expired sessions, so the table never grows without bound.
    await trx.deleteFrom('sessions').where('expires_at', '<', row.created_at).execute();
    await trx.insertInto('sessions').values(row).execute();
  });
}

/** A live session's user, by the session's stored id. */
export async function findSession(db: Db, id: string, now: number) {
  return db.kysely
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.name', 'users.role'])
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.write((trx) => trx.deleteFrom('sessions').where('id', '=', id).execute());
}

/** A server-wide setting, created with `make()` the first time; every replica reads the same. */
export async function setting(db: Db, key: string, make: () => string): Promise<string> {
  await db.write((trx) => trx.insertInto('server_settings').values({ key, value: make() }).onConflict((oc) => oc.doNothing()).execute());
  const row = await db.kysely.selectFrom('server_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
