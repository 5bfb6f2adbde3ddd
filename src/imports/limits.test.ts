/**
 * The input caps (limits.ts) and the Office XML checks (ooxml-guard.ts), per parser: each refuses with a short coded
 * error naming the row / part, before any per-cell work; and the parse worker turns an out-of-memory into
 * file_too_complex without harming the caller.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildUhriJson, buildUhriXlsx, makeZip } from '../../bench/gen-uhri.ts';
import { parseFile, type ParseFormat } from './formats.ts';
import { moroccoDidhMapping, type ColumnMapping } from './generic-mapping.ts';
import { parseErrorLine, reportParseError } from './import-errors.ts';
import { MAX_COLUMNS } from './limits.ts';
import { ohchrDocxRecords } from './ohchr-docx.ts';
import { checkXmlPart } from './ooxml-guard.ts';
import { sampleInWorker } from './parse-worker.ts';
import { parseTabular, readCsv, readXlsx } from './tabular.ts';
import { ImportParseError, type ImportIssue } from './types.ts';
import { parseUhriJsonToArray } from './uhri-json.ts';
import { parseUhriXlsxToArray } from './uhri-xlsx.ts';
import { parseUprInfoCsv } from './upr-info-csv.ts';
import { readZipEntries } from './zip-guard.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function failure(fn: () => unknown): Promise<ImportParseError> {
  try {
    const r = await fn();
    if (r && typeof r === 'object' && Symbol.asyncIterator in r) for await (const _ of r as AsyncIterable<unknown>) void _;
  } catch (err) {
    expect(err).toBeInstanceOf(ImportParseError);
    return err as ImportParseError;
  }
  throw new Error('expected an ImportParseError');
}
const issueOf = async (fn: () => unknown): Promise<ImportIssue> => (await failure(fn)).issues[0]!;

const UPR_HEADER = ['To', 'To-Rgrp', 'To-Org', 'Text', 'From', 'From-Rgrp', 'From-Org', 'Response', 'Action', 'Issue', 'Session'];
const UPR_ROW = 'Kuwait,Asia,,Ratify the Convention,France,WEOG,,Accepted,5,Women,8';

/** The file of issue 18: a 100,000-column header (about 700 KB), then 947 ordinary rows. */
function wideUprCsv(columns = 100_000, rows = 947): Buffer {
  const header = [...UPR_HEADER];
  for (let i = header.length; i < columns; i++) header.push(`extra${i}`);
  return Buffer.from([header.join(','), ...Array.from({ length: rows }, () => UPR_ROW)].join('\n'));
}

/** A 10 MB text of varied words (compresses like text, so it is not refused as a zip bomb first). */
function bigText(bytes = 10 * 1024 * 1024): string {
  let seed = 7;
  const words: string[] = [];
  let n = 0;
  while (n < bytes) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const w = seed.toString(36).slice(0, 6);
    words.push(w);
    n += w.length + 1;
  }
  return words.join(' ');
}

