import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import type { EngineDialect } from './types.ts';

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
  };
}
