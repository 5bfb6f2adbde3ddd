import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { assertInflatesSafely, ImportParseError } from '../imports/index.ts';
import { authorize, canEditPlan, type Actor } from '../auth/permissions.ts';
import type { DB, Plan, PlanAction, PlanIndicator } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { ACTION_STATUSES, BUDGET_SOURCES, DISAGGREGATIONS, FREQUENCIES, INDICATOR_TYPES, PRIORITIES } from './plan.schema.ts';
import { getPlanTree } from './plan-read.service.ts';
import { FROZEN, findPlan, versionConflict } from './plan.service.ts';

/**
 * The plan as a workbook, one sheet per level (row 1: the column keys in English, row 2: the Arabic headers, data
 * from row 3), for `rasd plan template | export --format xlsx | import`. An import creates a new draft plan or updates
 * a draft in place (see importPlanXlsx), all or nothing: every problem is reported with its sheet, row and column,
 * and nothing is written.
 */
interface Col {
  key: string;
  ar: string;
  max?: number;
  required?: boolean;
  /** may be absent from a workbook written before the column existed (read as empty) */
  optional?: boolean;
}
const T = (key: string, ar: string, o: Omit<Col, 'key' | 'ar'> = {}): Col => ({ key, ar, max: 500, ...o });
const SHEETS = {
  Plan: [
    T('title_ar', 'العنوان بالعربية', { required: true }),
    T('title_en', 'العنوان بالإنجليزية', { required: true }),
    T('period_start', 'بداية المدة', { required: true }),
    T('period_end', 'نهاية المدة', { required: true }),
    // the plan this workbook updates (what the export writes); empty, or a plan this database does not hold: a new draft
    T('id', 'معرّف الخطة (فارغ لخطة جديدة)', { max: 60, optional: true }),
  ],
  Pillars: [T('code', 'الرمز', { required: true, max: 40 }), T('title_ar', 'العنوان بالعربية', { required: true }), T('title_en', 'العنوان بالإنجليزية', { required: true })],
  Objectives: [T('code', 'الرمز', { required: true, max: 40 }), T('pillar', 'رمز المحور', { required: true, max: 40 }), T('title_ar', 'العنوان بالعربية', { required: true }), T('title_en', 'العنوان بالإنجليزية', { required: true })],
  Actions: [
    T('code', 'الرمز', { required: true, max: 40 }),
    T('objective', 'رمز الهدف', { required: true, max: 40 }),
    T('title_ar', 'العنوان بالعربية', { required: true }),
    T('title_en', 'العنوان بالإنجليزية', { required: true }),
    T('description_ar', 'الوصف بالعربية', { max: 20_000 }),
    T('description_en', 'الوصف بالإنجليزية', { max: 20_000 }),
    T('lead_entity', 'رمز الجهة الرئيسية', { max: 60 }),
    T('partners', 'رموز الجهات الشريكة (مفصولة بـ ;)', { max: 2000 }),
    T('start_date', 'تاريخ البدء', { max: 10 }),
    T('end_date', 'تاريخ الانتهاء', { max: 10 }),
    T('budget_amount', 'الميزانية', { max: 30 }),
    T('budget_currency', 'العملة', { max: 3 }),
    T('budget_source', 'مصدر التمويل', { max: 20 }),
    T('priority', 'الأولوية', { max: 10 }),
    T('status', 'الحالة', { max: 20 }),
    T('recommendations', 'التوصيات (الرمز#الفقرة، مفصولة بـ ;)', { max: 100_000 }),
    T('sdg_targets', 'غايات التنمية المستدامة (مفصولة بـ ;)', { max: 2000 }),
    T('clusters', 'مجموعات التوصيات (المعرّف أو العنوان، مفصولة بـ ;)', { max: 20_000, optional: true }),
  ],
  Indicators: [
    T('owner', 'رمز الإجراء أو الهدف', { required: true, max: 40 }),
    T('name_ar', 'الاسم بالعربية', { required: true }),
    T('name_en', 'الاسم بالإنجليزية', { required: true }),
    T('type', 'النوع', { required: true, max: 20 }),
    T('unit', 'الوحدة', { max: 60 }),
    T('baseline_value', 'خط الأساس', { max: 30 }),
    T('baseline_year', 'سنة خط الأساس', { max: 4 }),
    T('target_value', 'المستهدف', { max: 30 }),
    T('target_year', 'سنة المستهدف', { max: 4 }),
    T('data_source', 'مصدر البيانات', { max: 1000 }),
    T('frequency', 'الدورية', { max: 20 }),
    T('reporting_entity', 'رمز الجهة المبلِّغة', { max: 60 }),
    T('disaggregation', 'التصنيف (مفصول بـ ;)', { max: 200 }),
    // an indicator is found again by its code (its reported values hang off it); empty: a new indicator, numbered
    T('code', 'رمز المؤشر', { max: 40, optional: true }),
  ],
} as const satisfies Record<string, Col[]>;
type SheetName = keyof typeof SHEETS;
type Row = Record<string, string>;

function workbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Rasd';
  for (const [name, cols] of Object.entries(SHEETS)) {
    const ws = wb.addWorksheet(name);
    ws.columns = cols.map((c) => ({ header: c.key, key: c.key, width: Math.min(40, Math.max(14, c.key.length + 4)) }));
    ws.addRow(Object.fromEntries(cols.map((c) => [c.key, c.ar])));
    ws.getRow(1).font = { bold: true };
    ws.getRow(2).font = { italic: true };
    ws.views = [{ state: 'frozen', ySplit: 2 }];
  }
  return wb;
}

export async function planTemplateXlsx(): Promise<Buffer> {
  return Buffer.from(await workbook().xlsx.writeBuffer());
}

const list = (xs: (string | null | undefined)[]) => xs.filter(Boolean).join('; ');

export async function planXlsx(db: Kysely<DB>, planId: string, actor: Actor): Promise<{ buffer: Buffer; fileName: string }> {
  const plan = await getPlanTree(db, planId, actor);
  const codes = new Map((await db.selectFrom('entities').select(['id', 'code']).execute()).map((e) => [e.id, e.code]));
  const wb = workbook();
  const add = (sheet: SheetName, row: Record<string, string | number | null>) => wb.getWorksheet(sheet)!.addRow(row);
  add('Plan', { title_ar: plan.title_ar, title_en: plan.title_en, period_start: plan.period_start, period_end: plan.period_end, id: plan.id });
  for (const p of plan.pillars) {
    add('Pillars', { code: p.code, title_ar: p.title_ar, title_en: p.title_en });
    for (const o of p.objectives) {
      add('Objectives', { code: o.code, pillar: p.code, title_ar: o.title_ar, title_en: o.title_en });
      const indicator = (owner: string, i: (typeof o.indicators)[number]) =>
        add('Indicators', {
          owner,
          name_ar: i.name_ar,
          name_en: i.name_en,
          type: i.type,
          unit: i.unit,
          baseline_value: i.baseline_value,
          baseline_year: i.baseline_year,
          target_value: i.target_value,
          target_year: i.target_year,
          data_source: i.data_source,
          frequency: i.frequency,
          reporting_entity: i.reporting_entity_id ? (codes.get(i.reporting_entity_id) ?? null) : null,
          disaggregation: list(i.disaggregation),
          code: i.code,
        });
      for (const i of o.indicators) indicator(o.code, i);
      for (const a of o.actions) {
        add('Actions', {
          code: a.code,
          objective: o.code,
          title_ar: a.title_ar,
          title_en: a.title_en,
          description_ar: a.description_ar,
          description_en: a.description_en,
          lead_entity: a.lead_code,
          partners: list(a.partners.map((e) => e.code)),
          start_date: a.start_date,
          end_date: a.end_date,
          budget_amount: a.budget_amount,
          budget_currency: a.budget_currency,
          budget_source: a.budget_source,
          priority: a.priority,
          status: a.status,
          recommendations: list(a.recommendations.map((r) => `${r.symbol}#${r.paragraph ?? ''}`)),
          sdg_targets: list(a.sdg_targets.map((s) => s.code)),
          clusters: list(a.clusters.map((c) => c.id)),
        });
        for (const i of a.indicators) indicator(a.code, i);
      }
    }
  }
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), fileName: `action-plan-v${plan.version_number}.xlsx` };
}

export interface ImportProblem {
  sheet: string;
  row?: number;
  column?: string;
  code: string;
  message: string;
  /** the code of a row the workbook no longer has (removed_with_history) */
  value?: string;
}

/** A cell as text; formulas are refused (their result is not data the committee typed). */
function cellText(cell: ExcelJS.Cell, problems: ImportProblem[], where: { sheet: string; row: number; column: string }): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'formula' in v) {
    problems.push({ ...where, code: 'formula_cell', message: 'Formulas are not accepted: type the value.' });
    return '';
  }
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('').trim();
  if (typeof v === 'object' && 'text' in v) return String(v.text).trim();
  return String(v).trim();
}

