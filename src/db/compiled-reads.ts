/**
 * Reads compiled once per shape and run again with new values. Building and compiling a query with Kysely costs
 * 0.1–0.2 ms; running a read by primary key on SQLite costs a few microseconds. For reads on a hot path (the register's
 * patch after an edit, src/recommendations/register-index.ts) the query is built once with marker values, and each run
 * puts the real values in the markers' places among the compiled parameters.
 *
 * Reads only: a compiled query bypasses the plugins, the write counters included (src/db/changes.ts).
 */
import type { CompiledQuery, Kysely, QueryExecutorProvider } from 'kysely';

/** A query builder, or raw `sql` (compiled with the database's executor). */
export interface CompilableRead<R> {
  compile(executor: QueryExecutorProvider): CompiledQuery<R>;
}

const MARK = '\u0000rasd-compiled-read-';

export class CompiledReads {
  /** per database handle (each engine compiles its own SQL) */
  private readonly byDb = new WeakMap<Kysely<any>, Map<string, { compiled: CompiledQuery; slots: number[] }>>();

  /**
   * Runs the read `build` makes from `values` (given as markers: build it from them as from the values themselves,
   * e.g. in a `where … in` list, never in its SQL text). `shape` names the query and everything its SQL depends on
   * besides the values (their number is added).
   */
  async run<R>(
    db: Kysely<any>,
    shape: string,
    values: readonly unknown[],
    build: (marks: string[]) => CompilableRead<R>,
    /** runs the compiled read another way than through `db`: EngineDialect.prepared (PostgreSQL, planned once) */
    prepared?: <T>(sql: string, parameters: readonly unknown[]) => Promise<T[]>,
  ): Promise<R[]> {
    const key = `${shape}/${values.length}`;
    let kept = this.byDb.get(db);
    if (!kept) this.byDb.set(db, (kept = new Map()));
    let entry = kept.get(key);
    if (!entry) {
      const marks = values.map((_, k) => `${MARK}${k}`);
      const compiled = build(marks).compile(db);
      const slots = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? Number(p.slice(MARK.length)) : -1));
      // every value placed as a parameter (a marker in the SQL text itself would be a misuse)
      if (compiled.sql.includes(MARK) || !marks.every((_, k) => slots.includes(k))) throw new Error(`compiled read ${shape}: a value is not a parameter`);
      entry = { compiled, slots };
      if (kept.size >= 256) kept.delete(kept.keys().next().value!);
      kept.set(key, entry);
    }
    const { compiled, slots } = entry;
    const parameters = compiled.parameters.map((p, k) => (slots[k]! >= 0 ? values[slots[k]!] : p));
    if (prepared) return prepared<R>(compiled.sql, parameters);
    const result = await db.executeQuery<R>({ ...compiled, parameters });
    return result.rows;
  }
}
