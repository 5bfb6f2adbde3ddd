import type { Kysely } from 'kysely';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';

const count = async (db: Kysely<DB>, dialect: EngineDialect, table: 'recommendations' | 'documents' | 'entities' | 'users') =>
  Number((await dialect.heavyRead(db, db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'))))[0]!.n);

/**
 * Real counts for the home page. The counts over the register are heavy reads (EngineDialect.heavyRead): at 250,000
 * recommendations on SQLite they held the server's thread for 260–280 ms at each view of the home page.
 */
export async function homeSummary(db: Kysely<DB>, dialect: EngineDialect) {
  const statuses = db
    .selectFrom('statuses as s')
    .leftJoin('recommendations as r', 'r.status', 's.code')
    .select(['s.code', 's.label_ar', 's.label_en', 's.color', (eb) => eb.fn.count<number>('r.id').as('count')])
    .groupBy(['s.code', 's.label_ar', 's.label_en', 's.color', 's.sort'])
    .orderBy('s.sort');
  const mechanisms = db
    .selectFrom('mechanisms as m')
    .leftJoin('bodies as b', 'b.mechanism_id', 'm.id')
    .leftJoin('documents as d', 'd.body_id', 'b.id')
    .leftJoin('recommendations as r', 'r.document_id', 'd.id')
    .select(['m.code', 'm.name_ar', 'm.name_en', (eb) => eb.fn.count<number>('r.id').as('count')])
    .groupBy(['m.code', 'm.name_ar', 'm.name_en', 'm.sort'])
    .orderBy('m.sort');
  const [recommendations, documents, entities, users, byStatus, byMechanism] = await Promise.all([
    count(db, dialect, 'recommendations'),
    count(db, dialect, 'documents'),
    count(db, dialect, 'entities'),
    count(db, dialect, 'users'),
    dialect.heavyRead(db, statuses),
    dialect.heavyRead(db, mechanisms),
  ]);
  const demo = await db.selectFrom('settings').select('value').where('key', '=', 'demo').executeTakeFirst();
  return {
    counts: { recommendations, documents, entities, users },
    byStatus: byStatus.map((s) => ({ ...s, count: Number(s.count) })),
    byMechanism: byMechanism.map((m) => ({ ...m, count: Number(m.count) })),
    demo: demo ? (JSON.parse(demo.value) as unknown) : null,
  };
}
