import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { nowIso } from '../shared/ids.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_KEYS = new Set(['password', 'password_hash', 'csrf_token', 'token']);
function scrub(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (k, v) => (SECRET_KEYS.has(k) ? '[redacted]' : v));
}

/** Append-only: call inside the same transaction as the change it records. */
export async function recordAudit(db: Kysely<DB> | Transaction<DB>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: nowIso(),
      actor_id: entry.actorId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId ?? null,
      before: scrub(entry.before),
      after: scrub(entry.after),
    })
    .execute();
}

export async function listAudit(
  db: Kysely<DB>,
  filter: { subjectType?: string; subjectId?: string; actorId?: string; limit?: number },
) {
  let q = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.actor_id',
      'users.name as actor_name',
      'audit_log.action',
      'audit_log.subject_type',
      'audit_log.subject_id',
      'audit_log.before',
      'audit_log.after',
    ]);
  if (filter.subjectType) q = q.where('audit_log.subject_type', '=', filter.subjectType);
  if (filter.subjectId) q = q.where('audit_log.subject_id', '=', filter.subjectId);
  if (filter.actorId) q = q.where('audit_log.actor_id', '=', filter.actorId);
  const rows = await q.orderBy('audit_log.id', 'desc').limit(filter.limit ?? 100).execute();
  return rows.map((r) => ({
    ...r,
    before: r.before ? (JSON.parse(r.before) as unknown) : null,
    after: r.after ? (JSON.parse(r.after) as unknown) : null,
  }));
}
