import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEntity } from '../../src/entities/index.ts';
import { readZipText } from '../../src/reports/report-docx.ts';
import { makeRecommendations } from '../helpers/followup.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const json = (res: { json(): any }) => res.json();

/** The report templates of the Arab Charter report and the special-procedure follow-up (issue 12). */
describeEachEngine('report templates: Arab Charter and special-procedure follow-up', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  let focal: TestClient;
  let ministry: { id: string };
  let ahrc: string[]; // paragraphs 10, 11, 12 of the Arab Human Rights Committee's concluding observations
  let sp: string[]; // paragraphs 10–13 of a visit report: 10, 11, 13 recommendations, 12 an observation
  let ahrcDoc = '';
  let spDoc = '';

  const post = async (c: TestClient, url: string, payload: unknown, status = 201) => {
    const res = await c.request({ method: 'POST', url, payload: payload as Record<string, unknown> });
    expect(res.statusCode, res.body).toBe(status);
    return json(res);
  };
  /** An approved update on a recommendation: assigned, drafted and submitted by the focal point, approved. */
  async function approvedUpdate(recId: string, body: Record<string, unknown>) {
    const a = await post(coordinator, '/api/assignments', { recommendationIds: [recId], entityId: ministry.id, dueDate: '2027-06-30' });
    const u = await post(focal, `/api/assignments/${a.ids[0]}/updates`, body);
    await post(focal, `/api/updates/${u.id}/submit`, {}, 200);
    await post(coordinator, `/api/updates/${u.id}/approve`, {}, 200);
  }
  const obligation = (type: string, body: string, sources: unknown[]) => post(coordinator, '/api/obligations', { type, body, dueDate: '2028-01-01', sources });

  beforeAll(async () => {
    h = await createHarness(engine);
    const db = h.database.db;
    ministry = await createEntity(db, { code: 'MOJ', name_ar: 'وزارة العدل', name_en: 'Ministry of Justice' });
    coordinator = await h.loginAs('coordinator');
    focal = await h.loginAs('focal_point', { entityId: ministry.id });
    ahrc = await makeRecommendations(db, 3, { body: 'AHRC', symbol: 'AHRC/TST/CO/1' });
    sp = await makeRecommendations(db, 4, { body: 'SP', symbol: 'A/HRC/60/44/Add.1' });
    ahrcDoc = (await db.selectFrom('documents').select('id').where('symbol', '=', 'AHRC/TST/CO/1').executeTakeFirstOrThrow()).id;
    spDoc = (await db.selectFrom('documents').select('id').where('symbol', '=', 'A/HRC/60/44/Add.1').executeTakeFirstOrThrow()).id;
    await db.updateTable('recommendations').set({ kind: 'recommendation' }).where('id', 'in', [sp[0]!, sp[1]!, sp[3]!]).execute();
    await approvedUpdate(ahrc[1]!, { text_ar: 'عُدّل قانون الأحوال الشخصية.', text_en: 'The personal status law was amended.' });
    await approvedUpdate(sp[3]!, { text_ar: 'زار المقرر الخاص مراكز الإيواء مرة ثانية.', text_en: 'The shelters were opened to a second visit.' });
  });
  afterAll(() => closeHarness(h));

  it('Arab Charter: an introduction, one section per paragraph of the concluding observations, then a conclusion', async () => {
    const o = await obligation('arab_charter', 'AHRC', [{ documentId: ahrcDoc }]);
    const report = await post(coordinator, '/api/reports', { obligationId: o.id });
    expect(report).toMatchObject({ type: 'arab_charter', status: 'draft', limit_kind: null, words: { limit: null } });
    expect(report.sections.map((s: any) => s.key)).toEqual(['fixed:introduction', `para:${ahrc[0]}`, `para:${ahrc[1]}`, `para:${ahrc[2]}`, 'fixed:conclusion']);
    expect(report.sections.map((s: any) => s.heading_en)).toEqual(['Introduction', 'Paragraph 10 (AHRC/TST/CO/1)', 'Paragraph 11 (AHRC/TST/CO/1)', 'Paragraph 12 (AHRC/TST/CO/1)', 'Conclusion']);
    expect(report.sections[0].heading_ar).toBe('مقدمة');
    expect(report.sections[4].heading_ar).toBe('خاتمة');
    // the paragraph's section is compiled from its approved update, in both languages; the others are empty
    const p11 = report.sections[2];
    expect(p11.text_en).toContain('The personal status law was amended.');
    expect(p11.text_ar).toContain('عُدّل قانون الأحوال الشخصية.');
    expect(p11.recommendationIds).toEqual([ahrc[1]]);
    expect(report.sections[1].text_en).toBe('');
    // no UN word limit applies
    const bad = await coordinator.request({ method: 'PATCH', url: `/api/reports/${report.id}`, payload: { version: report.version, limitKind: 'treaty_periodic' } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.code).toBe('invalid_limit');

    // a written conclusion survives compiling again
    const concl = report.sections[4];
    const edit = await coordinator.request({ method: 'PATCH', url: `/api/reports/${report.id}/sections/${concl.id}`, payload: { version: concl.version, text_ar: 'تؤكد الدولة التزامها بالميثاق العربي لحقوق الإنسان.' } });
    expect(edit.statusCode, edit.body).toBe(200);
    const again = await post(coordinator, `/api/reports/${report.id}/compile`, undefined, 200);
    expect(again.sections.map((s: any) => s.key)).toEqual(report.sections.map((s: any) => s.key));
    expect(again.sections[4].text_ar).toBe('تؤكد الدولة التزامها بالميثاق العربي لحقوق الإنسان.');

    // exported like the other reports: Arabic, right to left, with the template's headings
    const docx = await coordinator.request({ method: 'GET', url: `/api/reports/${report.id}/export?format=docx&lang=ar` });
    expect(docx.statusCode).toBe(200);
    const xml = await readZipText(docx.rawPayload, 'word/document.xml');
    expect(xml).toContain('خاتمة');
    expect(xml).toContain('عُدّل قانون الأحوال الشخصية.');
    expect(xml).toContain('<w:bidi/>');
  });

  it('Arab Charter: only the paragraphs the obligation lists; nothing covered is refused', async () => {
    const o = await obligation('arab_charter', 'AHRC', [{ documentId: ahrcDoc, paragraphs: ['12'] }]);
    const report = await post(coordinator, '/api/reports', { obligationId: o.id });
    expect(report.sections.map((s: any) => s.heading_en)).toEqual(['Introduction', 'Paragraph 12 (AHRC/TST/CO/1)', 'Conclusion']);
    const none = await obligation('arab_charter', 'AHRC', []);
    const res = await coordinator.request({ method: 'POST', url: '/api/reports', payload: { obligationId: none.id } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.code).toBe('obligation_without_recommendations');
    expect(json(res).error.message_ar).toBeTruthy();
  });

  it('special-procedure follow-up: an introduction, then one section per recommendation of the visit report', async () => {
    const o = await obligation('sp_followup', 'SP', [{ documentId: spDoc }]);
    const report = await post(coordinator, '/api/reports', { obligationId: o.id });
    expect(report).toMatchObject({ type: 'sp_followup', limit_kind: null, words: { limit: null } });
    // paragraph 12 is an observation of the mandate holder, not a recommendation: no section of its own
    expect(report.sections.map((s: any) => s.heading_en)).toEqual(['Introduction', 'Paragraph 10 (A/HRC/60/44/Add.1)', 'Paragraph 11 (A/HRC/60/44/Add.1)', 'Paragraph 13 (A/HRC/60/44/Add.1)']);
    expect(report.sections[3].text_en).toContain('The shelters were opened to a second visit.');
    expect(report.sections[3].text_ar).toContain('زار المقرر الخاص مراكز الإيواء مرة ثانية.');
    // paragraphs listed by the obligation are taken as they are, an observation too
    const listed = await obligation('sp_followup', 'SP', [{ documentId: spDoc, paragraphs: ['12', '13'] }]);
    const r2 = await post(coordinator, '/api/reports', { obligationId: listed.id });
    expect(r2.sections.map((s: any) => s.heading_en)).toEqual(['Introduction', 'Paragraph 12 (A/HRC/60/44/Add.1)', 'Paragraph 13 (A/HRC/60/44/Add.1)']);
  });
});
