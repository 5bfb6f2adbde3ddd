/** English-only recommendations, as UN sources often come (Kuwait's 2010 review, shortened), for issue 13's tests. */
import type { ImportRecord } from '../../src/imports/index.ts';

const DOC = { symbol: 'A/HRC/15/15', body: 'UPR', type: 'upr_wg_report', date: '2010-06-16', uprCycle: 1, uprSession: 8, country: 'Kuwait' };
export const ENGLISH_ONLY: [string, string, string[]][] = [
  ['79.1', 'Consider ratifying the Optional Protocol to the Convention against Torture', ['France']],
  ['79.2', 'Strengthen measures to protect women from domestic violence and ensure equality of women in law', ['United Kingdom of Great Britain and Northern Ireland']],
  ['79.3', 'Establish a national human rights institution in accordance with the Paris Principles', ['Republic of Korea']],
  ['79.10', 'Extend the protection of the labour law to domestic workers and abolish the sponsorship system', ['Iran (Islamic Republic of)']],
  ['79.11', 'Find a durable solution to the situation of the Bidoon and grant nationality to illegal residents', ['Holy See', 'Mexico']],
  ['79.12', 'Ratify the CAT Optional Protocol and allow visits to places of detention', ['Czech Republic']],
  ['79.20', 'Give migrant workers access to courts', ['Viet Nam']],
];

export function englishOnlyRecords(): ImportRecord[] {
  return ENGLISH_ONLY.map(([paragraph, text, states], i) => ({
    sourceRow: i + 1,
    document: DOC,
    paragraph,
    texts: { en: text },
    originalLang: 'en',
    kind: 'recommendation',
    recommendingStates: states,
  }));
}

