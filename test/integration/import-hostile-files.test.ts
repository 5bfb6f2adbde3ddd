/**
 * Issue 18, items 3 and 4, through the real HTTP app on both engines: a 1 MB CSV with a 100,000-column header, damaged
 * .xlsx/.docx files and 10 MB text cells are each refused with a short coded 4xx error naming the part / row, the
 * server keeps answering, and nothing is written. A file that needs more memory than the parse worker may use ends
 * that worker only (file_too_complex). The CLI prints the same coded reason on one line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUhriJson, buildUhriXlsx, makeZip } from '../../bench/gen-uhri.ts';
import { readZipEntries } from '../../src/imports/zip-guard.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';
import { describeWithSharedData, hasSharedData, sharedDataPath } from '../helpers/shared-data.ts';

type RunError = { status: number; code: string; message: string; message_ar?: string; details?: { issues: { row?: number; field?: string; code: string }[] } };
type Run = { id: string; status: string; error: RunError | null; result: unknown; bodyBytes: number };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-hostile-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const UPR_HEADER = ['To', 'To-Rgrp', 'To-Org', 'Text', 'From', 'From-Rgrp', 'From-Org', 'Response', 'Action', 'Issue', 'Session'];
const UPR_ROW = 'Kuwait,Asia,,Ratify the Convention,France,WEOG,,Accepted,5,Women,8';

/** The file of issue 18: a 100,000-column header (about 1 MB), then 947 ordinary rows. */
function wideUprCsv(): Buffer {
  const header = [...UPR_HEADER];
  for (let i = header.length; i < 100_000; i++) header.push(`Column number ${i}`);
  return Buffer.from([header.join(','), ...Array.from({ length: 947 }, () => UPR_ROW)].join('\n'));
}

function words(bytes: number): string {
  let seed = 11;
  const out: string[] = [];
  for (let n = 0; n < bytes; ) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const w = seed.toString(36).slice(0, 6);
    out.push(w);
    n += w.length + 1;
  }
  return out.join(' ');
}

