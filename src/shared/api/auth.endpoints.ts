import { z } from 'zod';
import {
  createdTokenSchema,
  createTokenBody,
  createUserBody,
  listTokensQuery,
  sessionSchema,
  signInBody,
  tokenParams,
  tokenSchema,
  updateUserBody,
  userParams,
  userSchema,
} from '../studio/auth.js';
import { endpoint } from './endpoint.js';
import { emptyResponse } from './params.js';

/** Signing in and out, and who the page is signed in as. */
export const auth = {
  /** Public: a signed-out page learns the mode and that it must sign in. */
  session: endpoint({ method: 'GET', base: 'studio', path: '/auth/session', access: 'public', response: sessionSchema }),
  /** Sets the session cookie; rate-limited per address and user name. */
  signIn: endpoint({ method: 'POST', base: 'studio', path: '/auth/sign-in', access: 'public', body: signInBody, response: sessionSchema }),
  signOut: endpoint({ method: 'POST', base: 'studio', path: '/auth/sign-out', access: 'public', response: emptyResponse }),
};

/** Users and their roles (team mode; admins only). Passwords go in, never out. */
export const users = {
  list: endpoint({ method: 'GET', base: 'studio', path: '/users', access: 'admin', response: z.object({ users: z.array(userSchema) }) }),
  create: endpoint({ method: 'POST', base: 'studio', path: '/users', access: 'admin', body: createUserBody, status: 201, response: userSchema }),
  update: endpoint({ method: 'PATCH', base: 'studio', path: '/users/:name', access: 'admin', params: userParams, body: updateUserBody, response: userSchema }),
  remove: endpoint({ method: 'DELETE', base: 'studio', path: '/users/:name', access: 'admin', params: userParams, response: emptyResponse }),
};

/** API tokens: everyone keeps their own; admins see and revoke everyone's. */
export const tokens = {
  list: endpoint({ method: 'GET', base: 'studio', path: '/tokens', access: 'reader', query: listTokensQuery, response: z.object({ tokens: z.array(tokenSchema) }) }),
  create: endpoint({ method: 'POST', base: 'studio', path: '/tokens', access: 'reader', body: createTokenBody, status: 201, response: createdTokenSchema }),
  revoke: endpoint({ method: 'DELETE', base: 'studio', path: '/tokens/:id', access: 'reader', params: tokenParams, response: emptyResponse }),
};
