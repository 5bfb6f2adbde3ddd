import { backupRoutes } from '../backup/index.ts';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { registerAuth, SAFE_METHODS } from '../auth/auth.plugin.ts';
import { authRoutes } from '../auth/auth.routes.ts';
import { sealTotpSecrets, secretKeyFor } from '../auth/secret-box.ts';
import { assignmentsRoutes } from '../assignments/index.ts';
import { auditRoutes } from '../audit/index.ts';
import { notificationsRoutes } from '../notifications/index.ts';
import { planRoutes } from '../plan/index.ts';
import { portalApiRoutes, portalPages } from '../portal/index.ts';
import { consultationsRoutes } from '../consultations/index.ts';
import { updatesRoutes } from '../updates/index.ts';
import { obligationsRoutes, reportsRoutes } from '../reports/index.ts';
import { clustersRoutes } from '../clusters/index.ts';
import { dashboardRoutes } from '../dashboard/index.ts';
import { workersCanRead } from '../db/create-db.ts';
import { migrationState } from '../db/migrate.ts';
import { entitiesRoutes } from '../entities/index.ts';
import { glossaryRoutes } from '../glossary/index.ts';
import { exportsRoutes } from '../exports/index.ts';
import { jobsRoutes } from '../jobs/index.ts';
import { ImportRuns, importsRoutes } from '../imports/index.ts';
import { curationRoutes, mergeRoutes, recommendationsRoutes, registerIndex } from '../recommendations/index.ts';
import { documentsRoutes } from '../documents/index.ts';
import { searchRoutes } from '../search/index.ts';
import { settingsRoutes } from '../settings/index.ts';
import { demoRoutes } from '../demo/index.ts';
import { referenceRoutes, taxonomiesRoutes } from '../taxonomies/index.ts';
import { usersRoutes } from '../users/index.ts';
import { taggingRoutes } from '../tagging/index.ts';
import type { AppContext } from './context.ts';
import { JSON_BODY_LIMIT, registerBodyParsing } from './body-parsing.ts';
import { registerErrorHandling } from './error-handler.ts';
import { healthSchema } from './health.schema.ts';
import { registerSecurityHeaders } from './security.ts';
import { registerStrictTextAnswers, responseSerializerCompiler } from './response-serializer.ts';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
const VERSION = '0.1.0';

/** Believe X-Forwarded-For for this many hops from this server (proxy-addr's hop count). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export interface BuildOptions {
  /** pino logger options, or false for none (tests) */
  logger?: boolean | Record<string, unknown>;
  webDist?: string;
  /**
   * Refuse (500 `response_schema_drift`) an answer holding a property its zod response schema lacks, instead of
   * dropping it silently (src/server/response-serializer.ts). Default: on under test (NODE_ENV=test), off otherwise.
   */
  strictResponses?: boolean;
}

