import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/rasd.mjs');

/** The plan as the committee reads it, without ids, versions, dates of change or reported values. */
function shape(tree: any) {
  const ind = (i: any) => ({
    code: i.code,
    name_ar: i.name_ar,
    name_en: i.name_en,
    type: i.type,
    unit: i.unit,
    baseline: [i.baseline_value, i.baseline_year],
    target: [i.target_value, i.target_year],
    source: i.data_source,
    frequency: i.frequency,
    entity: i.reporting_code,
    disaggregation: i.disaggregation,
  });
  return {
    title: [tree.title_ar, tree.title_en, tree.period_start, tree.period_end],
    pillars: tree.pillars.map((p: any) => ({
      code: p.code,
      title: [p.title_ar, p.title_en],
      objectives: p.objectives.map((o: any) => ({
        code: o.code,
        title: [o.title_ar, o.title_en],
        indicators: o.indicators.map(ind),
        actions: o.actions.map((a: any) => ({
          code: a.code,
          text: [a.title_ar, a.title_en, a.description_ar, a.description_en],
          lead: a.lead_code,
          partners: a.partners.map((e: any) => e.code),
          dates: [a.start_date, a.end_date],
          budget: [a.budget_amount, a.budget_currency, a.budget_source],
          priority: a.priority,
          status: a.status,
          recommendations: a.recommendations.map((r: any) => r.id).sort(),
          sdgs: a.sdg_targets.map((s: any) => s.code).sort(),
          clusters: a.clusters.map((c: any) => c.id).sort(),
          indicators: a.indicators.map(ind),
        })),
      })),
    })),
  };
}