async function readSheets(buffer: Buffer, problems: ImportProblem[]): Promise<Record<SheetName, { row: number; data: Row }[]>> {
  // an archive that lies about its sizes or inflates past the limits is refused before exceljs unzips it
  try {
    await assertInflatesSafely(buffer);
  } catch (err) {
    if (!(err instanceof ImportParseError)) throw err;
    if (err.issues.some((i) => i.code === 'zip_bomb')) throw badRequest('zip_bomb', 'The file inflates past the allowed size.');
    throw badRequest('bad_xlsx', 'The file could not be read as an Excel workbook.');
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw badRequest('bad_xlsx', 'The file could not be read as an Excel workbook.');
  }
  const out = {} as Record<SheetName, { row: number; data: Row }[]>;
  for (const [name, cols] of Object.entries(SHEETS) as [SheetName, readonly Col[]][]) {
    out[name] = [];
    const ws = wb.getWorksheet(name);
    if (!ws) {
      problems.push({ sheet: name, code: 'missing_sheet', message: `The sheet "${name}" is missing.` });
      continue;
    }
    const header = new Map<string, number>();
    ws.getRow(1).eachCell((cell, col) => header.set(String(cell.value ?? '').trim(), col));
    const missing = cols.filter((c) => !header.has(c.key) && !c.optional);
    for (const c of missing) problems.push({ sheet: name, row: 1, column: c.key, code: 'missing_column', message: `The column "${c.key}" is missing.` });
    if (missing.length) continue;
    for (let r = 3; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const data: Row = {};
      for (const c of cols) {
        const at = header.get(c.key);
        const text = at === undefined ? '' : cellText(row.getCell(at), problems, { sheet: name, row: r, column: c.key });
        if (c.max && text.length > c.max) problems.push({ sheet: name, row: r, column: c.key, code: 'too_long', message: `At most ${c.max} characters.` });
        data[c.key] = text;
      }
      if (Object.values(data).every((v) => v === '')) continue;
      for (const c of cols) if (c.required && !data[c.key]) problems.push({ sheet: name, row: r, column: c.key, code: 'missing_value', message: `"${c.key}" is required.` });
      out[name].push({ row: r, data });
    }
  }
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;
const split = (s: string) => s.split(/[;\n]/).map((x) => x.trim()).filter(Boolean);

const CODE = /^[\p{L}\p{N}._-]+$/u;
const LEVELS = ['pillars', 'objectives', 'actions', 'indicators'] as const;
type Level = (typeof LEVELS)[number];
/** What an import adds, changes (with the fields) and removes, by code, at each level. */
export type PlanImportChanges = Record<Level, { added: string[]; changed: { code: string; fields: string[] }[]; removed: string[] }>;
export interface PlanImportResult {
  dryRun: boolean;
  /** create: a new draft plan; update: the draft the workbook (or ?planId) names, changed in place */
  mode: 'create' | 'update';
  plan: { id: string } | null;
  counts: Record<Level, number>;
  changes: PlanImportChanges;
}

/** A frozen version is never changed by an import: the way out is a new draft version, then an import into it. */
function frozenPlan(plan: Plan) {
  return conflict(
    'plan_import_frozen',
    `This plan version is ${plan.status} and frozen: an import cannot change it. Start a new draft version (POST /api/plans/${plan.id}/versions, or "New version" on the plan page), then import into that draft (--plan NEW_ID, or ?planId=NEW_ID).`,
    { planId: plan.id, status: plan.status, newVersion: { method: 'POST', url: `/api/plans/${plan.id}/versions` } },
  );
}

/** The columns of a plan action and of an indicator that an import compares and writes (besides owner, links and order). */
const ACTION_COLUMNS = ['title_ar', 'title_en', 'description_ar', 'description_en', 'lead_entity_id', 'start_date', 'end_date', 'budget_amount', 'budget_currency', 'budget_source', 'priority', 'status'] as const;
const INDICATOR_COLUMNS = ['name_ar', 'name_en', 'type', 'unit', 'baseline_value', 'baseline_year', 'target_value', 'target_year', 'data_source', 'frequency', 'reporting_entity_id', 'disaggregation'] as const;
type ActionColumns = Pick<PlanAction, (typeof ACTION_COLUMNS)[number]>;
type IndicatorColumns = Pick<PlanIndicator, (typeof INDICATOR_COLUMNS)[number]>;
const pick = <T, K extends keyof T>(row: T, keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, row[k]])) as Pick<T, K>;
/** A pillar's or an objective's own columns from its workbook row. */
const titleFields = (x: { title_ar?: string; title_en?: string }) => ({ title_ar: x.title_ar!, title_en: x.title_en! });

const num = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? null : String(Number(v)));
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
/** The names of the fields whose values differ (numbers compared as numbers, lists as sets). */
function changedFields(current: Record<string, unknown>, next: Record<string, unknown>): string[] {
  return Object.keys(next).filter((k) => {
    const a = current[k];
    const b = next[k];
    if (Array.isArray(a) && Array.isArray(b)) return !sameSet(a as string[], b as string[]);
    return (a ?? null) !== (b ?? null);
  });
}

/**
 * Reads a plan workbook and writes it in one transaction, all or nothing (a dry run checks everything, reports the
 * changes and writes nothing). Any problem → 400 plan_import_invalid with every problem's sheet, row and column.
 *
 * Which plan: `opts.planId`, else the Plan sheet's `id` when this database holds that plan (what the export writes),
 * else a new draft plan. An existing draft is updated in place: pillars, objectives, actions and indicators are
 * matched by their codes and changed field by field (their ids, and the progress updates and indicator values that
 * hang off them, stay); new codes are added; rows the workbook no longer has are removed, unless something hangs
 * off them (an action with progress updates, an indicator with reported values): then the import is refused, the
 * problem naming each of them, and nothing is written. An adopted or archived version → 409 plan_import_frozen.
 */
