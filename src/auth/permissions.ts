import type { Role, UpdateStatus, User } from '../db/schema.ts';
import { forbidden } from '../shared/errors.ts';

/**
 * Who may do what in follow-up (SPEC §1), in one place. Every route and service asks these functions;
 * the UI may hide buttons with the same answers, but the server decides.
 *
 * - admin, coordinator: everything (assign, draft, submit, review, read all).
 * - focal_point: read all approved work and everything of their own entity; draft, edit, attach evidence
 *   and submit updates for their entity's assignments; manage their entity's contributors.
 * - contributor: like a focal point for drafting (create, edit, attach evidence to drafts of their
 *   entity's assignments), but cannot submit.
 * - viewer: reads assignments, dashboards and approved updates; never drafts, submitted or returned ones.
 * - Nobody but a curator reads another entity's drafts, submitted or returned updates, or their evidence.
 * - The audit viewer is for admins only.
 */
export type Actor = Pick<User, 'id' | 'role' | 'entity_id'>;

export const CURATOR_ROLES: readonly Role[] = ['admin', 'coordinator'];
export const isCurator = (u: Actor): boolean => CURATOR_ROLES.includes(u.role);
const ofEntity = (u: Actor, entityId: string): boolean => u.entity_id !== null && u.entity_id === entityId;

export const canManageAssignments = (u: Actor): boolean => isCurator(u);

/** Read an update (and its evidence). */
export function canReadUpdate(u: Actor, update: { entity_id: string; status: UpdateStatus }): boolean {
  if (isCurator(u)) return true;
  if (update.status === 'approved') return true;
  return (u.role === 'focal_point' || u.role === 'contributor') && ofEntity(u, update.entity_id);
}

/** Create and edit drafts (and their evidence) for an entity's assignment. */
export function canDraftFor(u: Actor, entityId: string): boolean {
  if (isCurator(u)) return true;
  return (u.role === 'focal_point' || u.role === 'contributor') && ofEntity(u, entityId);
}

/** Submit an entity's update to the secretariat. */
export function canSubmitFor(u: Actor, entityId: string): boolean {
  if (isCurator(u)) return true;
  return u.role === 'focal_point' && ofEntity(u, entityId);
}

/** Return or approve a submitted update. */
export const canReview = (u: Actor): boolean => isCurator(u);

/** The audit viewer. */
export const canReadAudit = (u: Actor): boolean => u.role === 'admin';

/** Whose workspace a user may open: their own entity's; curators and viewers any entity. */
export function canReadWorkspaceOf(u: Actor, entityId: string): boolean {
  if (isCurator(u) || u.role === 'viewer') return true;
  return ofEntity(u, entityId);
}

/** Users: admins manage everyone; a focal point manages the contributors of their own entity. */
export function canManageUser(u: Actor, target: { role: Role; entity_id: string | null }): boolean {
  if (u.role === 'admin') return true;
  return u.role === 'focal_point' && target.role === 'contributor' && target.entity_id !== null && ofEntity(u, target.entity_id);
}

/** Throws 403 unless `allowed`. */
export function authorize(allowed: boolean, message?: string): void {
  if (!allowed) throw forbidden(message);
}

/**
 * The national action plan (issue 11): curators build and edit plans. Follow-up of an action (its status and
 * indicator values, with evidence) is a progress update on the action from its lead entity: the same rules as
 * any progress update (canDraftFor, canSubmitFor, canReview). Only values of approved updates count.
 */
export const canEditPlan = (u: Actor): boolean => isCurator(u);
