/**
 * Action plan benchmark (issue 11): a generated plan of 12 pillars, 60 objectives, 600 actions, 2,000 indicators
 * and 20,000 approved value points, linked to 5,000 recommendations. Through the HTTP app (fastify inject, with a
 * session): the plan page (GET /api/plans/:id) and the coverage of the whole register, p50/p95 over --rounds
 * requests; the DOCX and XLSX exports and the XLSX import (a new draft plan), each timed. Beside them, the raw engine's
 * time for the same reads (the plan page's statements and the coverage's statements, run directly). Prints JSON.
 *
 *   npx tsx bench/plan.ts [--engine sqlite|postgres|both] [--rounds 20] [--scale 1]
 *
 * Targets (issue 11): plan page p95 ≤ 150 ms; coverage ≤ 200 ms; DOCX ≤ 2 s; XLSX export ≤ 2 s; XLSX import ≤ 5 s.
 * --scale 0.1 makes a tenth of everything (a quick check).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/config/config.ts';
import { createDb, type Database } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createEntity } from '../src/entities/index.ts';
import { buildApp } from '../src/server/app.ts';
import { newId, nowIso } from '../src/shared/ids.ts';
import { createUser } from '../src/users/index.ts';

const { values: args } = parseArgs({ options: { engine: { type: 'string', default: 'sqlite' }, rounds: { type: 'string', default: '20' }, scale: { type: 'string', default: '1' } } });
const ROUNDS = Number(args.rounds);
const SCALE = Number(args.scale);
const N = { recs: Math.round(5000 * SCALE), pillars: 12, objectives: 60, actions: Math.round(600 * SCALE), indicators: Math.round(2000 * SCALE), values: Math.round(20000 * SCALE) };
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://root@localhost/postgres?host=/var/run/postgresql';
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

async function generate(database: Database) {
  const db = database.db;
  const now = nowIso();
  const entities = [];
  for (let i = 0; i < 20; i++) entities.push((await createEntity(db, { code: `E${i}`, name_ar: `جهة ${i}`, name_en: `Entity ${i}` })).id);
  const body = await db.selectFrom('bodies').select('id').where('code', '=', 'UPR').executeTakeFirstOrThrow();
  const recIds: string[] = [];
  for (let d = 0; d < 10; d++) {
    const documentId = newId();
    await db.insertInto('documents').values({ id: documentId, symbol: `A/HRC/BENCH/${d}`, body_id: body.id, type: 'upr_wg_report', title_ar: null, title_en: null, country: 'X', date: '2025-01-01', upr_cycle: 4, upr_session: 49, url: null, created_at: now, updated_at: now }).execute();
    const rows = [];
    for (let i = 0; i < N.recs / 10; i++) {
      const id = newId();
      recIds.push(id);
      rows.push({ id, document_id: documentId, paragraph: `100.${i + 1}`, external_id: `A/HRC/BENCH/${d}#100.${i + 1}`, external_source: 'bench', original_lang: 'en', text_ar: `توصية ${i}`, text_en: `Recommendation ${i} on human rights`, text_fr: null, kind: 'recommendation' as const, position: i % 3 ? ('supported' as const) : ('noted' as const), position_source: null, recommending_states: '[]', status: 'not_started', priority: null, is_public: 0, follow_up: 0, due_date: null, notes: null, cluster_id: null, created_at: now, updated_at: now, version: 1 });
    }
    for (let i = 0; i < rows.length; i += 200) await db.insertInto('recommendations').values(rows.slice(i, i + 200)).execute();
  }
  const planId = newId();
  const stamp = { created_at: now, updated_at: now, version: 1 };
  await db.insertInto('plans').values({ id: planId, lineage_id: planId, version_number: 1, previous_id: null, title_ar: 'خطة القياس', title_en: 'Benchmark plan', period_start: '2026-01-01', period_end: '2029-12-31', status: 'draft', adopted_at: null, adopted_by: null, created_by: null, ...stamp }).execute();
  const objectives: string[] = [];
  for (let p = 0; p < N.pillars; p++) {
    const pillarId = newId();
    await db.insertInto('plan_pillars').values({ id: pillarId, plan_id: planId, code: `P${p}`, title_ar: `محور ${p}`, title_en: `Pillar ${p}`, sort: p, ...stamp }).execute();
    for (let o = 0; o < N.objectives / N.pillars; o++) {
      const id = newId();
      objectives.push(id);
      await db.insertInto('plan_objectives').values({ id, plan_id: planId, pillar_id: pillarId, code: `O${p}.${o}`, title_ar: `هدف ${p}.${o}`, title_en: `Objective ${p}.${o}`, sort: o, ...stamp }).execute();
    }
  }
  const actions: string[] = [];
  const actionRows = [];
  const links = [];
  for (let a = 0; a < N.actions; a++) {
    const id = newId();
    actions.push(id);
    actionRows.push({ id, plan_id: planId, objective_id: objectives[a % objectives.length]!, code: `A${a}`, title_ar: `إجراء ${a}`, title_en: `Action ${a}`, description_ar: null, description_en: null, lead_entity_id: entities[a % 20]!, start_date: '2026-01-01', end_date: '2028-12-31', budget_amount: '1000', budget_currency: 'KWD', budget_source: 'state_budget' as const, priority: 'medium' as const, status: 'on_track' as const, sort: a, ...stamp });
    for (let k = 0; k < 8; k++) links.push({ action_id: id, recommendation_id: recIds[(a * 8 + k) % recIds.length]! });
  }
  for (let i = 0; i < actionRows.length; i += 100) await db.insertInto('plan_actions').values(actionRows.slice(i, i + 100)).execute();
  for (let i = 0; i < links.length; i += 500) await db.insertInto('plan_action_recommendations').values(links.slice(i, i + 500)).execute();
  const indicators: string[] = [];
  const indRows = [];
  for (let i = 0; i < N.indicators; i++) {
    const id = newId();
    indicators.push(id);
    indRows.push({ id, plan_id: planId, action_id: actions[i % actions.length]!, objective_id: null, name_ar: `مؤشر ${i}`, name_en: `Indicator ${i}`, type: 'process' as const, unit: 'persons', baseline_value: '0', baseline_year: 2025, target_value: '100', target_year: 2029, data_source: null, frequency: 'annual' as const, reporting_entity_id: entities[i % 20]!, disaggregation: '[]', sort: i, ...stamp });
  }
  for (let i = 0; i < indRows.length; i += 100) await db.insertInto('plan_indicators').values(indRows.slice(i, i + 100)).execute();
  // values arrive in approved progress updates on the actions: one update per action and month
  const updateRows = new Map<string, { id: string; action_id: string; entity_id: string; date: string }>();
  const valueRows = [];
  for (let v = 0; v < N.values; v++) {
    const i = v % indicators.length;
    const actionIndex = i % actions.length;
    const date = `2026-${String((v % 12) + 1).padStart(2, '0')}-01`;
    const key = `${actionIndex}|${date}`;
    let u = updateRows.get(key);
    if (!u) {
      u = { id: newId(), action_id: actions[actionIndex]!, entity_id: entities[actionIndex % 20]!, date };
      updateRows.set(key, u);
    }
    valueRows.push({ id: newId(), update_id: u.id, indicator_id: indicators[i]!, date, value: String(v % 100), source: null, note: null, sort: 0 });
  }
  const updates = [...updateRows.values()].map((u) => ({
    id: u.id,
    assignment_id: null,
    action_id: u.action_id,
    entity_id: u.entity_id,
    author_id: null,
    period_start: null,
    period_end: u.date,
    text_ar: null,
    text_en: null,
    proposed_status: null,
    proposed_action_status: null,
    status: 'approved' as const,
    review_comment: null,
    reviewed_by: null,
    reviewed_at: now,
    submitted_by: null,
    submitted_at: now,
    ...stamp,
  }));
  for (let i = 0; i < updates.length; i += 200) await db.insertInto('progress_updates').values(updates.slice(i, i + 200)).execute();
  for (let i = 0; i < valueRows.length; i += 200) await db.insertInto('plan_indicator_values').values(valueRows.slice(i, i + 200)).execute();
  return planId;
}

/** The plan page's and the coverage's statements, run directly on the engine (no app code, no JSON). */
async function rawReads(database: Database, planId: string) {
  const q = (text: string) => sql.raw(text.replaceAll('$PLAN', `'${planId}'`)).execute(database.db);
  const page = [
    'select * from plan_pillars where plan_id = $PLAN',
    'select * from plan_objectives where plan_id = $PLAN',
    'select a.*, e.code from plan_actions a left join entities e on e.id = a.lead_entity_id where a.plan_id = $PLAN',
    'select x.action_id, e.id, e.code, e.name_ar, e.name_en from plan_action_partners x join plan_actions a on a.id = x.action_id join entities e on e.id = x.entity_id where a.plan_id = $PLAN',
    'select x.action_id, r.id, r.paragraph, r.position, d.symbol from plan_action_recommendations x join plan_actions a on a.id = x.action_id join recommendations r on r.id = x.recommendation_id join documents d on d.id = r.document_id where a.plan_id = $PLAN',
    'select x.action_id, c.id, c.title_ar, c.title_en from plan_action_clusters x join plan_actions a on a.id = x.action_id join clusters c on c.id = x.cluster_id where a.plan_id = $PLAN',
    'select x.action_id, t.id, t.code, t.label_ar, t.label_en from plan_action_sdgs x join plan_actions a on a.id = x.action_id join terms t on t.id = x.term_id where a.plan_id = $PLAN',
    'select i.*, e.code from plan_indicators i left join entities e on e.id = i.reporting_entity_id where i.plan_id = $PLAN',
    "select v.indicator_id, sum(case when u.status = 'approved' then 1 else 0 end), sum(case when u.status = 'submitted' then 1 else 0 end), max(case when u.status = 'approved' then v.date || '|' || coalesce(u.reviewed_at, '') || '|' || v.value end) from plan_indicator_values v join plan_indicators i on i.id = v.indicator_id join progress_updates u on u.id = v.update_id where i.plan_id = $PLAN and u.status in ('approved', 'submitted') group by v.indicator_id",
  ];
  const coverage = [
    'select r.id, r.cluster_id, r.position, r.paragraph, d.symbol, b.code from recommendations r join documents d on d.id = r.document_id join bodies b on b.id = d.body_id',
    'select distinct x.recommendation_id from plan_action_recommendations x join plan_actions a on a.id = x.action_id where a.plan_id = $PLAN',
    'select distinct x.cluster_id from plan_action_clusters x join plan_actions a on a.id = x.action_id where a.plan_id = $PLAN',
  ];
  const pageTimes: number[] = [];
  const coverageTimes: number[] = [];
  const pageCpu: number[] = [];
  const coverageCpu: number[] = [];
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  for (let r = 0; r < ROUNDS; r++) {
    let c = process.cpuUsage();
    pageTimes.push(await time(async () => { for (const s of page) await q(s); }));
    pageCpu.push(cpuMs(process.cpuUsage(c)));
    c = process.cpuUsage();
    coverageTimes.push(await time(async () => { for (const s of coverage) await q(s); }));
    coverageCpu.push(cpuMs(process.cpuUsage(c)));
  }
  return {
    planPage: { p50: pct(pageTimes, 50), p95: pct(pageTimes, 95), cpuP50: pct(pageCpu, 50) },
    coverage: { p50: pct(coverageTimes, 50), p95: pct(coverageTimes, 95), cpuP50: pct(coverageCpu, 50) },
  };
}

