/**
 * Issue 13, step 7: UPR Info issues never become English-only themes. Real rows of the shared UPR Info export (every
 * one of its 54 issues, and Kuwait's review) are imported once per engine:
 * - with the default mapping seeded by migration 026, every issue links a theme with its Arabic name;
 * - an issue with no mapping (a coordinator removed it) and no theme of that name is reported with its record
 *   count, and its recommendations are imported without it: no theme is made from the bare label;
 * - mapping it then (the existing mapping API) and importing again links it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UPR_INFO_ISSUES } from '../../src/db/migrations/2026-12-05-026-upr-issue-mappings.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';
import { upload } from '../helpers/imports.ts';
import { describeWithSharedData, sharedDataPath } from '../helpers/shared-data.ts';

type Row = Record<string, string>;
const issuesOf = (r: Row) =>
  (r.Issue ?? '')
    .split(',')
    .map((i) => i.trim())
    .filter(Boolean);

/** Kuwait's rows, then for each issue not yet seen the first row of the export carrying it: all 54 issues, real rows. */
function sampleRows(): { rows: Row[]; header: string[] } {
  const text = fs.readFileSync(sharedDataPath('upr-info', 'upr-info-sessions-1-20.csv'), 'utf8');
  const all = parseCsv(text, { columns: true }) as Row[];
  const header = Object.keys(all[0]!);
  const rows = all.filter((r) => r.To === 'Kuwait');
  const seen = new Set(rows.flatMap(issuesOf));
  for (const r of all) {
    if (r.To === 'Kuwait' || !r.Text?.trim()) continue;
    if (issuesOf(r).some((i) => !seen.has(i))) {
      rows.push(r);
      issuesOf(r).forEach((i) => seen.add(i));
    }
  }
  return { rows, header };
}

function toCsv(header: string[], rows: Row[]): Buffer {
  const q = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from([header.join(','), ...rows.map((r) => header.map((h) => q(r[h] ?? '')).join(','))].join('\n'), 'utf8');
}

describeWithSharedData('UPR Info issues onto bilingual themes', () => {
  describeEachEngine('no English-only themes from UPR Info issues', (engine) => {
    let h: Harness;
    let c: TestClient;
    const { rows, header } = sampleRows();
    const file = toCsv(header, rows);
    const carrying = (issue: string) => rows.filter((r) => issuesOf(r).includes(issue)).length;
    const themes = () => h.database.db.selectFrom('terms').select(['id', 'code', 'label_ar', 'label_en']).where('kind', '=', 'theme').execute();
    const linked = async (termId: string) =>
      Number((await h.database.db.selectFrom('recommendation_terms').select((eb) => eb.fn.countAll<number>().as('n')).where('term_id', '=', termId).executeTakeFirstOrThrow()).n);
    const mapping = async (label: string) =>
      ((await c.request({ method: 'GET', url: '/api/imports/theme-mappings?source=upr-info' })).json().items as any[]).find((m) => m.label === label.toLowerCase());

    beforeAll(async () => {
      h = await createHarness(engine, { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-upr-themes-')) });
      c = await h.loginAs('coordinator');
    });
    afterAll(() => closeHarness(h));

    it('ships a default mapping for every issue of the export, each onto a theme with an Arabic and an English name', async () => {
      const issues = new Set(rows.flatMap(issuesOf));
      expect(issues.size).toBe(54);
      const items = (await c.request({ method: 'GET', url: '/api/imports/theme-mappings?source=upr-info' })).json().items as any[];
      for (const issue of issues) {
        const m = items.find((i) => i.label === issue.toLowerCase());
        expect(m, issue).toBeDefined();
        expect(m.defaultTheme.labelAr, issue).toMatch(/[\u0600-\u06ff]/);
        expect(m.defaultTheme.labelAr, issue).not.toMatch(/[A-Za-z]/);
        expect(m.defaultTheme.labelEn, issue).toBeTruthy();
      }
      expect(items.length).toBe(UPR_INFO_ISSUES.length);
    });

    it('reports an issue with no mapping, imports its recommendations without it, and links it once mapped', async () => {
      // a coordinator removes the default mapping of "Labour": the register has no theme of that name either
      const labour = await mapping('Labour');
      expect((await c.request({ method: 'DELETE', url: `/api/imports/theme-mappings/upr-info/Labour?version=${labour.version}` })).statusCode).toBe(204);

      const preview = await upload(h, c, 'upr-info-csv', 'upr-sample.csv', file);
      expect(preview.status).toBe('succeeded');
      expect(preview.result).toMatchObject({ dryRun: true, total: rows.length, new: rows.length, invalid: 0, mappedThemes: 53 });
      expect(preview.result.unmappedThemes).toEqual([{ source: 'upr-info', label: 'Labour', records: carrying('Labour') }]);
      expect(carrying('Labour')).toBeGreaterThan(0);
      expect(await themes()).toEqual([]); // a preview writes nothing

      const done = await upload(h, c, 'upr-info-csv', 'upr-sample.csv', file, { dryRun: 'false' });
      expect(done.result).toMatchObject({ dryRun: false, new: rows.length, invalid: 0, termsCreated: 53 });
      expect(done.result.unmappedThemes).toEqual([{ source: 'upr-info', label: 'Labour', records: carrying('Labour') }]);

      // every theme has its Arabic name; none is the bare issue label
      const all = await themes();
      expect(all).toHaveLength(53);
      for (const t of all) {
        expect(t.label_ar, t.code).toMatch(/[\u0600-\u06ff]/);
        expect(t.label_en, t.code).toBeTruthy();
      }
      expect(all.find((t) => /labour/i.test(`${t.code} ${t.label_en}`))).toBeUndefined();
      // each issue's recommendations carry its theme: as many as the file's rows that name the issue
      for (const [issue, code] of UPR_INFO_ISSUES.slice(0, 54)) {
        if (issue === 'Labour') continue;
        const t = all.find((x) => x.code === code)!;
        expect(t, issue).toBeDefined();
        // two issues never share a code among the 54, so the counts are the issue's own
        expect(await linked(t.id), issue).toBe(carrying(issue));
      }
      // the seeded mappings now name the themes they created
      expect((await mapping("Women's rights")).theme).toMatchObject({ code: 'women-rights', labelAr: 'حقوق المرأة' });
      expect((await mapping("Women's rights")).defaultTheme).toBeNull();
      const recs = Number((await h.database.db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      expect(recs).toBe(rows.length);

      // mapped by hand onto an existing theme: the next import links it, and nothing is reported unmapped
      const migrants = all.find((t) => t.code === 'migrants')!;
      const put = await c.request({ method: 'PUT', url: '/api/imports/theme-mappings/upr-info/Labour', payload: { termId: migrants.id } });
      expect(put.statusCode, put.body).toBe(200);
      const again = await upload(h, c, 'upr-info-csv', 'upr-sample.csv', file, { dryRun: 'false' });
      expect(again.result).toMatchObject({ new: 0, invalid: 0, termsCreated: 0, mappedThemes: 54, unmappedThemes: [] });
      const both = rows.filter((r) => issuesOf(r).includes('Labour') || issuesOf(r).includes('Migrants')).length;
      expect(await linked(migrants.id)).toBe(both);
      expect(await themes()).toHaveLength(53);
    }, 120_000);
  });
});