export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === undefined
        ? {
            level: ctx.config.logLevel,
            redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'req.headers.authorization', 'res.headers["set-cookie"]'],
          }
        : opts.logger,
    trustProxy: typeof ctx.config.trustProxy === 'number' ? trustHops(ctx.config.trustProxy) : ctx.config.trustProxy,
    bodyLimit: JSON_BODY_LIMIT,
  });
  app.setValidatorCompiler(validatorCompiler);
  const strictResponses = opts.strictResponses ?? process.env.NODE_ENV === 'test';
  app.setSerializerCompiler(responseSerializerCompiler(strictResponses));
  if (strictResponses) registerStrictTextAnswers(app);

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Rasd API', version: VERSION, description: 'Human-rights recommendations: import, follow-up, plan and report.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'rasd_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  // Two-factor secrets an earlier version stored in clear are encrypted now (and the key made, in embedded mode).
  await sealTotpSecrets(ctx.db, secretKeyFor(ctx.config));

  registerErrorHandling(app);
  registerSecurityHeaders(app);
  registerAuth(app, ctx);
  registerBodyParsing(app);
  // A signed-in user's write has committed when its reply is sent: their next list shows it (register-index.ts). The
  // reply goes once the register has patched the write in (a rebuild, for a large change, is not waited for), so that
  // the next list, the writer's or anyone's, finds the register current and its first page made ahead.
  const register = registerIndex(ctx.db, ctx.dialect);
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.auth && !SAFE_METHODS.has(request.method)) await register.noteWrite(request.auth.user.id);
    return payload;
  });

  // Migration state read once all of this code's migrations are applied (they stay so): after that, /api/health
  // only pings the database, and serves as the framework baseline of the benchmarks (bench/scale.ts).
  let migrated: Awaited<ReturnType<typeof migrationState>> | null = null;
  app.get('/api/health', { config: { anonymous: true }, schema: { tags: ['system'], summary: 'Liveness, database engine and migration state (where the database is: administrators only)', response: { 200: healthSchema } } }, async (request) => {
    let migrations = migrated;
    if (migrations) await sql`select 1`.execute(ctx.db);
    else {
      migrations = await migrationState(ctx.db, ctx.dialect.engine);
      if (migrations.pending.length === 0) migrated = migrations;
    }
    return {
      status: migrations.pending.length === 0 ? ('ok' as const) : ('migrations_pending' as const),
      version: VERSION,
      engine: ctx.dialect.engine,
      ...(request.auth?.user.role === 'admin' ? { database: ctx.dialect.description } : {}),
      migrations,
    };
  });
  app.get('/api/openapi.json', { config: { anonymous: true }, schema: { hide: true } }, async () => app.swagger());

  authRoutes(app, ctx);
  usersRoutes(app, ctx);
  settingsRoutes(app, ctx);
  demoRoutes(app, ctx);
  referenceRoutes(app, ctx);
  entitiesRoutes(app, ctx);
  recommendationsRoutes(app, ctx);
  searchRoutes(app, ctx);
  glossaryRoutes(app, ctx);
  clustersRoutes(app, ctx);
  taggingRoutes(app, ctx);
  jobsRoutes(app, ctx);
  curationRoutes(app, ctx);
  mergeRoutes(app, ctx);
  documentsRoutes(app, ctx);
  taxonomiesRoutes(app, ctx);
  dashboardRoutes(app, ctx);
  assignmentsRoutes(app, ctx);
  updatesRoutes(app, ctx);
  notificationsRoutes(app, ctx);
  auditRoutes(app, ctx);
  exportsRoutes(app, ctx);
  obligationsRoutes(app, ctx);
  reportsRoutes(app, ctx);
  // an import parses and writes in a worker thread with its own connection (imports/commit-worker.ts), unless the
  // database is in memory (no second connection can reach it)
  const target = ctx.dialect.target;
  const inWorker = ctx.config.importCommitThread === 'worker' && workersCanRead(target);
  const importRuns = new ImportRuns(
    ctx.db,
    ctx.config.dataDir,
    ctx.dialect.bulkLoad,
    (err) => app.log.error({ err }, 'import failed unexpectedly'),
    ctx.config.importWorkerHeapMb,
    ctx.config.download,
    ctx.config.fileStorage,
    inWorker ? { target, ...(ctx.dialect.holdWriter ? { holdWriter: ctx.dialect.holdWriter } : {}) } : null,
  );
  planRoutes(app, ctx);
  portalApiRoutes(app, ctx);
  portalPages(app, ctx);
  consultationsRoutes(app, ctx);
  backupRoutes(app, ctx);
  app.decorate('importRuns', importRuns);
  // An import runs on after its request is answered: once its writes commit (before its status says so), the user who
  // started it has written, and every later list of theirs waits for the register that holds it.
  importRuns.onCommitted = (actorId) => void register.noteWrite(actorId);
  // Runs a stopped process left "running". On SQLite only this process imports, so all of them; on PostgreSQL
  // another instance may still be importing: those whose heartbeat stopped IMPORT_STALE_SECONDS ago, now and then
  // periodically (a run killed just before this restart is settled within 1.5 × that).
  await importRuns.recoverInterrupted(ctx.dialect.engine === 'sqlite' ? 0 : ctx.config.importStaleMs);
  if (ctx.dialect.engine === 'postgres') importRuns.watch(ctx.config.importStaleMs);
  app.addHook('onClose', async () => {
    importRuns.unwatch();
    await Promise.allSettled([...importRuns.inFlight.values()]);
  });
  importsRoutes(app, ctx, importRuns);

  const webDist = opts.webDist ?? WEB_DIST;
  const IMMUTABLE = 'public, max-age=31536000, immutable';
  if (fs.existsSync(path.join(webDist, 'index.html'))) {
    // preCompressed: the build writes .br and .gz beside each asset (web/vite.config.ts); they are sent when accepted.
    // Files under assets/ carry a content hash in their name: cached for good.
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, file) => {
        if (!path.relative(webDist, file).startsWith(`assets${path.sep}`)) return;
        res.setHeader('cache-control', IMMUTABLE);
        res.setHeader('vary', 'accept-encoding');
      },
    });
    const indexHtml = fs.readFileSync(path.join(webDist, 'index.html'), 'utf8');
    const serveIndex = async (_req: unknown, reply: import('fastify').FastifyReply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
    app.get('/', serveIndex);
    // Client-side routes fall back to the app shell; /api/* never does.
    app.get('/*', async (request, reply) => {
      if (request.url.startsWith('/api/')) return reply.callNotFound();
      const rel = decodeURIComponent(request.url.split('?')[0]!).replace(/^\/+/, '');
      const file = path.resolve(webDist, rel);
      if (rel && file.startsWith(webDist + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        if (rel.startsWith('assets/')) reply.header('cache-control', IMMUTABLE);
        return reply.sendFile(rel);
      }
      return serveIndex(request, reply);
    });
  }
  return app;
}