/** The plan workbook without its plan's id (the Plan sheet's `id` cell emptied): importing it creates a new draft. */
async function withoutPlanId(file: Buffer): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = book.getWorksheet('Plan')!;
  for (let r = 1; r <= 2; r++) {
    sheet.getRow(r).eachCell((cell, col) => {
      if (cell.value === 'id') sheet.getRow(3).getCell(col).value = null;
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function runEngine(engine: 'sqlite' | 'postgres') {
  let cleanup = async () => {};
  let url: string;
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-bench-plan-'));
    url = `sqlite:${path.join(dir, 'bench.db')}`;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `rasd_bench_plan_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(PG_ADMIN);
    u.pathname = `/${name}`;
    url = u.toString();
    cleanup = async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
  const database = createDb(config.database);
  try {
    await migrateToLatest(database.db, database.dialect.engine);
    log(`${engine}: generating`);
    const t0 = performance.now();
    const planId = await generate(database);
    log(`${engine}: generated in ${Math.round(performance.now() - t0)} ms`);
    await createUser(database.db, { email: 'bench@rasd.example', password: 'Bench-Password-2026', role: 'coordinator' });
    const app = await buildApp({ db: database.db, dialect: database.dialect, config }, { logger: false, webDist: '/nonexistent' });
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'bench@rasd.example', password: 'Bench-Password-2026' } });
    const cookie = `rasd_session=${login.cookies.find((c) => c.name === 'rasd_session')!.value}`;
    const csrf = (login.json() as { csrfToken: string }).csrfToken;
    const get = async (u: string) => {
      const res = await app.inject({ method: 'GET', url: u, headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`${u}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      return res;
    };
    const first = await time(() => get(`/api/plans/${planId}`));
    const pageTimes: number[] = [];
    const coverageTimes: number[] = [];
    // this process's CPU time per request (all its threads): less sensitive than wall time to other work on a busy machine
    const pageCpu: number[] = [];
    const coverageCpu: number[] = [];
    const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
    for (let r = 0; r < ROUNDS; r++) {
      let c = process.cpuUsage();
      pageTimes.push(await time(() => get(`/api/plans/${planId}`)));
      pageCpu.push(cpuMs(process.cpuUsage(c)));
      c = process.cpuUsage();
      coverageTimes.push(await time(() => get(`/api/plans/${planId}/coverage`)));
      coverageCpu.push(cpuMs(process.cpuUsage(c)));
    }
    // the DOCX: the first export in this process (cold: the docx package's code not yet optimised) and the median of 5 more
    const docx = await time(() => get(`/api/plans/${planId}/export?format=docx&lang=ar`));
    const docxWarm: number[] = [];
    for (let r = 0; r < 5; r++) docxWarm.push(await time(() => get(`/api/plans/${planId}/export?format=docx&lang=ar`)));
    let xlsxFile: Buffer = Buffer.alloc(0);
    const xlsx = await time(async () => {
      xlsxFile = (await get(`/api/plans/${planId}/export?format=xlsx`)).rawPayload;
    });
    const importBook = async (file: Buffer, expected: number) => {
      const res = await app.inject({ method: 'POST', url: '/api/plans/import', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/octet-stream' }, payload: file });
      if (res.statusCode !== expected) throw new Error(`import: ${res.statusCode} ${res.body.slice(0, 300)}`);
    };
    // the exported workbook names its plan, so importing it updates that draft in place (every row matched by code);
    // without the plan's id it creates a new draft
    const update = await time(() => importBook(xlsxFile, 200));
    const unnamed = await withoutPlanId(xlsxFile);
    const create = await time(() => importBook(unnamed, 201));
    const raw = await rawReads(database, planId);
    await app.close();
    const ms = (x: number) => Math.round(x);
    return {
      engine,
      sizes: N,
      api: {
        planPageFirst: ms(first),
        planPage: { p50: pct(pageTimes, 50), p95: pct(pageTimes, 95), cpuP50: pct(pageCpu, 50), target: 150 },
        coverage: { p50: pct(coverageTimes, 50), p95: pct(coverageTimes, 95), cpuP50: pct(coverageCpu, 50), target: 200 },
        docxExport: { ms: ms(docx), warmMedian: pct(docxWarm, 50), target: 2000 },
        xlsxExport: { ms: ms(xlsx), target: 2000 },
        xlsxImport: { createMs: ms(create), updateInPlaceMs: ms(update), target: 5000 },
      },
      rawEngine: raw,
    };
  } finally {
    await database.destroy();
    if (!process.env.BENCH_KEEP_DB) await cleanup();
    else log(`${engine}: kept ${url}`);
  }
}

const engines = args.engine === 'both' ? (['sqlite', 'postgres'] as const) : [args.engine as 'sqlite' | 'postgres'];
const results = [];
for (const e of engines) results.push(await runEngine(e));
console.log(JSON.stringify({ benchmark: 'plan', rounds: ROUNDS, results }, null, 2));
