/**
 * Fault injection (issue 14, item 5: "nothing lost under faults"), shared by `npm run bench -- faults` and
 * test/integration/faults.test.ts.
 *
 * For one engine: a database with the demo workspace; `rasd serve` as its own child process (its own process group);
 * then, for each operation and N times: start the operation through the HTTP API while a concurrent client makes
 * small writes (PATCH a recommendation's notes, create a draft update) and records every write answered 2xx; at a
 * seeded random moment within the operation's measured duration (from when it is under way), SIGKILL the server's process group (kill -9, no
 * graceful stop); start the server again on the same database and check:
 *   (a) the integrity check (src/db/integrity.ts, the same as `rasd check`);
 *   (b) the operation wholly there or wholly absent:
 *       - import (a generated UHRI JSON of some thousands of records): either every record of the run present and
 *         the run `succeeded`, or none and the run `failed` with a reason (`interrupted` when the kill cut it); no
 *         run left `running`; no stored import file that no live run needs;
 *       - bulk-assign (all of 2,000 recommendations to a new entity in one request): all of its assignments or none;
 *       - plan-import (an XLSX updating a draft plan in place, every action's title tagged with the run): every action
 *         with the new tag or every action as before;
 *       - report-export (a report's DOCX or PDF): a response received whole is a whole file; the export changes
 *         nothing in the database; no conversion folder of the killed process left behind;
 *       an operation answered 2xx before the kill must be wholly there;
 *   (c) every acknowledged write present after the restart.
 * The kill moments come from a seeded generator: the same seed gives the same schedule.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb, type Database } from '../src/db/create-db.ts';
import { checkIntegrity } from '../src/db/integrity.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/index.ts';
import { buildUhriJson, generateUhriRecords, mulberry32 } from './gen-uhri.ts';

export type Engine = 'sqlite' | 'postgres';
export const FAULT_OPS = ['import', 'bulk-assign', 'plan-import', 'report-export'] as const;
export type FaultOp = (typeof FAULT_OPS)[number];

export interface FaultOptions {
  engine: Engine;
  /** kills per operation */
  runs: number;
  ops: readonly FaultOp[];
  seed: number;
  port: number;
  /** PostgreSQL admin URL (a database is created and dropped) */
  pgAdminUrl: string;
  /** records per import (default 3,000) */
  importRecords?: number;
  /** actions of the plan re-imported (default 400) */
  planActions?: number;
  /** recommendations per bulk assignment (default 2,000) */
  bulkSize?: number;
  /** the kill moment is drawn uniformly from [0, window × the operation's duration] after it is under way (default 1.1);
   *  the duration is measured once without a kill, then follows the last run that ended before its kill */
  window?: number;
  log?: (msg: string) => void;
}

export interface OpSummary {
  runs: number;
  kills: number;
  /** kills that landed before the operation had ended (the others hit it after it ended: still checked) */
  killedMidOperation: number;
  /** operations answered 2xx before the kill */
  acknowledged: number;
  partial: number;
  /** the operation's measured duration without a kill (ms): the first window the kill moments are drawn from (then the last duration seen) */
  calibrationMs: number;
  outcomes: Record<string, number>;
}

