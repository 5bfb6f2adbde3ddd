import type { Kysely } from 'kysely';
import type { AppConfig } from '../config/config.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB, User } from '../db/schema.ts';

/** What every route module receives. */
export interface AppContext {
  db: Kysely<DB>;
  dialect: EngineDialect;
  config: AppConfig;
}

export interface AuthState {
  user: User;
  sessionId: string;
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthState | null;
  }
  interface FastifyInstance {
    /** background import runs (tests await `importRuns.inFlight`) */
    importRuns: import('../imports/import-runs.service.ts').ImportRuns;
  }
}
