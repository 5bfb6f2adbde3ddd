import type { FastifyRequest } from 'fastify';
import type { User } from '../db/schema.ts';
import { unauthorized } from '../shared/errors.ts';
import { CURATOR_ROLES } from './permissions.ts';

export function requireUser(request: FastifyRequest): User {
  if (!request.auth) throw unauthorized();
  return request.auth.user;
}

/** Roles allowed to curate content (SPEC §1): for a route's `config.roles`, checked by the auth hook. */
export const CURATORS = CURATOR_ROLES;
