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

export interface AuditSearch {
  actor?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

/** The audit viewer: filters, newest first, paged. `to` as a bare date includes that whole day. */
export async function searchAudit(db: Kysely<DB>, f: AuditSearch) {
  let q = db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.actor_id');
  if (f.actor) q = q.where((eb) => eb.or([eb('audit_log.actor_id', '=', f.actor!), eb('users.email', '=', f.actor!.toLowerCase())]));
  if (f.action) q = f.action.endsWith('.') ? q.where('audit_log.action', 'like', `${f.action.replace(/[\\%_]/g, '')}%`) : q.where('audit_log.action', '=', f.action);
  if (f.subjectType) q = q.where('audit_log.subject_type', '=', f.subjectType);
  if (f.subjectId) q = q.where('audit_log.subject_id', '=', f.subjectId);
  if (f.from) q = q.where('audit_log.at', '>=', f.from);
  if (f.to) q = q.where('audit_log.at', '<=', f.to.length === 10 ? `${f.to}T23:59:59.999Z` : f.to);
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await q
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.actor_id',
      'users.name as actor_name',
      'users.email as actor_email',
      'audit_log.action',
      'audit_log.subject_type',
      'audit_log.subject_id',
      'audit_log.before',
      'audit_log.after',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({
      ...r,
      before: r.before ? (JSON.parse(r.before) as unknown) : null,
      after: r.after ? (JSON.parse(r.after) as unknown) : null,
    })),
    total,
    page: f.page,
    pageSize: f.pageSize,
  };
}
