import { readFileSync, readdirSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { describeWithSharedData, sharedDataDir } from '../../test/helpers/shared-data.ts';
import {
  deriveSymbol,
  parseHeading,
  parseOhchrDocumentXml,
  parseOhchrDocx,
  parseThemesCell,
  splitRecommendingStates,
} from './ohchr-docx.ts';
import type { OhchrDocxParse } from './ohchr-docx.ts';
import { ImportParseError } from './types.ts';
import { makeZip } from '../../bench/gen-uhri.ts';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const p = (...lines: string[]) => `<w:p>${lines.map((l, i) => `${i ? '<w:r><w:br/></w:r>' : ''}<w:r><w:t xml:space="preserve">${l}</w:t></w:r>`).join('')}</w:p>`;
const tc = (inner: string, pr = '') => `<w:tc>${pr ? `<w:tcPr>${pr}</w:tcPr>` : ''}${inner}</w:tc>`;
const doc = (body: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W}><w:body>${body}</w:body></w:document>`;

const HEADER_ROW = `<w:tr>${tc(p('Recommendation'))}${tc(p('Position'))}${tc(p('Full list of themes'))}${tc(p('Assessment/comments on level of implementation'))}</w:tr>`;

function fixtureDocx(): { xml: string; header: string } {
  const rows = [
    HEADER_ROW,
    `<w:tr>${tc(p('Theme: A12 Acceptance of international norms'), '<w:gridSpan w:val="4"/>')}</w:tr>`,
    `<w:tr>${tc(p('90.1. Ratify the OP-CAT (OPCAT) (Mexico, Iran (Islamic Republic of)); (Chile);') + p('Source of position: A/HRC/15/15/Add.1 - Para. 3'))}${tc(p('Supported'))}${tc(p('A12 Acceptance of international norms', 'D25 Prohibition of torture &amp; cruel treatment') + p('Affected persons:') + p('- general', '- persons deprived of their liberty'))}${tc(p(''))}</w:tr>`,
    // vertically merged position cell continues "Noted" from the row above
    `<w:tr>${tc(p('90.2 Abolish the kafala system (France);') + p('Source of position: A/HRC/15/15/Add.1 - Para. 4'))}${tc(p('Noted'), '<w:vMerge w:val="restart"/>')}${tc(p('- Migrants') + p('SDGs: ') + p('- 8 - DECENT WORK AND ECONOMIC GROWTH') + p('Affected persons: ') + p('- migrant workers'))}${tc(p(''))}</w:tr>`,
    `<w:tr>${tc(p('90.3 Protect domestic workers (Ghana).'))}${tc(p(''), '<w:vMerge/>')}${tc(p('S08 SDG 8 - decent work', 'G4 Migrants'))}${tc(p(''))}</w:tr>`,
  ];
  return {
    xml: doc(`${p('')}<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>${rows.join('')}</w:tbl>`),
    header: `<w:hdr ${W}>${p('UPR of Kuwait (1st Cycle – 8th session)')}${p('Thematic list of recommendations')}</w:hdr>`,
  };
}

describe('ohchr-docx: structure', () => {
  it('parses a hand-made thematic list (merged cells, heading rows, blocks)', async () => {
    const { xml, header } = fixtureDocx();
    const buf = makeZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': xml, 'word/header1.xml': header });
    const res = await parseOhchrDocx(buf);
    expect(res.symbol).toBe('A/HRC/15/15');
    expect(res.symbolSource).toBe('position_source');
    expect(res.heading).toMatchObject({ country: 'Kuwait', uprCycle: 1, uprSession: 8 });
    expect(res.records).toHaveLength(3);
    const [a, b, c] = res.records;
    expect(a).toMatchObject({
      sourceRow: 3,
      paragraph: '90.1',
      texts: { en: 'Ratify the OP-CAT (OPCAT)' },
      recommendingStates: ['Mexico', 'Iran (Islamic Republic of)', 'Chile'],
      position: 'supported',
      positionSource: 'A/HRC/15/15/Add.1 - Para. 3',
      themes: ['A12 Acceptance of international norms', 'D25 Prohibition of torture & cruel treatment'],
      affectedPersons: ['general', 'persons deprived of their liberty'],
      kind: 'recommendation',
      document: { symbol: 'A/HRC/15/15', body: 'UPR', country: 'Kuwait', uprCycle: 1, uprSession: 8 },
    });
    expect(b).toMatchObject({ paragraph: '90.2', position: 'noted', themes: ['Migrants'], affectedPersons: ['migrant workers'] });
    expect(b?.sdgs).toEqual([{ code: '8', label: 'DECENT WORK AND ECONOMIC GROWTH' }]);
    expect(c).toMatchObject({ paragraph: '90.3', position: 'noted', texts: { en: 'Protect domestic workers' }, themes: ['G4 Migrants'] });
    expect(c?.sdgs).toEqual([{ code: '8', label: 'decent work' }]);
    expect(c?.positionSource).toBeUndefined();
  });

  it('derives a symbol from the heading when no report symbol is cited', () => {
    const { xml, header } = fixtureDocx();
    const res = parseOhchrDocumentXml(xml.replace(/A\/HRC\/15\/15\/Add\.1/g, 'the addendum'), [header]);
    expect(res.symbolSource).toBe('derived');
    expect(res.symbol).toBe('UPR/Kuwait/C1/S8');
    expect(deriveSymbol('Egypt', 2)).toBe('UPR/Egypt/C2');
  });

  it('throws no_table for a .docx without the recommendations table', async () => {
    const noTable = makeZip({ 'word/document.xml': doc(p('Just a letter.') + p('No table here.')) });
    await expect(parseOhchrDocx(noTable)).rejects.toSatisfy(
      (e: unknown) => e instanceof ImportParseError && e.issues[0]?.code === 'no_table',
    );
    const otherTable = makeZip({ 'word/document.xml': doc(`<w:tbl><w:tr>${tc(p('Name'))}${tc(p('Value'))}</w:tr></w:tbl>`) });
    await expect(parseOhchrDocx(otherTable)).rejects.toSatisfy(
      (e: unknown) => e instanceof ImportParseError && e.issues[0]?.code === 'no_table',
    );
  });

  it('refuses a zip bomb and a non-zip', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 0x41); // compresses to a few KB
    const bomb = makeZip({ 'word/document.xml': big });
    expect(bomb.length).toBeLessThan(50_000);
    await expect(parseOhchrDocx(bomb, { zipLimits: { maxTotalUncompressed: 1024 * 1024 } })).rejects.toSatisfy(
      (e: unknown) => e instanceof ImportParseError && e.issues[0]?.code === 'zip_bomb',
    );
    const many = makeZip(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.txt`, 'x'])));
    await expect(parseOhchrDocx(many, { zipLimits: { maxEntries: 10 } })).rejects.toSatisfy(
      (e: unknown) => e instanceof ImportParseError && e.issues[0]?.code === 'zip_bomb',
    );
    await expect(parseOhchrDocx(Buffer.from('not a zip at all'))).rejects.toSatisfy(
      (e: unknown) => e instanceof ImportParseError && e.issues[0]?.code === 'invalid_zip',
    );
  });

  it('splits recommending states off the text', () => {
    expect(splitRecommendingStates('Ratify ICPPED (Portugal);')).toEqual({ text: 'Ratify ICPPED', states: ['Portugal'] });
    expect(splitRecommendingStates('Ratify the Convention (ICPPED) (Sierra Leone); (Togo);')).toEqual({
      text: 'Ratify the Convention (ICPPED)',
      states: ['Sierra Leone', 'Togo'],
    });
    expect(splitRecommendingStates('Complete ratification (Ukraine); Increase efforts towards it (Slovakia);').states).toEqual(['Ukraine', 'Slovakia']);
    expect(splitRecommendingStates('Ratify ILO Convention (No. 29) (United Kingdom of Great Britain and Northern Ireland);').states).toEqual([
      'United Kingdom of Great Britain and Northern Ireland',
    ]);
    expect(splitRecommendingStates('Improve conditions (the former Yugoslav Republic of Macedonia);').states).toEqual([
      'the former Yugoslav Republic of Macedonia',
    ]);
    expect(splitRecommendingStates('Set up an NHRI (the Paris Principles) (Niger);').states).toEqual(['Niger']);
  });

  it('reads headings and theme cells', () => {
    expect(parseHeading(['UPR of Egypt - Second Cycle Thematic list of recommendations'])).toMatchObject({ country: 'Egypt', uprCycle: 2 });
    expect(parseHeading(['UPR of Slovenia (3rd Cycle - 34th Session)'])).toMatchObject({ country: 'Slovenia', uprCycle: 3, uprSession: 34 });
    expect(parseThemesCell(['2.1. Acceptance of international norms  ', '12.4. Death penalty', 'Affected persons:', '- general'])).toEqual({
      themes: ['2.1. Acceptance of international norms', '12.4. Death penalty'],
      affectedPersons: ['general'],
      sdgs: [],
    });
  });
});

