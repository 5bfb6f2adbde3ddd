import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import archiver from 'archiver';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrder, openArchive, readManifest, readTable, RowsDigest, type Manifest } from '../../src/backup/index.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createDb, type Database } from '../../src/db/create-db.ts';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { createTestDatabase, type Engine, type TestDatabase } from '../helpers/engines.ts';
import { tinyPdf } from '../helpers/followup.ts';
import { multipart } from '../helpers/consultation.ts';
import { FILE_TABLES, openStored } from '../../src/files/file-store.ts';
import { runRasd, urlOf } from '../helpers/cli.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';


/** The real CLI, asynchronously, so that this process keeps serving writes meanwhile. */
const rasd = runRasd;

/** Every table's row count and order-independent digest, computed afresh from a database. */
async function digests(database: Database): Promise<Map<string, { rows: number; digest: string }>> {
  const out = new Map<string, { rows: number; digest: string }>();
  // files stored in the database are carried as files, not rows (compared as evidence bytes)
  for (const t of loadOrder((await database.dialect.backup.tables(database.db)).filter((x) => !FILE_TABLES.includes(x.name)))) {
    const d = new RowsDigest(t.columns);
    await readTable(database.db, t, (rows) => rows.forEach((r) => d.add(r)));
    out.set(t.name, { rows: d.count, digest: d.hex() });
  }
  return out;
}

/** `relocated`: a restored database, whose pending import runs point at the files under its own DATA_DIR (compared apart). */
function expectMatchesManifest(actual: Map<string, { rows: number; digest: string }>, m: Manifest, label: string, relocated = false) {
  expect([...actual.keys()].sort(), label).toEqual(m.tables.map((t) => t.name).sort());
  for (const t of m.tables) {
    if (relocated && t.name === 'import_runs') expect(actual.get(t.name)?.rows, `${label}: ${t.name}`).toBe(t.rows);
    else expect(actual.get(t.name), `${label}: ${t.name}`).toEqual({ rows: t.rows, digest: t.digest });
  }
}

