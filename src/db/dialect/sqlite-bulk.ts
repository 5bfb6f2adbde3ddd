import type Database from 'better-sqlite3';
import { sql } from 'kysely';
import type { BulkLoad, BulkWriter } from './types.ts';

/**
 * SQLite's BulkLoad, for a first import into an empty register. Inside the import's transaction:
 * - the secondary indexes of `recommendations` and `recommendation_terms`, the FTS5 insert trigger and the register's
 *   change-log triggers are dropped, and built again once at the end (`finish`): keeping the random-keyed indexes
 *   (external id, document, term) and FTS5 up to date row by row cost far more than one pass each. The change log
 *   gets one `full` row instead of one row per written row (the in-memory register rebuilds). The definitions are
 *   read from the schema and replayed, so they stay whatever the migrations made; a rollback (dry run, rejected
 *   file, error) restores them with everything else;
 * - the rows are written by the `writer`: multi-row INSERTs prepared once on the writer connection (the one holding
 *   the transaction) and run with each batch's values, instead of going through Kysely (a syntax tree built, checked
 *   and compiled per batch, the driver's queue, the statement cache) for every 500 records.
 * `wrote` counts the tables the writer wrote, as Kysely's write counter does for its own statements (changes.ts).
 */
export function sqliteBulkLoad(writer: Database.Database, wrote: (tables: readonly string[]) => void): BulkLoad {
  return {
    async begin(trx) {
      const { rows } = await sql<{ type: 'index' | 'trigger'; name: string; sql: string }>`select type, name, sql from sqlite_master
        where (type = 'index' and tbl_name in ('recommendations', 'recommendation_terms') and sql is not null)
           or (type = 'trigger' and name = 'recommendation_search_fts_ai')
           or (type = 'trigger' and name like 'register_changes_%' and tbl_name in ('recommendations', 'recommendation_terms', 'recommendation_search'))`.execute(trx);
      for (const r of rows) await sql.raw(`drop ${r.type} "${r.name}"`).execute(trx);
      // instead of one change row per inserted row (migration 020): the in-memory register rebuilds
      await sql`insert into register_changes(scope) values ('full')`.execute(trx);
      // the raw writer may be used only if it is the connection of this transaction (sqlite-driver.ts: the writer runs
      // every transaction); otherwise the import writes through Kysely as before
      const rawWriter = writer.inTransaction ? preparedWriter(writer, wrote) : undefined;
      return {
        ...(rawWriter ? { writer: rawWriter } : {}),
        async finish() {
          // the indexes' sorts in helper threads (SQLite's own: the parse worker is done by now, its core free): the
          // term index's million entries no longer sort on this thread
          const threads = Number((await sql.raw<{ threads: number }>('pragma threads').execute(trx)).rows[0]?.threads ?? 0);
          await sql.raw(`pragma threads = ${BUILD_THREADS}`).execute(trx);
          try {
            for (const r of rows) await sql.raw(r.sql).execute(trx);
          } finally {
            await sql.raw(`pragma threads = ${threads}`).execute(trx);
          }
          // the register was empty, so the index rows are this import's: index them all at once, FTS5 holding up to
          // 16 MB of terms in memory before writing a segment (1 MB by default: more segments, more merging), then
          // back to the default (written in the index's config table: rolled back with the rest if the import is)
          await sql`insert into recommendation_fts(recommendation_fts, rank) values ('hashsize', ${sql.lit(REBUILD_HASH_BYTES)})`.execute(trx);
          await sql`insert into recommendation_fts(recommendation_fts) values ('rebuild')`.execute(trx);
          await sql`insert into recommendation_fts(recommendation_fts, rank) values ('hashsize', ${sql.lit(FTS5_DEFAULT_HASH_BYTES)})`.execute(trx);
        },
      };
    },
  };
}

/**
 * SQLite's helper threads for sorting while `finish` builds the indexes (`pragma threads`; 0 by default). Measured at
 * 250,000 records (1,000,000 term links): the term index's build took 1.2 s on this thread alone, 0.3 s with 2 helpers.
 */
const BUILD_THREADS = 2;
/** FTS5's pending-terms limit for the one `rebuild` (measured at 250,000 records: 1.3 s → 0.9 s; 64 MB gained nothing more). */
const REBUILD_HASH_BYTES = 16 * 1024 * 1024;
/** FTS5's own default (`hashsize`) */
const FTS5_DEFAULT_HASH_BYTES = 1024 * 1024;

/** Rows per multi-row INSERT, per table (columns × rows stays far below SQLite's 32,766 parameters). */
const ROWS_PER_STATEMENT = 100;

/**
 * A value written as a literal in the statement's text when every row of the statement holds it: null, or a short
 * string without a NUL (a numeric literal could differ from a bound number in its type: left bound). Each row of an
 * import carries a dozen such values (its timestamps, its language, its source, the columns it leaves empty): bound,
 * each cost a conversion and a copy per row.
 */
function literalOf(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'string' && v.length <= MAX_LITERAL && !v.includes('\0')) return `'${v.replaceAll("'", "''")}'`;
  return undefined;
}
const MAX_LITERAL = 64;
/** statements kept per table at most (one per row count and set of literal values: a file gives a few) */
const MAX_STATEMENTS = 64;