describeEachEngine('the plan workbook (XLSX): template, export, import', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  let demoId = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-plan-xlsx-'));
  const upload = (buf: Buffer, q = '') =>
    coordinator.request({ method: 'POST', url: `/api/plans/import${q}`, headers: { 'content-type': 'application/octet-stream' }, payload: buf });
  const planCount = async () => Number((await h.database.db.selectFrom('plans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.database.db);
    coordinator = await h.login('coordinator@rasd.example', DEMO_PASSWORD);
    demoId = (await coordinator.request({ method: 'GET', url: '/api/plans' })).json().items[0].id;
  });
  afterAll(async () => {
    await closeHarness(h);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the template has one sheet per level with English keys and Arabic headers', async () => {
    const res = await coordinator.request({ method: 'GET', url: '/api/plans/template' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Plan', 'Pillars', 'Objectives', 'Actions', 'Indicators']);
    const actions = wb.getWorksheet('Actions')!;
    expect(actions.getRow(1).getCell(1).value).toBe('code');
    expect(actions.getRow(2).getCell(1).value).toBe('الرمز');
    expect(actions.rowCount).toBe(2);
  });

  it('export then import gives the same plan (a round trip through a database without it)', async () => {
    const before = (await coordinator.request({ method: 'GET', url: `/api/plans/${demoId}` })).json();
    const res = await coordinator.request({ method: 'GET', url: `/api/plans/${demoId}/export?format=xlsx` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="action-plan-v1.xlsx"');
    const file = res.rawPayload;
    // the actions' clusters travel in the Actions sheet's "clusters" column
    const linked = before.pillars.flatMap((p: any) => p.objectives.flatMap((o: any) => o.actions)).filter((a: any) => a.clusters.length > 0);
    expect(linked.length).toBeGreaterThan(5);
    const sheet = new ExcelJS.Workbook();
    await sheet.xlsx.load(file as unknown as ArrayBuffer);
    const actions = sheet.getWorksheet('Actions')!;
    const col = (actions.getRow(1).values as unknown[]).indexOf('clusters');
    expect(col).toBeGreaterThan(0);
    const codeCol = (actions.getRow(1).values as unknown[]).indexOf('code');
    const cell = (code: string) => {
      for (let r = 3; r <= actions.rowCount; r++) if (actions.getRow(r).getCell(codeCol).value === code) return String(actions.getRow(r).getCell(col).value ?? '');
      return null;
    };
    expect(cell(linked[0].code)).toBe(linked[0].clusters.map((c: any) => c.id).join('; '));
    // the workbook names the demo plan (Plan sheet, column id), adopted here: refused (plan-xlsx-update.test.ts);
    // in a database without that plan it makes a new draft. A dry run checks and writes nothing.
    expect((await upload(file, '?dryRun=true')).json().error.code).toBe('plan_import_frozen');
    await h.database.db.deleteFrom('plans').execute();
    const dry = await upload(file, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, mode: 'create', plan: null, counts: { pillars: 3, objectives: 6, actions: 20, indicators: 20 } });
    expect(dry.json().changes.actions.added).toEqual(before.pillars.flatMap((p: any) => p.objectives.flatMap((o: any) => o.actions.map((a: any) => a.code))));
    expect(await planCount()).toBe(0);
    const imported = await upload(file);
    expect(imported.statusCode, imported.body).toBe(201);
    const after = (await coordinator.request({ method: 'GET', url: `/api/plans/${imported.json().plan.id}` })).json();
    expect(after.status).toBe('draft');
    expect(shape(after)).toEqual(shape(before));
    const audit = await h.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', after.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['plan.import']);
  });

  it('refuses a bad workbook with every problem named by sheet, row and column, and writes nothing', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await coordinator.request({ method: 'GET', url: '/api/plans/template' })).rawPayload as unknown as ArrayBuffer);
    wb.getWorksheet('Plan')!.addRow(['خطة', 'Plan', '2026-01-01', '2025-01-01']);
    wb.getWorksheet('Pillars')!.addRow(['P1', 'محور', 'Pillar']);
    wb.getWorksheet('Objectives')!.addRow(['O1', 'P1', 'هدف', 'Objective']);
    const actions = wb.getWorksheet('Actions')!;
    actions.addRow(['A1', 'O1', 'إجراء', 'Action', '', '', 'NOPE', '', '2027-01-01', '2026-01-01']);
    actions.addRow(['A1', 'O1', 'إجراء', 'Action']);
    actions.addRow(['A2', 'O9', 'x'.repeat(501), 'Action']);
    actions.getCell('K6').value = { formula: '1+1', result: 2 } as ExcelJS.CellFormulaValue;
    wb.getWorksheet('Indicators')!.addRow(['A1', 'مؤشر', 'Indicator', 'process', '', '0', '2025', '10', '2028']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const before = await planCount();
    const res = await upload(buf);
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('plan_import_invalid');
    const got = (err.details.problems as any[]).map((p) => `${p.sheet}:${p.row}:${p.column}:${p.code}`).sort();
    expect(got).toEqual(
      [
        'Plan:3:period_end:invalid_period',
        'Actions:3:lead_entity:unknown_entity',
        'Actions:3:end_date:invalid_period',
        'Actions:4:code:duplicate_code',
        'Actions:5:objective:unknown_objective',
        'Actions:5:title_ar:too_long',
        'Actions:6:budget_amount:formula_cell',
        'Indicators:3:unit:unit_required',
      ].sort(),
    );
    expect(await planCount()).toBe(before);
    // a missing sheet and a missing column
    wb.removeWorksheet(wb.getWorksheet('Indicators')!.id);
    wb.getWorksheet('Pillars')!.spliceColumns(3, 1);
    const res2 = await upload(Buffer.from(await wb.xlsx.writeBuffer()));
    const got2 = (res2.json().error.details.problems as any[]).map((p) => `${p.sheet}:${p.row ?? ''}:${p.column ?? ''}:${p.code}`);
    expect(got2).toEqual(expect.arrayContaining(['Indicators:::missing_sheet', 'Pillars:1:title_en:missing_column']));
    expect(await planCount()).toBe(before);
    const notXlsx = await upload(Buffer.from('not a workbook'));
    expect(notXlsx.json().error.code).toBe('bad_xlsx');
  });

  it('the CLI: plan template, plan export --format xlsx, plan import --dry-run', () => {
    const url = h.database.target.engine === 'sqlite' ? `sqlite:${h.database.target.file}` : h.database.target.url;
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'plan', ...args], { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 60_000 });
    const tpl = run(['template', '--out', path.join(dir, 't.xlsx')]);
    expect(tpl.status, tpl.stderr).toBe(0);
    const exp = run(['export', 'current', '--format', 'xlsx', '--out', path.join(dir, 'p.xlsx')]);
    expect(exp.status, exp.stderr).toBe(0);
    // "current" is now the draft the round trip above imported: the workbook names it, so it would be updated in place
    const imp = run(['import', path.join(dir, 'p.xlsx'), '--dry-run']);
    expect(imp.status, imp.stderr).toBe(0);
    expect(imp.stdout).toMatch(/^Dry run: would update plan \S+ in place \(3 pillars, 6 objectives, 20 actions, 20 indicators\):\n {2}pillars: 0 added, 0 changed, 0 removed\n/);
    expect(imp.stdout).toContain('actions: 0 added, 0 changed, 0 removed');
    const planId = /would update plan (\S+) in place/.exec(imp.stdout)![1]!;
    const real = run(['import', path.join(dir, 'p.xlsx'), '--plan', planId]);
    expect(real.status, real.stderr).toBe(0);
    expect(real.stdout).toContain(`Updated plan ${planId} in place`);
    // a --plan this database does not hold is refused
    const blank = run(['import', path.join(dir, 't.xlsx'), '--dry-run', '--plan', 'no-such-plan']);
    expect(blank.status).toBe(1);
    expect(blank.stderr).toContain('No plan "no-such-plan".');
    const bad = run(['import', path.join(dir, 't.xlsx')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Plan row 3: one_plan_row');
  });

  it('clusters are named by id or by a title naming only one; unknown or ambiguous ones are refused at their cell; an older workbook without the column still imports', async () => {
    const db = h.database.db;
    const clusters = await db.selectFrom('clusters').select(['id', 'title_ar', 'title_en']).where('title_ar', 'is not', null).orderBy('id').limit(2).execute();
    expect(clusters.length).toBe(2);
    const now = new Date().toISOString();
    const twin = { title_ar: 'مجموعة مكررة للاختبار', title_en: 'Twin cluster', status: 'accepted' as const, job_id: null, similarity_pct: null, created_by: null, created_at: now, updated_at: now };
    await db.insertInto('clusters').values([{ id: 'twin-1', ...twin }, { id: 'twin-2', ...twin }]).execute();
    const build = async (clusterCell: string | null) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await coordinator.request({ method: 'GET', url: '/api/plans/template' })).rawPayload as unknown as ArrayBuffer);
      wb.getWorksheet('Plan')!.addRow(['خطة', 'Plan', '2026-01-01', '2027-01-01']);
      wb.getWorksheet('Pillars')!.addRow(['P1', 'محور', 'Pillar']);
      wb.getWorksheet('Objectives')!.addRow(['O1', 'P1', 'هدف', 'Objective']);
      const actions = wb.getWorksheet('Actions')!;
      const col = (actions.getRow(1).values as unknown[]).indexOf('clusters');
      expect(col).toBe(18);
      actions.addRow(['A1', 'O1', 'إجراء', 'Action']);
      if (clusterCell === null) actions.spliceColumns(col, 1);
      else actions.getRow(3).getCell(col).value = clusterCell;
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const before = await planCount();
    const bad = await upload(await build(`${clusters[0]!.id}; No such cluster; Twin cluster`));
    expect(bad.statusCode).toBe(400);
    const got = (bad.json().error.details.problems as any[]).map((p) => `${p.sheet}:${p.row}:${p.column}:${p.code}`);
    expect(got).toEqual(['Actions:3:clusters:unknown_cluster', 'Actions:3:clusters:ambiguous_cluster']);
    expect(await planCount()).toBe(before);

    const ok = await upload(await build(`${clusters[0]!.id}; ${clusters[1]!.title_ar}; twin-1`));
    expect(ok.statusCode, ok.body).toBe(201);
    const tree = (await coordinator.request({ method: 'GET', url: `/api/plans/${ok.json().plan.id}` })).json();
    const action = tree.pillars[0].objectives[0].actions[0];
    expect(action.clusters.map((c: any) => c.id).sort()).toEqual([clusters[0]!.id, clusters[1]!.id, 'twin-1'].sort());

    const old = await upload(await build(null));
    expect(old.statusCode, old.body).toBe(201);
    const oldTree = (await coordinator.request({ method: 'GET', url: `/api/plans/${old.json().plan.id}` })).json();
    expect(oldTree.pillars[0].objectives[0].actions[0].clusters).toEqual([]);
  });
});
