import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { extractReportRecommendations, joinWrappedLines, reviewReportText } from './report-text.ts';
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

// A made-up report in the real layout: CR line ends, Mac Roman, wrapped and hyphenated lines,
// a footnote line in the middle, a page furniture line, nested parentheses in a state name.
const UPR_TEXT = [
  'United Nations A/HRC/99/12',
  'Distr.: General 3 July 2030',
  'Report of the Working Group on the Universal Periodic Review*',
  '* Previously issued under document symbol A/HRC/WG.6/55/L.4.',
  'Utopia',
  'Contents',
  'II. Conclusions and/or recommendations............ 80–83 13',
  '1. The review of Utopia was held on 1 May 2030 (A/HRC/WG.6/55/UTO/1).',
  'II. Conclusions and/or recommendations',
  '80. The recommendations formulated during the interactive dialogue and listed below enjoy the support of Utopia:',
  '80.1. Ratify the Optional Protocol to the Conven-',
  'tion against Torture (Chile);',
  '80.2. Adopt a comprehensive law on non-',
  'discrimination (Iran (Islamic Republic of), Brazil);3',
  '3 The recommendation as read during the interactive dialogue: “Adopt a law” (Brazil)',
  'GE.30-12345',
  '80.3. Continue its efforts in the area of the “Beduns” (United Kingdom of Great Britain and Northern Ireland);',
  '81. The following recommendations did not enjoy the support of Utopia:',
  '81.1 Abolish the death penalty (Norway, Sweden); end all executions (France);',
  '82. The following recommendations will be examined by Utopia, which will provide responses in due time:',
  '82.1. Extend a standing invitation to the special procedures (Latvia).',
  '83. All conclusions and/or recommendations contained in the present report reflect the position of the submitting State(s).',
  'III. Voluntary pledges and commitments',
  '84. Utopia pledges things (Utopia);',
].join('\r');

const OLD_STYLE = [
  'Report of the Working Group on the Universal Periodic Review',
  'Atlantis',
  'A/HRC/WG.6/2/ATL/1',
  'II. CONCLUSIONS AND/OR RECOMMENDATIONS',
  '60. ',
  'The State under review considered the recommendations and agreed on the following: ',
  '1. \t',
  'A gender perspective be included in the follow-up (Slovenia); ',
  '2. \t',
  'Consider signing the Convention (France); ',
  '61. With regard to the other recommendations, the State under review offers the following comments: ',
  '1. \t',
  'Forced marriage is a crime in the laws of Atlantis. ',
  'III. VOLUNTARY COMMITMENTS OF THE STATE UNDER REVIEW',
].join('\n');

const CO_TEXT = [
  'CEDAW/C/UTO/CO/5',
  'Committee on the Elimination of Discrimination against Women',
  'Concluding observations on the fifth periodic report of Utopia*',
  'A. Introduction',
  '1. The Committee considered the fifth periodic report of Utopia at its 1500th meeting.',
  'B. Positive aspects',
  '2. The Committee welcomes the adoption of the law on domestic violence.',
  'C. Principal areas of concern and recommendations',
  'Legislative framework',
  '12. The Committee is concerned that the definition of discrimination in the Constitution',
  'does not cover indirect discrimination.',
  '13. The Committee recommends that the State party:',
  '(a) Adopt a comprehensive definition of discrimination;',
  '(b) Repeal discriminatory provisions of the Personal Status Law.',
  '14. The State party should ensure access to justice for all women.',
].join('\n');

