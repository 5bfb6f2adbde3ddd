import { sql, type Kysely } from 'kysely';
import type { TableInfo } from './types.ts';

/** One multi-row INSERT per call (the caller keeps rows × columns under the engines' parameter limits). */
export async function insertRows(trx: Kysely<any>, table: TableInfo, rows: unknown[][], overridingIdentity: boolean): Promise<void> {
  if (rows.length === 0) return;
  const columns = sql.join(table.columns.map((c) => sql.ref(c)));
  const values = sql.join(rows.map((r) => sql`(${sql.join(r)})`));
  const overriding = overridingIdentity && table.identity ? sql`overriding system value` : sql``;
  await sql`insert into ${sql.table(table.name)} (${columns}) ${overriding} values ${values}`.execute(trx);
}
