import type { z } from 'zod';
import type { createUserBody, updateUserBody, User } from '../../shared/studio/auth.js';
import { emailAddress, roleSchema, userName } from '../../shared/studio/auth.js';
import { hashPassword } from '../auth/passwords.js';
import { newId } from '../auth/secrets.js';
import { alreadyExists, ApiError, invalidParameter, notFound } from '../errors.js';
import type { Db } from '../store/db.js';
import * as store from '../store/users.store.js';

/** What the user services need: the store and a clock (the CLI passes these without a server). */
export interface UserContext {
  db: Db;
  now: () => number;
}

export const toUser = (row: store.UserRow): User => ({ id: row.id, name: row.name, role: roleSchema.catch('reader').parse(row.role), email: row.email, hasPassword: row.password_hash !== null, createdAt: Number(row.created_at) });

export async function listUsers(ctx: UserContext): Promise<User[]> {
  return (await store.listUsers(ctx.db)).map(toUser);
}

export async function requireUser(ctx: UserContext, name: string): Promise<store.UserRow> {
  const row = await store.findUserByName(ctx.db, name);
  if (!row) throw notFound(`No user named '${name.slice(0, 64)}'.`);
  return row;
}

export async function createUser(ctx: UserContext, body: z.output<typeof createUserBody>): Promise<User> {
  const name = userName.safeParse(body.name);
  if (!name.success) throw invalidParameter(`Invalid value for parameter 'name': ${name.error.issues[0]!.message}.`);
  const row: store.UserRow = {
    id: newId(),
    name: name.data,
    role: body.role,
    password_hash: body.password === undefined ? null : await hashPassword(body.password),
    created_at: ctx.now(),
    email: checkedEmail(body.email) ?? null,
  };
  if (!(await store.insertUser(ctx.db, row))) throw alreadyExists(`A user named '${row.name}' already exists.`);
  return toUser(row);
}

/** An address as the HTTP schema takes it, also for the CLI, which calls these services directly; null removes it. */
function checkedEmail(email: string | null | undefined): string | null | undefined {
  if (email === undefined || email === null) return email;
  const parsed = emailAddress.safeParse(email);
  if (!parsed.success) throw invalidParameter(`Invalid value for parameter 'email': ${parsed.error.issues[0]!.message}.`);
  return parsed.data;
}

/** The last admin can be neither demoted nor removed: someone must be able to manage users. */
const lastAdmin = (user: store.UserRow, what: string) => () => new ApiError('INVALID_STATE', `${user.name} is the last admin and cannot be ${what}: make another user an admin first.`);

export async function updateUser(ctx: UserContext, name: string, body: z.output<typeof updateUserBody>): Promise<User> {
  const user = await requireUser(ctx, name);
  const changes = {
    ...(body.role !== undefined ? { role: body.role } : {}),
    ...(body.password !== undefined ? { password_hash: await hashPassword(body.password) } : {}),
    ...(body.email !== undefined ? { email: checkedEmail(body.email) ?? null } : {}),
  };
  if (Object.keys(changes).length > 0) await store.updateUser(ctx.db, user.id, changes, body.password !== undefined, lastAdmin(user, `made a ${body.role}`));
  return toUser({ ...user, ...changes });
}

export async function removeUser(ctx: UserContext, name: string): Promise<void> {
  const user = await requireUser(ctx, name);
  await store.deleteUser(ctx.db, user.id, lastAdmin(user, 'removed'));
}
