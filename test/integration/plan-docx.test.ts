import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/index.ts';
import { readZipEntries } from '../../src/imports/zip-guard.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/rasd.mjs');
const SHOTS = path.join(ROOT, 'test-results/screenshots');
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const part = async (buf: Buffer, name: string) => (await readZipEntries(buf, (n) => n === name)).get(name)!.toString('utf8');
const documentXml = (buf: Buffer) => part(buf, 'word/document.xml');
/** The text of the runs, without the XML (a title with numbers in it is several runs: Arabic ones and left-to-right ones). */
const plainText = (xml: string) => xml.replace(/<[^>]+>/g, '');
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const haveOffice = have('soffice') && have('pdftotext') && have('pdftoppm');
if (!haveOffice && process.env.CI === 'true') throw new Error('LibreOffice (soffice) and poppler-utils are required in CI for the plan document test.');

describeEachEngine('the plan document (DOCX)', (engine) => {
  let h: Harness;
  let viewer: TestClient;
  let plan: { id: string; title_ar: string; title_en: string };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-plan-docx-'));
  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.database.db);
    viewer = await h.login('viewer@rasd.example', DEMO_PASSWORD);
    plan = (await viewer.request({ method: 'GET', url: '/api/plans' })).json().items[0];
  });
  afterAll(async () => {
    await closeHarness(h);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports Arabic right to left: bidi paragraphs, rtl runs, a right-to-left table, an Arabic font, LTR symbols', async () => {
    const res = await viewer.request({ method: 'GET', url: `/api/plans/${plan.id}/export?format=docx&lang=ar` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(DOCX);
    expect(res.headers['content-disposition']).toBe('attachment; filename="action-plan-v1-ar.docx"');
    const xml = await documentXml(res.rawPayload);
    expect(plainText(xml)).toContain(plan.title_ar);
    expect(xml).toContain('المحتويات');
    expect(xml).toContain('ملحق: التوصيات التي تستجيب لها الخطة');
    // bidi paragraphs: headings and text in the document, the table cells' small paragraphs through their style
    expect(xml.match(/<w:bidi\/>/g)!.length).toBeGreaterThan(50);
    const smallStyle = /<w:style [^>]*w:styleId="RasdSmall"[^>]*>((?:(?!<\/w:style>)[\s\S])*)<\/w:style>/.exec(await part(res.rawPayload, 'word/styles.xml'));
    expect(smallStyle?.[1]).toContain('<w:bidi/>');
    expect(xml).toContain('<w:pStyle w:val="RasdSmall"/>');
    // the section itself is right-to-left (src/shared/docx-rtl.ts), its w:bidi before the document grid
    expect(xml).toMatch(/<w:sectPr[^>]*>(?:(?!<\/w:sectPr>)[\s\S])*<w:bidi\/><w:docGrid[^>]*\/><\/w:sectPr>/);
    expect(xml.match(/<w:rtl\/>/g)!.length).toBeGreaterThan(100);
    // a Latin word or number inside an Arabic title is a left-to-right run of its own: "P1" of the first pillar's heading
    expect(xml).toMatch(/<w:r><w:t xml:space="preserve">P1<\/w:t><\/w:r>/);
    expect(xml.match(/<w:bidiVisual\/>/g)!.length).toBe(7); // 6 objectives' action tables + the annex
    // the Arabic font and the bidi language are the document defaults
    const styles = await part(res.rawPayload, 'word/styles.xml');
    expect(styles).toMatch(/<w:rPrDefault><w:rPr><w:rFonts [^>]*w:cs="Noto Naskh Arabic"/);
    expect(styles).toContain('w:bidi="ar-SA"');
    expect(xml).toMatch(/\u200EA\/HRC\/59\/98 ¶139\.\d+\u200E/);
    expect(xml).toContain('PAGEREF pillar_1');
  });

  it('exports English left to right, refuses unknown formats and plans', async () => {
    const res = await viewer.request({ method: 'GET', url: `/api/plans/${plan.id}/export?format=docx&lang=en` });
    expect(res.statusCode).toBe(200);
    const xml = await documentXml(res.rawPayload);
    expect(plainText(xml)).toContain(plan.title_en);
    expect(xml).toContain('Annex: recommendations the plan answers');
    expect(xml).not.toContain('<w:bidi/>');
    expect(xml).not.toContain('<w:bidiVisual/>');
    const bad = await viewer.request({ method: 'GET', url: `/api/plans/${plan.id}/export?format=pdf` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect((await viewer.request({ method: 'GET', url: '/api/plans/nope/export' })).statusCode).toBe(404);
  });

  it('the CLI writes the same document: rasd plan export current --format docx --lang en', () => {
    const url = h.database.target.engine === 'sqlite' ? `sqlite:${h.database.target.file}` : h.database.target.url;
    const out = path.join(dir, 'plan-en.docx');
    const r = spawnSync(process.execPath, [BIN, 'plan', 'export', 'current', '--format', 'docx', '--lang', 'en', '--out', out], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    const bad = spawnSync(process.execPath, [BIN, 'plan', 'export', 'nope', '--out', out], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('rasd: No plan "nope".');
  });

  describe.skipIf(!haveOffice)('rendered by LibreOffice', () => {
    it('puts the first Arabic chapter heading against the right margin, and the English one against the left', async () => {
      for (const lang of ['ar', 'en'] as const) {
        const res = await viewer.request({ method: 'GET', url: `/api/plans/${plan.id}/export?format=docx&lang=${lang}` });
        const file = path.join(dir, `plan-${lang}.docx`);
        fs.writeFileSync(file, res.rawPayload);
        const conv = spawnSync('soffice', [`-env:UserInstallation=file://${dir}/lo-${lang}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], { encoding: 'utf8', timeout: 120_000 });
        expect(conv.status, conv.stderr).toBe(0);
        const pdf = path.join(dir, `plan-${lang}.pdf`);
        // page 3: the first chapter (page 1 is the cover, page 2 the contents)
        const bbox = spawnSync('pdftotext', ['-f', '3', '-l', '3', '-bbox', pdf, '-'], { encoding: 'utf8' }).stdout;
        const width = Number(/<page width="([\d.]+)"/.exec(bbox)![1]);
        const words = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((m) => ({ xMin: Number(m[1]), y: Number(m[2]), xMax: Number(m[3]), text: m[4]! }));
        const firstLine = words.filter((w) => Math.abs(w.y - words[0]!.y) < 1);
        const left = Math.min(...firstLine.map((w) => w.xMin));
        const right = Math.max(...firstLine.map((w) => w.xMax));
        const margin = 55; // 1100 twips
        if (lang === 'ar') {
          expect(firstLine.map((w) => w.text).join(' ')).toMatch(/[\u0600-\u06FF]/);
          expect(Math.abs(width - margin - right)).toBeLessThan(3);
          expect(left).toBeGreaterThan(width / 3);
          // "P1", the start of the heading, is its rightmost word
          expect(firstLine.find((w) => w.xMax === right)!.text).toBe('P1');
        } else {
          expect(Math.abs(left - margin)).toBeLessThan(3);
          expect(firstLine.find((w) => w.xMin === left)!.text).toBe('P1');
        }
        fs.mkdirSync(SHOTS, { recursive: true });
        const png = spawnSync('pdftoppm', ['-f', '3', '-l', '3', '-r', '60', '-png', '-singlefile', pdf, path.join(SHOTS, `plan-docx-${lang}-p3`)]);
        expect(png.status).toBe(0);
      }
    });
  });
});
