import type { FastifyRequest } from 'fastify';
import type { Role, User } from '../db/schema.ts';
import { forbidden, unauthorized } from '../server/errors.ts';

export function requireUser(request: FastifyRequest): User {
  if (!request.auth) throw unauthorized();
  return request.auth.user;
}

export function requireRole(request: FastifyRequest, ...roles: Role[]): User {
  const user = requireUser(request);
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

/** Roles allowed to curate content (SPEC §1). */
export const CURATORS: Role[] = ['admin', 'coordinator'];
