import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { countUprInfo, parseUprInfoCsv, splitUprInfoIssues, uprCycleOfSession, uprInfoSymbol } from './upr-info-csv.ts';
import { describeWithSharedData, sharedDataPath } from '../../test/helpers/shared-data.ts';
import { ImportParseError, type ImportIssue } from './types.ts';

function issueOf(fn: () => unknown): ImportIssue {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImportParseError);
    return (err as ImportParseError).issues[0]!;
  }
  throw new Error('expected an ImportParseError');
}

const HEADER = 'To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session,source_file,cycle';
const ROWS = [
  'Kuwait,Asia,OIC,"Ratify the Convention on the Rights of Persons with Disabilities",Chile,GRULAC,,Accepted,4,"Disabilities,International instruments",8,f.csv,1.0',
  'Kuwait,Asia,OIC,"Consider decriminalizing same-sex relations",Brazil,GRULAC,,Noted,3,Sexual Orientation and Gender Identity,8,f.csv,1.0',
  "Cote d'Ivoire,Africa,\"AU, OIC, OIF\",\"Côte d'Ivoire intends to submit its reports vis-à-vis the treaty bodies\",Cote d'Ivoire,Africa,\"AU, OIC, OIF\",Voluntary Pledge,5,Treaty bodies,19,f_voluntary.csv,",
  'Kuwait,Asia,OIC,"Ratify the Convention on the Rights of Persons with Disabilities",Chile,GRULAC,,Accepted,4,"Disabilities,International instruments",8,f.csv,1.0',
];