/** Rows of a table by id, every column, for a field-by-field comparison. */
async function rowsById(db: Kysely<any>, table: string, ids: string[] | number[], key = 'id') {
  const rows = await db.selectFrom(table).selectAll().where(key, 'in', ids).execute();
  return new Map(rows.map((r) => [String(r[key]), r]));
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describeEachEngine('backup, restore and export', (engine) => {
  const other: Engine = engine === 'sqlite' ? 'postgres' : 'sqlite';
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-backup-'));
  const srcData = path.join(work, 'data-src');
  const archive = path.join(work, 'backup.zip');
  let h: Harness;
  let coordinator: TestClient;
  let recId = '';
  let baseVersion = 0;
  let baseAudits = 0;
  let acknowledgedBefore = 0;
  let acknowledgedAfter = 0;
  const evidence: { id: string; bytes: Buffer }[] = [];
  let pending: { id: string; bytes: Buffer } = { id: '', bytes: Buffer.alloc(0) };
  let attached: { commentId: string; stored: string; bytes: Buffer } = { commentId: '', stored: '', bytes: Buffer.alloc(0) };
  const targets: TestDatabase[] = [];
  let manifest: Manifest;
  let reference: Database; // the engine's own copy of the snapshot, from the archive's native member

  const fresh = async (e: Engine) => {
    const t = await createTestDatabase(e, { migrate: false });
    targets.push(t);
    return t;
  };
  const auditCount = async (db: Kysely<any>) =>
    Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('subject_id', '=', recId).where('action', '=', 'recommendation.update').executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    // files kept as each engine's default FILE_STORAGE keeps them: in the database on PostgreSQL, on disk on SQLite
    h = await createHarness(engine, { DATA_DIR: srcData, FILE_STORAGE: engine === 'postgres' ? 'database' : 'disk' });
    await seedDemo(h.database.db);
    coordinator = await h.login('coordinator@rasd.example', DEMO_PASSWORD);
    const rec = await h.database.db.selectFrom('recommendations').select(['id', 'version']).where('text_ar', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    recId = rec.id;
    baseVersion = Number(rec.version);
    baseAudits = await auditCount(h.database.db);
    // an import preview: its upload waits under DATA_DIR/imports for the commit
    const upload = Buffer.from(JSON.stringify([{ AnnotationId: '6a1f0e1e-0000-4000-8000-000000000001', AnnotationType: '- Recommendations', Body: '- CAT', Symbol: 'CAT/C/XXX/CO/1', Text: '1. يوصي بإلغاء العقوبة', Countries: ['Kuwait'] }]));
    const preview = await coordinator.request({ method: 'POST', url: '/api/imports?format=uhri-json&filename=uhri-ar.json', headers: { 'content-type': 'application/octet-stream' }, payload: upload });
    expect(preview.statusCode, preview.body).toBe(202);
    const runId = (preview.json() as { id: string }).id;
    await h.app.importRuns.inFlight.get(runId);
    pending = { id: runId, bytes: upload };
    const pendingKey = path.basename((await h.database.db.selectFrom('import_runs').select('stored_path').where('id', '=', runId).executeTakeFirstOrThrow()).stored_path);
    // kept where FILE_STORAGE says: the database by default on PostgreSQL, DATA_DIR/imports on SQLite
    expect(Boolean(await h.database.db.selectFrom('files').select('id').where('id', '=', pendingKey).executeTakeFirst())).toBe(engine === 'postgres');
    expect(fs.existsSync(path.join(srcData, 'imports', pendingKey))).toBe(true);
    // a stakeholder's comment with an attachment, through the portal form
    const consultation = await coordinator.request({
      method: 'POST',
      url: '/api/consultations',
      payload: { subject: 'recommendations', item_ids: [recId], title_ar: 'مشاورة', title_en: 'Consultation', opens_at: new Date(Date.now() - 3_600_000).toISOString(), closes_at: new Date(Date.now() + 3_600_000).toISOString(), audience: 'open' },
    });
    expect(consultation.statusCode, consultation.body).toBe(201);
    const stakeholder = await h.loginAs('stakeholder');
    const attachment = Buffer.concat([tinyPdf(), Buffer.from('%مرفق مشاورة\n')]);
    const form = multipart({ _csrf: stakeholder.csrf, item_type: 'recommendation', item_id: recId, body: 'تعليق' }, { name: 'ظل.pdf', bytes: attachment });
    const posted = await h.app.inject({ method: 'POST', url: `/public/ar/consultations/${consultation.json().id}/comments`, payload: form.payload, headers: { ...form.headers, cookie: stakeholder.cookie } });
    expect(posted.statusCode, posted.body).toBe(303);
    const comment = await h.database.db.selectFrom('consultation_comments').select(['id', 'attachment_stored_name']).where('consultation_id', '=', consultation.json().id).executeTakeFirstOrThrow();
    attached = { commentId: comment.id, stored: comment.attachment_stored_name!, bytes: attachment };
    // two evidence files on an editable update, uploaded through the API by a focal point of its entity
    const upd = await h.database.db.selectFrom('progress_updates').select(['id', 'entity_id']).where('status', 'in', ['draft', 'returned']).orderBy('id').executeTakeFirstOrThrow();
    const focal = await h.loginAs('focal_point', { entityId: upd.entity_id });
    for (const [i, name] of ['قانون.pdf', 'report.pdf'].entries()) {
      const bytes = Buffer.concat([tinyPdf(), Buffer.from(`%${i} ملف ${name}\n`)]);
      const res = await focal.request({ method: 'POST', url: `/api/updates/${upd.id}/evidence`, headers: { 'content-type': 'application/octet-stream', 'x-filename': encodeURIComponent(name) }, payload: bytes });
      expect(res.statusCode, res.body).toBe(201);
      evidence.push({ id: (res.json() as { id: string }).id, bytes });
    }
  }, 120_000);

  afterAll(async () => {
    if (reference && !targets.includes(reference as TestDatabase)) await reference.destroy();
    for (const t of targets) await t.drop();
    await closeHarness(h);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('rasd backup writes a consistent archive while the app keeps serving writes', async () => {
    let stop = false;
    let acknowledged = 0;
    let version = baseVersion;
    const curation = (async () => {
      while (!stop) {
        const res = await coordinator.request({ method: 'PATCH', url: `/api/recommendations/${recId}`, payload: { version, notes: `load ${acknowledged + 1} — ملاحظة` } });
        expect(res.statusCode, res.body).toBe(200);
        version = (res.json() as { version: number }).version;
        acknowledged += 1;
      }
    })();
    let views = 0;
    const saved = (async () => {
      while (!stop) {
        const res = await coordinator.request({ method: 'POST', url: '/api/views', payload: { name: `عرض ${views}`, query: `q=${views}` } });
        expect(res.statusCode, res.body).toBe(201);
        views += 1;
      }
    })();
    while (acknowledged < 3) await new Promise((r) => setTimeout(r, 20));
    acknowledgedBefore = acknowledged;
    const r = await rasd(['backup', '--out', archive], { DATABASE_URL: urlOf(h.database.target), DATA_DIR: srcData });
    const writesDuring = acknowledged - acknowledgedBefore;
    stop = true;
    await Promise.all([curation, saved]);
    acknowledgedAfter = acknowledged;
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Wrote .*backup\.zip/);
    expect(writesDuring, 'writes acknowledged while the backup ran').toBeGreaterThan(0);

    const a = await openArchive(archive);
    try {
      manifest = await readManifest(a);
    } finally {
      a.close();
    }
    expect(manifest.engine).toBe(engine);
    expect(manifest.schema_version).toBe(manifest.migrations[manifest.migrations.length - 1]);
    expect(manifest.app_version).toMatch(/^\d+\.\d+\.\d+/);
    const count = (name: string) => manifest.tables.find((t) => t.name === name)?.rows ?? -1;
    expect(count('recommendations')).toBeGreaterThan(100);
    expect(count('evidence_files')).toBe(2);
    expect(count('plan_actions')).toBeGreaterThan(0);
    // the two evidence files and the consultation attachment; the pending import upload
    expect(manifest.files.filter((f) => f.kind === 'evidence').map((f) => f.name)).toContain(attached.stored);
    expect(manifest.files.filter((f) => f.kind === 'evidence')).toHaveLength(3);
    expect(manifest.files.filter((f) => f.kind === 'import')).toHaveLength(1);
    expect(manifest.native?.format).toBe(engine === 'sqlite' ? 'sqlite' : 'pg_dump-custom');
    // every member checksummed
    for (const t of manifest.tables) expect(manifest.members[t.member]?.sha256).toMatch(/^[0-9a-f]{64}$/);

    // the engine's own copy of the same snapshot, to compare the portable restore with
    const nativeFile = path.join(work, 'native');
    const a2 = await openArchive(archive);
    try {
      await new Promise<void>((resolve, reject) =>
        a2.open(manifest.native!.member).then((s) => s.pipe(fs.createWriteStream(nativeFile)).on('finish', resolve).on('error', reject), reject),
      );
    } finally {
      a2.close();
    }
    if (engine === 'sqlite') {
      reference = createDb({ engine: 'sqlite', file: nativeFile });
    } else {
      const t = await fresh('postgres');
      const res = spawnSync('pg_restore', ['--no-owner', '--no-privileges', `--dbname=${(t.target as { url: string }).url}`, nativeFile], { encoding: 'utf8' });
      expect(res.status, res.stderr).toBe(0);
      reference = t;
    }
    // the native copy holds exactly what the portable rows hold
    expectMatchesManifest(await digests(reference), manifest, 'native copy');
    // and a consistent state: the recommendation's version and its audit entries were written by the same transactions
    const rec = await reference.db.selectFrom('recommendations').select(['version', 'notes']).where('id', '=', recId).executeTakeFirstOrThrow();
    const n = Number(rec.version) - baseVersion;
    expect(n).toBeGreaterThanOrEqual(acknowledgedBefore);
    expect(n).toBeLessThanOrEqual(acknowledgedAfter);
    expect(rec.notes).toBe(`load ${n} — ملاحظة`);
    expect((await auditCount(reference.db)) - baseAudits).toBe(n);
  }, 180_000);

  for (const targetEngine of [engine, other]) {
    it(`restores into a fresh ${targetEngine} database identically (counts, digests, rows field by field, evidence bytes, search, sign-in)`, async () => {
      const target = await fresh(targetEngine);
      const dataDir = path.join(work, `data-${targetEngine}`);
      const r = await rasd(['restore', archive], { DATABASE_URL: urlOf(target.target), DATA_DIR: dataDir });
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain('every checksum and count verified');

      expectMatchesManifest(await digests(target), manifest, `restored into ${targetEngine}`, true);

      // a sample compared field by field with the engine's own copy of the snapshot
      const arabic = await reference.db.selectFrom('recommendations').select('id').where('text_ar', 'is not', null).orderBy('id').limit(25).execute();
      const samples: [string, string[] | number[]][] = [
        ['recommendations', [...arabic.map((x) => x.id), recId]],
        ['progress_updates', (await reference.db.selectFrom('progress_updates').select('id').limit(25).execute()).map((x) => x.id)],
        ['evidence_files', evidence.map((e) => e.id)],
        ['audit_log', (await reference.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(40).execute()).map((x) => Number(x.id))],
        ['status_history', (await reference.db.selectFrom('status_history').select('id').limit(25).execute()).map((x) => x.id)],
        ['plans', (await reference.db.selectFrom('plans').select('id').execute()).map((x) => x.id)],
        ['plan_actions', (await reference.db.selectFrom('plan_actions').select('id').limit(25).execute()).map((x) => x.id)],
        ['plan_indicators', (await reference.db.selectFrom('plan_indicators').select('id').limit(25).execute()).map((x) => x.id)],
        ['users', (await reference.db.selectFrom('users').select('id').execute()).map((x) => x.id)],
      ];
      for (const [table, ids] of samples) {
        expect(ids.length, table).toBeGreaterThan(0);
        const want = await rowsById(reference.db, table, ids);
        const got = await rowsById(target.db, table, ids);
        expect(got.size, table).toBe(want.size);
        for (const [id, row] of want) {
          const { fts_tsv: _a, ...w } = row as Record<string, unknown>;
          const { fts_tsv: _b, ...g } = got.get(id) as Record<string, unknown>;
          expect(g, `${table} ${id}`).toEqual(w);
        }
      }
      const sampleRec = await target.db.selectFrom('recommendations').select('text_ar').where('id', '=', arabic[0]!.id).executeTakeFirstOrThrow();
      expect(sampleRec.text_ar).toMatch(/[\u0600-\u06FF]/);

      // the evidence files, byte for byte (on PostgreSQL the default FILE_STORAGE puts them in the database)
      for (const e of evidence) {
        const row = await target.db.selectFrom('evidence_files').select(['stored_name', 'sha256']).where('id', '=', e.id).executeTakeFirstOrThrow();
        const inDatabase = await target.db.selectFrom('files').select('id').where('id', '=', row.stored_name).executeTakeFirst();
        expect(Boolean(inDatabase), 'stored where FILE_STORAGE says').toBe(target.dialect.engine === 'postgres');
        const parts: Buffer[] = [];
        for await (const c of (await openStored(target.db, dataDir, 'evidence', row.stored_name))!) parts.push(c as Buffer);
        const bytes = Buffer.concat(parts);
        expect(bytes.equals(e.bytes)).toBe(true);
        expect(sha(bytes)).toBe(row.sha256);
      }
      expect(fs.readdirSync(dataDir).filter((n) => n.startsWith('.restore-'))).toEqual([]);
      // the pending import: the same row, pointing at its file under this DATA_DIR, byte for byte
      const run = await target.db.selectFrom('import_runs').selectAll().where('id', '=', pending.id).executeTakeFirstOrThrow();
      const runBefore = await reference.db.selectFrom('import_runs').selectAll().where('id', '=', pending.id).executeTakeFirstOrThrow();
      expect(path.dirname(run.stored_path)).toBe(path.join(dataDir, 'imports'));
      const read = async (kind: 'evidence' | 'import', name: string) => {
        // where this engine's default FILE_STORAGE puts it: the database on PostgreSQL, DATA_DIR on SQLite
        expect(Boolean(await target.db.selectFrom('files').select('id').where('id', '=', name).where('kind', '=', kind).executeTakeFirst()), `${kind} ${name} in the database`).toBe(targetEngine === 'postgres');
        const parts: Buffer[] = [];
        for await (const c of (await openStored(target.db, dataDir, kind, name))!) parts.push(c as Buffer);
        return Buffer.concat(parts);
      };
      expect((await read('import', path.basename(run.stored_path))).equals(pending.bytes)).toBe(true);
      expect((await read('evidence', attached.stored)).equals(attached.bytes)).toBe(true);
      expect({ ...run, stored_path: path.basename(run.stored_path) }).toEqual({ ...runBefore, stored_path: path.basename(runBefore.stored_path) });

      // the restored instance works: demo sign-in, full-text search as on the source, evidence download
      const app = await buildApp({ db: target.db, dialect: target.dialect, config: loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, BACKUP_DIR: path.join(work, 'unused') }) }, { logger: false, webDist: '/nonexistent' });
      try {
        const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'coordinator@rasd.example', password: DEMO_PASSWORD } });
        expect(login.statusCode).toBe(200);
        const cookie = `rasd_session=${login.cookies.find((c) => c.name === 'rasd_session')!.value}`;
        let hits = 0;
        for (const q of ['التعذيب', 'torture', 'children']) {
          const want = await coordinator.request({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent(q)}` });
          const got = await app.inject({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent(q)}`, headers: { cookie } });
          expect(got.statusCode).toBe(200);
          expect((got.json() as { total: number }).total, q).toBe((want.json() as { total: number }).total);
          hits += (got.json() as { total: number }).total;
        }
        expect(hits, 'the searches find something').toBeGreaterThan(0);
        // writes go on: new audit entries and search rows get keys after the restored ones (PostgreSQL sequences moved on)
        const csrf = (login.json() as { csrfToken: string }).csrfToken;
        const current = await target.db.selectFrom('recommendations').select('version').where('id', '=', recId).executeTakeFirstOrThrow();
        const edit = await app.inject({ method: 'PATCH', url: `/api/recommendations/${recId}`, headers: { cookie, 'x-csrf-token': csrf }, payload: { version: current.version, text_ar: 'نص معدّل بعد الاسترجاع', notes: 'after restore' } });
        expect(edit.statusCode, edit.body).toBe(200);
        const maxAudit = await reference.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow();
        const newest = await target.db.selectFrom('audit_log').select(['id', 'action']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
        expect(Number(newest.id)).toBeGreaterThan(Number(maxAudit.m));
        const found = await app.inject({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent('معدّل الاسترجاع')}`, headers: { cookie } });
        expect((found.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([recId]);
        const dl = await app.inject({ method: 'GET', url: `/api/evidence/${evidence[0]!.id}`, headers: { cookie } });
        expect(dl.statusCode).toBe(200);
        expect(dl.rawPayload.equals(evidence[0]!.bytes)).toBe(true);
        const att = await app.inject({ method: 'GET', url: `/api/consultation-comments/${attached.commentId}/attachment`, headers: { cookie } });
        expect(att.statusCode).toBe(200);
        expect(att.rawPayload.equals(attached.bytes)).toBe(true);
        // the pending preview commits on the restored instance, from its restored upload
        const commit = await app.inject({ method: 'POST', url: `/api/imports/${pending.id}/commit`, headers: { cookie, 'x-csrf-token': csrf } });
        expect(commit.statusCode, commit.body).toBe(202);
        await app.importRuns.inFlight.get((commit.json() as { id: string }).id);
        const done = await app.inject({ method: 'GET', url: `/api/imports/${(commit.json() as { id: string }).id}`, headers: { cookie } });
        expect(done.json()).toMatchObject({ status: 'succeeded', result: { new: 1 } });
      } finally {
        await app.close();
      }

      // a database that holds data is refused without --force, and left as it was
      const again = await rasd(['restore', archive], { DATABASE_URL: urlOf(target.target), DATA_DIR: dataDir });
      expect(again.code).toBe(1);
      expect(again.err.trim().split('\n')).toHaveLength(1);
      expect(again.err).toMatch(/^rasd: restore_target_not_empty: /);
      await target.db.deleteFrom('saved_views').execute(); // a change a forced restore must undo
      const forced = await rasd(['restore', archive, '--force'], { DATABASE_URL: urlOf(target.target), DATA_DIR: dataDir });
      expect(forced.code, forced.err).toBe(0);
      expectMatchesManifest(await digests(target), manifest, `forced restore into ${targetEngine}`, true);
    }, 240_000);
  }

  it('refuses a damaged archive with a coded error and writes nothing', async () => {
    // 1. a well-formed zip whose recommendations member was altered by one character
    const tampered = path.join(work, 'tampered.zip');
    const a = await openArchive(archive);
    try {
      const zip = archiver('zip');
      const done = new Promise<void>((resolve, reject) => {
        const out = fs.createWriteStream(tampered).on('close', resolve).on('error', reject);
        zip.pipe(out);
      });
      for (const name of a.names) {
        const chunks: Buffer[] = [];
        for await (const c of (await a.open(name)) as AsyncIterable<Buffer>) chunks.push(c);
        let body = Buffer.concat(chunks);
        if (name === 'data/recommendations.jsonl') body = Buffer.from(body.toString('utf8').replace('ال', 'آل'), 'utf8');
        zip.append(body, { name });
      }
      await zip.finalize();
      await done;
    } finally {
      a.close();
    }
    // 2. a truncated archive
    const truncated = path.join(work, 'truncated.zip');
    const whole = fs.readFileSync(archive);
    fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));

    for (const [file, pattern] of [
      [tampered, /^rasd: backup_corrupt: data\/recommendations\.jsonl: its (checksum|size) differs/],
      [truncated, /^rasd: backup_corrupt: /],
    ] as const) {
      const target = await fresh(other);
      const dataDir = path.join(work, `data-corrupt-${path.basename(file)}`);
      const r = await rasd(['restore', file], { DATABASE_URL: urlOf(target.target), DATA_DIR: dataDir });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(pattern);
      const tables = await target.db.introspection.getTables({ withInternalKyselyTables: true });
      expect(tables.map((t) => t.name), 'nothing written to the database').toEqual([]);
      expect(fs.existsSync(path.join(dataDir, 'evidence')), 'no evidence file written').toBe(false);
      expect(fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : [], 'no staging left').toEqual([]);
    }
  }, 120_000);

  it('rasd export writes every user table as JSON and CSV with a data dictionary', async () => {
    const env = { DATABASE_URL: urlOf(h.database.target), DATA_DIR: srcData };
    const jsonDir = path.join(work, 'export-json');
    const csvDir = path.join(work, 'export-csv');
    const rj = await rasd(['export', '--format', 'json', '--out', jsonDir], env);
    expect(rj.code, rj.err).toBe(0);
    const rc = await rasd(['export', '--format', 'csv', '--out', csvDir], env);
    expect(rc.code, rc.err).toBe(0);
    const db = h.database.db;
    const total = async (t: string) => Number((await (db as Kysely<any>).selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    const recs = JSON.parse(fs.readFileSync(path.join(jsonDir, 'recommendations.json'), 'utf8')) as Record<string, unknown>[];
    expect(recs).toHaveLength(await total('recommendations'));
    const one = await db.selectFrom('recommendations').selectAll().where('id', '=', recId).executeTakeFirstOrThrow();
    expect(recs.find((r) => r.id === recId)).toEqual(one);
    const users = JSON.parse(fs.readFileSync(path.join(jsonDir, 'users.json'), 'utf8')) as Record<string, unknown>[];
    expect(users.length).toBe(await total('users'));
    expect(users.every((u) => !('password_hash' in u) && typeof u.email === 'string')).toBe(true);
    for (const t of ['progress_updates', 'audit_log', 'plans', 'plan_actions', 'evidence_files', 'entities']) {
      expect(fs.existsSync(path.join(jsonDir, `${t}.json`)), t).toBe(true);
      expect(fs.existsSync(path.join(csvDir, `${t}.csv`)), t).toBe(true);
    }
    for (const secret of ['sessions', 'login_throttle', 'known_devices', 'calendar_feeds']) {
      expect(fs.existsSync(path.join(jsonDir, `${secret}.json`)), secret).toBe(false);
    }

    const csvText = fs.readFileSync(path.join(csvDir, 'recommendations.csv'), 'utf8');
    expect(csvText.charCodeAt(0)).toBe(0xfeff);
    const csv = parseCsv(csvText.slice(1), { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(await total('recommendations'));
    const row = csv.find((r) => r.id === recId)!;
    expect(row.text_ar).toBe(one.text_ar);
    expect(row.notes).toBe(one.notes);
    expect(Number(row.version)).toBe(one.version);
    expect(parseCsv(fs.readFileSync(path.join(csvDir, 'users.csv'), 'utf8').slice(1), { columns: true })[0]).not.toHaveProperty('password_hash');

    for (const dir of [jsonDir, csvDir]) {
      const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      expect(readme).toContain('### recommendations');
      expect(readme).toMatch(/\| external_id \| the key a re-import matches on/);
      expect(readme).toMatch(/\| document_id \| the document \(documents\.id\) → documents \|/);
      expect(readme).not.toContain('(undocumented)');
    }
    // a folder that is not empty is refused
    const again = await rasd(['export', '--format', 'csv', '--out', csvDir], env);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^rasd: export_dir_not_empty: /);
  }, 120_000);
});

describe('data dictionary', () => {
  it('documents every table an export writes', async () => {
    const { TABLE_DOCS, NOT_EXPORTED } = await import('../../src/backup/dictionary.ts');
    const t = await createTestDatabase('sqlite');
    try {
      for (const table of await t.dialect.backup.tables(t.db)) {
        if (table.name in NOT_EXPORTED) continue;
        expect(TABLE_DOCS[table.name], table.name).toBeTruthy();
      }
    } finally {
      await t.drop();
    }
  });
});
