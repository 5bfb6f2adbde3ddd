import { Kysely } from 'kysely';
import type { DatabaseTarget } from '../config/config.ts';
import { postgresDialect } from './dialect/postgres.ts';
import { sqliteDialect } from './dialect/sqlite.ts';
import type { EngineDialect } from './dialect/types.ts';
import type { DB } from './schema.ts';

/** Whether another thread can open the database of `target` (an in-memory SQLite database is its own thread's alone). */
export const workersCanRead = (target: DatabaseTarget): boolean => target.engine === 'postgres' || target.file !== ':memory:';

export interface Database {
  db: Kysely<DB>;
  dialect: EngineDialect;
  destroy(): Promise<void>;
}

/** `poolMax`: PostgreSQL connections at most (default 10). */
export function createDb(target: DatabaseTarget, opts: { poolMax?: number } = {}): Database {
  const dialect = target.engine === 'sqlite' ? sqliteDialect(target.file) : postgresDialect(target.url, opts.poolMax);
  const db = new Kysely<DB>({ dialect: dialect.kysely, plugins: [dialect.changes] });
  return {
    db,
    dialect,
    async destroy() {
      await db.destroy();
      await dialect.close?.();
    },
  };
}