describe('UPR Info CSV', () => {
  const csv = [HEADER, ...ROWS].join('\n') + '\n';

  it('maps recommendations and pledges', () => {
    const recs = parseUprInfoCsv(Buffer.from(csv, 'utf8'));
    expect(recs).toHaveLength(4);
    expect(recs[0]).toEqual({
      sourceRow: 2,
      document: { symbol: 'UPR/kuwait/S8', body: 'UPR', type: 'upr_wg_report', uprSession: 8, uprCycle: 1, country: 'Kuwait' },
      externalId: recs[0]!.externalId,
      texts: { en: 'Ratify the Convention on the Rights of Persons with Disabilities' },
      originalLang: 'en',
      kind: 'recommendation',
      recommendingStates: ['Chile'],
      position: 'supported',
      positionSource: 'UPR Info',
      themes: ['Disabilities', 'International instruments'],
      themeSource: 'upr-info',
    });
    expect(recs[0]!.externalId).toMatch(/^UPRINFO-[0-9a-f]{12}$/);
    expect(recs[1]).toMatchObject({ position: 'noted', themes: ['Sexual Orientation and Gender Identity'] });
    expect(recs[2]).toMatchObject({
      kind: 'pledge',
      document: { symbol: "UPR/cote-d-ivoire/S19/VP", type: 'pledge', uprSession: 19, uprCycle: 2, country: "Cote d'Ivoire" },
    });
    expect(recs[2]!.recommendingStates).toBeUndefined();
    expect(recs[2]!.position).toBeUndefined();
    expect(countUprInfo(recs)).toMatchObject({ recommendations: 3, pledges: 1, supported: 2, noted: 1 });
  });

  it('gives deterministic keys: same file, re-ordered file, exact duplicates', () => {
    const a = parseUprInfoCsv(Buffer.from(csv));
    const b = parseUprInfoCsv(Buffer.from(csv));
    expect(b.map((r) => r.externalId)).toEqual(a.map((r) => r.externalId));
    // the exact duplicate (row 5) is told apart from row 2
    expect(a[3]!.externalId).toBe(`${a[0]!.externalId}-2`);
    // re-ordering rows does not change the key of a recommendation
    const reordered = parseUprInfoCsv([HEADER, ROWS[1], ROWS[2], ROWS[0]].join('\n'));
    expect(new Set(reordered.map((r) => r.externalId))).toEqual(
      new Set(a.slice(0, 3).map((r) => r.externalId)),
    );
    // whitespace differences do not change the key
    const spaced = parseUprInfoCsv([HEADER, ROWS[0]!.replace('Ratify the', 'Ratify  the ')].join('\n'));
    expect(spaced[0]!.externalId).toBe(a[0]!.externalId);
  });

  it('reads the pledges-file shape: Mac Roman, CR-only line ends, no cycle column', () => {
    const header = 'To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session';
    const row = ROWS[2]!.split(',').slice(0, -2).join(',');
    const text = `${header}\r${row}\r`;
    const bytes = iconv.encode(text, 'macintosh');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const [pledge] = parseUprInfoCsv(bytes);
    expect(pledge!.texts.en).toBe("Côte d'Ivoire intends to submit its reports vis-à-vis the treaty bodies");
    expect(pledge!.kind).toBe('pledge');
    expect(pledge!.document.uprCycle).toBe(uprCycleOfSession(19));
    // same key as the same pledge in the UTF-8 combined export
    const utf8 = parseUprInfoCsv(csv);
    expect(pledge!.externalId).toBe(utf8[2]!.externalId);
    // and a Latin-1 rendering with the option
    const latin = parseUprInfoCsv(iconv.encode(text, 'latin1'), { encoding: 'latin1' });
    expect(latin[0]!.texts.en).toBe(pledge!.texts.en);
  });

  it('splits the comma-joined issues list correctly', () => {
    expect(splitUprInfoIssues("Rights of the Child,Women's rights")).toEqual(['Rights of the Child', "Women's rights"]);
    expect(splitUprInfoIssues('Asylum-seekers - refugees,HIV - Aids,')).toEqual(['Asylum-seekers - refugees', 'HIV - Aids']);
    expect(splitUprInfoIssues('Labour, work,Justice,Justice')).toEqual(['Labour, work', 'Justice']);
    expect(splitUprInfoIssues('')).toEqual([]);
  });

  it('synthesises stable symbols and cycles', () => {
    expect(uprInfoSymbol('Sao Tome & Principe', 17)).toBe('UPR/sao-tome-and-principe/S17');
    expect([1, 12, 13, 26, 27, 40, 41].map(uprCycleOfSession)).toEqual([1, 1, 2, 2, 3, 3, 4]);
  });

  it('rejects bad input with row and field', () => {
    expect(issueOf(() => parseUprInfoCsv(Buffer.alloc(0))).code).toBe('empty_file');
    expect(issueOf(() => parseUprInfoCsv(HEADER + '\n')).code).toBe('empty_file');
    const noIssue = issueOf(() => parseUprInfoCsv('To,Text,From,Response,Session\nKuwait,x,Chile,Accepted,8\n'));
    expect(noIssue).toMatchObject({ code: 'missing_column', field: 'Issue' });
    expect(noIssue.message).toContain('"Issue"');
    const badResponse = ROWS[0]!.replace('Accepted', 'Maybe');
    expect(issueOf(() => parseUprInfoCsv(`${HEADER}\n${ROWS[1]}\n${badResponse}\n`))).toMatchObject({ code: 'bad_value', row: 3, field: 'Response' });
    const badSession = ROWS[0]!.replace(',8,f.csv', ',eight,f.csv');
    expect(issueOf(() => parseUprInfoCsv(`${HEADER}\n${badSession}\n`))).toMatchObject({ code: 'bad_value', row: 2, field: 'Session' });
    const noText = ROWS[0]!.replace('"Ratify the Convention on the Rights of Persons with Disabilities"', '');
    expect(issueOf(() => parseUprInfoCsv(`${HEADER}\n${noText}\n`))).toMatchObject({ code: 'missing_text', row: 2, field: 'Text' });
    const invalidUtf8 = Buffer.concat([Buffer.from(HEADER + '\n'), Buffer.from([0x4b, 0xff, 0xfe, 0x0a])]);
    expect(issueOf(() => parseUprInfoCsv(invalidUtf8, { encoding: 'utf8' })).code).toBe('bad_encoding');
    const big = ROWS[0]!.replace('Ratify the', 'z'.repeat(10 * 1024 * 1024));
    expect(issueOf(() => parseUprInfoCsv(`${HEADER}\n${big}\n`))).toMatchObject({ code: 'cell_too_large', row: 2, field: 'Text' });
  });
});

