import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.js';
import { ApiError } from '../../errors.js';

/** The caller of an endpoint whose access is at least reader: the auth plugin lets only a principal through. */
export function caller(req: FastifyRequest): Principal {
  if (!req.principal) throw new ApiError('UNAUTHENTICATED', 'Sign in first.');
  return req.principal;
}
