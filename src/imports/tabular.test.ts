import { readFileSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { getMappingPreset, moroccoDidhMapping, slugify, type ColumnMapping } from './generic-mapping.ts';
import { decodeBytes, guessSingleByteEncoding, parseMappedCsv, parseTabular, readCsv, readXlsx } from './tabular.ts';
import { assertInflatesSafely as assertSafeZip } from './zip-guard.ts';
import { describeWithSharedData, sharedDataPath } from '../../test/helpers/shared-data.ts';
import { ImportParseError, type ImportIssue } from './types.ts';

/** Run fn, expect an ImportParseError, return its first issue. */
async function issueOf(fn: () => unknown): Promise<ImportIssue> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImportParseError);
    const issue = (err as ImportParseError).issues[0];
    expect(issue).toBeDefined();
    return issue!;
  }
  throw new Error('expected an ImportParseError');
}

const simpleMapping: ColumnMapping = {
  document: { symbol: 'Symbol', body: { constant: 'CEDAW' }, type: { constant: 'concluding_observations' }, date: 'Date' },
  paragraph: 'Para',
  texts: { en: 'Text', ar: 'Arabic' },
  kind: { column: 'Kind', map: { Rec: 'recommendation', Obs: 'observation' }, unmapped: 'error' },
  position: { column: 'Position', map: { Accepted: 'supported', Noted: 'noted' }, unmapped: 'error' },
  recommendingStates: { columns: ['States'], separators: [','] },
  themes: { columns: ['Themes'] },
  sdgs: { columns: ['SDGs'] },
  entities: { columns: ['Entities'] },
  status: { column: 'Status', map: { Done: 'fully_implemented', Ongoing: 'in_progress' }, unmapped: 'error' },
};

const header = 'Symbol,Para,Text,Arabic,Kind,Position,States,Themes,SDGs,Entities,Status,Date';

describe('decodeBytes', () => {
  it('reads valid UTF-8 and strips nothing but the BOM', () => {
    const d = decodeBytes(Buffer.from('\ufeffCôte d’Ivoire', 'utf8'));
    expect(d).toMatchObject({ encoding: 'utf8', detected: true });
    expect(d.text.replace(/^\ufeff/, '')).toBe('Côte d’Ivoire');
  });

  it('tells Mac Roman from Latin-1', () => {
    const text = 'The State’s “national plan” – Côte d’Ivoire, vis-à-vis the Committee; État de droit, réalisé';
    const mac = iconv.encode(text, 'macintosh');
    const latin = iconv.encode(text.replace(/[’“”–]/g, (c) => ({ '’': "'", '“': '"', '”': '"', '–': '-' })[c]!), 'latin1');
    expect(guessSingleByteEncoding(mac)).toBe('macroman');
    expect(guessSingleByteEncoding(latin)).toBe('latin1');
    expect(decodeBytes(mac).text).toBe(text);
    expect(decodeBytes(latin).encoding).toBe('latin1');
  });

  it('honours a forced encoding and refuses invalid forced UTF-8', async () => {
    const latin = iconv.encode('Réalisé', 'latin1');
    expect(decodeBytes(latin, { encoding: 'latin1' }).text).toBe('Réalisé');
    expect((await issueOf(() => decodeBytes(latin, { encoding: 'utf8' }))).code).toBe('bad_encoding');
  });

  it('refuses binary data as bad_encoding', async () => {
    const bin = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02, 0xff, 0x00, 0x00, 0x10, 0x11]);
    expect((await issueOf(() => readCsv(bin))).code).toBe('bad_encoding');
  });
});

describe('readCsv', () => {
  it('handles quoted multi-line cells and CR-only line ends', () => {
    const csv = 'a,b\r"line one\rline two",x\r"say ""hi""",y\r';
    const t = readCsv(Buffer.from(csv));
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toHaveLength(2);
    expect(t.rows[0]!.cells.a).toBe('line one\rline two');
    expect(t.rows[1]).toEqual({ rowNumber: 3, cells: { a: 'say "hi"', b: 'y' } });
  });

  it('detects ; and tab delimiters', () => {
    expect(readCsv('a;b\n1;2\n').rows[0]!.cells).toEqual({ a: '1', b: '2' });
    expect(readCsv('a\tb\n1\t2\n').rows[0]!.cells).toEqual({ a: '1', b: '2' });
  });

  it('refuses an empty file', async () => {
    expect((await issueOf(() => readCsv(Buffer.alloc(0)))).code).toBe('empty_file');
    expect((await issueOf(() => readCsv(Buffer.from('\ufeff \r\n\r\n')))).code).toBe('empty_file');
  });

  it('refuses a 10 MB cell, naming row and column', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const csv = `Symbol,Text\nA/1,short\nA/2,"${big}"\n`;
    const issue = await issueOf(() => readCsv(Buffer.from(csv)));
    expect(issue).toMatchObject({ code: 'cell_too_large', row: 3, field: 'Text' });
    expect(issue.message).toMatch(/row 3.*"Text".*1 MB/);
  });
});