describe('report text: UPR Working Group report', () => {
  it('extracts numbered recommendations, states, positions (Mac Roman, CR line ends)', () => {
    const r = reviewReportText(iconv.encode(UPR_TEXT, 'macintosh'));
    expect(r.style).toBe('upr');
    expect(r.encoding).toBe('macroman');
    expect(r.document).toEqual({
      symbol: 'A/HRC/99/12',
      body: 'UPR',
      type: 'upr_wg_report',
      uprSession: 55,
      uprCycle: 4,
      country: 'Utopia',
      date: '2030-07-03',
    });
    expect(r.records.map((x) => x.paragraph)).toEqual(['80.1', '80.2', '80.3', '81.1', '82.1']);
    const [a, b, c, d, e] = r.records;
    expect(a).toMatchObject({
      sourceRow: 1,
      texts: { en: 'Ratify the Optional Protocol to the Convention against Torture' },
      recommendingStates: ['Chile'],
      kind: 'recommendation',
      position: 'supported',
      positionSource: 'A/HRC/99/12 para 80',
    });
    expect(b!.texts.en).toBe('Adopt a comprehensive law on non-discrimination');
    expect(b!.recommendingStates).toEqual(['Iran (Islamic Republic of)', 'Brazil']);
    expect(c!.recommendingStates).toEqual(['United Kingdom of Great Britain and Northern Ireland']);
    expect(c!.texts.en).toBe('Continue its efforts in the area of the “Beduns”');
    expect(d).toMatchObject({ position: 'noted', recommendingStates: ['Norway', 'Sweden', 'France'] });
    expect(d!.texts.en).toBe('Abolish the death penalty (Norway, Sweden); end all executions');
    expect(e!.position).toBeUndefined();
    expect(e!.positionSource).toBeUndefined();
    expect(e!.recommendingStates).toEqual(['Latvia']);
  });

  it('handles the 2008–2009 numbering (60. then 1., 2.) and reports what it skipped', () => {
    const r = reviewReportText(OLD_STYLE, { symbol: 'A/HRC/8/99' });
    expect(r.symbolSource).toBe('option');
    expect(r.document).toMatchObject({ symbol: 'A/HRC/8/99', country: 'Atlantis', uprSession: 2, uprCycle: 1 });
    expect(r.records.map((x) => [x.paragraph, x.recommendingStates, x.position])).toEqual([
      ['60.1', ['Slovenia'], 'supported'],
      ['60.2', ['France'], 'supported'],
    ]);
    expect(r.skipped.map((s) => s.paragraph)).toEqual(['61.1']);
    expect(extractReportRecommendations(OLD_STYLE, { symbol: 'A/HRC/8/99' })).toEqual(r.records);
  });

  it('needs a symbol when the text has none', () => {
    expect(issueOf(() => reviewReportText(OLD_STYLE))).toMatchObject({ code: 'missing_symbol', field: 'symbol' });
  });

  it('rejects empty input and text without recommendations', () => {
    expect(issueOf(() => reviewReportText(Buffer.alloc(0))).code).toBe('empty_file');
    expect(issueOf(() => reviewReportText(' \r\n ')).code).toBe('empty_file');
    expect(issueOf(() => reviewReportText('Report of the Working Group on the Universal Periodic Review\nNothing here.', { symbol: 'X' })).code).toBe(
      'no_recommendations_section',
    );
  });

  it('joins wrapped lines', () => {
    expect(joinWrappedLines(['Ratify the Conven-', 'tion on follow-', 'up and small- and', 'medium-sized firms; poverty- reduction'])).toBe(
      'Ratify the Convention on follow-up and small- and medium-sized firms; poverty-reduction',
    );
  });
});

describe('report text: concluding observations', () => {
  it('extracts paragraphs as recommendations or observations', () => {
    const r = reviewReportText(CO_TEXT);
    expect(r.style).toBe('concluding_observations');
    expect(r.document).toEqual({ symbol: 'CEDAW/C/UTO/CO/5', body: 'CEDAW', type: 'concluding_observations', country: 'Utopia' });
    expect(r.records.map((x) => [x.paragraph, x.kind])).toEqual([
      ['12', 'observation'],
      ['13', 'recommendation'],
      ['14', 'recommendation'],
    ]);
    expect(r.records[0]!.texts.en).toBe(
      'The Committee is concerned that the definition of discrimination in the Constitution does not cover indirect discrimination.',
    );
    expect(r.records[1]!.texts.en).toBe(
      'The Committee recommends that the State party:\n(a) Adopt a comprehensive definition of discrimination;\n(b) Repeal discriminatory provisions of the Personal Status Law.',
    );
    expect(r.records[1]!.recommendingStates).toBeUndefined();
  });
});

/** Measured on the real samples (paragraphs; paragraph × recommending-state pairs; by position). */
const EXPECTED: Record<string, { symbol: string; records: number; pairs: number; supported: number; noted: number }> = {
  'bahrain2008.txt': { symbol: 'A/HRC/8/19', records: 9, pairs: 9, supported: 9, noted: 0 },
  'bahrain2012.txt': { symbol: 'A/HRC/21/6', records: 176, pairs: 176, supported: 0, noted: 0 },
  'iraq2010.txt': { symbol: 'A/HRC/14/14', records: 176, pairs: 176, supported: 135, noted: 27 },
  'iraq2014.txt': { symbol: 'A/HRC/28/14', records: 229, pairs: 242, supported: 0, noted: 0 },
  'jordan2009.txt': { symbol: 'A/HRC/11/29', records: 56, pairs: 90, supported: 41, noted: 0 },
  'kuwait2010-A_HRC_15_15.txt': { symbol: 'A/HRC/15/15', records: 159, pairs: 160, supported: 114, noted: 25 },
  'oman2011.txt': { symbol: 'GIVEN', records: 166, pairs: 166, supported: 103, noted: 12 },
  'qatar2010.txt': { symbol: 'A/HRC/14/2', records: 112, pairs: 112, supported: 76, noted: 12 },
  'qatar2014.txt': { symbol: 'GIVEN', records: 183, pairs: 184, supported: 92, noted: 7 },
  'saudiarabia2009.txt': { symbol: 'A/HRC/11/23', records: 53, pairs: 93, supported: 0, noted: 0 },
  'unitedarabemirates2009.txt': { symbol: 'A/HRC/10/75', records: 53, pairs: 53, supported: 36, noted: 0 },
  'yemen2009.txt': { symbol: 'A/HRC/12/13', records: 142, pairs: 153, supported: 109, noted: 12 },
  'yemen2014.txt': { symbol: 'GIVEN', records: 190, pairs: 191, supported: 165, noted: 0 },
};

