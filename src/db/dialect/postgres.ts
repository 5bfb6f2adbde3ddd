import pg from 'pg';
import { PostgresDialect } from 'kysely';
import type { EngineDialect } from './types.ts';

// Keep bigint counts as numbers (they are always small here).
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function postgresDialect(url: string): EngineDialect {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const u = new URL(url);
  return {
    engine: 'postgres',
    kysely: new PostgresDialect({ pool }),
    description: `PostgreSQL ${u.hostname || 'socket'}/${u.pathname.slice(1)}`,
  };
}