describe('generic mapping (CSV)', () => {
  const csv = [
    header,
    'CEDAW/C/KWT/CO/5,12,"Adopt a law\non domestic violence",اعتماد قانون,Rec,Accepted,"Chile, Brazil","- Women\n- Violence",16.2 - End abuse|5,MOJ|MOI,Done,2017-11-22',
    'CEDAW/C/KWT/CO/5,13,The Committee is concerned,,Obs,,,,,,,',
  ].join('\n');

  it('maps columns, constants and value maps', () => {
    const [a, b] = parseMappedCsv(Buffer.from(csv), simpleMapping);
    expect(a).toEqual({
      sourceRow: 2,
      document: { symbol: 'CEDAW/C/KWT/CO/5', body: 'CEDAW', type: 'concluding_observations', date: '2017-11-22' },
      paragraph: '12',
      texts: { en: 'Adopt a law\non domestic violence', ar: 'اعتماد قانون' },
      kind: 'recommendation',
      position: 'supported',
      recommendingStates: ['Chile', 'Brazil'],
      themes: ['Women', 'Violence'],
      sdgs: [{ code: '16.2', label: 'End abuse' }, { code: '5' }],
      entities: ['MOJ', 'MOI'],
      status: 'fully_implemented',
    });
    expect(b).toMatchObject({ sourceRow: 3, kind: 'observation', texts: { en: 'The Committee is concerned' } });
    expect(b!.position).toBeUndefined();
  });

  it('names a missing column', async () => {
    const noStatus = csv.replace(',Status,', ',State,');
    const issue = await issueOf(() => parseMappedCsv(Buffer.from(noStatus), simpleMapping));
    expect(issue).toMatchObject({ code: 'missing_column', field: 'Status', row: 1 });
    expect(issue.message).toContain('"Status"');
  });

  it('reports an unmapped value with row and column', async () => {
    const bad = csv.replace(',Done,', ',Finished,');
    const issue = await issueOf(() => parseMappedCsv(Buffer.from(bad), simpleMapping));
    expect(issue).toMatchObject({ code: 'bad_value', row: 2, field: 'Status' });
    expect(issue.message).toContain('"Finished"');
  });

  it('reports a row without text', async () => {
    const bad = `${header}\nCEDAW/C/KWT/CO/5,14,,,Rec,,,,,,,\n`;
    expect(await issueOf(() => parseMappedCsv(Buffer.from(bad), simpleMapping))).toMatchObject({ code: 'missing_text', row: 2 });
  });

  it('refuses a header-only file as empty', async () => {
    expect((await issueOf(() => parseMappedCsv(Buffer.from(header + '\n'), simpleMapping))).code).toBe('empty_file');
  });

  it('slugs names', () => {
    expect(slugify("Côte d'Ivoire")).toBe('cote-d-ivoire');
    expect(slugify('Antigua & Barbuda')).toBe('antigua-and-barbuda');
  });
});

// ---------------------------------------------------------------------------------------------
// XLSX and zip bombs

