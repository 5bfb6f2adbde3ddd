/**
 * Issue 12 "done when", on a real state: Kuwait's UPR recommendations from the UPR Info export in ../shared are
 * imported, some assigned and answered by approved updates; a mid-term report is compiled, edited in Arabic and
 * exported to DOCX (and PDF on SQLite).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readZipText } from '../../src/reports/report-docx.ts';
import { createEntity } from '../../src/entities/index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';
import { describeWithSharedData, sharedDataPath } from '../helpers/shared-data.ts';

const json = (res: { json(): any }) => res.json();

describeWithSharedData('a mid-term report for a real state (UPR Info data)', () => {
  describeEachEngine('Kuwait', (engine) => {
    let h: Harness;
    let c: TestClient;
    let documentId = '';
    let symbol = '';
    beforeAll(async () => {
      h = await createHarness(engine, { DATA_DIR: fs.mkdtempSync('/tmp/rasd-report-real-') });
      c = await h.loginAs('coordinator');
      const bytes = fs.readFileSync(sharedDataPath('upr-info', 'upr-info-sessions-1-20.csv'));
      const qs = new URLSearchParams({ format: 'upr-info-csv', filename: 'upr-info.csv', country: 'Kuwait', dryRun: 'false' });
      const res = await c.request({ method: 'POST', url: `/api/imports?${qs}`, headers: { 'content-type': 'application/octet-stream' }, payload: bytes });
      expect(res.statusCode).toBe(202);
      await h.app.importRuns.inFlight.get(res.json().id);
      // the latest Kuwait review in the file
      const doc = await h.database.db.selectFrom('documents').select(['id', 'symbol', 'upr_session']).where('symbol', 'like', 'UPR/kuwait/%').orderBy('upr_session', 'desc').executeTakeFirstOrThrow();
      documentId = doc.id;
      symbol = doc.symbol;
    }, 120_000);
    afterAll(() => closeHarness(h));

    it('compiles, edits in Arabic and exports the mid-term report', async () => {
      const recs = await h.database.db.selectFrom('recommendations').select(['id', 'paragraph', 'text_en']).where('document_id', '=', documentId).orderBy('paragraph').execute();
      expect(recs.length).toBeGreaterThan(50);
      const ministry = await createEntity(h.database.db, { code: 'MOSAL', name_ar: 'وزارة الشؤون الاجتماعية والعمل', name_en: 'Ministry of Social Affairs and Labour' });
      const focal = await h.loginAs('focal_point', { entityId: ministry.id });
      const picked = recs.slice(0, 4);
      const assigned = json(await c.request({ method: 'POST', url: '/api/assignments', payload: { recommendationIds: picked.map((r) => r.id), entityId: ministry.id, dueDate: '2026-06-30' } }));
      for (const [i, a] of (assigned.ids as string[]).entries()) {
        if (i === 3) continue; // one stays unanswered
        const u = json(
          await focal.request({
            method: 'POST',
            url: `/api/assignments/${a}/updates`,
            payload: { text_ar: `تدبير منفَّذ رقم ${i + 1} بشأن العمالة المنزلية.`, text_en: `Measure ${i + 1} on domestic workers was carried out.`, proposed_status: 'in_progress' },
          }),
        );
        expect((await focal.request({ method: 'POST', url: `/api/updates/${u.id}/submit`, payload: {} })).statusCode).toBe(200);
        expect((await c.request({ method: 'POST', url: `/api/updates/${u.id}/approve`, payload: {} })).statusCode).toBe(200);
      }
      const obligation = json(await c.request({ method: 'POST', url: '/api/obligations', payload: { type: 'upr_midterm', body: 'UPR', dueDate: '2027-01-01', sources: [{ documentId }] } }));
      const report = json(await c.request({ method: 'POST', url: '/api/reports', payload: { obligationId: obligation.id, limitKind: 'upr_national' } }));
      const all = report.sections.map((s: any) => s.text_en).join('\n');
      for (let i = 1; i <= 3; i++) expect(all).toContain(`Measure ${i} on domestic workers was carried out.`);
      expect(report.sections.flatMap((s: any) => s.recommendationIds)).toEqual(expect.arrayContaining(picked.map((r) => r.id)));
      expect(all).toContain(`(${symbol})`);

      const s = report.sections.find((x: any) => x.key === 'fixed:commitments');
      const edited = await c.request({ method: 'PATCH', url: `/api/reports/${report.id}/sections/${s.id}`, payload: { version: s.version, text_ar: 'تلتزم دولة الكويت بمواصلة إصلاح نظام الكفالة.' } });
      expect(json(edited).words.ar).toBe(7);

      const docx = await c.request({ method: 'GET', url: `/api/reports/${report.id}/export?format=docx&lang=ar` });
      expect(docx.statusCode).toBe(200);
      const xml = await readZipText(docx.rawPayload, 'word/document.xml');
      expect(xml).toContain('تلتزم دولة الكويت بمواصلة إصلاح نظام الكفالة.');
      // the number is a left-to-right run of its own inside the Arabic sentence
      expect(xml).toMatch(/تدبير منفَّذ رقم <\/w:t><\/w:r><w:r><w:rPr>(?:(?!<w:rtl\/>).)*?<\/w:rPr><w:t xml:space="preserve">1<\/w:t><\/w:r><w:r><w:rPr>.*?<w:rtl\/>.*?<w:t xml:space="preserve"> بشأن العمالة المنزلية\.<\/w:t>/);
      if (engine === 'sqlite') {
        const pdf = await c.request({ method: 'GET', url: `/api/reports/${report.id}/export?format=pdf&lang=en` });
        expect(pdf.statusCode).toBe(200);
        expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      }
    });
  });
});