export async function importPlanXlsx(db: Kysely<DB>, buffer: Buffer, actor: Actor, opts: { dryRun?: boolean; planId?: string } = {}): Promise<PlanImportResult> {
  authorize(canEditPlan(actor));
  let target: Plan | null = null;
  if (opts.planId) {
    target = (await db.selectFrom('plans').selectAll().where('id', '=', opts.planId).executeTakeFirst()) ?? null;
    if (!target) throw notFound('Plan');
    if (FROZEN.includes(target.status)) throw frozenPlan(target);
  }
  const problems: ImportProblem[] = [];
  const sheets = await readSheets(buffer, problems);
  const p = (sheet: SheetName, row: number, column: string, code: string, message: string) => problems.push({ sheet, row, column, code, message });

  const planRow = sheets.Plan[0];
  const namedId = planRow?.data.id;
  if (!target && namedId) {
    target = (await db.selectFrom('plans').selectAll().where('id', '=', namedId).executeTakeFirst()) ?? null;
    if (target && FROZEN.includes(target.status)) throw frozenPlan(target);
  }

  const entities = new Map((await db.selectFrom('entities').select(['id', 'code']).where('archived_at', 'is', null).execute()).map((e) => [e.code, e.id]));
  const sdgs = new Map((await db.selectFrom('terms').select(['id', 'code']).where('kind', '=', 'sdg_target').execute()).map((t) => [t.code, t.id]));
  const recKeys = new Map(
    (await db.selectFrom('recommendations as r').innerJoin('documents as d', 'd.id', 'r.document_id').select(['r.id', 'd.symbol', 'r.paragraph']).execute()).map((r) => [
      `${r.symbol}#${r.paragraph ?? ''}`,
      r.id,
    ]),
  );
  // a cluster is named by its id (what the export writes) or by a title, Arabic or English, that names only one cluster
  const clusterRows = await db.selectFrom('clusters').select(['id', 'title_ar', 'title_en']).execute();
  const clusterIds = new Set(clusterRows.map((c) => c.id));
  const clusterTitles = new Map<string, Set<string>>();
  for (const c of clusterRows) {
    for (const t of [c.title_ar?.trim(), c.title_en?.trim()]) if (t) clusterTitles.set(t, (clusterTitles.get(t) ?? new Set()).add(c.id));
  }
  const entity = (sheet: SheetName, row: number, column: string, code: string) => {
    if (!code) return null;
    const id = entities.get(code);
    if (!id) p(sheet, row, column, 'unknown_entity', `Unknown entity code "${code}".`);
    return id ?? null;
  };
  const date = (sheet: SheetName, row: number, column: string, v: string) => {
    if (v && (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))) p(sheet, row, column, 'bad_date', 'Write the date as YYYY-MM-DD.');
    return v || null;
  };
  const decimal = (sheet: SheetName, row: number, column: string, v: string) => {
    if (v && !DECIMAL.test(v)) p(sheet, row, column, 'bad_number', 'A number is expected.');
    return v && DECIMAL.test(v) ? String(Number(v)) : null;
  };
  const year = (sheet: SheetName, row: number, column: string, v: string) => {
    if (v && !/^\d{4}$/.test(v)) p(sheet, row, column, 'bad_year', 'A four-digit year is expected.');
    return v ? Number(v) : null;
  };
  const oneOf = <T extends string>(sheet: SheetName, row: number, column: string, v: string, allowed: readonly T[], dflt: T): T => {
    if (!v) return dflt;
    if (!(allowed as readonly string[]).includes(v)) p(sheet, row, column, 'bad_value', `One of: ${allowed.join(', ')}.`);
    return v as T;
  };
  const uniqueCodes = (sheet: SheetName) => {
    const seen = new Map<string, number>();
    for (const { row, data } of sheets[sheet]) {
      if (!data.code) continue;
      if (!CODE.test(data.code)) p(sheet, row, 'code', 'bad_code', 'A code is letters, digits, ".", "_" or "-", without spaces.');
      if (seen.has(data.code)) p(sheet, row, 'code', 'duplicate_code', `The code "${data.code}" is already used on row ${seen.get(data.code)}.`);
      else seen.set(data.code, row);
    }
    return seen;
  };

  // Plan
  if (sheets.Plan.length !== 1 && !problems.some((x) => x.sheet === 'Plan')) problems.push({ sheet: 'Plan', row: 3, code: 'one_plan_row', message: 'The Plan sheet holds exactly one row.' });
  const pd = planRow?.data;
  if (pd && planRow) {
    date('Plan', planRow.row, 'period_start', pd.period_start!);
    date('Plan', planRow.row, 'period_end', pd.period_end!);
    if (pd.period_start && pd.period_end && pd.period_start > pd.period_end) p('Plan', planRow.row, 'period_end', 'invalid_period', 'The end date is before the start date.');
  }
  const pillarCodes = uniqueCodes('Pillars');
  const objectiveCodes = uniqueCodes('Objectives');
  const actionCodes = uniqueCodes('Actions');
  const indicatorCodes = uniqueCodes('Indicators');
  for (const { row, data } of sheets.Objectives) if (data.pillar && !pillarCodes.has(data.pillar)) p('Objectives', row, 'pillar', 'unknown_pillar', `No pillar "${data.pillar}".`);
  const actions = sheets.Actions.map(({ row, data }) => {
    if (data.objective && !objectiveCodes.has(data.objective)) p('Actions', row, 'objective', 'unknown_objective', `No objective "${data.objective}".`);
    const start = date('Actions', row, 'start_date', data.start_date!);
    const end = date('Actions', row, 'end_date', data.end_date!);
    if (start && end && start > end) p('Actions', row, 'end_date', 'invalid_period', 'The end date is before the start date.');
    const recs = split(data.recommendations!).map((k) => {
      const id = recKeys.get(k);
      if (!id) p('Actions', row, 'recommendations', 'unknown_recommendation', `No recommendation "${k}" (symbol#paragraph).`);
      return id;
    });
    const sdg = split(data.sdg_targets!).map((k) => {
      const id = sdgs.get(k);
      if (!id) p('Actions', row, 'sdg_targets', 'unknown_sdg_target', `Unknown SDG target "${k}".`);
      return id;
    });
    const clusters = split(data.clusters!).map((k) => {
      if (clusterIds.has(k)) return k;
      const byTitle = clusterTitles.get(k);
      if (!byTitle) p('Actions', row, 'clusters', 'unknown_cluster', `No cluster "${k}" (id or title).`);
      else if (byTitle.size > 1) p('Actions', row, 'clusters', 'ambiguous_cluster', `${byTitle.size} clusters are titled "${k}": use the id.`);
      else return [...byTitle][0]!;
      return undefined;
    });
    const currency = data.budget_currency;
    if (currency && !/^[A-Z]{3}$/.test(currency)) p('Actions', row, 'budget_currency', 'bad_value', 'An ISO 4217 currency code (e.g. KWD).');
    return {
      row,
      data,
      lead: entity('Actions', row, 'lead_entity', data.lead_entity!),
      partners: [...new Set(split(data.partners!).map((c) => entity('Actions', row, 'partners', c)).filter((x): x is string => !!x))],
      start,
      end,
      budget: decimal('Actions', row, 'budget_amount', data.budget_amount!),
      budget_source: oneOf('Actions', row, 'budget_source', data.budget_source!, BUDGET_SOURCES, 'none'),
      priority: oneOf('Actions', row, 'priority', data.priority!, PRIORITIES, 'medium'),
      status: oneOf('Actions', row, 'status', data.status!, ACTION_STATUSES, 'not_started'),
      recs: [...new Set(recs.filter((x): x is string => !!x))],
      sdg: [...new Set(sdg.filter((x): x is string => !!x))],
      clusters: [...new Set(clusters.filter((x): x is string => !!x))],
    };
  });
  const indicators = sheets.Indicators.map(({ row, data }) => {
    const owner = data.owner!;
    const ownerKind = actionCodes.has(owner) ? 'action' : objectiveCodes.has(owner) ? 'objective' : null;
    if (owner && !ownerKind) p('Indicators', row, 'owner', 'unknown_owner', `No action or objective "${owner}".`);
    const baseline = decimal('Indicators', row, 'baseline_value', data.baseline_value!);
    const target = decimal('Indicators', row, 'target_value', data.target_value!);
    if ((data.baseline_value || data.target_value) && !data.unit) p('Indicators', row, 'unit', 'unit_required', 'A baseline or a target needs a unit.');
    const disaggregation = [...new Set(split(data.disaggregation!))];
    for (const d of disaggregation) if (!(DISAGGREGATIONS as readonly string[]).includes(d)) p('Indicators', row, 'disaggregation', 'bad_value', `One of: ${DISAGGREGATIONS.join(', ')}.`);
    return {
      row,
      data,
      code: data.code ?? '',
      ownerKind,
      baseline,
      target,
      baselineYear: year('Indicators', row, 'baseline_year', data.baseline_year!),
      targetYear: year('Indicators', row, 'target_year', data.target_year!),
      type: oneOf('Indicators', row, 'type', data.type!, INDICATOR_TYPES, 'process'),
      frequency: oneOf('Indicators', row, 'frequency', data.frequency!, FREQUENCIES, 'annual'),
      entity: entity('Indicators', row, 'reporting_entity', data.reporting_entity!),
      disaggregation,
    };
  });

  // what the target plan holds today, by code
  const existing = target ? await currentRows(db, target.id) : null;
  // an indicator without a code gets "<owner code>-<n>", free in the workbook and in the plan
  const takenCodes = new Set([...indicatorCodes.keys(), ...(existing ? [...existing.indicators.keys()] : [])]);
  for (const ind of indicators) {
    if (ind.code || !ind.data.owner) continue;
    let n = 1;
    while (takenCodes.has(`${ind.data.owner}-${n}`)) n++;
    ind.code = `${ind.data.owner}-${n}`;
    takenCodes.add(ind.code);
  }

  const changes: PlanImportChanges = Object.fromEntries(LEVELS.map((l) => [l, { added: [], changed: [], removed: [] }])) as unknown as PlanImportChanges;
  // a row's own columns from the workbook: compared with the plan's in the dry run and written by the import
  const actionFields = (a: (typeof actions)[number]): ActionColumns => ({
    title_ar: a.data.title_ar!,
    title_en: a.data.title_en!,
    description_ar: a.data.description_ar || null,
    description_en: a.data.description_en || null,
    lead_entity_id: a.lead,
    start_date: a.start,
    end_date: a.end,
    budget_amount: a.budget,
    budget_currency: a.data.budget_currency || null,
    budget_source: a.budget_source,
    priority: a.priority,
    status: a.status,
  });
  const indicatorFields = (i: (typeof indicators)[number]): IndicatorColumns => ({
    name_ar: i.data.name_ar!,
    name_en: i.data.name_en!,
    type: i.type,
    unit: i.data.unit || null,
    baseline_value: i.baseline,
    baseline_year: i.baselineYear,
    target_value: i.target,
    target_year: i.targetYear,
    data_source: i.data.data_source || null,
    frequency: i.frequency,
    reporting_entity_id: i.entity,
    disaggregation: JSON.stringify(i.disaggregation),
  });
  const next = {
    pillars: sheets.Pillars.map(({ data }) => ({ code: data.code!, fields: titleFields(data) })),
    objectives: sheets.Objectives.map(({ data }) => ({ code: data.code!, fields: { pillar: data.pillar!, ...titleFields(data) } })),
    actions: actions.map((a) => ({
      code: a.data.code!,
      fields: { objective: a.data.objective!, ...actionFields(a), partners: a.partners, recommendations: a.recs, clusters: a.clusters, sdg_targets: a.sdg },
    })),
    indicators: indicators.map((i) => ({ code: i.code, fields: { owner: i.data.owner!, ...indicatorFields(i) } })),
  };
  for (const level of LEVELS) {
    const old = existing?.[level];
    for (const row of next[level]) {
      const cur = old?.get(row.code);
      if (!cur) changes[level].added.push(row.code);
      else {
        const fields = changedFields(cur.fields, row.fields);
        if (fields.length) changes[level].changed.push({ code: row.code, fields });
      }
    }
    if (old) {
      const inFile = new Set(next[level].map((r) => r.code));
      for (const code of old.keys()) if (!inFile.has(code)) changes[level].removed.push(code);
    }
  }
  if (existing) {
    // nothing that carries follow-up history is removed: its row must stay in the workbook
    for (const code of changes.actions.removed) {
      if (existing.actions.get(code)!.updates > 0) {
        problems.push({ sheet: 'Actions', column: 'code', value: code, code: 'removed_with_history', message: `The action "${code}" is not in the workbook but has ${existing.actions.get(code)!.updates} progress update(s): keep its row.` });
      }
    }
    for (const code of changes.indicators.removed) {
      if (existing.indicators.get(code)!.values > 0) {
        problems.push({ sheet: 'Indicators', column: 'code', value: code, code: 'removed_with_history', message: `The indicator "${code}" is not in the workbook but has ${existing.indicators.get(code)!.values} reported value(s): keep its row.` });
      }
    }
  }

  if (problems.length) throw badRequest('plan_import_invalid', `${problems.length} problem(s) in the workbook; nothing was imported.`, { problems: problems.slice(0, 500) });
  const counts = { pillars: sheets.Pillars.length, objectives: sheets.Objectives.length, actions: actions.length, indicators: indicators.length };
  const mode = target ? 'update' : 'create';
  if (opts.dryRun) return { dryRun: true, mode, plan: target ? { id: target.id } : null, counts, changes };

  const now = nowIso();
  const stamp = { created_at: now, updated_at: now, version: 1 };
  const planId = target?.id ?? newId();
  await db.transaction().execute(async (trx) => {
    if (target) {
      // the plan row is the lock: a second import (or an adoption) meanwhile makes this one lose with 409
      const fresh = await findPlan(trx, target.id);
      if (FROZEN.includes(fresh.status)) throw frozenPlan(fresh);
      const res = await trx
        .updateTable('plans')
        .set({ title_ar: pd!.title_ar!, title_en: pd!.title_en!, period_start: pd!.period_start!, period_end: pd!.period_end!, updated_at: now, version: target.version + 1 })
        .where('id', '=', target.id)
        .where('version', '=', target.version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw versionConflict(fresh.version);
    } else {
      const plan: Plan = {
        id: planId,
        lineage_id: planId,
        version_number: 1,
        previous_id: null,
        title_ar: pd!.title_ar!,
        title_en: pd!.title_en!,
        period_start: pd!.period_start!,
        period_end: pd!.period_end!,
        status: 'draft',
        adopted_at: null,
        adopted_by: null,
        published_at: null,
        published_by: null,
        created_by: actor.id,
        ...stamp,
      };
      await trx.insertInto('plans').values(plan).execute();
    }
    const changed = (level: Level) => new Set(changes[level].changed.map((c) => c.code));
    const bump = (cur: { version: number }) => ({ updated_at: now, version: cur.version + 1 });

    const pillarIds = new Map<string, string>();
    const changedPillars = changed('pillars');
    for (const [i, { data }] of sheets.Pillars.entries()) {
      const cur = existing?.pillars.get(data.code!);
      const values = { ...titleFields(data), sort: i };
      if (cur) {
        pillarIds.set(data.code!, cur.id);
        if (changedPillars.has(data.code!) || cur.sort !== i) await trx.updateTable('plan_pillars').set({ ...values, ...(changedPillars.has(data.code!) ? bump(cur) : {}) }).where('id', '=', cur.id).execute();
      } else {
        const id = newId();
        pillarIds.set(data.code!, id);
        await trx.insertInto('plan_pillars').values({ id, plan_id: planId, code: data.code!, ...values, ...stamp }).execute();
      }
    }
    const objectiveIds = new Map<string, string>();
    const changedObjectives = changed('objectives');
    for (const [i, { data }] of sheets.Objectives.entries()) {
      const cur = existing?.objectives.get(data.code!);
      const values = { pillar_id: pillarIds.get(data.pillar!)!, ...titleFields(data), sort: i };
      if (cur) {
        objectiveIds.set(data.code!, cur.id);
        if (changedObjectives.has(data.code!) || cur.sort !== i) await trx.updateTable('plan_objectives').set({ ...values, ...(changedObjectives.has(data.code!) ? bump(cur) : {}) }).where('id', '=', cur.id).execute();
      } else {
        const id = newId();
        objectiveIds.set(data.code!, id);
        await trx.insertInto('plan_objectives').values({ id, plan_id: planId, code: data.code!, ...values, ...stamp }).execute();
      }
    }
    const actionIds = new Map<string, string>();
    const changedActions = new Map(changes.actions.changed.map((c) => [c.code, c.fields]));
    for (const [i, a] of actions.entries()) {
      const cur = existing?.actions.get(a.data.code!);
      const values = { objective_id: objectiveIds.get(a.data.objective!)!, ...actionFields(a), sort: i };
      let id: string;
      const fields = changedActions.get(a.data.code!) ?? [];
      if (cur) {
        id = cur.id;
        if (fields.length || cur.sort !== i) await trx.updateTable('plan_actions').set({ ...values, ...(fields.length ? bump(cur) : {}) }).where('id', '=', id).execute();
      } else {
        id = newId();
        await trx.insertInto('plan_actions').values({ id, plan_id: planId, code: a.data.code!, ...values, ...stamp }).execute();
      }
      actionIds.set(a.data.code!, id);
      // the link tables of an action are rewritten only where they changed
      const links = [
        ['partners', 'plan_action_partners', 'entity_id', a.partners],
        ['recommendations', 'plan_action_recommendations', 'recommendation_id', a.recs],
        ['clusters', 'plan_action_clusters', 'cluster_id', a.clusters],
        ['sdg_targets', 'plan_action_sdgs', 'term_id', a.sdg],
      ] as const;
      for (const [field, table, column, ids] of links) {
        if (cur && !fields.includes(field)) continue;
        if (cur) await trx.deleteFrom(table).where('action_id', '=', id).execute();
        if (ids.length) await trx.insertInto(table).values(ids.map((x) => ({ action_id: id, [column]: x })) as never).execute();
      }
    }
    const changedIndicators = changed('indicators');
    for (const [i, ind] of indicators.entries()) {
      const cur = existing?.indicators.get(ind.code);
      const values = {
        action_id: ind.ownerKind === 'action' ? actionIds.get(ind.data.owner!)! : null,
        objective_id: ind.ownerKind === 'objective' ? objectiveIds.get(ind.data.owner!)! : null,
        ...indicatorFields(ind),
        sort: i,
      };
      if (cur) {
        if (changedIndicators.has(ind.code) || cur.sort !== i) await trx.updateTable('plan_indicators').set({ ...values, ...(changedIndicators.has(ind.code) ? bump(cur) : {}) }).where('id', '=', cur.id).execute();
      } else {
        await trx.insertInto('plan_indicators').values({ id: newId(), plan_id: planId, code: ind.code, ...values, ...stamp }).execute();
      }
    }
    // removals last, children first, once every kept row sits under its (possibly new) parent
    if (existing) {
      const ids = (level: Level) => changes[level].removed.map((c) => existing[level].get(c)!.id);
      const del = async (table: 'plan_indicators' | 'plan_actions' | 'plan_objectives' | 'plan_pillars', list: string[]) => {
        if (list.length) await trx.deleteFrom(table).where('id', 'in', list).execute();
      };
      // follow-up written since the workbook was checked (a progress update or a value on a row being removed) wins
      const gone = { actions: ids('actions'), indicators: ids('indicators') };
      const since =
        (gone.actions.length ? await trx.selectFrom('progress_updates').select('id').where('action_id', 'in', gone.actions).executeTakeFirst() : undefined) ??
        (gone.indicators.length ? await trx.selectFrom('plan_indicator_values').select('id').where('indicator_id', 'in', gone.indicators).executeTakeFirst() : undefined);
      if (since) throw versionConflict();
      await del('plan_indicators', ids('indicators'));
      await del('plan_actions', ids('actions'));
      await del('plan_objectives', ids('objectives'));
      await del('plan_pillars', ids('pillars'));
    }
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'plan.import',
      subjectType: 'plan',
      subjectId: planId,
      before: target ? { title_en: target.title_en, version: target.version } : undefined,
      after: { mode, title_en: pd!.title_en!, ...counts, ...(target ? { changes } : {}) },
    });
  });
  return { dryRun: false, mode, plan: { id: planId }, counts, changes };
}