describeWithSharedData('UPR Info real export', () => {
  const sessions = () => parseUprInfoCsv(readFileSync(sharedDataPath('upr-info', 'upr-info-sessions-1-20.csv')));

  it('gives 41,066 recommendations plus 947 pledges (42,013 rows)', () => {
    const recs = sessions();
    expect(recs).toHaveLength(42_013);
    expect(countUprInfo(recs)).toMatchObject({ recommendations: 41_066, pledges: 947, supported: 30_472, noted: 10_594 });
    // keys are unique across the file
    expect(new Set(recs.map((r) => r.externalId)).size).toBe(42_013);
    // Kuwait, first review (session 8): 160 recommendations (124 accepted, 36 noted) and 8 pledges
    const kuwait = recs.filter((r) => r.document.country === 'Kuwait');
    expect(kuwait.filter((r) => r.kind === 'recommendation')).toHaveLength(160);
    expect(kuwait.filter((r) => r.position === 'supported')).toHaveLength(124);
    expect(kuwait.filter((r) => r.kind === 'pledge')).toHaveLength(8);
    expect(new Set(kuwait.filter((r) => r.kind === 'recommendation').map((r) => r.document.symbol))).toEqual(new Set(['UPR/kuwait/S8']));
    // every row has at least one UPR Info issue, all from the known list (54 distinct in this export)
    expect(new Set(recs.flatMap((r) => r.themes ?? [])).size).toBe(54);
  }, 60_000);

  it('reads the Mac Roman pledges file to the same 947 pledges, with the same keys', () => {
    const bytes = readFileSync(sharedDataPath('upr-info', 'upr-info-voluntary-pledges-macroman.csv'));
    const pledges = parseUprInfoCsv(bytes);
    expect(pledges).toHaveLength(947);
    expect(pledges.every((p) => p.kind === 'pledge')).toBe(true);
    const ci = pledges.find((p) => p.document.country === "Cote d'Ivoire" && p.texts.en?.startsWith('C'));
    expect(ci?.texts.en).toMatch(/^Côte d'Ivoire intends/);
    expect(pledges.some((p) => p.texts.en?.includes('vis-à-vis'))).toBe(true);
    const keys = new Set(sessions().map((r) => r.externalId));
    expect(pledges.filter((p) => keys.has(p.externalId))).toHaveLength(947);
  }, 60_000);
});

describe('UPR Info CSV: the newer export layout', () => {
  it('reads SuR/RS/Recommendation columns, semicolons and a BOM, and filters by the state under review', () => {
    const csv =
      '\ufeffSuR;Rgrp;Org;Recommendation;RS;RS-Rgrp;RS-Org;Response;Action;Issue;Session\r\n' +
      'Kuwait;Asia;OIC;"Abolish the death penalty; end executions";Norway;WEOG;;Noted;5;Death penalty;8\r\n' +
      'Kenya;Africa;AU;Ratify the Convention against Torture;Chile;GRULAC;;Accepted;4;Torture and other CID treatment;8\r\n';
    const all = parseUprInfoCsv(Buffer.from(csv, 'utf8'));
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({
      texts: { en: 'Abolish the death penalty; end executions' },
      recommendingStates: ['Norway'],
      position: 'noted',
      themes: ['Death penalty'],
      document: { symbol: 'UPR/kuwait/S8', country: 'Kuwait', uprSession: 8 },
    });
    // the same recommendation in the older layout gets the same key
    const older = parseUprInfoCsv(Buffer.from('To,Text,From,Response,Issue,Session\nKuwait,"Abolish the death penalty; end executions",Norway,Noted,Death penalty,8\n'));
    expect(older[0]!.externalId).toBe(all[0]!.externalId);
    expect(parseUprInfoCsv(Buffer.from(csv, 'utf8'), { country: ' KENYA ' }).map((r) => r.document.country)).toEqual(['Kenya']);
    expect(() => parseUprInfoCsv(Buffer.from(csv, 'utf8'), { country: 'Atlantis' })).toThrow(/Atlantis/);
  });
});
