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
import { upload } from '../helpers/imports.ts';
import { describeWithSharedData, sharedDataPath } from '../helpers/shared-data.ts';
import { simulatePdfText } from '../helpers/pdf-text.ts';
import { parse as parseCsv } from 'csv-parse/sync';
import { reviewReportText } from '../../src/imports/report-text.ts';

const kuwaitPdfText = () => {
  const raw = fs.readFileSync(sharedDataPath('wg-reports', 'kuwait2010-A_HRC_15_15.txt'));
  return Buffer.from(simulatePdfText(raw, { symbol: 'A/HRC/15/15', pageLines: 38 }), 'utf8');
};

/**
 * The Kuwait rows (and a few of Kenya's) of the shared UPR Info export rewritten in the newer layout: BOM,
 * semicolons, `SuR;Rgrp;Org;Recommendation;RS;RS-Rgrp;RS-Org;Response;Action;Issue;Session`.
 */
function newerLayout(): Buffer {
  const rows = parseCsv(fs.readFileSync(sharedDataPath('upr-info', 'upr-info-sessions-1-20.csv')), { columns: true }) as Record<string, string>[];
  const kept = rows.filter((r) => r.To === 'Kuwait' || (r.To === 'Kenya' && r.Session === '8'));
  const q = (v: string) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = ['SuR;Rgrp;Org;Recommendation;RS;RS-Rgrp;RS-Org;Response;Action;Issue;Session'];
  for (const r of kept) lines.push([r.To, r['To-Rgrp'], r['To-Org'], r.Text, r.From, r['From-Rgrp'], r['From-Org'], r.Response, r.Action, r.Issue, r.Session].map((v) => q(v ?? '')).join(';'));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n'), 'utf8')]);
}

const AR_DIGITS = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));

/**
 * An Arabic text laid out as the Arabic edition of the Kuwait report is (heading, "79-" intro paragraphs, "79-1"
 * numbers, Arabic state names in parentheses, Arabic semicolons), with one made-up Arabic sentence per paragraph:
 * the test is about attaching by paragraph, not about the translation. `drop` / `extra`: paragraphs to leave out
 * or to add.
 */
