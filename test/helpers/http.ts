import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { describe } from 'vitest';
import type { AppConfig } from '../../src/config/config.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Role } from '../../src/db/schema.ts';
import { createEntity } from '../../src/entities/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { createUser } from '../../src/users/index.ts';
import { createTestDatabase, ENGINES, pgSkipReason, type Engine, type TestDatabase } from './engines.ts';

export const TEST_PASSWORD = 'Correct-Horse-Battery-9';

export interface TestClient {
  cookie: string;
  csrf: string;
  userId: string;
  request(opts: InjectOptions & { csrf?: boolean }): Promise<LightMyRequestResponse>;
}

export interface Harness {
  engine: Engine;
  app: FastifyInstance;
  database: TestDatabase;
  config: AppConfig;
  /** Creates a user with this role (and an entity when the role needs one) and signs in. */
  loginAs(role: Role, opts?: { entityId?: string; email?: string }): Promise<TestClient>;
  login(email: string, password: string): Promise<TestClient>;
}

let seq = 0;

export async function createHarness(engine: Engine, env: Record<string, string> = {}): Promise<Harness> {
  const database = await createTestDatabase(engine);
  // backups (the admin's "back up now") go to a temporary folder, removed by closeHarness, unless a test names one
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-test-backups-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite::memory:', BACKUP_DIR: backupDir, ...env });
  const app = await buildApp({ db: database.db, dialect: database.dialect, config }, { logger: false, webDist: '/nonexistent' });
  await app.ready();

  async function login(email: string, password: string): Promise<TestClient> {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
    const setCookie = res.cookies.find((c) => c.name === 'rasd_session');
    const cookie = `rasd_session=${setCookie!.value}`;
    const body = res.json() as { csrfToken: string; user: { id: string } };
    return {
      cookie,
      csrf: body.csrfToken,
      userId: body.user.id,
      request: (opts) => {
        const { csrf = true, headers, ...rest } = opts;
        return app.inject({
          ...rest,
          headers: { ...(headers ?? {}), cookie, ...(csrf ? { 'x-csrf-token': body.csrfToken } : {}) },
        });
      },
    };
  }

  return {
    engine,
    app,
    database,
    config,
    login,
    async loginAs(role, opts = {}) {
      seq += 1;
      let entityId = opts.entityId ?? null;
      if (!entityId && (role === 'focal_point' || role === 'contributor')) {
        entityId = (await createEntity(database.db, { code: `E${seq}-${Date.now()}`, name_ar: `جهة ${seq}`, name_en: `Entity ${seq}` })).id;
      }
      const email = opts.email ?? `${role}.${seq}.${Date.now()}@test.example`;
      await createUser(database.db, { email, password: TEST_PASSWORD, role, entityId });
      return login(email, TEST_PASSWORD);
    },
  };
}

export async function closeHarness(h: Harness | undefined): Promise<void> {
  if (!h) return;
  await h.app.close();
  await h.database.drop();
  if (path.basename(h.config.backup.dir).startsWith('rasd-test-backups-')) fs.rmSync(h.config.backup.dir, { recursive: true, force: true });
}

/** Runs the same suite once per engine: SQLite always, PostgreSQL unless unreachable outside CI. */
export function describeEachEngine(name: string, body: (engine: Engine) => void): void {
  for (const engine of ENGINES) {
    const skip = engine === 'postgres' && pgSkipReason;
    if (skip) {
      describe.skip(`${name} [${engine}] — skipped: ${pgSkipReason}`, () => body(engine));
    } else {
      describe(`${name} [${engine}]`, () => body(engine));
    }
  }
}
