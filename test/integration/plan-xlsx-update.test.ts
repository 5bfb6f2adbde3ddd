import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/index.ts';
import { importPlanXlsx } from '../../src/plan/index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

/** A workbook as exported, with helpers to edit it the way a person would in a spreadsheet. */
async function book(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const col = (sheet: string, key: string) => {
    const i = (wb.getWorksheet(sheet)!.getRow(1).values as unknown[]).indexOf(key);
    expect(i, `${sheet}.${key}`).toBeGreaterThan(0);
    return i;
  };
  const rowOf = (sheet: string, keyCol: string, key: string) => {
    const ws = wb.getWorksheet(sheet)!;
    for (let r = 3; r <= ws.rowCount; r++) if (String(ws.getRow(r).getCell(col(sheet, keyCol)).value ?? '') === key) return r;
    throw new Error(`no ${sheet} row ${keyCol}=${key}`);
  };
  return {
    wb,
    col,
    rowOf,
    set(sheet: string, code: string, key: string, value: string) {
      wb.getWorksheet(sheet)!.getRow(rowOf(sheet, 'code', code)).getCell(col(sheet, key)).value = value;
    },
    append(sheet: string, values: Record<string, string>) {
      const ws = wb.getWorksheet(sheet)!;
      const row = ws.getRow(ws.rowCount + 1);
      for (const [k, v] of Object.entries(values)) row.getCell(col(sheet, k)).value = v;
      row.commit();
      return row.number;
    },
    remove(sheet: string, keyCol: string, key: string) {
      wb.getWorksheet(sheet)!.spliceRows(rowOf(sheet, keyCol, key), 1);
    },
    async buffer() {
      return Buffer.from(await wb.xlsx.writeBuffer());
    },
  };
}

const actionsOf = (tree: any): any[] => tree.pillars.flatMap((p: any) => p.objectives.flatMap((o: any) => o.actions));
const ids = (tree: any) => Object.fromEntries(actionsOf(tree).map((a) => [a.code, a.id]));
const noChanges = { added: [], changed: [], removed: [] };

