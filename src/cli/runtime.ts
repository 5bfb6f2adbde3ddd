import { loadConfig, type AppConfig } from '../config/config.ts';
import { createDb, type Database } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { notePipelineOfEmptyIndex } from '../search/index.ts';

/** A one-line reason for the user, and a non-zero exit. */
export class CliError extends Error {}

export async function withDatabase<T>(fn: (database: Database, config: AppConfig) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  const database = createDb(config.database);
  try {
    if (opts.migrate !== false) {
      await migrateToLatest(database.db, database.dialect.engine);
      await notePipelineOfEmptyIndex(database.db);
    }
    return await fn(database, config);
  } finally {
    await database.destroy();
  }
}
