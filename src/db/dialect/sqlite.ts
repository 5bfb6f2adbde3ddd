import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql, SqliteDialect } from 'kysely';
import { toFts5Match, type ParsedQuery } from '../../text/index.ts';
import { ChangeCounter } from '../changes.ts';
import type { EngineDialect, SearchDialect, SearchHitRow } from './types.ts';

/** FTS5 MATCH text: all clauses ANDed (toFts5Match), or ORed for candidate gathering. */
function fts5Match(pq: ParsedQuery, mode: 'all' | 'any'): string {
  if (mode === 'all' || pq.clauses.length <= 1) return toFts5Match(pq);
  const parts = pq.clauses.map((c) => toFts5Match({ clauses: [c] })).filter((m) => m !== '""');
  return parts.length ? parts.map((p) => `(${p})`).join(' OR ') : '""';
}

// bm25 weights: stems (terms) count fully, prefix-only forms (words) a little.
const HITS_SQL = `select s.recommendation_id as recommendation_id, -bm25(recommendation_fts, 1.0, 0.2) as score
  from recommendation_fts join recommendation_search s on s.search_rowid = recommendation_fts.rowid
  where recommendation_fts match ?`;

export const sqliteSearch: SearchDialect = {
  hits(pq, mode = 'all') {
    const match = fts5Match(pq, mode);
    return sql<SearchHitRow>`(select s.recommendation_id as recommendation_id, -bm25(recommendation_fts, 1.0, 0.2) as score
      from recommendation_fts join recommendation_search s on s.search_rowid = recommendation_fts.rowid
      where recommendation_fts match ${match})`;
  },
  async hitList(db, pq, ranked) {
    const match = toFts5Match(pq);
    // group_concat runs in the engine: one string instead of one JS row per hit.
    const { rows } = ranked
      ? await sql<{ list: string | null }>`select group_concat(rowid || ' ' || cast(round(-rank * 1000000) as integer), ' ') as list
          from recommendation_fts where recommendation_fts match ${match} and rank match 'bm25(1.0, 0.2)'`.execute(db)
      : await sql<{ list: string | null }>`select group_concat(rowid, ' ') as list from recommendation_fts where recommendation_fts match ${match}`.execute(db);
    return rows[0]?.list ?? '';
  },
  rawHitsSql(pq) {
    return { sql: HITS_SQL, parameters: [toFts5Match(pq)] };
  },
  async optimize(db) {
    await sql`insert into recommendation_fts(recommendation_fts) values ('optimize')`.execute(db);
    await sql`analyze`.execute(db);
  },
};

export function sqliteDialect(file: string): EngineDialect {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  return {
    engine: 'sqlite',
    kysely: new SqliteDialect({ database }),
    description: `SQLite ${file === ':memory:' ? '(in memory)' : path.basename(file)}`,
    search: sqliteSearch,
    changes: new ChangeCounter(),
    async externalChanges(db) {
      const { rows } = await sql<{ data_version: number }>`pragma data_version`.execute(db);
      return Number(rows[0]?.data_version ?? 0);
    },
  };
}
