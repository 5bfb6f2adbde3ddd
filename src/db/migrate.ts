import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DB } from './schema.ts';
import * as m001 from './migrations/2026-11-29-001-initial.ts';
import * as m002 from './migrations/2026-11-29-002-imports.ts';
import * as m003 from './migrations/2026-11-29-003-search.ts';
import * as m004 from './migrations/2026-11-29-004-followup.ts';
import * as m005 from './migrations/2026-11-30-005-change-notify.ts';
import * as m006 from './migrations/2026-11-30-006-fts-postings.ts';
import * as m007 from './migrations/2026-11-30-007-fts-vocabulary.ts';
import * as m008 from './migrations/2026-11-30-008-external-id-index.ts';
import * as m009 from './migrations/2026-12-05-009-action-plan.ts';
import * as m010 from './migrations/2026-12-05-010-reports.ts';
import * as m012 from './migrations/2026-12-05-012-login-throttle.ts';
import * as m013 from './migrations/2026-12-05-013-plan-updates.ts';
import * as m015 from './migrations/2026-12-05-015-portal.ts';
import * as m016 from './migrations/2026-12-05-016-recommendation-sources.ts';
import * as m017 from './migrations/2026-12-05-017-glossary.ts';
import * as m018 from './migrations/2026-12-05-018-tag-suggestions.ts';
import * as m019 from './migrations/2026-12-05-019-report-articles.ts';
import * as m020 from './migrations/2026-12-05-020-register-changes.ts';
import * as m021 from './migrations/2026-12-05-021-postings-replan.ts';
import * as m022 from './migrations/2026-12-05-022-two-factor.ts';
import * as m023 from './migrations/2026-12-05-023-oidc.ts';
import * as m024 from './migrations/2026-12-05-024-plan-import-codes.ts';
import * as m026 from './migrations/2026-12-05-026-upr-issue-mappings.ts';
import * as m027 from './migrations/2026-12-05-027-consultations.ts';
import * as m028 from './migrations/2026-12-05-028-plan-publication.ts';
import * as m029 from './migrations/2026-12-05-029-file-storage-and-resets.ts';
import * as m031 from './migrations/2026-12-05-031-plan-indicator-plan-idx.ts';
import * as m032 from './migrations/2026-12-05-032-change-notify-more.ts';
import * as m037 from './migrations/2026-12-05-037-portal-abuse.ts';
import * as m041 from './migrations/2026-12-05-041-pg-postings.ts';
import * as m042 from './migrations/2026-12-05-042-fts-content-version.ts';
import * as m043 from './migrations/2026-12-06-043-change-notify-payload.ts';

type Engine = 'sqlite' | 'postgres';
interface EngineMigration {
  up(db: Kysely<any>, engine: Engine): Promise<void>;
  down?(db: Kysely<any>, engine: Engine): Promise<void>;
}

/** Ordered list of migrations; names are date-prefixed and never change once committed. */
const MIGRATIONS: Record<string, EngineMigration> = {
  '2026-11-29-001-initial': m001,
  '2026-11-29-002-imports': m002,
  '2026-11-29-003-search': m003,
  '2026-11-29-004-followup': m004,
  '2026-11-30-005-change-notify': m005,
  '2026-11-30-006-fts-postings': m006,
  '2026-11-30-007-fts-vocabulary': m007,
  '2026-11-30-008-external-id-index': m008,
  '2026-12-05-009-action-plan': m009,
  '2026-12-05-010-reports': m010,
  '2026-12-05-012-login-throttle': m012,
  '2026-12-05-013-plan-updates': m013,
  '2026-12-05-015-portal': m015,
  '2026-12-05-016-recommendation-sources': m016,
  '2026-12-05-017-glossary': m017,
  '2026-12-05-018-tag-suggestions': m018,
  '2026-12-05-019-report-articles': m019,
  '2026-12-05-020-register-changes': m020,
  '2026-12-05-021-postings-replan': m021,
  '2026-12-05-022-two-factor': m022,
  '2026-12-05-023-oidc': m023,
  '2026-12-05-024-plan-import-codes': m024,
  '2026-12-05-026-upr-issue-mappings': m026,
  '2026-12-05-027-consultations': m027,
  '2026-12-05-028-plan-publication': m028,
  '2026-12-05-029-file-storage-and-resets': m029,
  '2026-12-05-031-plan-indicator-plan-idx': m031,
  '2026-12-05-032-change-notify-more': m032,
  '2026-12-05-037-portal-abuse': m037,
  '2026-12-05-041-pg-postings': m041,
  '2026-12-05-042-fts-content-version': m042,
  '2026-12-06-043-change-notify-payload': m043,
  // file named as the project's plan gives it; the migration's name keeps the date prefix so that names sort in order
};

/** Every migration this version knows, oldest first. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS);

class EngineMigrationProvider implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(MIGRATIONS)) {
      out[name] = {
        up: (db) => m.up(db, this.engine),
        ...(m.down ? { down: (db: Kysely<any>) => m.down!(db, this.engine) } : {}),
      };
    }
    return out;
  }
}

export interface MigrationState {
  applied: string[];
  pending: string[];
}

function migrator(db: Kysely<DB>, engine: Engine): Migrator {
  return new Migrator({ db, provider: new EngineMigrationProvider(engine) });
}

/** Applies pending migrations (up to and including `upTo`, when given); throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<DB>, engine: Engine, upTo?: string): Promise<string[]> {
  const m = migrator(db, engine);
  const { error, results } = upTo ? await m.migrateTo(upTo) : await m.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const msg = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${msg}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function migrationState(db: Kysely<DB>, engine: Engine): Promise<MigrationState> {
  const all = await migrator(db, engine).getMigrations();
  return {
    applied: all.filter((m) => m.executedAt).map((m) => m.name),
    pending: all.filter((m) => !m.executedAt).map((m) => m.name),
  };
}
