import { parse as parseCsv } from 'csv-parse/sync';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEntity } from '../../src/entities/index.ts';
import { exportMatrix } from '../../src/exports/index.ts';
import { listFiltersSchema, registerIndex } from '../../src/recommendations/index.ts';
import { indexRecommendations } from '../../src/search/index.ts';
import { newId, nowIso } from '../../src/shared/ids.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const SYMBOL = 'A/HRC/99/7';
const OTHER = 'CAT/C/XYZ/CO/2';

interface Seeded {
  ids: Record<string, string>;
  clusterId: string;
}

/** A UPR document with five recommendations (one only in English, one only in Arabic, one starting with "=") and a CAT one. */
async function seed(h: Harness): Promise<Seeded> {
  const db = h.database.db;
  const now = nowIso();
  const upr = newId();
  const cat = newId();
  await db
    .insertInto('documents')
    .values([
      { id: upr, symbol: SYMBOL, body_id: 'body-upr', type: 'upr_wg_report', title_ar: null, title_en: null, country: 'XYZ', date: '2025-02-01', upr_cycle: 4, upr_session: 48, url: null, created_at: now, updated_at: now },
      { id: cat, symbol: OTHER, body_id: 'body-cat', type: 'concluding_observations', title_ar: null, title_en: null, country: 'XYZ', date: '2024-06-01', upr_cycle: null, upr_session: null, url: null, created_at: now, updated_at: now },
    ])
    .execute();
  const clusterId = newId();
  await db
    .insertInto('clusters')
    .values({ id: clusterId, title_ar: 'مناهضة التعذيب', title_en: 'Against torture', status: 'accepted', job_id: null, similarity_pct: null, created_by: null, created_at: now, updated_at: now })
    .execute();
  const recs: [string, string, string, string | null, string | null, 'supported' | 'noted' | null, string[], string | null][] = [
    // key, document, paragraph, text_ar, text_en, position, states, cluster
    ['torture', upr, '156.1', 'تجريم التعذيب في القانون الجنائي', 'Criminalize torture in the penal code', 'supported', ['France', 'Chile'], clusterId],
    ['opcat', upr, '156.2', 'التصديق على البروتوكول الاختياري لاتفاقية مناهضة التعذيب', 'Ratify the Optional Protocol to the Convention against Torture', 'noted', ['Denmark'], clusterId],
    ['englishOnly', upr, '156.3', null, 'Abolish the kafala sponsorship system', 'supported', ['Germany'], null],
    ['arabicOnly', upr, '156.4', 'تعزيز حقوق العمال المهاجرين', null, null, [], null],
    ['formula', upr, '156.5', '=HYPERLINK("http://evil.example") ضار', '=HYPERLINK("http://evil.example") bad, "quoted"', 'supported', ['Peru'], null],
    ['cat', cat, '12', 'ضمانات قانونية أساسية للمحتجزين', 'Fundamental legal safeguards for detainees', null, [], null],
  ];
  const ids: Record<string, string> = {};
  for (const [key, document, paragraph, ar, en, position, states, cluster] of recs) {
    const id = newId();
    ids[key] = id;
    await db
      .insertInto('recommendations')
      .values({
        id,
        document_id: document,
        paragraph,
        external_id: `${document}#${paragraph}`,
        external_source: 'test',
        original_lang: en ? 'en' : 'ar',
        text_ar: ar,
        text_en: en,
        text_fr: null,
        kind: 'recommendation',
        position,
        position_source: null,
        recommending_states: JSON.stringify(states),
        status: 'not_started',
        priority: null,
        is_public: 0,
        follow_up: 0,
        due_date: null,
        notes: null,
        cluster_id: cluster,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  await indexRecommendations(db, Object.values(ids));
  const theme = { id: newId(), kind: 'theme' as const, code: 'torture', label_ar: 'التعذيب', label_en: 'Torture', parent_id: null, sort: 0, created_at: now };
  const sdg = { id: newId(), kind: 'sdg_target' as const, code: '16.3', label_ar: 'سيادة القانون', label_en: 'Rule of law', parent_id: null, sort: 0, created_at: now };
  await db.insertInto('terms').values([theme, sdg]).execute();
  await db
    .insertInto('recommendation_terms')
    .values([
      { recommendation_id: ids.torture!, term_id: theme.id },
      { recommendation_id: ids.torture!, term_id: sdg.id },
      { recommendation_id: ids.opcat!, term_id: theme.id },
    ])
    .execute();
  return { ids, clusterId };
}

async function readXlsx(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0]!;
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    const values: string[] = [];
    for (let c = 1; c <= 14; c++) values.push(String(row.getCell(c).value ?? ''));
    rows.push(values);
  });
  return { sheet, rows };
}

