import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildUhriXlsx, generateUhriRecords, makeZip } from '../../bench/gen-uhri.ts';
import type { UhriJsonRecord } from '../../bench/gen-uhri.ts';
import { ImportParseError } from './types.ts';
import { parseUhriJsonToArray } from './uhri-json.ts';
import { buildUhriJson } from '../../bench/gen-uhri.ts';
import { parseUhriXlsxToArray } from './uhri-xlsx.ts';
import { assertSafeZip } from './zip-guard.ts';
import { excelSerialToIso } from './uhri-shared.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-uhri-xlsx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function failure(p: Promise<unknown>): Promise<ImportParseError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ImportParseError);
    return e as ImportParseError;
  }
  throw new Error('expected the import to fail');
}

const rec: UhriJsonRecord = {
  AnnotationId: '11111111-2222-4333-8444-555555555555',
  Body: '- UPR',
  Symbol: 'A/HRC/44/17',
  Text: '156.23 Ratify the Optional Protocol to the Convention against Torture (Mexico, Chile);',
  PublicationDate: '2020-03-27T00:00:00',
  Countries: ['Kuwait'],
  Themes: ['- Acceptance of international norms', '- Prohibition of torture'],
  AffectedPersons: ['- persons deprived of their liberty'],
  Sdgs: ['16.2 - Protect children from abuse, exploitation, trafficking and violence'],
  UprSession: ['35'],
  UprPositions: ['Noted'],
  UprRecommendingCountry: ['Mexico', 'Chile'],
};
const crc: UhriJsonRecord = {
  AnnotationId: '11111111-2222-4333-8444-666666666666',
  Body: '- CRC',
  Symbol: 'CRC/C/KWT/CO/2',
  Text: '23. The Committee is concerned that children born to Bedoon parents are not registered.',
  PublicationDate: '2013-10-29T00:00:00',
  Countries: ['Kuwait'],
  Themes: ['- Birth registration'],
  AffectedPersons: ['- children', '- stateless persons'],
  Sdgs: [],
  UprSession: [],
  UprPositions: [],
  UprRecommendingCountry: [],
};

describe('uhri-xlsx', () => {
  it('maps the columns (bullets, Excel date serial, sic spellings)', async () => {
    const buf = await buildUhriXlsx({ records: [rec, crc] });
    const out = await parseUhriXlsxToArray(buf);
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({
      sourceRow: 2,
      externalId: rec.AnnotationId,
      document: { symbol: 'A/HRC/44/17', body: 'UPR', type: 'upr_wg_report', date: '2020-03-27', uprSession: 35, country: 'Kuwait' },
      paragraph: '156.23',
      texts: { en: 'Ratify the Optional Protocol to the Convention against Torture' },
      kind: 'recommendation',
      recommendingStates: ['Mexico', 'Chile'],
      position: 'noted',
      themes: ['Acceptance of international norms', 'Prohibition of torture'],
      affectedPersons: ['persons deprived of their liberty'],
      sdgs: [{ code: '16.2', label: 'Protect children from abuse, exploitation, trafficking and violence' }],
    });
    expect(out[1]).toMatchObject({
      sourceRow: 3,
      paragraph: '23',
      kind: 'observation',
      affectedPersons: ['children', 'stateless persons'],
      document: { symbol: 'CRC/C/KWT/CO/2', body: 'CRC', type: 'concluding_observations', date: '2013-10-29' },
    });
    expect(excelSerialToIso(43917)).toBe('2020-03-27');
  });

  it('agrees with the JSON importer on the same generated records; language from file name; filters', async () => {
    const records = [...generateUhriRecords({ count: 60, seed: 11, useSharedData: false })];
    const file = join(tmp, 'uhri-export-ar.xlsx');
    writeFileSync(file, await buildUhriXlsx({ records }));
    const x = await parseUhriXlsxToArray(file);
    const j = await parseUhriJsonToArray(buildUhriJson({ records }), { lang: 'ar' });
    expect(x).toHaveLength(60);
    for (let i = 0; i < x.length; i++) {
      const a = x[i];
      const b = j[i];
      expect(a?.externalId).toBe(b?.externalId);
      expect(a?.texts).toEqual(b?.texts);
      expect(a?.paragraph).toBe(b?.paragraph);
      expect(a?.document.symbol).toBe(b?.document.symbol);
      expect(a?.document.date).toBe(b?.document.date);
      expect(a?.document.body).toBe(b?.document.body);
      expect(a?.position).toBe(b?.position);
      expect(a?.themes).toEqual(b?.themes);
      expect(a?.sdgs).toEqual(b?.sdgs);
      expect(a?.recommendingStates).toEqual(b?.recommendingStates);
    }
    const kuwait = await parseUhriXlsxToArray(file, { country: 'Kuwait' });
    expect(kuwait.length).toBe(x.filter((r) => r.document.country === 'Kuwait').length);
    const upr = await parseUhriXlsxToArray(file, { body: 'UPR' });
    expect(upr.every((r) => r.document.body === 'UPR')).toBe(true);
  });

  it('missing columns → missing_column naming each column', async () => {
    const e = await failure(parseUhriXlsxToArray(await buildUhriXlsx({ records: [rec], omitColumns: ['Document Symbol', 'UPR Reccomending States'] })));
    expect(e.issues.map((i) => [i.code, i.field])).toEqual([
      ['missing_column', 'Document Symbol'],
      ['missing_column', 'UPR Reccomending States'],
    ]);
    expect(e.message).toContain('Document Symbol');
  });

  it('a row without its annotation id → missing_field with the Excel row number', async () => {
    const e = await failure(parseUhriXlsxToArray(await buildUhriXlsx({ records: [rec, { ...crc, AnnotationId: '' }] })));
    expect(e.issues[0]).toMatchObject({ code: 'missing_field', row: 3, field: 'OHCHR Annotation Id' });
  });

  it('zip bombs are refused before exceljs sees them', async () => {
    // 8 MB of one byte compresses to ~8 KB
    const bomb = makeZip({ '[Content_Types].xml': '<Types/>', 'xl/worksheets/sheet1.xml': Buffer.alloc(8 * 1024 * 1024, 0x20) });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const e = await failure(parseUhriXlsxToArray(bomb, { zipLimits: { maxTotalUncompressed: 4 * 1024 * 1024 } }));
    expect(e.issues[0]?.code).toBe('zip_bomb');
    // default limit on the number of entries (2000)
    const many = makeZip(Object.fromEntries(Array.from({ length: 2001 }, (_, i) => [`xl/media/i${i}.bin`, 'x'])));
    expect((await failure(parseUhriXlsxToArray(many))).issues[0]?.code).toBe('zip_bomb');
    // the guard by itself, on a path
    const f = join(tmp, 'bomb.xlsx');
    writeFileSync(f, bomb);
    expect((await failure(assertSafeZip(f, { maxTotalUncompressed: 1024 * 1024 }))).issues[0]?.code).toBe('zip_bomb');
    const ok = await assertSafeZip(await buildUhriXlsx({ records: [rec] }));
    expect(ok.entries).toBeGreaterThan(3);
  });

  it('not a zip → invalid_zip', async () => {
    expect((await failure(parseUhriXlsxToArray(Buffer.from('Text,Countries\n')))).issues[0]?.code).toBe('invalid_zip');
  });
});