/**
 * An INSERT of `rows` rows of `columns` into `table`, prepared once per row count and per set of values the rows
 * share (written as literals: `literalOf`), and kept: a file's batches are all the same size but its last, and
 * share the same values.
 */
export class PreparedInsert {
  private readonly statements = new Map<string, Database.Statement>();
  constructor(
    private readonly db: Database.Database,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {}

  private statement(key: string, rows: number, literals: readonly (string | undefined)[]): Database.Statement {
    let s = this.statements.get(key);
    if (!s) {
      const tuple = `(${this.columns.map((_, c) => literals[c] ?? '?').join(', ')})`;
      s = this.db.prepare(`insert into "${this.table}" (${this.columns.map((c) => `"${c}"`).join(', ')}) values ${Array.from({ length: rows }, () => tuple).join(', ')}`);
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      this.statements.set(key, s);
    }
    return s;
  }

  /** Writes `count` rows whose values are laid out row after row in `values` (column order). */
  run(values: readonly unknown[], count: number): void {
    const width = this.columns.length;
    const literals: (string | undefined)[] = new Array(width);
    for (let first = 0; first < count; first += ROWS_PER_STATEMENT) {
      const n = Math.min(ROWS_PER_STATEMENT, count - first);
      const start = first * width;
      let key = String(n);
      let bound = n * width;
      for (let c = 0; c < width; c++) {
        const v = values[start + c];
        let literal = literalOf(v);
        for (let i = start + width + c, end = start + n * width; literal !== undefined && i < end; i += width) if (values[i] !== v) literal = undefined;
        literals[c] = literal;
        if (literal !== undefined) {
          key += `|${c}:${literal}`;
          bound -= n;
        }
      }
      const args: unknown[] = new Array(bound);
      let k = 0;
      for (let i = start, end = start + n * width, c = 0; i < end; i++, c = c + 1 === width ? 0 : c + 1) if (literals[c] === undefined) args[k++] = values[i];
      this.statement(key, n, literals).run(args);
    }
  }
}

/**
 * A row's values in the given column order; throws on a row whose columns are not exactly those (the import builds
 * every new row with the same keys: a different one is a programming error, not a file's).
 */
function pushRow(out: unknown[], row: Record<string, unknown>, columns: readonly string[]): void {
  for (const c of columns) {
    const v = row[c];
    if (v === undefined) throw new Error(`bulk insert: column ${c} missing from a row`);
    out.push(v);
  }
  // counted without a list of the keys (one array per row: a quarter of a million at 250,000 records)
  let keys = 0;
  for (const k in row) if (Object.hasOwn(row, k)) keys += 1;
  if (keys !== columns.length) throw new Error('bulk insert: a row has columns the first row lacks');
}

/** Rows whose columns are those of the first row written (the others keep their defaults, as with Kysely's INSERT of the same rows). */
class RowInsert {
  private insert: { statement: PreparedInsert; columns: readonly string[] } | null = null;
  constructor(
    private readonly db: Database.Database,
    private readonly table: string,
  ) {}

  run(rows: readonly object[]): void {
    if (!this.insert) {
      const columns = Object.keys(rows[0]!);
      this.insert = { statement: new PreparedInsert(this.db, this.table, columns), columns };
    }
    const values: unknown[] = [];
    for (const r of rows) pushRow(values, r as Record<string, unknown>, this.insert.columns);
    this.insert.statement.run(values, rows.length);
  }
}

function preparedWriter(db: Database.Database, wrote: (tables: readonly string[]) => void): BulkWriter {
  const recommendations = new RowInsert(db, 'recommendations');
  // a chunk's new documents (at 250,000 records, one statement per chunk: 500 of them through Kysely cost 0.3 s)
  const documents = new RowInsert(db, 'documents');
  const links = new PreparedInsert(db, 'recommendation_terms', ['recommendation_id', 'term_id']);
  const search = new PreparedInsert(db, 'recommendation_search', ['recommendation_id', 'terms', 'words', 'indexed_at']);
  return {
    async documents(rows) {
      if (rows.length === 0) return;
      documents.run(rows);
      wrote(['documents']);
    },
    async recommendations(rows) {
      if (rows.length === 0) return;
      recommendations.run(rows);
      wrote(['recommendations']);
    },
    async links(rows) {
      if (rows.length === 0) return;
      const values: unknown[] = new Array(rows.length * 2);
      let i = 0;
      for (const r of rows) {
        values[i++] = r.recommendation_id;
        values[i++] = r.term_id;
      }
      links.run(values, rows.length);
      wrote(['recommendation_terms']);
    },
    async searchRows(rows) {
      if (rows.length === 0) return;
      const values: unknown[] = new Array(rows.length * 4);
      let i = 0;
      for (const r of rows) {
        values[i++] = r.recommendation_id;
        values[i++] = r.terms;
        values[i++] = r.words;
        values[i++] = r.indexed_at;
      }
      search.run(values, rows.length);
      wrote(['recommendation_search']);
    },
  };
}