/* ---------------------------------------------------------------- the real samples */

interface CsvRow {
  country: string;
  cycle: string;
  session: string;
  paragraph: string;
  text: string;
  recommending_states: string;
  source_of_position: string;
  position: string;
  theme_heading: string;
  themes: string;
  groups_or_affected_persons: string;
  sdgs: string;
  source_file: string;
}

describeWithSharedData('ohchr-docx: real OHCHR thematic lists (../shared/data/ohchr-thematic-lists)', () => {
  const dir = `${sharedDataDir}/ohchr-thematic-lists`;
  const load = () => {
    const rows = parseCsv(readFileSync(`${dir}/parsed-thematic-lists.csv`), { columns: true }) as CsvRow[];
    const files = readdirSync(dir).filter((f) => f.endsWith('.docx')).sort();
    return { rows, files };
  };
  const parsed = new Map<string, Promise<OhchrDocxParse>>();
  const parseFile = (f: string) => {
    let pr = parsed.get(f);
    if (!pr) {
      pr = parseOhchrDocx(`${dir}/${f}`);
      parsed.set(f, pr);
    }
    return pr;
  };

  it('imports every sample, with the CSV count per file (1,276 in all)', async () => {
    const { rows, files } = load();
    expect(files.length).toBeGreaterThanOrEqual(5);
    let total = 0;
    for (const f of files) {
      const res = await parseFile(f);
      const expected = rows.filter((r) => r.source_file === f).length;
      expect(res.records.length, f).toBe(expected);
      expect(new Set(res.records.map((r) => r.paragraph)).size, `${f}: unique paragraphs`).toBe(expected);
      for (const r of res.records) {
        expect(r.texts.en, `${f} ${r.paragraph}`).toBeTruthy();
        expect(r.position, `${f} ${r.paragraph}`).toBeDefined();
        expect(r.recommendingStates?.length, `${f} ${r.paragraph} states`).toBeGreaterThan(0);
      }
      total += res.records.length;
    }
    expect(total).toBe(1276);
  }, 60_000);

  it('finds document symbol, country, cycle and session', async () => {
    const expectDoc: Record<string, [string, string, number, number | undefined]> = {
      'china-cycle2-2013-matrix.docx': ['A/HRC/25/5', 'China', 2, 17],
      'china-cycle3-2018-matrix.docx': ['A/HRC/40/6', 'China', 3, 31],
      'egypt-cycle2-matrix.docx': ['A/HRC/28/16', 'Egypt', 2, undefined], // the list does not print its session
      'slovenia-cycle2-UPR20.docx': ['A/HRC/28/15', 'Slovenia', 2, 20],
      'slovenia-cycle3-UPR34.docx': ['A/HRC/43/15', 'Slovenia', 3, 34],
    };
    for (const [f, [symbol, country, cycle, session]] of Object.entries(expectDoc)) {
      const res = await parseFile(f);
      expect(res.records[0]?.document, f).toEqual({
        symbol,
        body: 'UPR',
        type: 'upr_wg_report',
        country,
        uprCycle: cycle,
        ...(session !== undefined ? { uprSession: session } : {}),
      });
    }
  }, 60_000);

  it('matches the CSV field by field on spot checks', async () => {
    const { rows } = load();
    const spot: [string, string][] = [
      ['china-cycle2-2013-matrix.docx', '186.28'],
      ['china-cycle2-2013-matrix.docx', '186.149'],
      ['china-cycle3-2018-matrix.docx', '28.212'],
      ['china-cycle3-2018-matrix.docx', '28.333'],
      ['egypt-cycle2-matrix.docx', '166.6'],
      ['egypt-cycle2-matrix.docx', '166.36'],
      ['slovenia-cycle2-UPR20.docx', '115.163'],
      ['slovenia-cycle3-UPR34.docx', '121.1'],
      ['slovenia-cycle3-UPR34.docx', '122.157'],
    ];
    const posMap: Record<string, string> = { Supported: 'supported', Noted: 'noted', 'Supported/Noted': 'partially_supported' };
    for (const [f, para] of spot) {
      const row = rows.find((r) => r.source_file === f && r.paragraph === para);
      expect(row, `${f} ${para} in CSV`).toBeDefined();
      if (!row) continue;
      const rec = (await parseFile(f)).records.find((r) => r.paragraph === para);
      expect(rec, `${f} ${para}`).toBeDefined();
      if (!rec) continue;
      const label = `${f} ${para}`;
      // text: the CSV keeps the "(State);" tail, ours does not
      expect(row.text.replace(/\s+/g, ' ').startsWith(rec.texts.en ?? '\u0000'), label).toBe(true);
      expect(rec.texts.en?.length, label).toBeGreaterThan(20);
      expect(rec.position, label).toBe(posMap[row.position]);
      expect(rec.themes?.join(' | '), label).toBe(row.themes);
      expect((rec.affectedPersons ?? []).join(' | '), label).toBe(row.groups_or_affected_persons);
      const csvSdgs = row.sdgs ? row.sdgs.split(/[;|]/).map((s) => String(Number(s.trim()))) : [];
      expect((rec.sdgs ?? []).map((s) => s.code), label).toEqual([...new Set(csvSdgs)]);
      expect(`Source of position: ${rec.positionSource}`.toLowerCase(), label).toBe(row.source_of_position.toLowerCase());
    }
    // a few exact values
    const c13 = (await parseFile('china-cycle2-2013-matrix.docx')).records.find((r) => r.paragraph === '186.28');
    expect(c13).toMatchObject({
      texts: { en: 'Continue its efforts on the ratification of other human rights instruments and relevant protocols' },
      recommendingStates: ['Mongolia'],
      themes: ['A12 Acceptance of international norms', 'B51 Right to an effective remedy'],
    });
    const eg = (await parseFile('egypt-cycle2-matrix.docx')).records.find((r) => r.paragraph === '166.6');
    expect(eg?.recommendingStates).toEqual(['Chile', 'Estonia', 'Slovenia', 'Tunisia', 'Uruguay']);
    const sl = (await parseFile('slovenia-cycle3-UPR34.docx')).records.find((r) => r.paragraph === '121.1');
    expect(sl?.sdgs).toEqual([{ code: '16', label: 'PEACE, JUSTICE AND STRONG INSTITUTIONS' }]);
  }, 60_000);

  it('agrees with the CSV on position, SDGs and themes for every row (CSV line-joins normalised)', async () => {
    const { rows, files } = load();
    const posMap: Record<string, string> = { Supported: 'supported', Noted: 'noted', 'Supported/Noted': 'partially_supported' };
    let themeMismatch = 0;
    for (const f of files) {
      const byPara = new Map((await parseFile(f)).records.map((r) => [r.paragraph, r]));
      for (const row of rows.filter((r) => r.source_file === f)) {
        const rec = byPara.get(row.paragraph);
        expect(rec, `${f} ${row.paragraph}`).toBeDefined();
        expect(rec?.position, `${f} ${row.paragraph}`).toBe(posMap[row.position]);
        const csvSdgs = [...new Set(row.sdgs ? row.sdgs.split(/[;|]/).map((s) => String(Number(s.trim()))) : [])];
        expect((rec?.sdgs ?? []).map((s) => s.code), `${f} ${row.paragraph}`).toEqual(csvSdgs);
        // the CSV glued lines broken by <w:br/> together without a separator
        if ((rec?.themes ?? []).join('').replace(/\s+/g, '') !== row.themes.replace(/[\s|]+/g, '')) themeMismatch++;
      }
    }
    expect(themeMismatch).toBe(0);
  }, 60_000);
});
