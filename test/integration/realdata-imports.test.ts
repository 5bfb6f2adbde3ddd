/**
 * Issue 13, the import half, on the real shared data, once per engine: report text copied from a PDF imports every
 * numbered paragraph (counted and checked in the preview).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';
import { describeWithSharedData, sharedDataPath } from '../helpers/shared-data.ts';
import { simulatePdfText } from '../helpers/pdf-text.ts';

type Run = { id: string; status: string; dryRun: boolean; result: any; error: any };

export async function upload(h: Harness, c: TestClient, format: string, filename: string, bytes: Buffer, query: Record<string, string> = {}): Promise<Run> {
  const qs = new URLSearchParams({ format, filename, ...query });
  const res = await c.request({ method: 'POST', url: `/api/imports?${qs}`, headers: { 'content-type': 'application/octet-stream' }, payload: bytes });
  if (res.statusCode !== 202) return { id: '', status: `http-${res.statusCode}`, dryRun: true, result: null, error: res.json().error };
  await h.app.importRuns.inFlight.get(res.json().id);
  return (await c.request({ method: 'GET', url: `/api/imports/${res.json().id}` })).json();
}

const kuwaitPdfText = () => {
  const raw = fs.readFileSync(sharedDataPath('wg-reports', 'kuwait2010-A_HRC_15_15.txt'));
  return Buffer.from(simulatePdfText(raw, { symbol: 'A/HRC/15/15', pageLines: 38 }), 'utf8');
};

describeWithSharedData('real data imports', () => {
  describeEachEngine('report text copied from a PDF', (engine) => {
    let h: Harness;
    let c: TestClient;
    beforeAll(async () => {
      h = await createHarness(engine, { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-real-')) });
      c = await h.loginAs('coordinator');
    });
    afterAll(() => closeHarness(h));

    it('previews the count of numbered paragraphs checked against the numbering, then imports every one', async () => {
      const preview = await upload(h, c, 'report-text', 'A_HRC_15_15.txt', kuwaitPdfText());
      expect(preview.status).toBe('succeeded');
      expect(preview.result).toMatchObject({ total: 159, new: 159, invalid: 0 });
      expect(preview.result.report.paragraphs).toMatchObject({ found: 159, imported: 159, gaps: [], duplicates: [], footnotesRemoved: 3 });
      expect(preview.result.report.notImported).toEqual([]);
      const done = await upload(h, c, 'report-text', 'A_HRC_15_15.txt', kuwaitPdfText(), { dryRun: 'false' });
      expect(done.result).toMatchObject({ new: 159, invalid: 0 });
      const doc = await h.database.db.selectFrom('documents').selectAll().where('symbol', '=', 'A/HRC/15/15').executeTakeFirstOrThrow();
      expect(doc).toMatchObject({ country: 'Kuwait', upr_session: 8, upr_cycle: 1, date: '2010-06-16' });
      const r95 = await h.database.db
        .selectFrom('recommendations')
        .select(['text_en', 'recommending_states'])
        .where('external_id', '=', 'A/HRC/15/15#79.95')
        .executeTakeFirstOrThrow();
      expect(r95.text_en).toBe('Take further necessary measures to protect the rights of foreign workers in general and domestic workers in particular');
      expect(JSON.parse(r95.recommending_states)).toEqual(['Indonesia']);
    });

    it('lists gaps, duplicates and paragraphs not imported with their numbers', async () => {
      const text = [
        'A/HRC/99/1',
        'Report of the Working Group on the Universal Periodic Review',
        'Utopia',
        'II. Conclusions and/or recommendations',
        '90. The following recommendations enjoy the support of Utopia:',
        '90.1. Ratify the Convention against Torture (Chile);',
        '90.2. The delegation thanked the States for their comments.',
        '90.2. Adopt a law on domestic workers (Brazil);',
        '90.4. Establish a national human rights institution (France);',
      ].join('\n');
      const run = await upload(h, c, 'report-text', 'utopia.txt', Buffer.from(text));
      expect(run.result).toMatchObject({ new: 2, invalid: 0 });
      expect(run.result.report.paragraphs).toMatchObject({ found: 4, imported: 2, gaps: ['90.3'], duplicates: ['90.2'] });
      expect(run.result.report.notImported.map((n: { paragraph: string }) => n.paragraph)).toEqual(['90.2', '90.2']);
    });
  });

  it('the CLI prints the paragraph count, gaps and duplicates', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-real-cli-'));
    try {
      const file = path.join(dir, 'kuwait-pdf.txt');
      fs.writeFileSync(file, kuwaitPdfText());
      const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/rasd.mjs');
      const r = spawnSync(process.execPath, [bin, 'import', 'report-text', file, '--dry-run'], {
        cwd: dir,
        env: { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}`, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('159 new');
      expect(r.stdout).toMatch(/Numbered paragraphs found: 159 — 159 imported, 0 not imported; gaps in the numbering: none; duplicates: none; 3 footnotes/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