async function rezip(zip: Buffer, edit: (name: string, data: Buffer) => Buffer | null): Promise<Buffer> {
  const files: Record<string, Buffer> = {};
  for (const [name, data] of await readZipEntries(zip, () => true)) {
    const out = edit(name, data);
    if (out) files[name] = out;
  }
  return makeZip(files);
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const wRow = (cells: string[]) => `<w:tr>${cells.map((c) => `<w:tc><w:p><w:r><w:t>${c}</w:t></w:r></w:p></w:tc>`).join('')}</w:tr>`;
/** A real OHCHR thematic list from ../shared/data; without that folder (a fresh clone) a small one made here. */
function thematicDocx(): Buffer {
  if (hasSharedData) return fs.readFileSync(sharedDataPath('ohchr-thematic-lists', 'slovenia-cycle3-UPR34.docx'));
  const rows = Array.from({ length: 12 }, (_, i) => wRow([`12.${i + 1}. Ratify convention number ${i} (France);`, 'Supported', 'A12 Acceptance of international norms']));
  return makeZip({
    '[Content_Types].xml': '<Types/>',
    'word/document.xml': `<?xml version="1.0"?><w:document ${W}><w:body><w:tbl>${wRow(['Recommendation', 'Position', 'Full list of themes'])}${rows.join('')}</w:tbl></w:body></w:document>`,
  });
}

const uhriXlsx = () => buildUhriXlsx({ records: JSON.parse(buildUhriJson({ count: 6, seed: 5, useSharedData: false }).toString('utf8')) });

async function upload(c: TestClient, h: Harness, format: string, filename: string, bytes: Buffer, query: Record<string, string> = {}): Promise<Run> {
  const qs = new URLSearchParams({ format, filename, ...query });
  const res = await c.request({ method: 'POST', url: `/api/imports?${qs}`, headers: { 'content-type': 'application/octet-stream' }, payload: bytes });
  expect(res.statusCode).toBe(202);
  const id = (res.json() as { id: string }).id;
  await h.app.importRuns.inFlight.get(id);
  const got = await c.request({ method: 'GET', url: `/api/imports/${id}` });
  expect(got.statusCode).toBe(200);
  return { ...(got.json() as Omit<Run, 'bodyBytes'>), bodyBytes: Buffer.byteLength(got.body) };
}

async function counts(h: Harness): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['recommendations', 'documents', 'terms', 'recommendation_terms', 'recommendation_search'] as const) {
    const r = await h.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

function expectCoded(run: Run, code: string): RunError {
  expect(run.status).toBe('failed');
  const e = run.error!;
  expect(e.code).toBe(code);
  expect(e.status).toBeGreaterThanOrEqual(400);
  expect(e.status).toBeLessThan(500);
  expect(e.message_ar).toBeTruthy();
  expect(run.bodyBytes).toBeLessThan(4096);
  return e;
}

describeEachEngine('hostile import files', (engine) => {
  let h: Harness;
  let c: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine, { DATA_DIR: fs.mkdtempSync(path.join(dir, 'data-')) });
    c = await h.loginAs('coordinator');
  });
  afterAll(() => closeHarness(h));

  it('refuses the 100,000-column UPR Info CSV (preview and import) with a short coded 422, and keeps answering', async () => {
    const before = await counts(h);
    const file = wideUprCsv();
    expect(file.length).toBeGreaterThan(1_000_000);
    for (const dryRun of ['true', 'false']) {
      const run = await upload(c, h, 'upr-info-csv', 'wide.csv', file, { dryRun });
      const e = expectCoded(run, 'too_many_columns');
      expect(e.status).toBe(422);
      expect(e.message).toMatch(/more than 500 columns/);
      expect(e.message).not.toContain('Column number 99999');
      expect((await h.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    }
    // the generic csv importer and the mapping editor's sample reader refuse it the same way
    expectCoded(await upload(c, h, 'csv', 'wide.csv', file, { mapping: 'morocco-didh' }), 'too_many_columns');
    const sample = await c.request({ method: 'POST', url: '/api/imports/mappings/sample?format=csv', headers: { 'content-type': 'application/octet-stream' }, payload: file });
    expect(sample.statusCode).toBe(422);
    expect(sample.json().error.code).toBe('too_many_columns');
    expect(sample.body.length).toBeLessThan(4096);
    expect(await counts(h)).toEqual(before);
  });

  it('refuses a 100,000-column entities CSV with a short coded 422', async () => {
    const header = ['code', 'name_ar', 'name_en', ...Array.from({ length: 100_000 }, (_, i) => `extra ${i}`)];
    const res = await c.request({
      method: 'POST',
      url: '/api/entities/import?dryRun=true',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(`${header.join(',')}\nMOI,وزارة الداخلية,Ministry of Interior\n`),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('too_many_columns');
    expect(res.body.length).toBeLessThan(4096);
    const missing = await c.request({
      method: 'POST',
      url: '/api/entities/import?dryRun=true',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(`${Array.from({ length: 40 }, (_, i) => `col${i}`).join(',')}\n${'x,'.repeat(39)}x\n`),
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('missing_column');
    expect(missing.body.length).toBeLessThan(1024);
  });

  it('names the damaged part of an .xlsx or .docx, with a coded 4xx', async () => {
    const before = await counts(h);
    const xlsx = await uhriXlsx();
    const docx = thematicDocx();
    const cases: [string, string, Buffer, string, string | undefined][] = [
      ['uhri-xlsx', 'cut.xlsx', xlsx.subarray(0, Math.floor(xlsx.length * 0.7)), 'invalid_zip', undefined],
      ['ohchr-docx', 'cut.docx', docx.subarray(0, Math.floor(docx.length * 0.6)), 'invalid_zip', undefined],
      ['uhri-xlsx', 'noworkbook.xlsx', await rezip(xlsx, (n, d) => (n === 'xl/workbook.xml' ? null : d)), 'bad_xlsx', 'xl/workbook.xml'],
      ['xlsx', 'noworkbook.xlsx', await rezip(xlsx, (n, d) => (n === 'xl/workbook.xml' ? null : d)), 'bad_xlsx', 'xl/workbook.xml'],
      ['uhri-xlsx', 'entity.xlsx', await rezip(xlsx, (n, d) => (n === 'xl/sharedStrings.xml' ? Buffer.from(d.toString('utf8').replace('<t>', '<t>&bogus;')) : d)), 'bad_xml', 'xl/sharedStrings.xml'],
      [
        'uhri-xlsx',
        'flipped.xlsx',
        await rezip(xlsx, (n, d) => {
          if (n !== 'xl/worksheets/sheet1.xml') return d;
          const b = Buffer.from(d);
          const at = b.indexOf('</c>', b.indexOf('<row r="4"')) + 2;
          b[at] = b[at]! ^ 0x07;
          return b;
        }),
        'bad_xml',
        'xl/worksheets/sheet1.xml',
      ],
      ['uhri-xlsx', 'cutsheet.xlsx', await rezip(xlsx, (n, d) => (n === 'xl/worksheets/sheet1.xml' ? d.subarray(0, d.indexOf('<row r="5"')) : d)), 'bad_xml', 'xl/worksheets/sheet1.xml'],
      ['ohchr-docx', 'entity.docx', await rezip(docx, (n, d) => (n === 'word/document.xml' ? Buffer.from(d.toString('utf8').replace('<w:t>', '<w:t>&nbsp;')) : d)), 'bad_xml', 'word/document.xml'],
      ['ohchr-docx', 'cutxml.docx', await rezip(docx, (n, d) => (n === 'word/document.xml' ? d.subarray(0, Math.floor(d.length / 2)) : d)), 'bad_xml', 'word/document.xml'],
      [
        'ohchr-docx',
        'flipped.docx',
        await rezip(docx, (n, d) => {
          if (n !== 'word/document.xml') return d;
          const b = Buffer.from(d);
          const at = b.indexOf('</w:tc>', Math.floor(b.length / 3)) + 4;
          b[at] = b[at]! ^ 0x01; // "</w:tc>" → "</w:tb>"
          return b;
        }),
        'bad_xml',
        'word/document.xml',
      ],
    ];
    for (const [format, filename, bytes, code, part] of cases) {
      const run = await upload(c, h, format, filename, bytes, format === 'xlsx' ? { mapping: 'morocco-didh' } : {});
      const e = expectCoded(run, code);
      if (part) {
        expect(e.message, filename).toContain(part);
        expect(e.details?.issues[0]?.field, filename).toBe(part);
      }
    }
    const flipped = await upload(c, h, 'uhri-xlsx', 'flipped.xlsx', cases[5]![2]);
    expect(flipped.error?.details?.issues[0]?.row).toBe(4);
    expect(await counts(h)).toEqual(before);
  });

  it('refuses 10 MB text cells in every format with cell_too_large and the row', async () => {
    const before = await counts(h);
    const big = words(10 * 1024 * 1024);
    const csv = Buffer.from(`${UPR_HEADER.join(',')}\n${UPR_ROW}\nKuwait,,,"${big}",France,,,Accepted,1,Women,8\n`);
    expect(expectCoded(await upload(c, h, 'upr-info-csv', 'big.csv', csv), 'cell_too_large').details?.issues[0]).toMatchObject({ row: 3, field: 'Text' });
    const recs = JSON.parse(buildUhriJson({ count: 3, seed: 2, useSharedData: false }).toString('utf8')) as { Text: string }[];
    recs[1]!.Text = `4. ${'x'.repeat(10 * 1024 * 1024)}`; // one 10 MB word overflowed the tokenizer's stack
    expect(expectCoded(await upload(c, h, 'uhri-json', 'export-full-en.json', Buffer.from(JSON.stringify(recs))), 'cell_too_large').details?.issues[0]).toMatchObject({ row: 2 });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Export');
    ws.addRow(['Symbol', 'Para', 'Text']);
    ws.addRow(['A/1', '1', big]);
    const xlsx = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect(expectCoded(await upload(c, h, 'xlsx', 'big.xlsx', xlsx, { mapping: 'morocco-didh' }), 'cell_too_large').details?.issues[0]).toMatchObject({ row: 2, field: 'Text' });
    expect(await counts(h)).toEqual(before);
  }, 120_000);

  it('turns a parse that needs more memory than IMPORT_WORKER_HEAP_MB into file_too_complex; the server lives on', async () => {
    const small = await createHarness(engine, { DATA_DIR: fs.mkdtempSync(path.join(dir, 'data-')), IMPORT_WORKER_HEAP_MB: '32' });
    try {
      const sc = await small.loginAs('coordinator');
      const before = await counts(small);
      const rows = Array.from({ length: 60_000 }, (_, i) => `Kuwait,Asia,,Recommendation number ${i} on the rights of migrant workers,France,WEOG,,Accepted,5,Women,8`);
      const run = await upload(sc, small, 'upr-info-csv', 'large.csv', Buffer.from([UPR_HEADER.join(','), ...rows].join('\n')));
      expect(expectCoded(run, 'file_too_complex').status).toBe(422);
      expect(run.error!.message).toMatch(/more than 32 MB/);
      expect((await small.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      const ok = await upload(sc, small, 'upr-info-csv', 'small.csv', Buffer.from([UPR_HEADER.join(','), ...rows.slice(0, 5)].join('\n')));
      expect(ok.status).toBe('succeeded');
      expect(await counts(small)).toEqual(before);
    } finally {
      await closeHarness(small);
    }
  }, 60_000);
});

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describeWithSharedData('rasd import on hostile files', () => {
  it('prints one coded line and exits 1, never a raw JavaScript error', async () => {
    const wide = path.join(dir, 'wide.csv');
    fs.writeFileSync(wide, wideUprCsv());
    const docx = thematicDocx();
    const noWorkbook = path.join(dir, 'noworkbook.xlsx');
    fs.writeFileSync(noWorkbook, await rezip(await uhriXlsx(), (n, d) => (n === 'xl/workbook.xml' ? null : d)));
    const entity = path.join(dir, 'entity.docx');
    fs.writeFileSync(entity, await rezip(docx, (n, d) => (n === 'word/document.xml' ? Buffer.from(d.toString('utf8').replace('<w:t>', '<w:t>&bogus;')) : d)));
    for (const [format, file, line] of [
      ['upr-info-csv', wide, /^rasd: too_many_columns: row 1: The header has more than 500 columns; the limit is 500\. Nothing was imported\.$/],
      ['uhri-xlsx', noWorkbook, /^rasd: bad_xlsx: field xl\/workbook\.xml: .*xl\/workbook\.xml.*Nothing was imported\.$/],
      ['ohchr-docx', entity, /^rasd: bad_xml: field word\/document\.xml: .*undefined entity "&bogus".*Nothing was imported\.$/],
    ] as const) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/rasd.mjs'), 'import', format, file, '--dry-run'], {
        cwd: dir,
        env: { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}`, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(1);
      const lines = r.stderr.split('\n').map((l) => l.replace(/\r/g, '').trim()).filter((l) => l.startsWith('rasd:'));
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(line);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  }, 120_000);
});
