import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { TableInfo } from '../db/dialect/types.ts';
import { AppError } from '../shared/errors.ts';

/** A portable value: what both engines store in Rasd's columns (text, integers, null). */
export type Portable = string | number | null;

/** Rows read per query when a table is read in primary-key order. */
const PAGE = 1000;

/** Tables whose rows the migrations themselves insert (reference lists): present in a database nobody has used. */
export const SEEDED_TABLES: readonly string[] = ['mechanisms', 'bodies', 'statuses', 'glossary_entries', 'theme_mappings'];

/**
 * The tables in an order in which every row's foreign keys point at tables loaded before it (self-references
 * aside, see `orderSelfReferences`). A cycle between tables cannot be loaded this way and is an error.
 */
export function loadOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: TableInfo[] = [];
  const visit = (t: TableInfo) => {
    if (done.has(t.name)) return;
    if (visiting.has(t.name)) throw new Error(`foreign keys form a cycle through table ${t.name}`);
    visiting.add(t.name);
    for (const r of t.references) {
      const target = byName.get(r.table);
      if (target && target.name !== t.name) visit(target);
    }
    visiting.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(t);
  return out;
}

/** Rows of a table that references itself (entities, terms…), parents before children. */
export function orderSelfReferences(table: TableInfo, rows: Portable[][]): Portable[][] {
  const selfCols = table.references.filter((r) => r.table === table.name).map((r) => table.columns.indexOf(r.column));
  if (selfCols.length === 0 || table.primaryKey.length !== 1) return rows;
  const pk = table.columns.indexOf(table.primaryKey[0]!);
  const present = new Set(rows.map((r) => r[pk]));
  const placed = new Set<Portable>();
  const out: Portable[][] = [];
  let pending = rows;
  while (pending.length) {
    const next: Portable[][] = [];
    for (const r of pending) {
      const ready = selfCols.every((i) => r[i] === null || !present.has(r[i]!) || placed.has(r[i]!) || r[i] === r[pk]);
      if (ready) {
        out.push(r);
        placed.add(r[pk]!);
      } else next.push(r);
    }
    if (next.length === pending.length) throw new Error(`rows of ${table.name} reference each other in a cycle`);
    pending = next;
  }
  return out;
}

/** A value as both engines give it back: bigint and numeric text of integer columns stay as they are. */
export function portable(v: unknown, where: string): Portable {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new AppError(500, 'backup_unsupported_value', `Cannot back up a value of type ${typeof v} in ${where}.`);
}

/**
 * A digest of a table's rows that does not depend on their order, nor on the engine's column order: the sum,
 * modulo 2^256, of each row's sha256 over its values keyed by column name. Equal on both engines for equal rows.
 */
export class RowsDigest {
  private sum = 0n;
  private readonly order: number[];
  count = 0;
  constructor(private readonly columns: readonly string[]) {
    this.order = columns.map((_, i) => i).sort((a, b) => (columns[a]! < columns[b]! ? -1 : 1));
  }
  add(row: readonly Portable[]): void {
    const canonical = JSON.stringify(this.order.map((i) => [this.columns[i], row[i]]));
    this.sum = (this.sum + BigInt(`0x${createHash('sha256').update(canonical).digest('hex')}`)) & ((1n << 256n) - 1n);
    this.count += 1;
  }
  hex(): string {
    return this.sum.toString(16).padStart(64, '0');
  }
}

/**
 * Reads a whole table in primary-key order, a page at a time (keyset paging, so a large table is never held in
 * memory); `onRows` receives each page's rows as value arrays in `table.columns` order.
 */
export async function readTable(db: Kysely<any>, table: TableInfo, onRows: (rows: Portable[][]) => Promise<void> | void): Promise<void> {
  const cols = table.columns;
  const key = table.primaryKey;
  if (key.length === 0) {
    // no key to page by (none of Rasd's tables): all rows at once
    const rows = (await db.selectFrom(table.name).select(cols.map((c) => sql.ref(c).as(c))).execute()) as Record<string, unknown>[];
    await onRows(rows.map((r) => cols.map((c) => portable(r[c], `${table.name}.${c}`))));
    return;
  }
  let last: unknown[] | null = null;
  for (;;) {
    let q = db.selectFrom(table.name).select(cols.map((c) => sql.ref(c).as(c)));
    if (last) {
      const values = last;
      q = q.where(sql<boolean>`(${sql.join(key.map((c) => sql.ref(c)))}) > (${sql.join(values)})`);
    }
    for (const k of key) q = q.orderBy(sql.ref(k));
    const rows = (await q.limit(PAGE).execute()) as Record<string, unknown>[];
    if (rows.length === 0) return;
    await onRows(rows.map((r) => cols.map((c) => portable(r[c], `${table.name}.${c}`))));
    if (rows.length < PAGE) return;
    const end = rows[rows.length - 1]!;
    last = key.map((k) => end[k]);
  }
}

/** Rows per INSERT: under SQLite's and PostgreSQL's limits on parameters per statement. */
export const insertBatch = (columns: number) => Math.max(1, Math.min(500, Math.floor(30_000 / Math.max(1, columns))));