export interface FaultSummary {
  engine: Engine;
  seed: number;
  runs: number;
  kills: number;
  killedMidOperation: number;
  acknowledgedWrites: number;
  lostWrites: number;
  partialOperations: number;
  integrityFailures: number;
  /** import runs still `running` after the restart (counted in partialOperations too) */
  importRunsLeftRunning: number;
  restartMs: { median: number; max: number };
  perOp: Partial<Record<FaultOp, OpSummary>>;
  /** every problem found, one line each (empty when all is well) */
  failures: string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '../bin/rasd.mjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** PostgreSQL: the harness's IMPORT_STALE_SECONDS (a killed instance's run is settled within 1.5 × this) */
const STALE_SECONDS = 2;

interface Session {
  headers: Record<string, string>;
}

class Server {
  proc: ChildProcess | null = null;
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    readonly base: string,
  ) {}

  async start(): Promise<number> {
    const t0 = Date.now();
    // detached: its own process group, so that kill -9 reaches every process it started (LibreOffice included)
    const proc = spawn(process.execPath, [BIN, 'serve'], { env: this.env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    this.proc = proc;
    for (let k = 0; k < 1200; k++) {
      if (proc.exitCode !== null) throw new Error(`the server exited (${proc.exitCode}): ${stderr}`);
      try {
        if ((await fetch(`${this.base}/api/health`)).ok) return Date.now() - t0;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`the server did not start: ${stderr}`);
  }

  /** kill -9 of the whole process group; resolves once the process is gone */
  async kill9(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((r) => proc.once('exit', () => r()));
    process.kill(-proc.pid!, 'SIGKILL');
    await gone;
    this.proc = null;
  }

  /** a graceful stop at the end */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }, 15_000);
    await gone;
    clearTimeout(timer);
    this.proc = null;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }
}

async function signIn(base: string, email: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  return { headers: { cookie, 'x-csrf-token': csrf } };
}

async function api(base: string, s: Session, method: string, url: string, body?: unknown, raw?: Buffer): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { ...s.headers };
  let payload: string | Buffer | undefined;
  if (raw) {
    headers['content-type'] = 'application/octet-stream';
    payload = raw;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${base}${url}`, { method, headers, body: payload });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/** A TCP port free on this host now (for the server child). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/* ------------------------------------------------------------------ the concurrent writer */

interface NoteWrite {
  rec: string;
  version: number;
  notes: string;
}

class Writer {
  acked: { notes: NoteWrite[]; updates: { id: string; text: string }[] } = { notes: [], updates: [] };
  /** the write sent but not answered when the server died: it may or may not have committed */
  inflightNote: { rec: string; notes: string } | null = null;
  private versions = new Map<string, number>();
  private stopped = false;
  private seq = 0;

  constructor(
    private readonly base: string,
    private readonly curator: Session,
    private readonly contributor: Session,
    private readonly recs: string[],
    private readonly assignmentId: string,
    private readonly tag: string,
  ) {}

  async run(): Promise<void> {
    this.stopped = false;
    while (!this.stopped) {
      const i = this.seq++;
      try {
        if (i % 2 === 0) await this.patchNotes(this.recs[(i / 2) % this.recs.length]!, i);
        else await this.createUpdate(i);
      } catch {
        return; // the server is gone: no answer, no acknowledgement
      }
      await sleep(10);
    }
  }

  stop() {
    this.stopped = true;
  }

  private async version(rec: string): Promise<number> {
    const known = this.versions.get(rec);
    if (known) return known;
    const r = await api(this.base, this.curator, 'GET', `/api/recommendations/${rec}`);
    const v = (r.json as { version: number }).version;
    this.versions.set(rec, v);
    return v;
  }

  private async patchNotes(rec: string, i: number) {
    const notes = `fault note ${this.tag} #${i}`;
    const version = await this.version(rec);
    this.inflightNote = { rec, notes };
    const r = await api(this.base, this.curator, 'PATCH', `/api/recommendations/${rec}`, { version, notes });
    this.inflightNote = null;
    if (r.status >= 200 && r.status < 300) {
      const v = (r.json as { version: number }).version;
      this.versions.set(rec, v);
      this.acked.notes.push({ rec, version: v, notes });
    } else this.versions.delete(rec); // 409: a write committed unanswered before a kill; read again
  }

  private async createUpdate(i: number) {
    const text = `fault update ${this.tag} #${i}`;
    const r = await api(this.base, this.contributor, 'POST', `/api/assignments/${this.assignmentId}/updates`, { text_en: text });
    if (r.status >= 200 && r.status < 300) this.acked.updates.push({ id: (r.json as { id: string }).id, text });
  }
}

/* ------------------------------------------------------------------ the database */