async function makeXlsx(rows: (string | number | Date)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Recs');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

interface ZipEntrySpec {
  name: string;
  data: Buffer;
  /** override the sizes written in the headers (to make an archive that lies) */
  declaredSize?: number;
}

/** Minimal zip writer (deflate), enough to build hostile archives. */
function makeZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const comp = deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, comp);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('XLSX', () => {
  it('reads a workbook through a mapping (format sniffed from the bytes)', async () => {
    const xlsx = await makeXlsx([
      header.split(','),
      ['CEDAW/C/KWT/CO/5', 12, 'Adopt a law', 'اعتماد قانون', 'Rec', 'Noted', 'Chile', 'Women', '5', 'MOJ', 'Ongoing', new Date(Date.UTC(2017, 10, 22))],
    ]);
    const recs = await parseTabular(xlsx, { mapping: simpleMapping });
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      sourceRow: 2,
      paragraph: '12',
      position: 'noted',
      status: 'in_progress',
      texts: { en: 'Adopt a law', ar: 'اعتماد قانون' },
      document: { symbol: 'CEDAW/C/KWT/CO/5', date: '2017-11-22' },
    });
  });

  it('names a missing column in a workbook', async () => {
    const xlsx = await makeXlsx([['Symbol', 'Text'], ['A/1', 'x']]);
    const issue = await issueOf(() => parseTabular(xlsx, { mapping: simpleMapping }));
    expect(issue.code).toBe('missing_column');
  });

  it('refuses a 10 MB cell in a workbook', async () => {
    // varied text (a run of one letter would compress > 500:1 and be refused as a zip bomb first)
    let seed = 42;
    const words = Array.from({ length: 1_600_000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed.toString(36).slice(0, 6);
    }).join(' ');
    expect(words.length).toBeGreaterThan(10 * 1024 * 1024 - 1);
    const xlsx = await makeXlsx([['Symbol', 'Text'], ['A/1', words]]);
    expect(await issueOf(() => readXlsx(xlsx))).toMatchObject({ code: 'cell_too_large', row: 2, field: 'Text' });
  }, 60_000);

  it('refuses an empty worksheet', async () => {
    expect((await issueOf(async () => readXlsx(await makeXlsx([])))).code).toBe('empty_file');
  });

  it('refuses an archive that declares more than 200 MB', async () => {
    const zip = makeZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), declaredSize: 300 * 1024 * 1024 }]);
    const issue = await issueOf(() => readXlsx(zip));
    expect(issue.code).toBe('zip_bomb');
    expect(issue.message).toMatch(/200 MB/);
  });

  it('refuses an entry with an absurd compression ratio', async () => {
    const zip = makeZip([{ name: 'xl/sharedStrings.xml', data: Buffer.alloc(20 * 1024 * 1024) }]);
    const issue = await issueOf(() => parseTabular(zip, { format: 'xlsx', mapping: simpleMapping }));
    expect(issue.code).toBe('zip_bomb');
    expect(issue.message).toMatch(/compression ratio/);
  });

  it('refuses an entry that inflates beyond its declared size', async () => {
    const zip = makeZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(512 * 1024, 0x41), declaredSize: 100 }]);
    const issue = await issueOf(() => assertSafeZip(zip));
    expect(issue.code).toBe('zip_bomb');
    expect(issue.message).toMatch(/declared size/);
  });

  it('refuses too many entries', async () => {
    const entries = Array.from({ length: 2_001 }, (_, i) => ({ name: `f${i}.xml`, data: Buffer.from('a') }));
    expect((await issueOf(() => assertSafeZip(makeZip(entries)))).code).toBe('zip_bomb');
  });

  it('refuses something that is not a zip', async () => {
    expect((await issueOf(() => readXlsx(Buffer.from('not a zip at all')))).code).toBe('invalid_zip');
  });
});

describeWithSharedData('morocco-didh preset on the real file', () => {
  it('imports all 1,124 rows, 855 with Arabic text', () => {
    expect(getMappingPreset('morocco-didh')).toBe(moroccoDidhMapping);
    const bytes = readFileSync(sharedDataPath('morocco-didh', 'recommendations-fr-ar.csv'));
    const recs = parseMappedCsv(bytes, moroccoDidhMapping);
    expect(recs).toHaveLength(1124);
    expect(recs.filter((r) => r.texts.ar).length).toBe(855);
    expect(recs.every((r) => r.texts.fr)).toBe(true);
    expect(new Set(recs.map((r) => r.externalId)).size).toBe(1124);
    const byStatus = (s: string) => recs.filter((r) => r.status === s).length;
    expect([byStatus('fully_implemented'), byStatus('in_progress'), byStatus('not_started')]).toEqual([401, 608, 115]);
    const byBody = (b: string) => recs.filter((r) => r.document.body === b).length;
    expect([byBody('UPR'), byBody('SP'), byBody('CRC'), byBody('CRPD')]).toEqual([260, 368, 93, 94]);
    expect(recs[0]).toMatchObject({
      sourceRow: 2,
      externalId: 'MAR-DIDH-1',
      paragraph: 'R21',
      document: { symbol: 'MAR-DIDH/TB/CERD/2020', body: 'CERD', type: 'concluding_observations', country: 'Morocco' },
      status: 'fully_implemented',
      entities: ['Affaires Etrangères', 'Justice', 'الشؤون الخارجية', 'العدل'],
    });
    const upr = recs.find((r) => r.document.body === 'UPR' && r.recommendingStates)!;
    expect(upr.document).toMatchObject({ uprCycle: 3, type: 'upr_wg_report' });
    // the literal "null" in text_ar means no Arabic text
    expect(recs.some((r) => r.texts.ar === 'null')).toBe(false);
    // multi-line cells survive
    expect(recs.some((r) => (r.texts.fr ?? '').includes('\n'))).toBe(true);
  });
});