describeEachEngine('plan workbook import onto an existing plan (update in place)', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  let demoId = '';
  let draftId = '';
  const upload = (buf: Buffer, q = '') =>
    coordinator.request({ method: 'POST', url: `/api/plans/import${q}`, headers: { 'content-type': 'application/octet-stream' }, payload: buf });
  const exportXlsx = async (id: string) => (await coordinator.request({ method: 'GET', url: `/api/plans/${id}/export?format=xlsx` })).rawPayload;
  const tree = async (id: string) => (await coordinator.request({ method: 'GET', url: `/api/plans/${id}` })).json();
  const planCount = async () => Number((await h.database.db.selectFrom('plans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.database.db);
    coordinator = await h.login('coordinator@rasd.example', DEMO_PASSWORD);
    demoId = (await coordinator.request({ method: 'GET', url: '/api/plans' })).json().items[0].id;
  });
  afterAll(() => closeHarness(h));

  it('an adopted plan is never changed by an import: 409 plan_import_frozen with the way to a new draft version; an unknown plan: 404', async () => {
    const before = await tree(demoId);
    expect(before.status).toBe('adopted');
    const file = await exportXlsx(demoId);
    for (const q of ['', '?dryRun=true', `?planId=${demoId}`]) {
      const res = await upload(file, q);
      expect(res.statusCode, q).toBe(409);
      const err = res.json().error;
      expect(err.code).toBe('plan_import_frozen');
      // the message says how to go on: a new draft version, then an import into it
      expect(err.message_ar).toContain('أنشئ إصداراً جديداً');
      expect(err.message).toBe(err.message_ar); // the coordinator reads Arabic
      expect(err.details).toMatchObject({ planId: demoId, status: 'adopted', newVersion: { method: 'POST', url: `/api/plans/${demoId}/versions` } });
    }
    // in English (the CLI prints it): the way to the new version, and to import into it
    const actor = await h.database.db.selectFrom('users').select(['id', 'role', 'entity_id']).where('email', '=', 'coordinator@rasd.example').executeTakeFirstOrThrow();
    await expect(importPlanXlsx(h.database.db, file, actor)).rejects.toMatchObject({
      code: 'plan_import_frozen',
      message: expect.stringContaining(`Start a new draft version (POST /api/plans/${demoId}/versions`),
    });
    expect((await upload(file, '?planId=no-such-plan')).statusCode).toBe(404);
    const after = await tree(demoId);
    expect(after.version).toBe(before.version);
    expect(ids(after)).toEqual(ids(before));
    expect(await planCount()).toBe(1);
  });

  it('a draft is changed in place: an edited title and target, an added action; ids stay, approved updates still count', async () => {
    const nv = await coordinator.request({ method: 'POST', url: `/api/plans/${demoId}/versions` });
    expect(nv.statusCode).toBe(201);
    draftId = nv.json().id;
    const before = await tree(draftId);
    const acts = actionsOf(before);
    // A: an action whose approved update carries an indicator value; B: another action with an indicator
    const a = acts.find((x) => x.indicators.some((i: any) => i.latest !== null))!;
    const b = acts.find((x) => x.id !== a.id && x.indicators.length > 0)!;
    const untouched = acts.find((x) => x.id !== a.id && x.id !== b.id)!;
    expect(a).toBeTruthy();
    expect(b).toBeTruthy();
    const aIndicator = a.indicators.find((i: any) => i.latest !== null);
    const bIndicator = b.indicators[0];
    const approvedOnA = await h.database.db.selectFrom('progress_updates').select(['id', 'status']).where('action_id', '=', a.id).where('status', '=', 'approved').execute();
    expect(approvedOnA.length).toBeGreaterThan(0);
    const newTarget = String(Number(bIndicator.target_value ?? 0) + 7);

    const x = await book(await exportXlsx(draftId));
    x.set('Actions', a.code, 'title_en', 'An edited title');
    x.set('Indicators', bIndicator.code, 'target_value', newTarget);
    x.append('Actions', { code: 'NEW-1', objective: before.pillars[0].objectives[0].code, title_ar: 'إجراء جديد', title_en: 'A new action', lead_entity: a.lead_code ?? '' });
    x.append('Indicators', { owner: 'NEW-1', name_ar: 'مؤشر جديد', name_en: 'A new indicator', type: 'outcome', unit: '%', baseline_value: '0', target_value: '50' });
    const file = await x.buffer();

    // the dry run says exactly what would change, and writes nothing
    const dry = await upload(file, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toEqual({
      dryRun: true,
      mode: 'update',
      plan: { id: draftId },
      counts: { pillars: 3, objectives: 6, actions: 21, indicators: 21 },
      changes: {
        pillars: noChanges,
        objectives: noChanges,
        actions: { added: ['NEW-1'], changed: [{ code: a.code, fields: ['title_en'] }], removed: [] },
        indicators: { added: ['NEW-1-1'], changed: [{ code: bIndicator.code, fields: ['target_value'] }], removed: [] },
      },
    });
    expect(await tree(draftId)).toEqual(before);

    const res = await upload(file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: false, mode: 'update', plan: { id: draftId } });
    const after = await tree(draftId);
    const afterActs = actionsOf(after);
    // every action kept its id; one was added
    const { ['NEW-1']: added, ...kept } = ids(after);
    expect(kept).toEqual(ids(before));
    expect(added).toBeTruthy();
    const a2 = afterActs.find((y) => y.id === a.id)!;
    expect(a2.title_en).toBe('An edited title');
    expect(a2.title_ar).toBe(a.title_ar);
    expect(a2.version).toBe(a.version + 1);
    expect(afterActs.find((y) => y.id === untouched.id)!.version).toBe(untouched.version);
    const b2 = afterActs.find((y) => y.id === b.id)!;
    const bIndicator2 = b2.indicators.find((i: any) => i.id === bIndicator.id);
    expect(Number(bIndicator2.target_value)).toBe(Number(newTarget));
    expect(bIndicator2.approved_values).toBe(bIndicator.approved_values);
    // the approved update on A is still there, on the same action, and its value still counts
    const stillApproved = await h.database.db.selectFrom('progress_updates').select(['id', 'status']).where('action_id', '=', a.id).where('status', '=', 'approved').execute();
    expect(stillApproved).toEqual(approvedOnA);
    const aIndicator2 = a2.indicators.find((i: any) => i.id === aIndicator.id);
    expect(aIndicator2.latest).toEqual(aIndicator.latest);
    expect(aIndicator2.attainment).toBe(aIndicator.attainment);
    expect(a2.progress).toBe(a.progress);
    const n = afterActs.find((y) => y.code === 'NEW-1')!;
    expect(n.title_en).toBe('A new action');
    expect(n.indicators.map((i: any) => [i.code, i.name_en, i.unit, i.target_value])).toEqual([['NEW-1-1', 'A new indicator', '%', '50']]);
    const audit = await h.database.db.selectFrom('audit_log').select(['action', 'after']).where('subject_id', '=', draftId).where('action', '=', 'plan.import').execute();
    expect(audit.length).toBe(1);
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ mode: 'update', actions: 21 });

    // the plan's own export, imported back onto it, changes nothing
    const again = await upload(await exportXlsx(draftId), '?dryRun=true');
    expect(again.json().changes).toEqual({ pillars: noChanges, objectives: noChanges, actions: noChanges, indicators: noChanges });
  });

  it('a row missing from the workbook is removed only when nothing hangs off it; else the import is refused, naming it', async () => {
    const before = await tree(draftId);
    const a = actionsOf(before).find((x) => x.indicators.some((i: any) => i.approved_values > 0))!;
    const x = await book(await exportXlsx(draftId));
    x.remove('Actions', 'code', a.code);
    for (const i of a.indicators) x.remove('Indicators', 'code', i.code);
    const res = await upload(await x.buffer());
    expect(res.statusCode).toBe(400);
    const problems = res.json().error.details.problems as any[];
    expect(problems.map((p) => `${p.sheet}:${p.row ?? ''}:${p.column}:${p.code}`)).toEqual([
      'Actions::code:removed_with_history',
      ...a.indicators.filter((i: any) => i.approved_values + i.submitted_values > 0).map(() => 'Indicators::code:removed_with_history'),
    ]);
    expect(problems[0].message).toContain(`"${a.code}"`);
    expect(problems[0].value).toBe(a.code);
    expect(await tree(draftId)).toEqual(before);

    // the action added above has nothing hanging off it: gone with its indicator
    const y = await book(await exportXlsx(draftId));
    y.remove('Actions', 'code', 'NEW-1');
    y.remove('Indicators', 'owner', 'NEW-1');
    const ok = await upload(await y.buffer());
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().changes.actions).toEqual({ added: [], changed: [], removed: ['NEW-1'] });
    expect(ok.json().changes.indicators).toEqual({ added: [], changed: [], removed: ['NEW-1-1'] });
    const after = await tree(draftId);
    const { ['NEW-1']: gone, ...rest } = ids(before);
    expect(gone).toBeTruthy();
    expect(ids(after)).toEqual(rest);
  });

  it('all or nothing on a draft: a bad cell among good edits writes none of them, every problem at its sheet, row and column', async () => {
    const before = await tree(draftId);
    const acts = actionsOf(before);
    const x = await book(await exportXlsx(draftId));
    x.set('Actions', acts[0].code, 'title_en', 'Would be edited');
    x.set('Actions', acts[1].code, 'lead_entity', 'NOPE');
    const r1 = x.rowOf('Actions', 'code', acts[1].code);
    x.set('Actions', acts[2].code, 'end_date', '2020-01-01');
    x.set('Actions', acts[2].code, 'start_date', '2021-01-01');
    const r2 = x.rowOf('Actions', 'code', acts[2].code);
    const dupCode = acts[0].indicators[0].code;
    const r3 = x.append('Indicators', { owner: acts[0].code, name_ar: 'مكرر', name_en: 'Duplicate', type: 'process', code: dupCode, target_value: '3' });
    const r4 = x.append('Indicators', { owner: acts[0].code, name_ar: 'رمز', name_en: 'Bad code', type: 'process', code: 'has space' });
    const res = await upload(await x.buffer());
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('plan_import_invalid');
    const got = (res.json().error.details.problems as any[]).map((p) => `${p.sheet}:${p.row}:${p.column}:${p.code}`).sort();
    expect(got).toEqual(
      [
        `Actions:${r1}:lead_entity:unknown_entity`,
        `Actions:${r2}:end_date:invalid_period`,
        `Indicators:${r3}:code:duplicate_code`,
        `Indicators:${r3}:unit:unit_required`,
        `Indicators:${r4}:code:bad_code`,
      ].sort(),
    );
    expect(await tree(draftId)).toEqual(before);
  });

  it('indicators get a code from the API too: "<owner code>-<n>" when none is given, unique within the plan', async () => {
    const before = await tree(draftId);
    const a = actionsOf(before)[0];
    const res = await coordinator.request({ method: 'POST', url: `/api/plan-actions/${a.id}/indicators`, payload: { name_ar: 'مؤشر', name_en: 'Indicator', type: 'process' } });
    expect(res.statusCode, res.body).toBe(201);
    const taken = new Set(a.indicators.map((i: any) => i.code));
    let n = 1;
    while (taken.has(`${a.code}-${n}`)) n++;
    expect(res.json().code).toBe(`${a.code}-${n}`);
    const dup = await coordinator.request({ method: 'POST', url: `/api/plan-actions/${a.id}/indicators`, payload: { code: res.json().code, name_ar: 'مؤشر', name_en: 'Indicator', type: 'process' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('duplicate_code');
  });
});
