import { CompiledQuery, type Compilable, type DialectAdapter, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

/**
 * A multi-row INSERT run many times over with different rows, such as an import's 500-row batches.
 * Kysely turns every row object into a syntax tree and compiles it again on each call, which cost an
 * import of 250,000 records more time than SQLite's own work on some tables. A `BatchInsert` compiles its
 * statement once per database, row count and column list, checks that the compiled parameters are the
 * rows' values in column order, and from then on sends that SQL text with the new rows' values.
 *
 * Every row of one call must hold the same columns (the first row's keys), none undefined; a call that
 * breaks this, or a statement whose parameters are laid out otherwise, simply runs as built.
 */
export class BatchInsert<Row extends object> {
  private readonly texts = new WeakMap<DialectAdapter, Map<string, string>>();

  constructor(private readonly build: (db: Kysely<DB>, rows: Row[]) => Compilable) {}

  async run(db: Kysely<DB>, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!) as (keyof Row)[];
    const parameters = flatten(rows, columns);
    if (!parameters) {
      await db.executeQuery(this.build(db, rows));
      return;
    }
    const adapter = db.getExecutor().adapter;
    let texts = this.texts.get(adapter);
    if (!texts) this.texts.set(adapter, (texts = new Map()));
    const key = `${rows.length}:${columns.join(',')}`;
    let text = texts.get(key);
    if (text === undefined) {
      const compiled = this.build(db, rows).compile();
      if (!sameValues(compiled.parameters, parameters)) {
        await db.executeQuery(compiled);
        return;
      }
      text = compiled.sql;
      if (texts.size >= 32) texts.clear();
      texts.set(key, text);
    }
    await db.executeQuery(CompiledQuery.raw(text, parameters));
  }
}

/** The rows' values, row after row in column order; null when a row's columns differ from the first row's. */
function flatten<Row extends object>(rows: Row[], columns: (keyof Row)[]): unknown[] | null {
  const out: unknown[] = new Array(rows.length * columns.length);
  let i = 0;
  for (const row of rows) {
    if (Object.keys(row).length !== columns.length) return null;
    for (const c of columns) {
      const v = row[c];
      if (v === undefined) return null;
      out[i++] = v;
    }
  }
  return out;
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
