import { sql, type Kysely } from 'kysely';

/**
 * Frozen: PostgreSQL only (issue 15). The postings trigger (migrations 006 and 021) runs without JIT. Its statements
 * are planned afresh at each run (EXECUTE); in a register of 100,000 recommendations or more the planner's cost
 * estimate of re-deriving the postings of a few hundred updated index rows passes `jit_above_cost`, and compiling
 * the statement took longer than running it. The setting holds for the function's own statements only.
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`alter function rasd_fts_postings_sync() set jit = off`.execute(db);
}
