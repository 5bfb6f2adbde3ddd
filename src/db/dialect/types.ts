import type { Dialect, Kysely, RawBuilder } from 'kysely';
import type { ParsedQuery } from '../../text/index.ts';

/** A full-text hit: the recommendation and its relevance (higher is more relevant). */
export interface SearchHitRow {
  recommendation_id: string;
  score: number;
}

/**
 * The engine-specific half of full-text search. The index rows themselves
 * (`recommendation_search.terms/words`) are written by engine-neutral code (src/search); each
 * engine indexes them (FTS5 / tsvector + GIN, see migration 003) and answers queries here.
 */
export interface SearchDialect {
  /**
   * A table expression with columns (recommendation_id, score) for the recommendations matching
   * a non-empty query: every clause (`all`, the search box) or any clause (`any`, used to gather
   * candidates for "similar recommendations"). Join or filter on it; never throws on user input
   * (the query model holds letters and digits only, quoted for the engine).
   */
  hits(pq: ParsedQuery, mode?: 'all' | 'any'): RawBuilder<SearchHitRow>;
  /** The raw SQL text and parameters of `select recommendation_id from <hits>` (benchmarks). */
  rawHitsSql(pq: ParsedQuery): { sql: string; parameters: unknown[] };
  /** Housekeeping after a bulk (re)index: FTS5 merge / ANALYZE. */
  optimize(db: Kysely<any>): Promise<void>;
}

/** Everything that differs between SQLite and PostgreSQL lives behind this interface. */
export interface EngineDialect {
  readonly engine: 'sqlite' | 'postgres';
  readonly kysely: Dialect;
  /** Human description for /api/health, without credentials. */
  readonly description: string;
  readonly search: SearchDialect;
  /** Close underlying connections/handles not owned by Kysely. */
  close?(): Promise<void>;
}
