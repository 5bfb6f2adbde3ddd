import type { Dialect } from 'kysely';

/** Everything that differs between SQLite and PostgreSQL lives behind this interface. */
export interface EngineDialect {
  readonly engine: 'sqlite' | 'postgres';
  readonly kysely: Dialect;
  /** Human description for /api/health, without credentials. */
  readonly description: string;
  /** Close underlying connections/handles not owned by Kysely. */
  close?(): Promise<void>;
}
