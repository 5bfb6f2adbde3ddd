import { sql, type Kysely, type Transaction } from 'kysely';
import { compareNatural } from '../shared/natural-sort.ts';
import type { DB } from '../db/schema.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { ListClustersQuery } from './clusters.schema.ts';
import { recommendationsWithSource } from '../db/recommendation-source.ts';

type Q = Kysely<DB> | Transaction<DB>;

export async function listClusterRows(db: Q, query: ListClustersQuery) {
  let q = db.selectFrom('clusters as c');
  if (query.status) q = q.where('c.status', '=', query.status);
  const totalRow = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .leftJoin('recommendations as r', 'r.cluster_id', 'c.id')
    .select(['c.id', 'c.title_ar', 'c.title_en', 'c.status', 'c.similarity_pct', 'c.version', 'c.created_at', 'c.updated_at', (eb) => eb.fn.count<number>('r.id').as('member_count')])
    .groupBy(['c.id', 'c.title_ar', 'c.title_en', 'c.status', 'c.similarity_pct', 'c.version', 'c.created_at', 'c.updated_at'])
    .orderBy(sql`case when c.status = 'suggested' then 1 else 0 end`)
    .orderBy('member_count', 'desc')
    .orderBy('c.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { rows, total: Number(totalRow.n) };
}

/** cluster id → status → count */
export async function statusBreakdown(db: Q, clusterIds: string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (clusterIds.length === 0) return out;
  const rows = await db
    .selectFrom('recommendations')
    .select(['cluster_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('cluster_id', 'in', clusterIds)
    .groupBy(['cluster_id', 'status'])
    .execute();
  for (const r of rows) {
    const m = out.get(r.cluster_id!) ?? {};
    m[r.status] = Number(r.n);
    out.set(r.cluster_id!, m);
  }
  return out;
}

export async function findCluster(db: Q, id: string) {
  return db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Newest document first, then paragraphs in natural order (79.2 before 79.10). */
export async function clusterMembers(db: Q, id: string) {
  const rows = await recommendationsWithSource(db)
    .select([
      'r.id',
      'r.paragraph',
      'r.text_ar',
      'r.text_en',
      'r.text_fr',
      'r.kind',
      'r.position',
      'r.status',
      'r.recommending_states',
      'r.version',
      'd.symbol as document_symbol',
      'd.date as document_date',
      'd.upr_cycle',
      'b.code as body_code',
      'm.code as mechanism_code',
    ])
    .where('r.cluster_id', '=', id)
    .orderBy('d.date', 'desc')
    .orderBy('r.id')
    .execute();
  return rows.sort((x, y) => (x.document_date === y.document_date ? 0 : (x.document_date ?? '') > (y.document_date ?? '') ? -1 : 1) || compareNatural(x.paragraph, y.paragraph) || (x.id < y.id ? -1 : 1));
}

/**
 * Recommendations in scope of a suggestion run (optionally one country's documents): every text of the register, so a
 * heavy read when the engine's dialect is given (on SQLite, off the server's thread). Read in pages by id: the rows of
 * one read reach the server's thread in one piece, and all 250,000 texts at once held it for 365–602 ms.
 */
export async function suggestionScope(db: Kysely<DB>, country?: string, dialect?: EngineDialect, pageSize = SCOPE_PAGE) {
  let scope = db
    .selectFrom('recommendations as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .leftJoin('clusters as c', 'c.id', 'r.cluster_id')
    .select(['r.id', 'r.text_ar', 'r.text_en', 'r.text_fr', 'r.cluster_id', 'c.status as cluster_status']);
  if (country) scope = scope.where(sql`lower(d.country)`, '=', country.toLowerCase());
  scope = scope.orderBy('r.id').limit(pageSize);
  const out = [];
  for (let after: string | null = null; ; ) {
    const q: typeof scope = after === null ? scope : scope.where('r.id', '>', after);
    const rows = dialect ? await dialect.heavyRead(db, q) : await q.execute();
    for (const r of rows) out.push(r);
    if (rows.length < pageSize) return out;
    after = rows[rows.length - 1]!.id;
  }
}
/** rows per read of `suggestionScope` */
const SCOPE_PAGE = 10_000;
