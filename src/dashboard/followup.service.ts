import { sql, type Kysely } from 'kysely';
import { listAssignments, todayUtc } from '../assignments/index.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { recommendationsWithSource } from '../db/recommendation-source.ts';

export const STATUS_DIMENSIONS = ['mechanism', 'body', 'cycle', 'theme', 'sdg', 'entity'] as const;
export type StatusDimension = (typeof STATUS_DIMENSIONS)[number];

interface Raw {
  value: string | number | null;
  label_ar: string | null;
  label_en: string | null;
  status: string;
  n: number | string;
}

/**
 * Recommendations counted per status for each value of a dimension. Each row carries `filter`: the
 * query parameter and value that open the matching list (`/recommendations?<param>=<value>`).
 * A recommendation with several themes/SDGs/entities counts once in each of them. A heavy read
 * (EngineDialect.heavyRead): at 250,000 recommendations on SQLite it held the server's thread for 0.4–0.6 s.
 */
export async function statusBy(db: Kysely<DB>, dialect: EngineDialect, by: StatusDimension) {
  const base = recommendationsWithSource(db);
  const n = sql<number>`count(distinct r.id)`.as('n');
  let raw: Raw[];
  switch (by) {
    case 'mechanism':
      raw = await dialect.heavyRead(db, base.select(['m.code as value', 'm.name_ar as label_ar', 'm.name_en as label_en', 'r.status', n]).groupBy(['m.code', 'm.name_ar', 'm.name_en', 'r.status']));
      break;
    case 'body':
      raw = await dialect.heavyRead(db, base.select(['b.code as value', 'b.name_ar as label_ar', 'b.name_en as label_en', 'r.status', n]).groupBy(['b.code', 'b.name_ar', 'b.name_en', 'r.status']));
      break;
    case 'cycle': {
      const cycle = sql<string>`cast(d.upr_cycle as text)`;
      const q = base
        .where('d.upr_cycle', 'is not', null)
        .select([cycle.as('value'), sql<null>`null`.as('label_ar'), sql<null>`null`.as('label_en'), 'r.status', n])
        .groupBy([cycle, 'r.status']);
      raw = await dialect.heavyRead(db, q);
      break;
    }
    case 'theme':
    case 'sdg': {
      const kinds = by === 'theme' ? (['theme'] as const) : (['sdg_goal', 'sdg_target'] as const);
      const q = base
        .innerJoin('recommendation_terms as rt', 'rt.recommendation_id', 'r.id')
        .innerJoin('terms as t', 't.id', 'rt.term_id')
        .where('t.kind', 'in', [...kinds])
        .select(['t.code as value', 't.label_ar', 't.label_en', 'r.status', n])
        .groupBy(['t.code', 't.label_ar', 't.label_en', 'r.status']);
      raw = await dialect.heavyRead(db, q);
      break;
    }
    case 'entity': {
      const q = base
        .innerJoin('assignments as a', (j) =>
          j.on((eb) => eb.or([eb('a.recommendation_id', '=', eb.ref('r.id')), eb.and([eb('a.cluster_id', 'is not', null), eb('a.cluster_id', '=', eb.ref('r.cluster_id'))])])),
        )
        .innerJoin('entities as e', 'e.id', 'a.entity_id')
        .select(['e.id as value', 'e.name_ar as label_ar', 'e.name_en as label_en', 'r.status', n])
        .groupBy(['e.id', 'e.name_ar', 'e.name_en', 'r.status']);
      raw = await dialect.heavyRead(db, q);
      break;
    }
  }
  const statuses = await db.selectFrom('statuses').select(['code', 'label_ar', 'label_en', 'color']).orderBy('sort').execute();
  const rows = new Map<string, { value: string; label_ar: string | null; label_en: string | null; filter: Record<string, string>; counts: Record<string, number>; total: number }>();
  for (const x of raw) {
    if (x.value === null) continue;
    const value = String(x.value);
    const row = rows.get(value) ?? { value, label_ar: x.label_ar, label_en: x.label_en, filter: { [by]: value }, counts: Object.fromEntries(statuses.map((s) => [s.code, 0])), total: 0 };
    row.counts[x.status] = (row.counts[x.status] ?? 0) + Number(x.n);
    row.total += Number(x.n);
    rows.set(value, row);
  }
  return { by, statuses, rows: [...rows.values()].sort((a, b) => b.total - a.total || a.value.localeCompare(b.value)) };
}

/** Overdue assignments (no update approved since the due date was set), with counts per entity. */
export async function overdueDashboard(db: Kysely<DB>, today = todayUtc()) {
  const list = await listAssignments(db, { overdue: true, page: 1, pageSize: 500 }, today);
  const byEntity = new Map<string, { entity_id: string; name_ar: string; name_en: string; count: number; filter: Record<string, string> }>();
  for (const a of list.items) {
    const e = byEntity.get(a.entity_id) ?? { entity_id: a.entity_id, name_ar: a.entity_name_ar, name_en: a.entity_name_en, count: 0, filter: { entity: a.entity_id, overdue: 'true' } };
    e.count += 1;
    byEntity.set(a.entity_id, e);
  }
  return { today, total: list.total, byEntity: [...byEntity.values()].sort((a, b) => b.count - a.count), items: list.items };
}

/** Progress over time: status changes per month (from status_history) and updates on recommendations approved per month (not those on plan actions). */
export async function trend(db: Kysely<DB>, months: number, now = new Date()) {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1)).toISOString();
  const month = sql<string>`substr(changed_at, 1, 7)`;
  const changes = await db
    .selectFrom('status_history')
    .select([month.as('month'), 'to_status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('changed_at', '>=', start)
    .groupBy([month, 'to_status'])
    .execute();
  const approvedMonth = sql<string>`substr(reviewed_at, 1, 7)`;
  const approvals = await db
    .selectFrom('progress_updates')
    .select([approvedMonth.as('month'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'approved')
    .where('assignment_id', 'is not', null)
    .where('reviewed_at', '>=', start)
    .groupBy(approvedMonth)
    .execute();
  const out: { month: string; changes: Record<string, number>; total: number; approvedUpdates: number }[] = [];
  for (let i = 0; i < months; i++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1) + i, 1));
    out.push({ month: d.toISOString().slice(0, 7), changes: {}, total: 0, approvedUpdates: 0 });
  }
  const at = new Map(out.map((m) => [m.month, m]));
  for (const c of changes) {
    const m = at.get(c.month);
    if (!m) continue;
    m.changes[c.to_status] = (m.changes[c.to_status] ?? 0) + Number(c.n);
    m.total += Number(c.n);
  }
  for (const a of approvals) {
    const m = at.get(a.month);
    if (m) m.approvedUpdates += Number(a.n);
  }
  return { months: out };
}