function arabicKuwait(opts: { drop?: string[]; extra?: string[] } = {}): Buffer {
  const en = reviewReportText(fs.readFileSync(sharedDataPath('wg-reports', 'kuwait2010-A_HRC_15_15.txt')), { symbol: 'A/HRC/15/15' });
  const lines = ['تقرير الفريق العامل المعني بالاستعراض الدوري الشامل', 'الكويت', 'ثانياً - الاستنتاجات و/أو التوصيات'];
  let top = '';
  const paras = [...en.records.map((r) => r.paragraph!), ...(opts.extra ?? [])];
  for (const p of paras) {
    if (opts.drop?.includes(p)) continue;
    const [a, b] = p.split('.');
    if (a !== top) {
      top = a!;
      lines.push(`${AR_DIGITS(a!)}- نظرت الكويت في التوصيات المقدمة أثناء الحوار التفاعلي والتوصيات الواردة أدناه:`);
    }
    lines.push(`${AR_DIGITS(a!)}-${AR_DIGITS(b!)} نص التوصية العربي للفقرة ${p} بشأن حقوق الإنسان (شيلي، الجمهورية التشيكية)؛`);
  }
  lines.push('ثالثاً - التعهدات والالتزامات الطوعية');
  return Buffer.from(lines.join('\n'), 'utf8');
}

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

  describeEachEngine('UPR Info exports as people have them', (engine) => {
    let h: Harness;
    let c: TestClient;
    beforeAll(async () => {
      h = await createHarness(engine, { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-real-')) });
      c = await h.loginAs('coordinator');
    });
    afterAll(() => closeHarness(h));

    it('reads the newer layout (BOM, semicolons, SuR/RS/Recommendation) with a country filter, and maps issues onto existing themes', async () => {
      const women = (await c.request({ method: 'POST', url: '/api/taxonomies/theme', payload: { code: 'women-rights', label_ar: 'حقوق المرأة', label_en: "Women's rights" } })).json();
      const torture = (await c.request({ method: 'POST', url: '/api/taxonomies/theme', payload: { code: 'torture', label_ar: 'التعذيب', label_en: 'Torture and cruel treatment' } })).json();
      // UPR Info's name for it differs: the seeded default mapping (migration 026) designates the theme coded
      // "torture"; a coordinator links it by hand (sending the version read)
      const seeded = (await c.request({ method: 'GET', url: '/api/imports/theme-mappings?source=upr-info' })).json().items.find((m: { label: string }) => m.label === 'torture and other cid treatment');
      expect(seeded).toMatchObject({ termId: null, version: 1, defaultTheme: { code: 'torture' } });
      const put = await c.request({ method: 'PUT', url: `/api/imports/theme-mappings/upr-info/${encodeURIComponent('Torture and other CID treatment')}`, payload: { termId: torture.id, version: 1 } });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({ label: 'torture and other cid treatment', termId: torture.id, version: 2, defaultTheme: null });
      const stale = await c.request({ method: 'PUT', url: `/api/imports/theme-mappings/upr-info/${encodeURIComponent('Torture and other CID treatment')}`, payload: { termId: null } });
      expect(stale.statusCode).toBe(409); // exists: a change must send the version read
      const wrong = await c.request({ method: 'PUT', url: `/api/imports/theme-mappings/upr-info/x`, payload: { termId: null, version: 7 } });
      expect(wrong.statusCode).toBe(404);
      const conflictRes = await c.request({ method: 'PUT', url: `/api/imports/theme-mappings/upr-info/${encodeURIComponent('torture and other CID treatment')}`, payload: { termId: torture.id, version: 5 } });
      expect(conflictRes.statusCode).toBe(409);
      expect(conflictRes.json().error.code).toBe('version_conflict');
      const badTheme = await c.request({ method: 'PUT', url: '/api/imports/theme-mappings/upr-info/Labour', payload: { termId: 'nope' } });
      expect(badTheme.json().error.code).toBe('unknown_theme');

      const file = newerLayout();
      const all = await upload(h, c, 'upr-info-csv', 'kuwait-new.csv', file);
      expect(all.status).toBe('succeeded');
      const kuwaitOnly = await upload(h, c, 'upr-info-csv', 'kuwait-new.csv', file, { country: 'kuwait', dryRun: 'false' });
      // Kuwait: its 160 recommendations and 8 voluntary pledges; Kenya's 166 rows left out
      expect(kuwaitOnly.result).toMatchObject({ total: 168, new: 168, invalid: 0 });
      expect(all.result.total).toBe(168 + 166);
      const docs = await h.database.db.selectFrom('documents').select(['symbol', 'country']).orderBy('symbol').execute();
      expect(docs).toEqual([
        { symbol: 'UPR/kuwait/S8', country: 'Kuwait' },
        { symbol: 'UPR/kuwait/S8/VP', country: 'Kuwait' },
      ]);

      // no English-only twin of the two themes the register has; the other issues' default themes come with their Arabic names
      const themes = await h.database.db.selectFrom('terms').select(['id', 'label_en', 'label_ar']).where('kind', '=', 'theme').execute();
      expect(themes.filter((t) => /women|torture/i.test(t.label_en ?? ''))).toHaveLength(2);
      for (const t of themes) expect(t.label_ar, t.label_en ?? '').toMatch(/[\u0600-\u06ff]/);
      const linked = async (termId: string) =>
        Number((await h.database.db.selectFrom('recommendation_terms').select((eb) => eb.fn.countAll<number>().as('n')).where('term_id', '=', termId).executeTakeFirstOrThrow()).n);
      expect(await linked(women.id)).toBeGreaterThanOrEqual(15);
      expect(await linked(torture.id)).toBeGreaterThanOrEqual(1);
      const kuwaitIssues = new Set(
        (parseCsv(fs.readFileSync(sharedDataPath('upr-info', 'upr-info-sessions-1-20.csv')), { columns: true }) as Record<string, string>[])
          .filter((r) => r.To === 'Kuwait')
          .flatMap((r) => r.Issue!.split(',').map((i) => i.trim()).filter(Boolean)),
      );
      expect(kuwaitOnly.result.mappedThemes).toBe(kuwaitIssues.size);
      expect(kuwaitOnly.result.unmappedThemes).toEqual([]);

      const none = await upload(h, c, 'upr-info-csv', 'kuwait-new.csv', file, { country: 'Atlantis' });
      expect(none.status).toBe('failed');
      expect(none.error).toMatchObject({ code: 'country_not_in_file' });
      expect(none.error.message_ar).toBeTruthy();

      const list = (await c.request({ method: 'GET', url: '/api/imports/theme-mappings?source=upr-info' })).json();
      expect(list.items).toContainEqual(expect.objectContaining({ label: 'torture and other cid treatment', theme: expect.objectContaining({ labelAr: 'التعذيب' }) }));
      const del = await c.request({ method: 'DELETE', url: `/api/imports/theme-mappings/upr-info/${encodeURIComponent('Torture and other CID treatment')}?version=2` });
      expect(del.statusCode).toBe(204);
      const audit = await h.database.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'theme_mapping').execute();
      expect(audit.map((a) => a.action)).toEqual(['theme_mapping.save', 'theme_mapping.delete']);
    });
  });

  describeEachEngine('second language by paragraph', (engine) => {
    let h: Harness;
    let c: TestClient;
    beforeAll(async () => {
      h = await createHarness(engine, { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-real-')) });
      c = await h.loginAs('coordinator');
    });
    afterAll(() => closeHarness(h));

    const rec = (para: string) =>
      h.database.db.selectFrom('recommendations').select(['text_ar', 'text_en', 'recommending_states', 'original_lang', 'version']).where('external_id', '=', `A/HRC/15/15#${para}`).executeTakeFirstOrThrow();

    it('attaches the Arabic text of each paragraph to the English recommendation; mismatching files are refused whole', async () => {
      const en = await upload(h, c, 'report-text', 'kuwait.txt', fs.readFileSync(sharedDataPath('wg-reports', 'kuwait2010-A_HRC_15_15.txt')), { symbol: 'A/HRC/15/15', dryRun: 'false' });
      expect(en.result).toMatchObject({ new: 159 });
      const before = await rec('79.95');

      // one paragraph the register does not hold, one held paragraph missing: listed, nothing written
      const bad = await upload(h, c, 'report-text', 'kuwait-ar.txt', arabicKuwait({ drop: ['79.5'], extra: ['82.21'] }), { symbol: 'A/HRC/15/15', lang: 'ar', dryRun: 'false' });
      expect(bad.status).toBe('failed');
      expect(bad.error).toMatchObject({ code: 'second_language_mismatch', status: 422 });
      expect(bad.error.message_ar).toBeTruthy();
      expect(bad.error.details.issues.map((i: { code: string; message: string }) => [i.code, /(\d+\.\d+)/.exec(i.message)?.[1]])).toEqual([
        ['paragraph_not_held', '82.21'],
        ['paragraph_not_in_file', '79.5'],
      ]);
      expect((await rec('79.95')).text_ar).toBeNull();

      const preview = await upload(h, c, 'report-text', 'kuwait-ar.txt', arabicKuwait(), { symbol: 'A/HRC/15/15', lang: 'ar' });
      expect(preview.result).toMatchObject({ total: 159, new: 0, updated: 159, invalid: 0 });
      const done = await upload(h, c, 'report-text', 'kuwait-ar.txt', arabicKuwait(), { symbol: 'A/HRC/15/15', lang: 'ar', dryRun: 'false' });
      expect(done.result).toMatchObject({ new: 0, updated: 159 });
      const after = await rec('79.95');
      expect(after.text_ar).toBe('نص التوصية العربي للفقرة 79.95 بشأن حقوق الإنسان');
      expect(after.text_en).toBe(before.text_en);
      expect(after.recommending_states).toBe(before.recommending_states); // the English names stay
      expect(after.original_lang).toBe('en');
      expect(after.version).toBe(before.version + 1);
      const count = await h.database.db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(159);
      const again = await upload(h, c, 'report-text', 'kuwait-ar.txt', arabicKuwait(), { symbol: 'A/HRC/15/15', lang: 'ar', dryRun: 'false' });
      expect(again.result).toMatchObject({ new: 0, updated: 0, unchanged: 159 });
    });
  });

  describeEachEngine('one record per recommendation', (engine) => {
    let h: Harness;
    let c: TestClient;
    beforeAll(async () => {
      h = await createHarness(engine, { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-real-')) });
      c = await h.loginAs('coordinator');
    });
    afterAll(() => closeHarness(h));

    const count = async () => Number((await h.database.db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const row = (id: string) => h.database.db.selectFrom('recommendations').selectAll().where('id', '=', id).executeTakeFirst();
    const reportText = () => fs.readFileSync(sharedDataPath('wg-reports', 'kuwait2010-A_HRC_15_15.txt'));

    it('report text and UPR Info end as one record each after merge; re-importing either source changes nothing; unmerge restores both', async () => {
      expect((await upload(h, c, 'report-text', 'kuwait.txt', reportText(), { symbol: 'A/HRC/15/15', dryRun: 'false' })).result).toMatchObject({ new: 159 });
      const preview = await upload(h, c, 'upr-info-csv', 'upr.csv', newerLayout(), { country: 'Kuwait' });
      expect(preview.result).toMatchObject({ new: 168, matchCount: 160 });
      expect(preview.result.matches[0]).toMatchObject({ existing: { symbol: 'A/HRC/15/15' } });
      expect(preview.result.matches[0].similarity).toBeGreaterThanOrEqual(0.8);
      expect((await upload(h, c, 'upr-info-csv', 'upr.csv', newerLayout(), { country: 'Kuwait', dryRun: 'false' })).result).toMatchObject({ new: 168 });
      expect(await count()).toBe(159 + 168);

      const list = (await c.request({ method: 'GET', url: '/api/recommendations/duplicates?country=Kuwait&limit=500' })).json();
      expect(list.total).toBe(160);
      for (const p of list.items) {
        expect(p.a.symbol).toBe('A/HRC/15/15');
        expect(p.b.symbol).toBe('UPR/kuwait/S8');
      }
      // local work on a UPR Info record before the merge: a status and its history
      const b0 = list.items.find((p: { a: { paragraph: string } }) => p.a.paragraph === '79.1').b;
      await h.database.db.updateTable('recommendations').set({ status: 'in_progress' }).where('id', '=', b0.id).execute();
      await h.database.db.insertInto('status_history').values({ id: 'sh-test-1', recommendation_id: b0.id, from_status: 'not_started', to_status: 'in_progress', reason: null, changed_by: null, changed_at: new Date().toISOString() }).execute();

      for (const p of list.items) {
        const [a, b] = [await row(p.a.id), await row(p.b.id)];
        const res = await c.request({ method: 'POST', url: '/api/recommendations/merge', payload: { survivorId: a!.id, survivorVersion: a!.version, mergedId: b!.id, mergedVersion: b!.version } });
        expect(res.statusCode, res.body).toBe(200);
      }
      expect(await count()).toBe(159 + 8); // one record per recommendation, and UPR Info's 8 pledges
      const survivor = list.items.find((p: { a: { paragraph: string } }) => p.a.paragraph === '79.1').a;
      expect(await row(survivor.id)).toMatchObject({ status: 'in_progress' });
      expect((await h.database.db.selectFrom('status_history').select('recommendation_id').where('id', '=', 'sh-test-1').executeTakeFirstOrThrow()).recommendation_id).toBe(survivor.id);
      const twice = (await c.request({ method: 'GET', url: '/api/recommendations/duplicates?country=Kuwait' })).json();
      expect(twice.total).toBe(0);

      // re-importing either source finds the one record and changes nothing
      expect((await upload(h, c, 'report-text', 'kuwait.txt', reportText(), { symbol: 'A/HRC/15/15', dryRun: 'false' })).result).toMatchObject({ new: 0, updated: 0, unchanged: 159 });
      expect((await upload(h, c, 'upr-info-csv', 'upr.csv', newerLayout(), { country: 'Kuwait', dryRun: 'false' })).result).toMatchObject({ new: 0, updated: 0, unchanged: 168 });
      expect(await count()).toBe(167);

      // two different states' recommendations are never one
      expect((await upload(h, c, 'upr-info-csv', 'upr.csv', newerLayout(), { country: 'Kenya', dryRun: 'false' })).result).toMatchObject({ new: 166 });
      const kenya = await h.database.db.selectFrom('recommendations as r').innerJoin('documents as d', 'd.id', 'r.document_id').select(['r.id', 'r.version']).where('d.country', '=', 'Kenya').executeTakeFirstOrThrow();
      const s1 = (await row(survivor.id))!;
      const cross = await c.request({ method: 'POST', url: '/api/recommendations/merge', payload: { survivorId: s1.id, survivorVersion: s1.version, mergedId: kenya.id, mergedVersion: kenya.version } });
      expect(cross.statusCode).toBe(422);
      expect(cross.json().error.code).toBe('merge_different_states');
      const stale = await c.request({ method: 'POST', url: '/api/recommendations/merge', payload: { survivorId: s1.id, survivorVersion: s1.version - 1, mergedId: kenya.id, mergedVersion: kenya.version } });
      expect(stale.json().error.code).toBe('version_conflict');

      // unmerge: both records back, the local work with the record it was done on
      const merges = (await c.request({ method: 'GET', url: `/api/recommendations/${survivor.id}/merges` })).json();
      expect(merges.items).toHaveLength(1);
      expect(merges.items[0].merged.id).toBe(b0.id);
      const undo = await c.request({ method: 'POST', url: `/api/recommendations/merges/${merges.items[0].id}/unmerge` });
      expect(undo.statusCode).toBe(200);
      expect(await row(b0.id)).toMatchObject({ status: 'in_progress', external_id: b0.externalId });
      expect(await row(survivor.id)).toMatchObject({ status: 'not_started' });
      expect((await h.database.db.selectFrom('status_history').select('recommendation_id').where('id', '=', 'sh-test-1').executeTakeFirstOrThrow()).recommendation_id).toBe(b0.id);
      expect((await c.request({ method: 'POST', url: `/api/recommendations/merges/${merges.items[0].id}/unmerge` })).json().error.code).toBe('already_unmerged');
      expect((await upload(h, c, 'upr-info-csv', 'upr.csv', newerLayout(), { country: 'Kuwait', dryRun: 'false' })).result).toMatchObject({ new: 0, updated: 0, unchanged: 168 });
      expect(await count()).toBe(167 + 1 + 166);

      // kept apart: no longer proposed
      const again = (await c.request({ method: 'GET', url: '/api/recommendations/duplicates?country=Kuwait' })).json();
      expect(again.total).toBe(1);
      expect((await c.request({ method: 'POST', url: '/api/recommendations/duplicates/keep-apart', payload: { aId: survivor.id, bId: b0.id } })).statusCode).toBe(204);
      expect((await c.request({ method: 'GET', url: '/api/recommendations/duplicates?country=Kuwait' })).json().total).toBe(0);
      const audit = await h.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'recommendation.%merge%').execute();
      expect(audit.filter((a) => a.action === 'recommendation.merge')).toHaveLength(160);
      expect(audit.filter((a) => a.action === 'recommendation.unmerge')).toHaveLength(1);
    }, 180_000);
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