async function freshDatabase(engine: Engine, pgAdminUrl: string, dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (engine === 'sqlite') return { url: `sqlite:${path.join(dir, 'rasd.db')}`, drop: async () => undefined };
  const name = `rasd_faults_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(pgAdminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function countIn(database: Database, table: 'recommendations', column: 'external_id', values: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < values.length; i += 500) {
    const r = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column, 'in', values.slice(i, i + 500))
      .executeTakeFirstOrThrow();
    n += Number(r.n);
  }
  return n;
}

/* ------------------------------------------------------------------ the plan workbook */

async function planWorkbook(template: Buffer, actions: number, tag: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as unknown as ArrayBuffer);
  const fill = (sheet: string, rows: Record<string, string>[]) => {
    const ws = wb.getWorksheet(sheet)!;
    const keys = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    rows.forEach((r, i) => {
      ws.getRow(3 + i).values = keys.map((k) => r[k] ?? '');
    });
  };
  fill('Plan', [{ title_ar: 'خطة اختبار الأعطال', title_en: 'Fault-injection plan', period_start: '2026-01-01', period_end: '2030-12-31' }]);
  fill('Pillars', [{ code: 'F1', title_ar: 'المحور', title_en: 'Pillar' }]);
  const objectives = 10;
  fill(
    'Objectives',
    Array.from({ length: objectives }, (_, o) => ({ code: `F1.${o + 1}`, pillar: 'F1', title_ar: `الهدف ${o + 1}`, title_en: `Objective ${o + 1}` })),
  );
  fill(
    'Actions',
    Array.from({ length: actions }, (_, a) => ({
      code: `F1.${(a % objectives) + 1}.${a + 1}`,
      objective: `F1.${(a % objectives) + 1}`,
      title_ar: `الإجراء ${a + 1} [${tag}]`,
      title_en: `Action ${a + 1} [${tag}]`,
      description_en: `Run ${tag}: a description long enough to be written ${'x'.repeat(200)}`,
      priority: 'medium',
      status: 'not_started',
    })),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/* ------------------------------------------------------------------ one engine */

interface Context {
  o: Required<Omit<FaultOptions, 'log'>> & { log: (m: string) => void };
  server: Server;
  database: Database;
  dataDir: string;
  tmpDir: string;
  curator: Session;
  contributor: Session;
  noteRecs: string[];
  assignmentId: string;
  bulkRecs: string[];
  planId: string;
  planTag: string;
  planTemplate: Buffer;
  reportId: string;
  hasSoffice: boolean;
  failures: string[];
}

/** What an operation started: a promise that settles when it has ended (or the server died), and its check. */
interface Started {
  /** the operation is under way (import: its run accepted, 202; the others: the request sent); the kill window starts here */
  ready: Promise<void>;
  done: Promise<void>;
  ended: () => boolean;
  acknowledged: () => boolean;
  /** after the restart: '' when whole (there or absent), else what is partial; and the outcome's name */
  check: () => Promise<{ partial: string; outcome: string }>;
}

async function startOp(c: Context, op: FaultOp, k: number): Promise<Started> {
  const base = c.server.base;
  let ended = false;
  let acked = false;
  const tag = `${c.o.engine}-${op}-${k}-${c.o.seed}`;
  if (op === 'import') {
    // ids of this run only (the generator's ids for neighbouring seeds overlap)
    const records = [...generateUhriRecords({ count: c.o.importRecords, seed: c.o.seed * 1000 + k + 1, useSharedData: false })].map((r, i) => ({ ...r, AnnotationId: `faults-${tag}-${i}` }));
    const ids = records.map((r) => r.AnnotationId!);
    const filename = `faults-${tag}.json`;
    const accepted = (async () => {
      const r = await api(base, c.curator, 'POST', `/api/imports?format=uhri-json&filename=${encodeURIComponent(filename)}&dryRun=false`, undefined, buildUhriJson({ records }));
      if (r.status !== 202) throw new Error(`import: ${r.status} ${JSON.stringify(r.json)}`);
      return (r.json as { id: string }).id;
    })();
    const done = (async () => {
      const runId = await accepted;
      for (;;) {
        const g = await api(base, c.curator, 'GET', `/api/imports/${runId}`);
        const status = (g.json as { status: string }).status;
        if (status !== 'running') {
          if (status === 'succeeded') acked = true;
          return;
        }
        await sleep(50);
      }
    })().finally(() => (ended = true));
    return {
      ready: accepted.then(() => undefined),
      done,
      ended: () => ended,
      acknowledged: () => acked,
      check: async () => {
        const run = await c.database.db.selectFrom('import_runs').selectAll().where('filename', '=', filename).executeTakeFirst();
        const present = await countIn(c.database, 'recommendations', 'external_id', ids);
        if (!run) return { partial: present > 0 ? `import ${tag}: no run, yet ${present} of its records` : '', outcome: 'absent (no run)' };
        if (run.status === 'running') return { partial: `import ${tag}: the run is still "running" after the restart (${present} of ${ids.length} records present)`, outcome: 'left running' };
        if (run.status === 'succeeded') {
          const result = JSON.parse(run.result ?? '{}') as { new?: number; invalid?: number };
          if (present !== ids.length || result.new !== ids.length) return { partial: `import ${tag}: succeeded with ${result.new} new, ${present} of ${ids.length} present`, outcome: 'succeeded' };
          return { partial: '', outcome: 'succeeded' };
        }
        const code = (JSON.parse(run.error ?? '{}') as { code?: string }).code ?? 'unknown';
        if (present > 0) return { partial: `import ${tag}: failed (${code}) with ${present} of its records present`, outcome: `failed ${code}` };
        if (acked) return { partial: `import ${tag}: answered succeeded, now failed (${code})`, outcome: `failed ${code}` };
        return { partial: '', outcome: `failed ${code}` };
      },
    };
  }
  if (op === 'bulk-assign') {
    const code = `FLT-${k}-${c.o.seed}`.slice(0, 40);
    const e = await api(base, c.curator, 'POST', '/api/entities', { code, name_ar: `جهة اختبار ${k}`, name_en: `Fault entity ${k}` });
    if (e.status !== 201) throw new Error(`entity: ${e.status} ${JSON.stringify(e.json)}`);
    const entityId = (e.json as { id: string }).id;
    const done = (async () => {
      const r = await api(base, c.curator, 'POST', '/api/assignments', { recommendationIds: c.bulkRecs, entityId, role: 'lead' });
      if (r.status === 201 && (r.json as { created: number }).created === c.bulkRecs.length) acked = true;
      else throw new Error(`bulk assignment: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    })().finally(() => (ended = true));
    return {
      ready: Promise.resolve(),
      done,
      ended: () => ended,
      acknowledged: () => acked,
      check: async () => {
        const n = Number((await c.database.db.selectFrom('assignments').select((eb) => eb.fn.countAll<number>().as('n')).where('entity_id', '=', entityId).executeTakeFirstOrThrow()).n);
        if (n !== 0 && n !== c.bulkRecs.length) return { partial: `bulk assignment ${tag}: ${n} of ${c.bulkRecs.length} assignments`, outcome: 'partial' };
        if (acked && n === 0) return { partial: `bulk assignment ${tag}: answered 201, none present`, outcome: 'lost' };
        return { partial: '', outcome: n ? 'all' : 'none' };
      },
    };
  }
  if (op === 'plan-import') {
    const before = c.planTag;
    const book = await planWorkbook(c.planTemplate, c.o.planActions, tag);
    const done = (async () => {
      const r = await api(base, c.curator, 'POST', `/api/plans/import?planId=${c.planId}`, undefined, book);
      if (r.status === 200) acked = true;
      else throw new Error(`plan import: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    })().finally(() => (ended = true));
    return {
      ready: Promise.resolve(),
      done,
      ended: () => ended,
      acknowledged: () => acked,
      check: async () => {
        const rows = await c.database.db.selectFrom('plan_actions').select(['title_en']).where('plan_id', '=', c.planId).execute();
        const tags = new Map<string, number>();
        for (const r of rows) {
          const t = /\[([^\]]+)\]$/.exec(r.title_en)?.[1] ?? '?';
          tags.set(t, (tags.get(t) ?? 0) + 1);
        }
        const seen = [...tags.entries()].map(([t, n]) => `${t}×${n}`).join(', ');
        if (rows.length !== c.o.planActions || tags.size !== 1) return { partial: `plan import ${tag}: ${rows.length} actions, tags ${seen}`, outcome: 'partial' };
        const now = [...tags.keys()][0]!;
        if (now !== before && now !== tag) return { partial: `plan import ${tag}: the plan carries ${now}, neither before (${before}) nor this run`, outcome: 'partial' };
        if (acked && now !== tag) return { partial: `plan import ${tag}: answered 200, the plan is as before`, outcome: 'lost' };
        c.planTag = now;
        return { partial: '', outcome: now === tag ? 'imported' : 'as before' };
      },
    };
  }
  // report-export: every other run a PDF when LibreOffice is there (slower: a conversion folder to leave behind)
  const format = c.hasSoffice && k % 2 === 1 ? 'pdf' : 'docx';
  const reportBefore = await c.database.db.selectFrom('reports').selectAll().where('id', '=', c.reportId).executeTakeFirstOrThrow();
  const serverPid = c.server.pid!;
  let body: Buffer | null = null;
  const done = (async () => {
    const res = await fetch(`${base}/api/reports/${c.reportId}/export?format=${format}&lang=ar`, { headers: c.curator.headers });
    if (res.status !== 200) throw new Error(`report export: ${res.status} ${await res.text()}`);
    body = Buffer.from(await res.arrayBuffer());
    acked = true;
  })().finally(() => (ended = true));
  return {
    ready: Promise.resolve(),
    done,
    ended: () => ended,
    acknowledged: () => acked,
    check: async () => {
      const problems: string[] = [];
      const b = body as Buffer | null;
      if (b) {
        const whole = format === 'pdf' ? b.subarray(0, 5).toString('latin1') === '%PDF-' && b.subarray(-1024).includes('%%EOF') : b.subarray(0, 2).toString('latin1') === 'PK' && b.subarray(-22).readUInt32LE(0) === 0x06054b50;
        if (!whole) problems.push(`the ${format} received with 200 is not a whole file (${b.length} bytes)`);
      }
      const after = await c.database.db.selectFrom('reports').selectAll().where('id', '=', c.reportId).executeTakeFirstOrThrow();
      if (JSON.stringify(after) !== JSON.stringify(reportBefore)) problems.push('the export changed the report row');
      const left = fs.readdirSync(c.tmpDir).filter((n) => n.startsWith(`rasd-pdf-${serverPid}-`));
      if (left.length) problems.push(`conversion folder(s) of the killed process left behind: ${left.join(', ')}`);
      return { partial: problems.length ? `report export ${tag} (${format}): ${problems.join('; ')}` : '', outcome: b ? `${format} received` : `${format} cut` };
    },
  };
}

/** Acknowledged writes present after the restart; returns the lost ones, described. */
async function checkWrites(c: Context, w: Writer): Promise<string[]> {
  const lost: string[] = [];
  const last = new Map<string, NoteWrite>();
  for (const n of w.acked.notes) last.set(n.rec, n);
  for (const [rec, n] of last) {
    const row = await c.database.db.selectFrom('recommendations').select(['version', 'notes']).where('id', '=', rec).executeTakeFirstOrThrow();
    const inflight = w.inflightNote?.rec === rec ? w.inflightNote : null;
    const ok = (row.version === n.version && row.notes === n.notes) || (inflight !== null && row.version === n.version + 1 && row.notes === inflight.notes);
    if (!ok) lost.push(`notes of ${rec}: acknowledged version ${n.version} "${n.notes}", found version ${row.version} "${row.notes}"`);
  }
  const ids = w.acked.updates.map((u) => u.id);
  const found = new Map<string, string | null>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of await c.database.db.selectFrom('progress_updates').select(['id', 'text_en']).where('id', 'in', ids.slice(i, i + 500)).execute()) found.set(r.id, r.text_en);
  }
  for (const u of w.acked.updates) if (found.get(u.id) !== u.text) lost.push(`draft update ${u.id} ("${u.text}") acknowledged, ${found.has(u.id) ? 'changed' : 'missing'}`);
  return lost;
}

/** Import runs left "running": on PostgreSQL the restarted instance settles a killed one within 1.5 × IMPORT_STALE_SECONDS. */
async function waitForRunsSettled(c: Context): Promise<void> {
  const deadline = Date.now() + (c.o.engine === 'postgres' ? STALE_SECONDS * 3000 + 5000 : 0);
  for (;;) {
    const running = await c.database.db.selectFrom('import_runs').select('id').where('status', '=', 'running').execute();
    if (running.length === 0 || Date.now() >= deadline) return;
    await sleep(200);
  }
}

/** Stored import files that no run still needs (a running run, or a successful preview that may be committed). */
async function strayImportFiles(c: Context): Promise<string[]> {
  const dir = path.join(c.dataDir, 'imports');
  if (!fs.existsSync(dir)) return [];
  const needed = new Set(
    (await c.database.db.selectFrom('import_runs').select(['stored_path', 'status', 'dry_run']).execute())
      .filter((r) => r.status === 'running' || (r.dry_run === 1 && r.status === 'succeeded'))
      .map((r) => path.resolve(r.stored_path)),
  );
  return fs.readdirSync(dir).filter((f) => !needed.has(path.resolve(dir, f)));
}

async function setUp(o: Context['o'], dir: string, dbUrl: string): Promise<Omit<Context, 'failures'>> {
  const database = createDb(parseDatabaseUrl(dbUrl));
  await migrateToLatest(database.db, database.dialect.engine);
  await seedDemo(database.db);
  const dataDir = path.join(dir, 'data');
  const tmpDir = path.join(dir, 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  const base = `http://127.0.0.1:${o.port}`;
  const server = new Server(
    { ...process.env, DATABASE_URL: dbUrl, PORT: String(o.port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', COOKIE_SECURE: 'false', TMPDIR: tmpDir, IMPORT_STALE_SECONDS: String(STALE_SECONDS), JOBS_POLL_SECONDS: '3600' },
    base,
  );
  await server.start();
  const curator = await signIn(base, 'coordinator@rasd.example');
  const contributor = await signIn(base, 'contributor.justice@rasd.example');
  // enough recommendations for the bulk assignments: one import, not killed
  const seedRecords = [...generateUhriRecords({ count: o.bulkSize, seed: 7, useSharedData: false })];
  const s = await api(base, curator, 'POST', '/api/imports?format=uhri-json&filename=faults-seed.json&dryRun=false', undefined, buildUhriJson({ records: seedRecords }));
  if (s.status !== 202) throw new Error(`seed import: ${s.status} ${JSON.stringify(s.json)}`);
  for (;;) {
    const g = (await api(base, curator, 'GET', `/api/imports/${(s.json as { id: string }).id}`)).json as { status: string; error?: unknown };
    if (g.status === 'succeeded') break;
    if (g.status !== 'running') throw new Error(`seed import: ${JSON.stringify(g)}`);
    await sleep(200);
  }
  const bulkRecs = (await database.db.selectFrom('recommendations').select('id').orderBy('id').limit(o.bulkSize).execute()).map((r) => r.id);
  const noteRecs = bulkRecs.slice(0, 6);
  const moj = await database.db.selectFrom('entities').select('id').where('code', '=', 'MOJ').executeTakeFirstOrThrow();
  const assignment = await database.db.selectFrom('assignments').select('id').where('entity_id', '=', moj.id).orderBy('id').executeTakeFirstOrThrow();
  const report = await database.db.selectFrom('reports').select('id').orderBy('created_at').executeTakeFirstOrThrow();
  const template = await fetch(`${base}/api/plans/template`, { headers: curator.headers });
  const planTemplate = Buffer.from(await template.arrayBuffer());
  const planTag = 'setup';
  const p = await api(base, curator, 'POST', '/api/plans/import', undefined, await planWorkbook(planTemplate, o.planActions, planTag));
  if (p.status !== 201) throw new Error(`plan: ${p.status} ${JSON.stringify(p.json).slice(0, 300)}`);
  const planId = (p.json as { plan: { id: string } }).plan.id;
  const hasSoffice = (process.env.PATH ?? '').split(path.delimiter).some((d) => fs.existsSync(path.join(d, 'soffice')));
  return { o, server, database, dataDir, tmpDir, curator, contributor, noteRecs, assignmentId: assignment.id, bulkRecs, planId, planTag, planTemplate, reportId: report.id, hasSoffice };
}

export async function runFaults(opts: FaultOptions): Promise<FaultSummary> {
  const o: Context['o'] = { importRecords: 3000, planActions: 400, bulkSize: 2000, window: 1.1, log: () => undefined, ...opts };
  const rng = mulberry32(o.seed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rasd-faults-${o.engine}-`));
  const db = await freshDatabase(o.engine, o.pgAdminUrl, dir);
  const summary: FaultSummary = {
    engine: o.engine,
    seed: o.seed,
    runs: 0,
    kills: 0,
    killedMidOperation: 0,
    acknowledgedWrites: 0,
    lostWrites: 0,
    partialOperations: 0,
    integrityFailures: 0,
    importRunsLeftRunning: 0,
    restartMs: { median: 0, max: 0 },
    perOp: {},
    failures: [],
  };
  const restarts: number[] = [];
  let c: Context | null = null;
  try {
    o.log(`${o.engine}: setting up`);
    c = { ...(await setUp(o, dir, db.url)), failures: summary.failures };
    for (const op of o.ops) {
      const per: OpSummary = { runs: 0, kills: 0, killedMidOperation: 0, acknowledged: 0, partial: 0, calibrationMs: 0, outcomes: {} };
      summary.perOp[op] = per;
      // the operation once without a kill: its duration is the window the kill moments are drawn from
      const cal = await startOp(c, op, 0);
      await cal.ready;
      const t0 = Date.now();
      await cal.done;
      per.calibrationMs = Date.now() - t0;
      let window = per.calibrationMs;
      const calCheck = await cal.check();
      if (calCheck.partial) summary.failures.push(`calibration: ${calCheck.partial}`);
      for (let k = 1; k <= o.runs; k++) {
        const delay = Math.round(rng() * window * o.window);
        const writer = new Writer(c.server.base, c.curator, c.contributor, c.noteRecs, c.assignmentId, `${o.engine}-${op}-${k}`);
        const writing = writer.run();
        const started = await startOp(c, op, k);
        started.done.catch(() => undefined);
        await started.ready.catch(() => undefined);
        const readyAt = Date.now();
        let tookMs = 0;
        void started.done.then(() => (tookMs = Date.now() - readyAt)).catch(() => undefined);
        await sleep(delay);
        const mid = !started.ended();
        // the window follows the machine's pace: an operation that ended before its kill gives the next window
        if (!mid && tookMs > 0) window = tookMs;
        await c.server.kill9();
        writer.stop();
        await writing;
        await started.done.catch(() => undefined);
        summary.runs++;
        per.runs++;
        summary.kills++;
        per.kills++;
        if (mid) {
          summary.killedMidOperation++;
          per.killedMidOperation++;
        }
        if (started.acknowledged()) per.acknowledged++;
        // the harness's own connection is closed too: the restarted server is the first to open the database again
        await c.database.destroy();
        const restart = await c.server.start();
        c.database = createDb(parseDatabaseUrl(db.url));
        restarts.push(restart);
        await waitForRunsSettled(c);
        const integrity = await checkIntegrity(c.database.db, o.engine);
        if (!integrity.ok) {
          summary.integrityFailures++;
          summary.failures.push(`${op} #${k} integrity: ${integrity.problems.join('; ')}`);
        }
        const result = await started.check();
        per.outcomes[result.outcome] = (per.outcomes[result.outcome] ?? 0) + 1;
        if (result.outcome === 'left running') summary.importRunsLeftRunning++;
        const stray = op === 'import' ? await strayImportFiles(c) : [];
        if (result.partial || stray.length) {
          summary.partialOperations++;
          per.partial++;
          summary.failures.push([result.partial, stray.length ? `stored import files no run needs: ${stray.join(', ')}` : ''].filter(Boolean).join('; '));
        }
        const lost = await checkWrites(c, writer);
        summary.acknowledgedWrites += writer.acked.notes.length + writer.acked.updates.length;
        summary.lostWrites += lost.length;
        summary.failures.push(...lost.map((l) => `${op} #${k} lost: ${l}`));
        o.log(`${o.engine} ${op} #${k}: kill at ${delay} ms (${mid ? 'mid-operation' : 'after it ended'}), ${result.outcome}, ${writer.acked.notes.length + writer.acked.updates.length} acknowledged writes, ${lost.length} lost${result.partial ? `, PARTIAL: ${result.partial}` : ''}${integrity.ok ? '' : ', INTEGRITY FAILED'}; restart ${restart} ms`);
      }
    }
  } finally {
    await c?.server.stop().catch(() => undefined);
    await c?.database.destroy().catch(() => undefined);
    await db.drop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...restarts].sort((a, b) => a - b);
  summary.restartMs = { median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
  return summary;
}
