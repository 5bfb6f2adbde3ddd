import type { Kysely, RawBuilder, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import { recommendationsWithSource } from '../db/recommendation-source.ts';
import { CompiledReads } from '../db/compiled-reads.ts';

const reads = new CompiledReads();

type Q = Kysely<DB> | Transaction<DB>;

/** Base query: recommendations joined with their document, body and mechanism. */
function base(db: Q) {
  return recommendationsWithSource(db);
}
type Base = ReturnType<typeof base>;

function selectItems(q: Base) {
  return q
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
      'r.updated_at',
      'd.symbol as document_symbol',
      'd.date as document_date',
      'd.upr_cycle',
      'b.code as body_code',
      'm.code as mechanism_code',
      'r.cluster_id',
    ]);
}

/** The read of list rows by ids, or by a subquery of ids (rows as stored: see `listItem`). */
export function listItemsQuery(db: Q, ids: readonly string[] | RawBuilder<string>) {
  return selectItems(base(db).where('r.id', 'in', ids));
}
export type StoredListItem = Awaited<ReturnType<ReturnType<typeof listItemsQuery>['execute']>>[number];

/** A list row as answered. */
export function listItem(row: StoredListItem) {
  return { ...row, recommending_states: JSON.parse(row.recommending_states) as string[] };
}

/** List rows as stored, in no order. */
export async function storedListItems(db: Q, ids: readonly string[], dialect?: EngineDialect): Promise<StoredListItem[]> {
  if (ids.length === 0) return [];
  // a page (or an edit's few): compiled once per number of ids (on PostgreSQL, outside a transaction, planned once)
  const prepared = db.isTransaction ? undefined : dialect?.prepared?.bind(dialect);
  return ids.length <= 100 ? reads.run(db, 'list-items', ids, (marks) => listItemsQuery(db, marks), prepared) : listItemsQuery(db, ids).execute();
}

/** The rows of one page, in the order of `ids`. */
export async function listItems(db: Q, ids: readonly string[], dialect?: EngineDialect) {
  const rows = await storedListItems(db, ids, dialect);
  const byId = new Map(rows.map((x) => [x.id, x]));
  return ids
    .map((id) => byId.get(id))
    .filter((x) => x !== undefined)
    .map(listItem);
}

export async function findRecommendation(db: Q, id: string) {
  return base(db)
    .selectAll('r')
    .select([
      'd.symbol as document_symbol',
      'd.type as document_type',
      'd.date as document_date',
      'd.upr_cycle',
      'd.upr_session',
      'd.country',
      'd.url as document_url',
      'b.code as body_code',
      'b.name_ar as body_name_ar',
      'b.name_en as body_name_en',
      'm.code as mechanism_code',
      'm.name_ar as mechanism_name_ar',
      'm.name_en as mechanism_name_en',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

export async function termsOf(db: Q, id: string) {
  return db
    .selectFrom('recommendation_terms as rt')
    .innerJoin('terms as t', 't.id', 'rt.term_id')
    .select(['t.id', 't.kind', 't.code', 't.label_ar', 't.label_en'])
    .where('rt.recommendation_id', '=', id)
    .orderBy('t.kind')
    .orderBy('t.sort')
    .orderBy('t.code')
    .execute();
}

/** Newest first; a system change's reason as `reason_code` and its parameters, for the reader's language. */
export async function statusHistoryOf(db: Q, id: string) {
  const rows = await db
    .selectFrom('status_history as h')
    .leftJoin('users as u', 'u.id', 'h.changed_by')
    .select(['h.id', 'h.from_status', 'h.to_status', 'h.reason', 'h.reason_code', 'h.reason_params', 'h.changed_at', 'u.name as changed_by_name'])
    .where('h.recommendation_id', '=', id)
    .orderBy('h.changed_at', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, reason_params: r.reason_params ? (JSON.parse(r.reason_params) as Record<string, string>) : null }));
}