describeWithSharedData('report text: real Working Group reports', () => {
  const read = (f: string) => readFileSync(sharedDataPath('wg-reports', f));

  it('Kuwait 2010 (A/HRC/15/15): 159 recommendations, checked by hand', () => {
    const r = reviewReportText(read('kuwait2010-A_HRC_15_15.txt'), { symbol: 'A/HRC/15/15' });
    expect(r.symbolSource).toBe('option'); // the text carries only A/HRC/WG.6/8/L.14
    expect(r.encoding).toBe('macroman');
    expect(r.document).toMatchObject({ symbol: 'A/HRC/15/15', country: 'Kuwait', uprSession: 8, uprCycle: 1, date: '2010-06-16' });
    expect(r.records).toHaveLength(159);
    const count = (prefix: string) => r.records.filter((x) => x.paragraph!.startsWith(prefix)).length;
    expect([count('79.'), count('80.'), count('81.'), count('82.')]).toEqual([114, 19, 6, 20]);
    const first = r.records[0]!;
    expect(first).toMatchObject({
      paragraph: '79.1',
      texts: { en: 'Ratify the International Convention on the Rights of Persons with Disabilities and its Optional Protocol' },
      recommendingStates: ['Chile'],
      position: 'supported',
      positionSource: 'A/HRC/15/15 para 79',
    });
    const last = r.records.at(-1)!;
    expect(last).toMatchObject({ paragraph: '82.20', texts: { en: 'End all discriminatory provisions in Kuwait’s housing programme' }, recommendingStates: ['Norway'] });
    expect(last.position).toBeUndefined();
    const several = r.records.find((x) => x.paragraph === '79.47')!;
    expect(several.recommendingStates).toEqual(['Bhutan', 'Islamic Republic of Iran']);
    expect(several.texts.en).toBe('Continue its efforts to preserve the rights of future generations through its Future Generation Fund');
    // the footnote "2 The recommendation as read…" is not glued to 79.32 or 79.47
    const r32 = r.records.find((x) => x.paragraph === '79.32')!;
    expect(r32).toMatchObject({
      recommendingStates: ['Chile'],
      texts: { en: 'Consider extending a standing and open invitation to special procedures mandate holders of the United Nations human rights system' },
    });
    expect(r.records.find((x) => x.paragraph === '81.6')).toMatchObject({ position: 'noted', recommendingStates: ['Israel'] });
    expect(r.records.find((x) => x.paragraph === '80.19')!.texts.en).toMatch(/^Consider decriminalizing same-sex relations/);
    expect(r.records.every((x) => !/\(\w+\);?$/.test(x.texts.en!))).toBe(true);
    // 160 = UPR Info's count for this review: it splits 79.47 into one row per recommending state
    expect(r.records.reduce((n, x) => n + x.recommendingStates!.length, 0)).toBe(160);
  });

  it.each(Object.entries(EXPECTED))('%s', (file, want) => {
    const r = reviewReportText(read(file), { symbol: want.symbol === 'GIVEN' || file.startsWith('kuwait') ? want.symbol : undefined });
    expect(r.document.symbol).toBe(want.symbol);
    expect(r.records).toHaveLength(want.records);
    expect(r.records.reduce((n, x) => n + (x.recommendingStates?.length ?? 0), 0)).toBe(want.pairs);
    expect(r.records.filter((x) => x.position === 'supported')).toHaveLength(want.supported);
    expect(r.records.filter((x) => x.position === 'noted')).toHaveLength(want.noted);
    expect(r.records.every((x) => x.texts.en && x.texts.en.length > 10 && x.recommendingStates?.length)).toBe(true);
    expect(new Set(r.records.map((x) => x.paragraph)).size).toBe(r.records.length);
  });
});
