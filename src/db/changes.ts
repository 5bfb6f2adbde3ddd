/**
 * Which tables this process has written to, as counters, for in-memory indexes built from the
 * database (src/recommendations/register-index.ts). A Kysely plugin installed on every database
 * handle (createDb) sees each statement before it runs; inserts, updates and deletes (built with
 * Kysely, or written as raw `sql` naming the table in its text) bump their table's counter. A
 * precompiled `CompiledQuery` bypasses plugins: use one for reads only. Writes by other processes
 * are the engine's business (EngineDialect.externalChanges).
 */
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

const RAW_WRITE = /\b(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from)\s+["`]?(\w+)/gi;

function tableName(node: OperationNode | undefined): string | null {
  if (!node) return null;
  if (node.kind === 'TableNode') return (node as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
  if (node.kind === 'AliasNode') return tableName((node as unknown as { node: OperationNode }).node);
  return null;
}

/** Tables a statement writes to (empty for reads). */
export function writtenTables(node: RootOperationNode): string[] {
  switch (node.kind) {
    case 'InsertQueryNode':
      return [tableName(node.into)].filter((t): t is string => t !== null);
    case 'UpdateQueryNode':
      return [tableName(node.table)].filter((t): t is string => t !== null);
    case 'DeleteQueryNode':
      return node.from.froms.map(tableName).filter((t): t is string => t !== null);
    case 'RawNode':
      return tablesWrittenBy(node.sqlFragments.join('?'));
    default:
      return [];
  }
}

/** Tables an SQL statement's text writes to (insert, update, delete; none for a read). */
export function tablesWrittenBy(text: string): string[] {
  return [...text.matchAll(RAW_WRITE)].map((m) => m[1]!.toLowerCase());
}

export class ChangeCounter implements KyselyPlugin {
  private readonly counts = new Map<string, number>();
  /** tables written since the last settle() */
  private readonly unsettled = new Set<string>();

  /** The sum of the write counters of these tables: changes whenever one of them is written. */
  stamp(tables: readonly string[]): number {
    let n = 0;
    for (const t of tables) n += this.counts.get(t) ?? 0;
    return n;
  }

  /** A write made outside Kysely (PostgreSQL's COPY, dialect/postgres-bulk.ts) counts as one made through it. */
  wrote(tables: readonly string[]): void {
    for (const t of tables) {
      this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
      this.unsettled.add(t);
    }
  }

  /**
   * Writes to these tables have been committed (PostgreSQL: the pooled connection that made them is released, after its
   * statement or its transaction): they count once more, as `settle` counts them on SQLite. A value built while they were
   * under way (the register's read of its change log, say) does not hold them: the next reader builds it again.
   */
  committed(tables: Iterable<string>): void {
    for (const t of tables) this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    for (const t of writtenTables(args.node)) {
      this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
      this.unsettled.add(t);
    }
    return args.node;
  }

  /**
   * Written data has been committed: the tables written since the last call count once more. Counting
   * happens as a statement is built, before its transaction commits; where reads do not wait for that
   * commit (SQLite's reader connection, dialect/sqlite-driver.ts), a value built in between from the data
   * as before must be built again after it.
   */
  settle(): void {
    for (const t of this.unsettled) this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
    this.unsettled.clear();
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * A value built from the database, kept while its stamp (this process's write counters and the engine's
 * external-change number) stays the same, built again on first use after a change; a failed build is forgotten.
 */
export class StampedValue<T> {
  private entry: { stamp: string; value: Promise<T> } | null = null;

  get(stamp: string, build: () => Promise<T>): Promise<T> {
    if (this.entry?.stamp !== stamp) {
      const value = build();
      this.entry = { stamp, value };
      value.catch(() => {
        if (this.entry?.value === value) this.entry = null;
      });
    }
    return this.entry.value;
  }
}