interface Existing<F> {
  id: string;
  sort: number;
  version: number;
  fields: F;
}
/** A plan's rows keyed by code, with the fields an import compares, and what hangs off actions and indicators. */
async function currentRows(db: Kysely<DB>, planId: string) {
  const [pillars, objectives, actions, indicators, partners, recs, clusters, sdgs, updates, values] = await Promise.all([
    db.selectFrom('plan_pillars').selectAll().where('plan_id', '=', planId).execute(),
    db.selectFrom('plan_objectives').selectAll().where('plan_id', '=', planId).execute(),
    db.selectFrom('plan_actions').selectAll().where('plan_id', '=', planId).execute(),
    db.selectFrom('plan_indicators').selectAll().where('plan_id', '=', planId).execute(),
    db.selectFrom('plan_action_partners as x').innerJoin('plan_actions as a', 'a.id', 'x.action_id').select(['x.action_id', 'x.entity_id as v']).where('a.plan_id', '=', planId).execute(),
    db.selectFrom('plan_action_recommendations as x').innerJoin('plan_actions as a', 'a.id', 'x.action_id').select(['x.action_id', 'x.recommendation_id as v']).where('a.plan_id', '=', planId).execute(),
    db.selectFrom('plan_action_clusters as x').innerJoin('plan_actions as a', 'a.id', 'x.action_id').select(['x.action_id', 'x.cluster_id as v']).where('a.plan_id', '=', planId).execute(),
    db.selectFrom('plan_action_sdgs as x').innerJoin('plan_actions as a', 'a.id', 'x.action_id').select(['x.action_id', 'x.term_id as v']).where('a.plan_id', '=', planId).execute(),
    db
      .selectFrom('progress_updates as u')
      .innerJoin('plan_actions as a', 'a.id', 'u.action_id')
      .select(['u.action_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('a.plan_id', '=', planId)
      .groupBy('u.action_id')
      .execute(),
    db
      .selectFrom('plan_indicator_values as v')
      .innerJoin('plan_indicators as i', 'i.id', 'v.indicator_id')
      .select(['v.indicator_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('i.plan_id', '=', planId)
      .groupBy('v.indicator_id')
      .execute(),
  ]);
  const group = (rows: { action_id: string; v: string }[]) => {
    const m = new Map<string, string[]>();
    for (const r of rows) m.set(r.action_id, [...(m.get(r.action_id) ?? []), r.v]);
    return (id: string) => m.get(id) ?? [];
  };
  const [pa, re, cl, sd] = [group(partners), group(recs), group(clusters), group(sdgs)];
  const nUpdates = new Map(updates.map((u) => [u.action_id!, Number(u.n)]));
  const nValues = new Map(values.map((v) => [v.indicator_id, Number(v.n)]));
  const pillarCode = new Map(pillars.map((x) => [x.id, x.code]));
  const objectiveCode = new Map(objectives.map((x) => [x.id, x.code]));
  const actionCode = new Map(actions.map((x) => [x.id, x.code]));
  const base = (x: { id: string; sort: number; version: number }) => ({ id: x.id, sort: x.sort, version: x.version });
  return {
    pillars: new Map<string, Existing<Record<string, unknown>>>(pillars.map((x) => [x.code, { ...base(x), fields: titleFields(x) }])),
    objectives: new Map<string, Existing<Record<string, unknown>>>(
      objectives.map((x) => [x.code, { ...base(x), fields: { pillar: pillarCode.get(x.pillar_id), ...titleFields(x) } }]),
    ),
    actions: new Map<string, Existing<Record<string, unknown>> & { updates: number }>(
      actions.map((x) => [
        x.code,
        {
          ...base(x),
          updates: nUpdates.get(x.id) ?? 0,
          fields: {
            objective: objectiveCode.get(x.objective_id),
            ...pick(x, ACTION_COLUMNS),
            budget_amount: num(x.budget_amount),
            partners: pa(x.id),
            recommendations: re(x.id),
            clusters: cl(x.id),
            sdg_targets: sd(x.id),
          },
        },
      ]),
    ),
    // an indicator without a code (written outside the app) is never matched: it counts as removed
    indicators: new Map<string, Existing<Record<string, unknown>> & { values: number }>(
      indicators
        .filter((x) => x.code)
        .map((x) => [
          x.code!,
          {
            ...base(x),
            values: nValues.get(x.id) ?? 0,
            fields: {
              owner: x.action_id ? actionCode.get(x.action_id) : objectiveCode.get(x.objective_id!),
              ...pick(x, INDICATOR_COLUMNS),
              baseline_value: num(x.baseline_value),
              target_value: num(x.target_value),
            },
          },
        ]),
    ),
  };
}
