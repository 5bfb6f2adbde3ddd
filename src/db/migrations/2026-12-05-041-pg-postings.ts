import { sql, type Kysely } from 'kysely';

/**
 * Frozen: PostgreSQL only (issue 15). The postings trigger (migrations 006 and 021) runs without JIT. Its statements
 * are planned afresh at each run (EXECUTE); once the register is large, the planner's cost estimate of re-deriving
 * the postings of a few hundred updated index rows can pass `jit_above_cost` (100,000 by default), and JIT then
 * compiles each statement: 211 ms of a 731 ms statement at 10,000 records, measured on an earlier version of this
 * trigger. The setting holds for the function's own statements only.
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`alter function rasd_fts_postings_sync() set jit = off`.execute(db);
}
