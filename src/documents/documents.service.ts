import type { Kysely } from 'kysely';
import { countryNameOf } from '../settings/index.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { notFound } from '../shared/errors.ts';

function base(db: Kysely<DB>) {
  return db
    .selectFrom('documents as d')
    .innerJoin('bodies as b', 'b.id', 'd.body_id')
    .innerJoin('mechanisms as m', 'm.id', 'b.mechanism_id')
    .leftJoin('recommendations as r', 'r.document_id', 'd.id')
    .select([
      'd.id',
      'd.symbol',
      'd.type',
      'd.date',
      'd.country',
      'd.upr_cycle',
      'd.upr_session',
      'd.url',
      'b.code as body_code',
      'b.name_ar as body_name_ar',
      'b.name_en as body_name_en',
      'm.code as mechanism_code',
      (eb) => eb.fn.count<number>('r.id').as('recommendations'),
    ])
    .groupBy(['d.id', 'd.symbol', 'd.type', 'd.date', 'd.country', 'd.upr_cycle', 'd.upr_session', 'd.url', 'b.code', 'b.name_ar', 'b.name_en', 'm.code']);
}

/**
 * A page of the documents with their recommendations counted: a heavy read (EngineDialect.heavyRead), which held the
 * server's thread for 0.24–0.27 s at 250,000 recommendations on SQLite.
 */
export async function listDocuments(db: Kysely<DB>, dialect: EngineDialect, filter: { q?: string; body?: string; page: number; pageSize: number }) {
  let q = base(db);
  if (filter.body) q = q.where('b.code', '=', filter.body);
  if (filter.q) q = q.where((eb) => eb.or([eb('d.symbol', 'like', `%${filter.q}%`), eb('d.country', 'like', `%${filter.q}%`)]));
  const rows = await dialect.heavyRead(db, q.orderBy('d.date', 'desc').orderBy('d.symbol').limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize));
  let c = db.selectFrom('documents as d').innerJoin('bodies as b', 'b.id', 'd.body_id');
  if (filter.body) c = c.where('b.code', '=', filter.body);
  if (filter.q) c = c.where((eb) => eb.or([eb('d.symbol', 'like', `%${filter.q}%`), eb('d.country', 'like', `%${filter.q}%`)]));
  const total = await c.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { items: rows.map((r) => ({ ...r, recommendations: Number(r.recommendations) })), total: Number(total.n) };
}

export async function getDocument(db: Kysely<DB>, id: string) {
  const row = await base(db).where('d.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Document');
  const statuses = await db
    .selectFrom('recommendations')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('document_id', '=', id)
    .groupBy('status')
    .execute();
  return { ...row, country_name: row.country ? await countryNameOf(db, row.country) : null, recommendations: Number(row.recommendations), byStatus: statuses.map((s) => ({ status: s.status, count: Number(s.count) })) };
}