async function xlsxOf(rows: (string | number)[][], place?: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  place?.(ws);
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
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
function docx(documentXml: string): Buffer {
  return makeZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': documentXml });
}
const row = (cells: string[]) => `<w:tr>${cells.map((c) => `<w:tc><w:p><w:r><w:t>${c}</w:t></w:r></w:p></w:tc>`).join('')}</w:tr>`;
const thematicList = (recText: string) =>
  `<?xml version="1.0"?><w:document ${W}><w:body><w:tbl>${row(['Recommendation', 'Position', 'Full list of themes'])}${row([recText, 'Supported', 'A12 Acceptance of international norms'])}</w:tbl></w:body></w:document>`;

describe('upr-info-csv caps', () => {
  it('refuses the 100,000-column file of issue 18 at its header, quickly, with a short message', async () => {
    const started = performance.now();
    const e = await failure(() => parseUprInfoCsv(wideUprCsv()));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatchObject({ code: 'too_many_columns', row: 1 });
    expect(e.message.length).toBeLessThan(200);
    expect(e.message).not.toContain('extra99999');
  });

  it('accepts the limit itself, and refuses a row longer than it', async () => {
    expect(parseUprInfoCsv(wideUprCsv(MAX_COLUMNS, 3))).toHaveLength(3);
    const long = `${UPR_HEADER.join(',')}\n${UPR_ROW}\n${UPR_ROW}${','.repeat(MAX_COLUMNS)}\n`;
    expect(await issueOf(() => parseUprInfoCsv(long))).toMatchObject({ code: 'too_many_columns', row: 3 });
  });

  it('refuses a header over 64 KB, a 10 MB cell and a 20 MB row, naming the row', { timeout: 60_000 }, async () => {
    const longNames = [...UPR_HEADER, ...Array.from({ length: 200 }, (_, i) => `c${i}_${'x'.repeat(400)}`)];
    expect(await issueOf(() => parseUprInfoCsv(`${longNames.join(',')}\n${UPR_ROW}\n`))).toMatchObject({ code: 'header_too_large', row: 1 });
    const cell = `${UPR_HEADER.join(',')}\n${UPR_ROW}\nKuwait,,,"${bigText()}",France,,,Accepted,1,Women,8\n`;
    expect(await issueOf(() => parseUprInfoCsv(cell))).toMatchObject({ code: 'cell_too_large', row: 3, field: 'Text' });
    const huge = `${UPR_HEADER.join(',')}\nKuwait,,,"${bigText(20 * 1024 * 1024)}",France,,,Accepted,1,Women,8\n`;
    expect(await issueOf(() => parseUprInfoCsv(huge))).toMatchObject({ code: 'row_too_large', row: 2 });
  });

  it('names at most ten of the columns it found when one is missing', async () => {
    const header = Array.from({ length: 400 }, (_, i) => `col${i}`);
    const e = await failure(() => parseUprInfoCsv(`${header.join(',')}\n${header.map(() => 'x').join(',')}\n`));
    expect(e.issues[0]!.code).toBe('missing_column');
    expect(e.issues[0]!.message).toContain('and 390 more');
    expect(e.issues[0]!.message).not.toContain('col399');
  });
});

describe('generic csv / xlsx caps (mapping importer)', () => {
  const mapping: ColumnMapping = { document: { symbol: 'Symbol', body: { constant: 'CEDAW' } }, paragraph: 'Para', texts: { en: 'Text' } };

  it('csv: too many columns and a 10 MB cell', async () => {
    const header = ['Symbol', 'Para', 'Text', ...Array.from({ length: 1000 }, (_, i) => `x${i}`)];
    expect(await issueOf(() => parseTabular(Buffer.from(`${header.join(';')}\nA/1;1;t\n`), { format: 'csv', mapping }))).toMatchObject({ code: 'too_many_columns', row: 1 });
    expect(await issueOf(() => readCsv(`Symbol,Para,Text\nA/1,1,"${bigText()}"\n`))).toMatchObject({ code: 'cell_too_large', row: 2, field: 'Text' });
  });

  it('xlsx: a header of 600 cells, a cell far to the right, and a long header, each before exceljs reads the rows', async () => {
    const wide = await xlsxOf([['Symbol', 'Para', 'Text', ...Array.from({ length: 600 }, (_, i) => `x${i}`)], ['A/1', 1, 't']]);
    expect(await issueOf(() => parseTabular(wide, { format: 'xlsx', mapping }))).toMatchObject({ code: 'too_many_columns', row: 1, field: 'xl/worksheets/sheet1.xml' });
    const far = await xlsxOf([['Symbol', 'Para', 'Text'], ['A/1', 1, 't']], (ws) => {
      ws.getCell('XFD2').value = 'far away';
    });
    const issue = await issueOf(() => readXlsx(far));
    expect(issue).toMatchObject({ code: 'too_many_columns', row: 2 });
    expect(issue.message).toContain('XFD');
    const longHeader = await xlsxOf([['Symbol', 'Para', 'Text', ...Array.from({ length: 100 }, (_, i) => `h${i}-${'y'.repeat(1000)}`)], ['A/1', 1, 't']]);
    expect(await issueOf(() => readXlsx(longHeader))).toMatchObject({ code: 'header_too_large', row: 1 });
  });

  it('xlsx: an inline 10 MB cell is refused from the worksheet XML, naming its row', { timeout: 60_000 }, async () => {
    const base = await xlsxOf([['Symbol', 'Para', 'Text'], ['A/1', 1, 'short']]);
    const inline = await rezip(base, (name, data) =>
      name === 'xl/worksheets/sheet1.xml' ? Buffer.from(data.toString('utf8').replace(/<c r="C2"[^>]*>.*?<\/c>/, `<c r="C2" t="inlineStr"><is><t>${bigText()}</t></is></c>`)) : data,
    );
    expect(await issueOf(() => readXlsx(inline))).toMatchObject({ code: 'cell_too_large', row: 2, field: 'xl/worksheets/sheet1.xml' });
  });

  it('the Morocco preset still reads a file under the caps', async () => {
    const header = ['Id', 'Mecanisme', 'organe', 'visite_mandat_fr', 'Annee', 'cycle_fr', 'CodeRecommendation', 'text_fr', 'text_ar', 'pays_recommandant_fr', 'axe_fr', 'sous_axe_fr', 'organismes_fr', 'organismes_ar', 'Etat'];
    const csv = `${header.join(',')}\n1,Organes de traités,cerd,,2020,,R1,Texte,نص,,Axe,Sous-axe,Min,وزارة,En cours\n`;
    expect(await parseTabular(Buffer.from(csv), { format: 'csv', mapping: moroccoDidhMapping })).toHaveLength(1);
  });
});

describe('uhri-xlsx caps and damaged parts', () => {
  const good = () => buildUhriXlsx({ records: JSON.parse(buildUhriJson({ count: 4, seed: 3, useSharedData: false }).toString('utf8')) });

  it('reads the untouched file', async () => {
    expect(await parseUhriXlsxToArray(await good())).toHaveLength(4);
  });

  it('refuses a sheet with 600 columns, naming the part', async () => {
    const wide = await xlsxOf([Array.from({ length: 600 }, (_, i) => `c${i}`)]);
    expect(await issueOf(() => parseUhriXlsxToArray(wide))).toMatchObject({ code: 'too_many_columns', field: 'xl/worksheets/sheet1.xml' });
  });

  it('names the part: missing xl/workbook.xml, an undefined entity, a flipped byte, a cut-short sheet, a DOCTYPE', async () => {
    const g = await good();
    const noWorkbook = await rezip(g, (n, d) => (n === 'xl/workbook.xml' ? null : d));
    expect(await issueOf(() => parseUhriXlsxToArray(noWorkbook))).toMatchObject({ code: 'bad_xlsx', field: 'xl/workbook.xml' });
    const entity = await rezip(g, (n, d) => (n === 'xl/sharedStrings.xml' ? Buffer.from(d.toString('utf8').replace('<t>', '<t>&bogus;')) : d));
    const e = await issueOf(() => parseUhriXlsxToArray(entity));
    expect(e).toMatchObject({ code: 'bad_xml', field: 'xl/sharedStrings.xml' });
    expect(e.message).toContain('&bogus');
    const flipped = await rezip(g, (n, d) => {
      if (n !== 'xl/worksheets/sheet1.xml') return d;
      const b = Buffer.from(d);
      const at = b.indexOf('</c>', b.indexOf('<row r="3"')) + 2;
      b[at] = b[at]! ^ 0x07; // "</c>" → "</d>": a closing tag that does not match
      return b;
    });
    expect(await issueOf(() => parseUhriXlsxToArray(flipped))).toMatchObject({ code: 'bad_xml', field: 'xl/worksheets/sheet1.xml', row: 3 });
    const cut = await rezip(g, (n, d) => (n === 'xl/worksheets/sheet1.xml' ? d.subarray(0, d.indexOf('<row r="4"')) : d));
    expect(await issueOf(() => parseUhriXlsxToArray(cut))).toMatchObject({ code: 'bad_xml', field: 'xl/worksheets/sheet1.xml' });
    const doctype = await rezip(g, (n, d) => (n === 'xl/workbook.xml' ? Buffer.from(d.toString('utf8').replace('?>', '?><!DOCTYPE x [<!ENTITY a "aaaa">]>')) : d));
    expect(await issueOf(() => parseUhriXlsxToArray(doctype))).toMatchObject({ code: 'bad_xml', field: 'xl/workbook.xml' });
    expect(await issueOf(() => parseUhriXlsxToArray(g.subarray(0, g.length - 300)))).toMatchObject({ code: 'invalid_zip' });
  });
});

describe('checkXmlPart', () => {
  it('accepts plain Office XML and refuses what the strict reader behind exceljs would, naming part and line', async () => {
    expect(checkXmlPart('a.xml', '\ufeff<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<a x:y="1"><![CDATA[a & b]]>&amp;&#65;&#x1F600;</a>')).toContain('<a');
    for (const [xml, what] of [
      ['<?xml versIon="1.0"?><a/>', /XML declaration/],
      ['<?xml version="1.0"?>\n<a>\u0001</a>', /line 2.*|U\+0001/],
      ['<a>&nbsp;</a>', /undefined entity "&nbsp"/],
      ['<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>', /DOCTYPE/],
      ['<a><b></a>', /not well-formed/],
      ['<a><b>', /cut short/],
    ] as const) {
      const issue = await issueOf(() => checkXmlPart('xl/styles.xml', xml));
      expect(issue).toMatchObject({ code: 'bad_xml', field: 'xl/styles.xml' });
      expect(issue.message).toMatch(what);
    }
  });

  it('refuses a workbook part without its workbook and sheets elements', async () => {
    const g = await buildUhriXlsx({ records: JSON.parse(buildUhriJson({ count: 2, seed: 3, useSharedData: false }).toString('utf8')) });
    const renamed = await rezip(g, (n, d) => (n === 'xl/workbook.xml' ? Buffer.from(d.toString('utf8').replace(/<(\/?)sheets>/g, '<$1sheetz>')) : d));
    expect(await issueOf(() => parseUhriXlsxToArray(renamed))).toMatchObject({ code: 'bad_xlsx', field: 'xl/workbook.xml' });
  });
});

describe('ohchr-docx damaged parts and huge cells', () => {
  it('reads a well-formed list, and names word/document.xml when it is damaged', async () => {
    const ok = [];
    for await (const r of ohchrDocxRecords(docx(thematicList('12.1. Ratify the Convention (France);')))) ok.push(r);
    expect(ok).toHaveLength(1);
    for (const xml of [
      thematicList('12.1. Ratify &nbsp; the Convention (France);'), // undefined entity
      thematicList('12.1. Ratify the Convention (France);').slice(0, 400), // cut short
      thematicList('12.1. Ratify the Convention (France);').replace('</w:tbl>', '</w:tb1>'), // a flipped byte
    ]) {
      expect(await issueOf(() => ohchrDocxRecords(docx(xml)))).toMatchObject({ code: 'bad_xml', field: 'word/document.xml' });
    }
  });

  it('refuses a 2 MB recommendation text with its row (parseFile checks every record)', async () => {
    const file = join(tmp, 'big.docx');
    writeFileSync(file, docx(thematicList(`12.1. ${bigText(2 * 1024 * 1024)}`)));
    expect(await issueOf(() => parseFile('ohchr-docx', file, { worker: false }))).toMatchObject({ code: 'cell_too_large', row: 2 });
  }, 60_000);
});

describe('uhri-json caps', () => {
  it('refuses a record over 16 MB before parsing it, and a 10 MB text after', { timeout: 60_000 }, async () => {
    const recs = JSON.parse(buildUhriJson({ count: 3, seed: 1, useSharedData: false }).toString('utf8')) as { Text: string }[];
    recs[1]!.Text = `4. ${bigText(20 * 1024 * 1024)}`;
    expect(await issueOf(() => parseUhriJsonToArray(Buffer.from(JSON.stringify(recs))))).toMatchObject({ code: 'row_too_large', row: 2 });
    recs[1]!.Text = `4. ${'x'.repeat(10 * 1024 * 1024)}`; // one 10 MB word: it overflowed the tokenizer's stack
    const file = join(tmp, 'export-en.json');
    writeFileSync(file, JSON.stringify(recs));
    expect(await issueOf(() => parseFile('uhri-json', file))).toMatchObject({ code: 'cell_too_large', row: 2, field: 'text (en)' });
  });
});

describe('report-text caps', () => {
  it('refuses a 2 MB paragraph with its row', async () => {
    const file = join(tmp, 'report.txt');
    writeFileSync(file, `Conclusions and/or recommendations\n\n79. The following recommendations enjoy the support of Kuwait:\n\n79.1. ${bigText(2 * 1024 * 1024)} (France);\n79.2. Ratify the Convention (Chile);\n`);
    expect(await issueOf(() => parseFile('report-text', file, { symbol: 'A/HRC/15/15', body: 'UPR' }))).toMatchObject({ code: 'cell_too_large' });
  });
});

describe('the parse worker', () => {
  it('turns an out-of-memory into file_too_complex, and the next parse works', async () => {
    const file = join(tmp, 'upr.csv');
    const rows = Array.from({ length: 40_000 }, (_, i) => `Kuwait,Asia,,Recommendation number ${i} about the rights of migrant workers and women,France,WEOG,,Accepted,5,Women,8`);
    writeFileSync(file, [UPR_HEADER.join(','), ...rows].join('\n'));
    expect(await issueOf(() => parseFile('upr-info-csv', file, { heapMb: 24 }))).toMatchObject({ code: 'file_too_complex' });
    let n = 0;
    for await (const _ of await parseFile('upr-info-csv', file)) n += 1;
    expect(n).toBe(40_000);
  }, 60_000);

  it('reads a sample under the same caps', async () => {
    const sample = await sampleInWorker(Buffer.from(`${UPR_HEADER.join(',')}\n${UPR_ROW}\n`), 'csv');
    expect(sample).toMatchObject({ columns: UPR_HEADER, rowCount: 1 });
    expect(await issueOf(() => sampleInWorker(wideUprCsv(), 'csv'))).toMatchObject({ code: 'too_many_columns' });
  });

  it.each<[ParseFormat, Buffer]>([
    ['uhri-xlsx', makeZip({ 'xl/workbook.xml': '<workbook/>', 'xl/_rels/workbook.xml.rels': '<Relationships/>', '[Content_Types].xml': '<Types/>' })],
    ['ohchr-docx', makeZip({ 'word/document.xml': `<w:document ${W}><w:body/></w:document>` })],
  ])('%s: a structurally odd file is a coded error, never a raw exception', async (format, bytes) => {
    const file = join(tmp, `odd-${format}`);
    writeFileSync(file, bytes);
    const e = await failure(() => parseFile(format, file));
    expect(e.issues[0]!.code).toMatch(/^[a-z_]+$/);
  });
});

describe('reporting a parse error', () => {
  it('keeps the message and the details short however many issues there are (also across the worker)', async () => {
    const issues = Array.from({ length: 5000 }, (_, i) => ({ row: i + 2, field: `column ${i}`, code: 'missing_value', message: `Row ${i + 2}: ${'long text '.repeat(100)}` }));
    const r = reportParseError(new ImportParseError(issues));
    expect(r).toMatchObject({ status: 400, code: 'missing_value', details: { more: 4990 } });
    expect(r.details.issues).toHaveLength(10);
    expect(r.message).toContain('(+4,999 more)');
    expect(JSON.stringify(r).length).toBeLessThan(4096);
    expect(r.message_ar).toBeTruthy();
    // 150 rows with a bad session and response, each quoting its 200 KB response cell, parsed in the worker
    const bad = Array.from({ length: 150 }, () => `Kuwait,,,Ratify,France,,,${'y'.repeat(200_000)},5,Women,x`);
    const file = join(tmp, 'many-bad.csv');
    writeFileSync(file, [UPR_HEADER.join(','), ...bad].join('\n'));
    const e = await failure(() => parseFile('upr-info-csv', file));
    const w = reportParseError(e);
    expect(w.code).toBe('bad_value');
    expect(w.message).toMatch(/\(\+\d+ more\)$/);
    expect(JSON.stringify(w).length).toBeLessThan(4096);
    expect(parseErrorLine(new ImportParseError([{ code: 'too_many_columns', row: 1, message: 'The header has more than 500 columns; the limit is 500' }]))).toBe(
      'too_many_columns: row 1: The header has more than 500 columns; the limit is 500. Nothing was imported.',
    );
  });
});