describeEachEngine('exports: implementation matrix and list CSV (issue 12)', (engine) => {
  let h: Harness;
  let s: Seeded;
  let coordinator: TestClient;
  let viewer: TestClient;

  beforeAll(async () => {
    h = await createHarness(engine);
    s = await seed(h);
    coordinator = await h.loginAs('coordinator');
    viewer = await h.loginAs('viewer');
    const interior = await createEntity(h.database.db, { code: 'MOI', name_ar: 'وزارة الداخلية', name_en: 'Ministry of Interior' });
    const justice = await createEntity(h.database.db, { code: 'MOJ', name_ar: 'وزارة العدل', name_en: 'Ministry of Justice' });
    // The cluster goes to the Interior (lead); the torture recommendation also to Justice (supporting).
    const lead = await coordinator.request({ method: 'POST', url: '/api/assignments', payload: { clusterId: s.clusterId, entityId: interior.id, role: 'lead' } });
    expect(lead.statusCode, lead.body).toBe(201);
    const support = await coordinator.request({ method: 'POST', url: '/api/assignments', payload: { recommendationIds: [s.ids.torture], entityId: justice.id, role: 'supporting' } });
    expect(support.statusCode, support.body).toBe(201);
    // An approved update on the cluster's assignment (measures, status), and a draft that must not show.
    const assignmentId = lead.json().ids[0] as string;
    const created = await coordinator.request({
      method: 'POST',
      url: `/api/assignments/${assignmentId}/updates`,
      payload: {
        text_ar: 'أُحيل مشروع قانون تجريم التعذيب إلى مجلس الأمة.',
        text_en: 'A bill criminalizing torture was sent to parliament.',
        proposed_status: 'in_progress',
        measures: [
          { type: 'legislation', description_ar: 'مشروع قانون', description_en: 'Draft law' },
          { type: 'training', description_en: 'Training of 300 police officers' },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const updateId = created.json().id as string;
    expect((await coordinator.request({ method: 'POST', url: `/api/updates/${updateId}/submit`, payload: {} })).statusCode).toBe(200);
    expect((await coordinator.request({ method: 'POST', url: `/api/updates/${updateId}/approve`, payload: {} })).statusCode).toBe(200);
    const draft = await coordinator.request({
      method: 'POST',
      url: `/api/assignments/${support.json().ids[0]}/updates`,
      payload: { text_en: 'Unapproved draft text', measures: [{ type: 'budget', description_en: 'Secret budget' }] },
    });
    expect(draft.statusCode).toBe(201);
  });
  afterAll(() => closeHarness(h));

  it('refuses anonymous users (401) and lets any signed-in reader export', async () => {
    const anon = await h.app.inject({ method: 'GET', url: '/api/exports/matrix?format=csv&lang=en' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('unauthenticated');
    const ok = await viewer.request({ method: 'GET', url: '/api/exports/matrix?format=csv&lang=en' });
    expect(ok.statusCode).toBe(200);
  });

  it('writes the English XLSX matrix of one document: headers, translated values, measures of approved updates only, frozen header, autofilter', async () => {
    const res = await viewer.request({ method: 'GET', url: `/api/exports/matrix?format=xlsx&lang=en&document=${encodeURIComponent(SYMBOL)}&sort=paragraph&order=asc` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="rasd-matrix-en-\d{4}-\d{2}-\d{2}\.xlsx"/);
    expect(res.headers['x-total-count']).toBe('5');
    const { sheet, rows } = await readXlsx(res.rawPayload);
    expect(sheet.name).toBe('Implementation matrix');
    expect(rows[0]).toEqual([
      'Document symbol',
      'Paragraph',
      'Recommendation',
      'Body',
      'Recommending states',
      'Position',
      'Themes',
      'SDGs',
      'Cluster',
      'Lead entities',
      'Supporting entities',
      'Implementation status',
      'Measures taken',
      'Latest approved update',
    ]);
    expect(rows).toHaveLength(6);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['156.1', '156.2', '156.3', '156.4', '156.5']);
    expect(rows[1]).toEqual([
      SYMBOL,
      '156.1',
      'Criminalize torture in the penal code',
      'UPR',
      'France, Chile',
      'Supported',
      'Torture',
      '16.3 Rule of law',
      'Against torture',
      'Ministry of Interior',
      'Ministry of Justice',
      'In progress',
      'Legislation: Draft law\nTraining: Training of 300 police officers',
      'A bill criminalizing torture was sent to parliament.',
    ]);
    // The second cluster member shares the cluster's lead, update and status; no supporting entity.
    expect(rows[2]!.slice(5, 12)).toEqual(['Noted', 'Torture', '', 'Against torture', 'Ministry of Interior', '', 'In progress']);
    // Arabic-only text: shown with a marker naming its language; no unapproved draft anywhere.
    expect(rows[4]![2]).toBe('[in Arabic] تعزيز حقوق العمال المهاجرين');
    expect(rows[4]![11]).toBe('Not started');
    expect(rows.flat().join(' ')).not.toMatch(/Secret budget|Unapproved draft/);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.views[0]!.rightToLeft ?? false).toBe(false);
    expect(sheet.autoFilter).toBeTruthy();
    expect(JSON.stringify(sheet.autoFilter)).toMatch(/A1.*N1/);
  });

  it('writes the Arabic XLSX matrix right to left, in Arabic', async () => {
    const res = await viewer.request({ method: 'GET', url: `/api/exports/matrix?format=xlsx&lang=ar&document=${encodeURIComponent(SYMBOL)}&sort=paragraph&order=asc` });
    expect(res.statusCode).toBe(200);
    const { sheet, rows } = await readXlsx(res.rawPayload);
    expect(sheet.name).toBe('مصفوفة التنفيذ');
    expect(rows[0]![0]).toBe('رمز الوثيقة');
    expect(rows[0]![2]).toBe('التوصية');
    expect(rows[0]![11]).toBe('حالة التنفيذ');
    expect(sheet.views[0]).toMatchObject({ rightToLeft: true, state: 'frozen', ySplit: 1 });
    expect(JSON.stringify(sheet.autoFilter)).toMatch(/A1.*N1/);
    expect(rows[1]).toEqual([
      SYMBOL,
      '156.1',
      'تجريم التعذيب في القانون الجنائي',
      'UPR',
      'فرنسا, تشيلي',
      'مؤيَّدة',
      'التعذيب',
      '16.3 سيادة القانون',
      'مناهضة التعذيب',
      'وزارة الداخلية',
      'وزارة العدل',
      'قيد التنفيذ',
      'تشريع: مشروع قانون\nتدريب: [بالإنجليزية] Training of 300 police officers',
      'أُحيل مشروع قانون تجريم التعذيب إلى مجلس الأمة.',
    ]);
    expect(rows[2]![5]).toBe('أُحيط بها علماً');
    expect(rows[3]![2]).toBe('[بالإنجليزية] Abolish the kafala sponsorship system');
    expect(rows[3]![11]).toBe('لم يبدأ');
  });

  it('writes the list as CSV for the same search, facets and order as the list: BOM, RFC 4180, formula-safe, Arabic text', async () => {
    const query = `q=${encodeURIComponent('التعذيب')}&body=UPR&sort=paragraph&order=desc`;
    const list = (await viewer.request({ method: 'GET', url: `/api/recommendations?${query}&pageSize=200` })).json();
    expect(list.total).toBe(2);
    const res = await viewer.request({ method: 'GET', url: `/api/exports/matrix?format=csv&lang=ar&${query}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/filename="rasd-matrix-ar-\d{4}-\d{2}-\d{2}\.csv"/);
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('\r\n');
    const rows = parseCsv(text, { bom: true }) as string[][];
    expect(rows[0]![2]).toBe('التوصية');
    expect(rows).toHaveLength(1 + list.total);
    expect(rows.slice(1).map((r) => r[1])).toEqual(list.items.map((i: { paragraph: string }) => i.paragraph));
    expect(rows.slice(1).map((r) => r[1])).toEqual(['156.2', '156.1']);
    expect(rows[2]![2]).toBe('تجريم التعذيب في القانون الجنائي');
    expect(rows[2]![12]).toBe('تشريع: مشروع قانون; تدريب: [بالإنجليزية] Training of 300 police officers');

    // A cell starting with "=" is neutralised; quotes and commas survive the round trip.
    const formula = await viewer.request({ method: 'GET', url: `/api/exports/matrix?format=csv&lang=en&q=${encodeURIComponent('evil')}` });
    expect(formula.statusCode).toBe(200);
    const frows = parseCsv(formula.rawPayload.toString('utf8'), { bom: true }) as string[][];
    expect(frows).toHaveLength(2);
    expect(frows[1]![2]).toBe(`'=HYPERLINK("http://evil.example") bad, "quoted"`);
    expect(formula.rawPayload.toString('utf8')).toContain(`"'=HYPERLINK(""http://evil.example"") bad, ""quoted"""`);
  });

  it('answers an empty selection with 422 empty_selection in both languages, never a file', async () => {
    for (const url of [
      '/api/exports/matrix?format=xlsx&lang=en&q=nonexistentword',
      '/api/exports/matrix?format=csv&lang=ar&body=CRC',
      `/api/exports/matrix?format=csv&lang=ar&document=${encodeURIComponent('NO/SUCH/DOC')}`,
    ]) {
      const res = await viewer.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json();
      expect(body.error.code).toBe('empty_selection');
      // the viewer's interface language is Arabic (the default): the message is Arabic, and message_ar too
      expect(body.error.message).toMatch(/لا شيء للتصدير/);
      expect(body.error.message_ar).toMatch(/لا شيء للتصدير/);
    }
    await h.database.db.updateTable('users').set({ locale: 'en' }).where('id', '=', viewer.userId).execute();
    const en = await viewer.request({ method: 'GET', url: '/api/exports/matrix?format=csv&body=CRC' });
    expect(en.statusCode).toBe(422);
    expect(en.json().error.message).toMatch(/nothing to export/);
    expect(en.json().error.message_ar).toMatch(/لا شيء للتصدير/);
    await h.database.db.updateTable('users').set({ locale: 'ar' }).where('id', '=', viewer.userId).execute();
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/exports/matrix'].get;
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['format', 'lang', 'q', 'body', 'theme', 'entity', 'sort']));
  });

  it('validates the format and language', async () => {
    const res = await viewer.request({ method: 'GET', url: '/api/exports/matrix?format=pdf&lang=en' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect((await viewer.request({ method: 'GET', url: '/api/exports/matrix?format=csv&lang=de' })).statusCode).toBe(400);
  });

  it('exports the whole register by default, in Arabic as XLSX', async () => {
    const res = await coordinator.request({ method: 'GET', url: '/api/exports/matrix' });
    expect(res.statusCode).toBe(200);
    const { sheet, rows } = await readXlsx(res.rawPayload);
    expect(rows).toHaveLength(1 + 6);
    expect(sheet.views[0]!.rightToLeft).toBe(true);
    expect(rows.some((r) => r[0] === OTHER && r[3] === 'CAT')).toBe(true);
  });

  // Last: it adds 2,500 recommendations (three batches, so both workers read and their chunks interleave).
  it('reads a large matrix in worker threads: the CSV byte for byte what one thread writes, the XLSX cell for cell', async () => {
    const now = nowIso();
    const doc = (await h.database.db.selectFrom('documents').select('id').where('symbol', '=', SYMBOL).executeTakeFirstOrThrow()).id;
    const rows = Array.from({ length: 2500 }, (_, i) => ({
      id: newId(), document_id: doc, paragraph: `200.${i + 1}`, external_id: `${SYMBOL}#200.${i + 1}`, external_source: 'test', original_lang: 'en', text_ar: i % 2 ? `توصية رقم ${i}` : null,
      text_en: `Recommendation "${i}", with a comma`, text_fr: null, kind: 'recommendation' as const, position: 'supported' as const, position_source: null,
      recommending_states: '["FRA","EGY"]', status: 'not_started', priority: null, is_public: 0, follow_up: 0, due_date: null, notes: null, cluster_id: null, created_at: now, updated_at: now, version: 1,
    }));
    for (let i = 0; i < rows.length; i += 250) await h.database.db.insertInto('recommendations').values(rows.slice(i, i + 250)).execute();
    await indexRecommendations(h.database.db, rows.map((r) => r.id));
    await registerIndex(h.database.db, h.database.dialect).settled();
    const filters = listFiltersSchema.parse({});
    const write = async (format: 'csv' | 'xlsx', workersFrom: number) => {
      const file = await exportMatrix(h.database.db, h.database.dialect, filters, format, 'ar', { workersFrom });
      const chunks: Buffer[] = [];
      const out = new PassThrough();
      out.on('data', (c: Buffer) => chunks.push(c));
      const count = await file.write(out);
      return { count, bytes: Buffer.concat(chunks) };
    };
    const inThread = await write('csv', Number.POSITIVE_INFINITY);
    const inWorkers = await write('csv', 1);
    expect(inThread.count).toBe(6 + 2500);
    expect(inWorkers.count).toBe(inThread.count);
    expect(inWorkers.bytes.toString('utf8')).toBe(inThread.bytes.toString('utf8'));
    expect(parseCsv(inWorkers.bytes.toString('utf8').slice(1), { relaxColumnCount: false })).toHaveLength(1 + 6 + 2500);

    // the workbook from rows read by the workers (the file's creation time aside, the same cells)
    const xlsxInThread = await write('xlsx', Number.POSITIVE_INFINITY);
    const xlsxInWorkers = await write('xlsx', 1);
    expect(xlsxInWorkers.count).toBe(6 + 2500);
    const a = await readXlsx(xlsxInThread.bytes);
    const b = await readXlsx(xlsxInWorkers.bytes);
    expect(b.rows).toHaveLength(1 + 6 + 2500);
    expect(b.rows).toEqual(a.rows);
    expect(b.sheet.views[0]!.rightToLeft).toBe(true);
  });
});
