/**
 * Search index maintenance, engine-neutral: the text pipeline's output (src/text indexDocument)
 * is upserted into `recommendation_search`; SQLite (FTS5 triggers) and PostgreSQL (postings kept by
 * triggers, migration 006) index it by themselves. Call `indexRecommendations` inside the transaction
 * that changes a recommendation's texts, paragraph or document.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { BatchInsert } from '../db/batch-insert.ts';
import type { DB } from '../db/schema.ts';
import type { SearchDialect } from '../db/dialect/types.ts';
import { nowIso } from '../shared/ids.ts';
import { analyseSource, type SearchColumns, type SearchSource } from './search.text.ts';

export { analyseSource, searchableText, type SearchColumns, type SearchSource } from './search.text.ts';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * Index rows per statement. On PostgreSQL each upsert also re-derives the postings of its rows in its trigger
 * (migration 006: about 30 postings per row, deleted and written again on an update), so the statement's time grows
 * with its rows (about 1 ms of the server's processor time per updated row, at 10,000 records): 400 rows took
 * 1.5–3.7 s on a loaded machine (load average 13–17) during a second-language import of 10,000 records, and 50 rows
 * up to 1.04 s at 100,000. 25 keep each statement short; the whole costs about the same.
 */
const BATCH = 25;

async function loadSources(db: Q, ids: readonly string[]): Promise<SearchSource[]> {
  return db
    .selectFrom('recommendations as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select(['r.id', 'r.paragraph', 'd.symbol as document_symbol', 'r.text_ar', 'r.text_en', 'r.text_fr'])
    .where('r.id', 'in', ids)
    .execute();
}

const upsertRows = new BatchInsert<{ recommendation_id: string; terms: string; words: string; indexed_at: string }>((db, rows) =>
  db
    .insertInto('recommendation_search')
    .values(rows)
    .onConflict((oc) =>
      oc.column('recommendation_id').doUpdateSet({
        terms: (eb) => eb.ref('excluded.terms'),
        words: (eb) => eb.ref('excluded.words'),
        indexed_at: (eb) => eb.ref('excluded.indexed_at'),
      }),
    ),
);

async function upsert(db: Q, rows: readonly (SearchColumns & { recommendation_id: string })[]): Promise<void> {
  const now = nowIso();
  await upsertRows.run(db, rows.map((r) => ({ recommendation_id: r.recommendation_id, terms: r.terms, words: r.words, indexed_at: now })));
}

/** (Re)indexes these recommendations, read back from the database; use the caller's transaction. */
export async function indexRecommendations(db: Q, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) {
    const sources = await loadSources(db, ids.slice(i, i + BATCH));
    await upsert(db, sources.map((s) => ({ recommendation_id: s.id, ...analyseSource(s) })));
  }
}

/**
 * (Re)indexes recommendations from texts the caller already holds (the values it has just written,
 * e.g. an import's new rows), without reading them back; `analysed` when the caller has already
 * run analyseSource on them (the import's parse worker). Use the caller's transaction.
 */
export async function indexSources(db: Q, sources: readonly (SearchSource & { analysed?: SearchColumns | undefined })[]): Promise<void> {
  for (let i = 0; i < sources.length; i += BATCH) {
    await upsert(db, sources.slice(i, i + BATCH).map((s) => ({ recommendation_id: s.id, ...(s.analysed ?? analyseSource(s)) })));
  }
}

/** Removes index rows (also done by ON DELETE CASCADE when a recommendation is deleted). */
export async function removeFromIndex(db: Q, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) {
    await db.deleteFrom('recommendation_search').where('recommendation_id', 'in', ids.slice(i, i + BATCH)).execute();
  }
}

/** Indexes recommendations that have no index row yet (after an upgrade); returns how many. */
export async function indexMissing(db: Kysely<DB>, search?: SearchDialect): Promise<number> {
  let done = 0;
  for (;;) {
    const ids = await db
      .selectFrom('recommendations as r')
      .leftJoin('recommendation_search as s', 's.recommendation_id', 'r.id')
      .where('s.recommendation_id', 'is', null)
      .select('r.id')
      .limit(2000)
      .execute();
    if (ids.length === 0) break;
    await db.transaction().execute((trx) => indexRecommendations(trx, ids.map((r) => r.id)));
    done += ids.length;
  }
  if (done > 0 && search) await search.optimize(db);
  return done;
}

/**
 * Rebuilds the whole index (rasd reindex): every recommendation re-analysed, orphan rows removed,
 * in batches of one transaction each, keyset-paginated by id. Reports progress.
 */
/**
 * The version of the text pipeline the index was built with (src/text: normalising, stemming). `rasd serve` rebuilds
 * the index once when the stored version differs. 2: "nationality" no longer shares the stem of "national".
 */
export const SEARCH_PIPELINE_VERSION = 2;

/** Rebuilds the whole index when it was built by another version of the text pipeline; true when it did. */
export async function reindexIfStale(db: Kysely<DB>, search: SearchDialect): Promise<boolean> {
  if ((await heldPipelineVersion(db)) === SEARCH_PIPELINE_VERSION) return false;
  const any = await indexHoldsRows(db);
  if (any) await reindexAll(db, search);
  await recordPipelineVersion(db);
  return any;
}

/**
 * Notes the text pipeline's version on a database whose index is still empty (what every command that migrates does
 * first), so that rows indexed afterwards, by `rasd import` for example, are not taken for an older pipeline's and the
 * whole index rebuilt by the next `rasd serve`. An index that holds rows and no version is left to `reindexIfStale`.
 */
export async function notePipelineOfEmptyIndex(db: Kysely<DB>): Promise<void> {
  if ((await heldPipelineVersion(db)) === null && !(await indexHoldsRows(db))) await recordPipelineVersion(db);
}

async function heldPipelineVersion(db: Kysely<DB>): Promise<number | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'search_pipeline_version').executeTakeFirst();
  return row ? Number(JSON.parse(row.value)) : null;
}

async function indexHoldsRows(db: Kysely<DB>): Promise<boolean> {
  return Boolean(await db.selectFrom('recommendation_search').select('recommendation_id').limit(1).executeTakeFirst());
}

async function recordPipelineVersion(db: Kysely<DB>): Promise<void> {
  const value = JSON.stringify(SEARCH_PIPELINE_VERSION);
  const updated_at = new Date().toISOString();
  await db
    .insertInto('settings')
    .values({ key: 'search_pipeline_version', value, updated_at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at }))
    .execute();
}

export async function reindexAll(
  db: Kysely<DB>,
  search: SearchDialect,
  onProgress?: (done: number, total: number) => void,
): Promise<{ indexed: number; removed: number }> {
  const total = Number((await db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const removed = await db
    .deleteFrom('recommendation_search')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('recommendations as r').whereRef('r.id', '=', 'recommendation_search.recommendation_id').select(sql`1`.as('one')))),
    )
    .executeTakeFirst();
  let after = '';
  let indexed = 0;
  onProgress?.(0, total);
  for (;;) {
    const ids = await db.selectFrom('recommendations').select('id').where('id', '>', after).orderBy('id').limit(2000).execute();
    if (ids.length === 0) break;
    await db.transaction().execute((trx) => indexRecommendations(trx, ids.map((r) => r.id)));
    indexed += ids.length;
    after = ids[ids.length - 1]!.id;
    onProgress?.(indexed, total);
  }
  await search.optimize(db);
  return { indexed, removed: Number(removed.numDeletedRows) };
}
