import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

describeEachEngine('reports on the demo workspace', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.database.db);
    coordinator = await h.login('coordinator@rasd.example', DEMO_PASSWORD);
  });
  afterAll(() => closeHarness(h));

  it('has its obligations, one of them overdue, and a compiled UPR mid-term report draft', async () => {
    const obligations = (await coordinator.request({ method: 'GET', url: '/api/obligations' })).json();
    expect(obligations.items.map((o: any) => o.type).sort()).toEqual(['arab_charter', 'treaty_followup', 'treaty_periodic', 'upr_midterm', 'upr_national']);
    // every obligation answers a source document that holds recommendations: a report can be started on each
    for (const o of obligations.items) {
      const detail = (await coordinator.request({ method: 'GET', url: `/api/obligations/${o.id}` })).json();
      expect(detail.sources.length, o.type).toBeGreaterThan(0);
    }
    const charter = obligations.items.find((o: any) => o.type === 'arab_charter');
    const charterDetail = (await coordinator.request({ method: 'GET', url: `/api/obligations/${charter.id}` })).json();
    expect(charterDetail.sources.map((s: any) => s.symbol)).toEqual(['AHRC/WAH/CO/1']);
    const overdue = obligations.items.filter((o: any) => o.overdue);
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ type: 'treaty_followup', body_code: 'CAT', displayStatus: 'overdue' });
    const midterm = obligations.items.find((o: any) => o.type === 'upr_midterm');
    expect(midterm).toMatchObject({ due_date: '2027-10-02', status: 'drafting' });

    const reports = (await coordinator.request({ method: 'GET', url: '/api/reports' })).json();
    expect(reports.items).toHaveLength(1);
    expect(reports.items[0]).toMatchObject({ type: 'upr_midterm', status: 'draft', obligation_id: midterm.id, wordLimit: 10_700 });
    const report = (await coordinator.request({ method: 'GET', url: `/api/reports/${reports.items[0].id}` })).json();
    const compiled = report.sections.filter((s: any) => s.text_en.length > 0);
    // the approved updates (and only those) are in: the demo's approved ones, never its draft or submitted one
    expect(compiled.length).toBeGreaterThanOrEqual(3);
    const all = report.sections.map((s: any) => s.text_en).join('\n');
    expect(all).toContain('A new domestic workers law sets working hours');
    expect(all).not.toContain('Draft: the Ministry is reviewing');
    expect(all).not.toContain('Training courses were held for judges');
    expect(report.words.ar).toBeGreaterThan(50);
    expect(report.words.limit).toBe(10_700);

    const suggestions = (await coordinator.request({ method: 'GET', url: '/api/obligations/suggestions' })).json();
    expect(suggestions.items.find((s: any) => s.type === 'upr_midterm')).toMatchObject({ symbol: 'A/HRC/59/98', dueDate: '2027-10-02', alreadyPlanned: true });
    const docx = await coordinator.request({ method: 'GET', url: `/api/reports/${report.id}/export?format=docx&lang=ar` });
    expect(docx.statusCode).toBe(200);
    expect(docx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('starts the Arab Charter report from the Arab Human Rights Committee\'s concluding observations', async () => {
    const obligations = (await coordinator.request({ method: 'GET', url: '/api/obligations' })).json();
    const charter = obligations.items.find((o: any) => o.type === 'arab_charter');
    const res = await coordinator.request({ method: 'POST', url: '/api/reports', payload: { obligationId: charter.id } });
    expect(res.statusCode, res.body).toBe(201);
    const report = res.json();
    const keys = report.sections.map((s: any) => s.key);
    expect(keys[0]).toBe('fixed:introduction');
    expect(keys.at(-1)).toBe('fixed:conclusion');
    expect(report.sections.filter((s: any) => s.key.startsWith('para:')).map((s: any) => s.heading_en)).toEqual(
      ['18', '20', '22', '24', '26'].map((p) => `Paragraph ${p} (AHRC/WAH/CO/1)`),
    );
    expect(report.sections[1].heading_ar).toContain('AHRC/WAH/CO/1');
  });
});
