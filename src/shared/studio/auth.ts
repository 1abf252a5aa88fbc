import { z } from 'zod';

/**
 * Who may do what. Roles are ordered: each has every right of the ones before it.
 * - reader: sees everything, makes private views, keeps their own API tokens;
 * - contributor: logs runs, edits display names, descriptions and tags, cancels and fails
 *   runs, makes and edits shared views;
 * - admin: users, everyone's tokens, notification rules, any view.
 */
export const roles = ['reader', 'contributor', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** What an endpoint asks of the caller: nothing (`public`) or at least a role. */
export type Access = 'public' | Role;

export const roleAtLeast = (role: Role, needed: Role): boolean => roles.indexOf(role) >= roles.indexOf(needed);

/** Why a role may not do something, for a disabled control's description and a 403's message. */
export function roleReason(needed: Role): string {
  return needed === 'admin' ? 'Only admins may do this.' : 'Readers may look but not change runs or shared views: ask an admin for the contributor role.';
}

/** `local`: one person, no sign-in (the default). `team`: users sign in (`--auth`). */
export const authModeSchema = z.enum(['local', 'team']);
export type AuthMode = z.infer<typeof authModeSchema>;

/** How the caller was recognised: the OS user in local mode, a session cookie, an API token, basic auth, or a proxy's header. */
export const authViaSchema = z.enum(['local', 'session', 'token', 'basic', 'proxy']);

/** A user name: what runs record as their submitter, so MLflow's `user_id` rules apply. */
export const userName = z
  .string()
  .trim()
  .min(1, 'a user needs a name')
  .max(64, 'a user name is at most 64 characters')
  .regex(/^[\p{L}\p{N}._@+-]+$/u, 'a user name is letters, digits and . _ @ + - (no spaces)');

export const password = z.string().min(8, 'a password has at least 8 characters').max(1024, 'a password is at most 1,024 characters');

/** An e-mail address, as a user's own or as a rule's recipient: one address, no display name. */
export const emailAddress = z.string().trim().max(254, 'an e-mail address is at most 254 characters').pipe(z.email({ message: 'an e-mail address like name@example.com' }));

export const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  /** Where the user's own notifications go; set by an admin. */
  email: z.string().nullable(),
  /** Whether the user signs in with a password here (a proxy's users have none). */
  hasPassword: z.boolean(),
  createdAt: z.number(),
});
export type User = z.infer<typeof userSchema>;

/** What the page knows of its session: the mode, who is signed in, and the token its writes carry. */
export const sessionSchema = z.object({
  mode: authModeSchema,
  user: z.object({ id: z.string(), name: z.string(), role: roleSchema }).nullable(),
  via: authViaSchema.nullable(),
  /** Sent as `X-CSRF-Token` on every write a cookie or proxy signs in; null where none is needed. */
  csrfToken: z.string().nullable(),
});
export type Session = z.infer<typeof sessionSchema>;

/** The element of the app's HTML that carries its session (`<script type="application/json">`), so the first paint knows who is asking. */
export const SESSION_ELEMENT_ID = 'runstudio-session';

export const signInBody = z.object({ name: z.string().max(64, 'a user name is at most 64 characters'), password: z.string().max(1024, 'a password is at most 1,024 characters') });

export const createUserBody = z.object({ name: userName, role: roleSchema.optional().default('reader'), password: password.optional(), email: emailAddress.nullable().optional() });
/** `email: null` removes the address. */
export const updateUserBody = z.object({ role: roleSchema.optional(), password: password.optional(), email: emailAddress.nullable().optional() });
export const userParams = z.object({ name: z.string().max(64) });

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  user: z.string(),
  /** The token's first characters, to recognise it; the rest is never shown again. */
  prefix: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
  expiresAt: z.number().nullable(),
});
export type ApiToken = z.infer<typeof tokenSchema>;

export const createTokenBody = z.object({
  name: z.string().trim().min(1, 'a token needs a name').max(100, 'a token name is at most 100 characters'),
  /** Only the caller's own name: tokens are made by their owner (`runstudio tokens create --user` on the server for others). */
  user: z.string().max(64).optional(),
  expiresInDays: z.number().int().min(1).max(3650).nullable().optional().default(null),
});
/** `all`: an admin's view of every user's tokens; anyone else sees their own. */
export const listTokensQuery = z.object({ all: z.enum(['true', 'false']).optional().transform((v) => v === 'true') });
export const tokenParams = z.object({ id: z.string().max(64) });

/** A new token: the secret is in this answer only. */
export const createdTokenSchema = z.object({ token: tokenSchema, secret: z.string() });

/** What a run's activity records: who changed what, and when. */
export const activityActions = ['renamed', 'described', 'tagged', 'untagged', 'cancelled', 'failed', 'deleted', 'restored'] as const;
export const activitySchema = z.object({
  at: z.number(),
  user: z.string(),
  action: z.enum(activityActions),
  /** The tag key of tagged/untagged; the new display name of renamed; null otherwise. */
  detail: z.string().nullable(),
});
export type Activity = z.infer<typeof activitySchema>;
export const activityQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional().default(50) });
