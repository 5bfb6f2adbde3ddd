import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId, nowIso } from '../../src/shared/ids.ts';
import { makeRecommendations } from '../helpers/followup.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const ARABIC = /[\u0600-\u06ff]/;

/**
 * Issue 12's "Bad input", each on both engines: a report type without a template, an obligation without a body, two
 * people editing a section at once, no LibreOffice for a PDF, a filter that matches nothing (the export of an empty
 * selection: exports.test.ts). Each answers a coded error with its message in the user's language and in Arabic, or an
 * explicit empty result — never a broken file.
 */
describeEachEngine('reports: bad input', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  let catDoc = '';

  /** The error of a refused request, its message in English (the user's language here) and in Arabic. */
  async function refused(c: TestClient, req: Parameters<TestClient['request']>[0], status: number, code: string) {
    const res = await c.request(req);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const error = res.json().error;
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/[A-Za-z]{3}/);
    expect(error.message).not.toMatch(ARABIC);
    expect(error.message_ar).toMatch(ARABIC);
    return error;
  }

  beforeAll(async () => {
    h = await createHarness(engine);
    coordinator = await h.loginAs('coordinator');
    // English interface: `message` in English, `message_ar` in Arabic (the web app shows the one of its language)
    await h.database.db.updateTable('users').set({ locale: 'en' }).where('id', '=', coordinator.userId).execute();
    await makeRecommendations(h.database.db, 3, { body: 'CAT', symbol: 'CAT/C/BAD/CO/1' });
    catDoc = (await h.database.db.selectFrom('documents').select('id').where('symbol', '=', 'CAT/C/BAD/CO/1').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => closeHarness(h));

  it('a report type without a template: 400 no_template, nothing created', async () => {
    // an obligation of a type this version has no template for (written by a newer version of Rasd)
    const id = newId();
    const now = nowIso();
    await h.database.db
      .insertInto('obligations')
      .values({ id, type: 'cerd_early_warning' as never, body_id: 'body-cerd', title_ar: null, title_en: 'Early warning', due_date: '2028-01-01', owner_id: null, status: 'planned', notes: null, created_by: null, created_at: now, updated_at: now })
      .execute();
    const error = await refused(coordinator, { method: 'POST', url: '/api/reports', payload: { obligationId: id } }, 400, 'no_template');
    expect(error.details).toEqual({ type: 'cerd_early_warning' });
    expect(error.message_ar).toBe('لا يوجد بعد قالب تقرير لهذا النوع من الالتزامات.');
    expect(await h.database.db.selectFrom('reports').select('id').where('obligation_id', '=', id).execute()).toEqual([]);
    // the list still answers, with the obligation in it
    const list = await coordinator.request({ method: 'GET', url: '/api/obligations' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((o: { id: string }) => o.id)).toContain(id);
  });

  it('an obligation without a body, or with one Rasd does not know: 400 body_required / unknown_body', async () => {
    const base = { type: 'treaty_periodic', dueDate: '2028-01-01' };
    const error = await refused(coordinator, { method: 'POST', url: '/api/obligations', payload: base }, 400, 'body_required');
    expect(error.details).toMatchObject({ field: 'body' });
    await refused(coordinator, { method: 'POST', url: '/api/obligations', payload: { ...base, body: 'NOPE' } }, 400, 'unknown_body');
    expect(await h.database.db.selectFrom('obligations').select('id').where('type', '=', 'treaty_periodic').execute()).toEqual([]);
  });

  it('two people saving the same section at once: one is saved, the other gets 409 version_conflict and nothing is lost silently', async () => {
    const o = await coordinator.request({ method: 'POST', url: '/api/obligations', payload: { type: 'treaty_periodic', body: 'CAT', dueDate: '2028-01-01', sources: [{ documentId: catDoc }] } });
    expect(o.statusCode, o.body).toBe(201);
    const created = await coordinator.request({ method: 'POST', url: '/api/reports', payload: { obligationId: o.json().id } });
    expect(created.statusCode, created.body).toBe(201);
    const report = created.json();
    const section = report.sections[1];
    const other = await h.loginAs('coordinator');
    const [a, b] = await Promise.all([
      coordinator.request({ method: 'PATCH', url: `/api/reports/${report.id}/sections/${section.id}`, payload: { version: section.version, text_ar: 'نص المحرر الأول.' } }),
      other.request({ method: 'PATCH', url: `/api/reports/${report.id}/sections/${section.id}`, payload: { version: section.version, text_ar: 'نص المحرر الثاني.' } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    const winner = a.statusCode === 200 ? a : b;
    expect(loser.json().error).toMatchObject({ code: 'version_conflict', details: { currentVersion: section.version + 1 } });
    expect(loser.json().error.message_ar).toMatch(ARABIC);
    const history = (await coordinator.request({ method: 'GET', url: `/api/reports/${report.id}/sections/${section.id}/history` })).json().items;
    expect(history.filter((x: { reason: string }) => x.reason === 'edit')).toHaveLength(1);
    const now = (await coordinator.request({ method: 'GET', url: `/api/reports/${report.id}` })).json();
    expect(now.sections[1].text_ar).toBe(winner.json().text_ar);
  });

  it('no LibreOffice for a PDF: 422 pdf_unavailable in one line pointing to the DOCX, which still downloads', async () => {
    const o = await coordinator.request({ method: 'POST', url: '/api/obligations', payload: { type: 'loipr_replies', body: 'CAT', dueDate: '2028-06-01', sources: [{ documentId: catDoc }] } });
    const report = (await coordinator.request({ method: 'POST', url: '/api/reports', payload: { obligationId: o.json().id } })).json();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-no-soffice-'));
    const prior = process.env.SOFFICE;
    process.env.SOFFICE = path.join(dir, 'soffice'); // a path where no LibreOffice is installed
    try {
      for (const lang of ['ar', 'en']) {
        const error = await refused(coordinator, { method: 'GET', url: `/api/reports/${report.id}/export?format=pdf&lang=${lang}` }, 422, 'pdf_unavailable');
        expect(error.message).toMatch(/DOCX/);
        expect(error.message).not.toMatch(/\n/);
        expect(error.message_ar).toMatch(/DOCX/);
      }
      const docx = await coordinator.request({ method: 'GET', url: `/api/reports/${report.id}/export?format=docx&lang=ar` });
      expect(docx.statusCode).toBe(200);
      expect(docx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    } finally {
      if (prior === undefined) delete process.env.SOFFICE;
      else process.env.SOFFICE = prior;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a filter that matches nothing: explicit empty lists, never an error or a file', async () => {
    const urls = [
      '/api/recommendations?q=zzqqxxnothing',
      '/api/recommendations?body=CRC',
      '/api/obligations?body=CRC',
      '/api/reports?status=submitted',
      '/api/calendar?from=2027-01-01&to=2027-03-01&body=CRC',
    ];
    for (const url of urls) {
      const res = await coordinator.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      const body = res.json();
      expect(body.items, url).toEqual([]);
      if ('total' in body) expect(body.total, url).toBe(0);
    }
    // the same filter on the export is refused with a coded error, before any byte of a file
    const error = await refused(coordinator, { method: 'GET', url: '/api/exports/matrix?format=xlsx&lang=en&body=CRC' }, 422, 'empty_selection');
    expect(error.message).toMatch(/nothing to export/);
  });
});
