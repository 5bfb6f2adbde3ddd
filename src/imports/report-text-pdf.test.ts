/**
 * Report text as copied from a UN PDF: page headers and footers, footnote blocks at page bottoms, footnote markers,
 * words split across lines, paragraphs split across pages. The cases are made from the real reports of
 * ../shared/data/wg-reports (test/helpers/pdf-text.ts), and each must give exactly what the clean text gives.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reviewReportText, type ReportExtraction } from './report-text.ts';
import { describeWithSharedData, sharedDataPath } from '../../test/helpers/shared-data.ts';
import { libreOfficePdfText, simulatePdfText } from '../../test/helpers/pdf-text.ts';

const GIVEN: Record<string, string> = { 'oman2011.txt': 'A/HRC/17/7', 'qatar2014.txt': 'A/HRC/27/15', 'yemen2014.txt': 'A/HRC/26/8', 'kuwait2010-A_HRC_15_15.txt': 'A/HRC/15/15' };

const essentials = (r: ReportExtraction) =>
  r.records.map((x) => ({ paragraph: x.paragraph, text: x.texts.en, states: x.recommendingStates, position: x.position, kind: x.kind }));

describe('report text from a PDF: hand-made cases', () => {
  // page 13 ends inside 79.39's neighbour, with a three-line footnote at the bottom whose text ends with "(Austria)"
  const PAGED = [
    'A/HRC/15/15',
    'Distr.: General 16 June 2010',
    'Report of the Working Group on the Universal Periodic Review*',
    'Kuwait',
    '1. The Working Group on the Universal Periodic Review, established in accordance with Human Rights Council',
    'resolution 5/1, held its eighth session from 3 to 14 May 2010.',
    'II. Conclusions and/or recommendations',
    '79. The recommendations formulated during the interactive dialogue and listed below enjoy the support of',
    'Kuwait:',
    '79.1. Take measures to improve the legal and social situation of the Beduns (Austria);1',
    '79.2. Achieve further progress in the advancement of the role of Kuwaiti women in the public',
    'sphere (Indonesia);',
    '1',
    'The recommendation as read during the interactive dialogue: “Take measures to improve the',
    'legal and social situation of the Beduns, in particular by granting them residency”',
    '(Austria)',
    '13',
    'GE.10-14455',
    '\fA/HRC/15/15',
    '79.3. Ratify the Optional Protocol to the Conven-',
    'tion against Torture and pursue its follow-',
    'up (Chile, Czech Republic);',
    '79.3. Ratify the Optional Protocol to the Convention against Torture (Chile);',
    '79.5. Continue with its efforts to improve the status of women and empower them in',
    'GE.10-14455',
    '14',
    '\fA/HRC/15/15',
    'all spheres of life (Jordan).',
    '80. All conclusions and/or recommendations contained in the present report reflect the position of the submitting State(s).',
  ].join('\n');

  it('strips furniture and footnotes, keeps the recommendation before the footnote, joins split words and pages', () => {
    const r = reviewReportText(PAGED);
    expect(r.symbolSource).toBe('text');
    expect(r.document).toMatchObject({ symbol: 'A/HRC/15/15', country: 'Kuwait', date: '2010-06-16', uprSession: 8, uprCycle: 1 });
    expect(essentials(r)).toEqual([
      { paragraph: '79.1', text: 'Take measures to improve the legal and social situation of the Beduns', states: ['Austria'], position: 'supported', kind: 'recommendation' },
      { paragraph: '79.2', text: 'Achieve further progress in the advancement of the role of Kuwaiti women in the public sphere', states: ['Indonesia'], position: 'supported', kind: 'recommendation' },
      { paragraph: '79.3', text: 'Ratify the Optional Protocol to the Convention against Torture and pursue its follow-up', states: ['Chile', 'Czech Republic'], position: 'supported', kind: 'recommendation' },
      { paragraph: '79.5', text: 'Continue with its efforts to improve the status of women and empower them in all spheres of life', states: ['Jordan'], position: 'supported', kind: 'recommendation' },
    ]);
    expect(r.paragraphs).toMatchObject({ found: 5, imported: 4, gaps: ['79.4'], duplicates: ['79.3'], footnotesRemoved: 1 });
    expect(r.skipped.map((s) => s.paragraph)).toEqual(['79.3']);
    expect(r.skipped[0]!.reason).toMatch(/duplicate/);
    expect(r.warnings.join(' ')).toMatch(/79\.4/);
  });
});

describeWithSharedData('report text from a PDF: the real reports with page furniture and footnote blocks', () => {
  const files = readdirSync(sharedDataPath('wg-reports')).filter((f) => f.endsWith('.txt'));

  it('covers every report of the shared data', () => {
    expect(files.length).toBeGreaterThanOrEqual(13);
  });

  it.each(files)('%s: the same paragraphs, texts and recommending states as the clean text', (file) => {
    const raw = readFileSync(sharedDataPath('wg-reports', file));
    const clean = reviewReportText(raw, GIVEN[file] ? { symbol: GIVEN[file] } : {});
    const pdf = simulatePdfText(raw, { symbol: clean.document.symbol });
    expect(pdf).toMatch(/\f/);
    const r = reviewReportText(pdf);
    expect(r.symbolSource).toBe('text');
    expect(r.document).toEqual(clean.document);
    expect(essentials(r)).toEqual(essentials(clean));
    // every numbered recommendation paragraph found is imported or listed with its number
    expect(r.paragraphs.found).toBe(r.records.length + r.skipped.filter((s) => s.paragraph.includes('.')).length);
    expect(r.paragraphs.imported).toBe(clean.records.length);
    expect(r.paragraphs.furnitureRemoved).toBeGreaterThan(10);
    for (const x of r.records) expect(x.texts.en).not.toMatch(/GE\.\d|A\/HRC\/\d+\/\d+$|recommendation as read/);
  });

  it('Kuwait 2010: footnote blocks at page bottoms no longer drop 79.39 nor add footnote text to 79.95', () => {
    const raw = readFileSync(sharedDataPath('wg-reports', 'kuwait2010-A_HRC_15_15.txt'));
    const r = reviewReportText(simulatePdfText(raw, { symbol: 'A/HRC/15/15', pageLines: 38 }));
    expect(r.records).toHaveLength(159);
    expect(r.paragraphs).toMatchObject({ found: 159, imported: 159, gaps: [], duplicates: [] });
    expect(r.paragraphs.footnotesRemoved).toBe(3);
    expect(r.skipped).toEqual([]);
    expect(r.records.reduce((n, x) => n + x.recommendingStates!.length, 0)).toBe(160);
    expect(r.records.find((x) => x.paragraph === '79.39')).toMatchObject({ recommendingStates: ['Indonesia'] });
    expect(r.records.find((x) => x.paragraph === '79.95')).toMatchObject({
      texts: { en: 'Take further necessary measures to protect the rights of foreign workers in general and domestic workers in particular' },
      recommendingStates: ['Indonesia'],
    });
  });
});

describeWithSharedData('report text from a PDF printed by LibreOffice and read by pdftotext', () => {
  it('Kuwait 2010 (A/HRC/15/15): 159 recommendations, symbol, session, date and country from the text', async () => {
    const raw = readFileSync(sharedDataPath('wg-reports', 'kuwait2010-A_HRC_15_15.txt'));
    const clean = reviewReportText(raw, { symbol: 'A/HRC/15/15' });
    const text = await libreOfficePdfText(raw, { symbol: 'A/HRC/15/15' });
    expect(text).toMatch(/GE\.10-14455/);
    const r = reviewReportText(text);
    expect(r.symbolSource).toBe('text');
    expect(r.document).toEqual(clean.document);
    expect(r.records).toHaveLength(159);
    expect(r.paragraphs).toMatchObject({ found: 159, imported: 159, gaps: [], duplicates: [] });
    expect(r.paragraphs.footnotesRemoved).toBeGreaterThanOrEqual(3);
    expect(essentials(r)).toEqual(essentials(clean));
    expect(r.records.find((x) => x.paragraph === '79.39')).toMatchObject({ recommendingStates: ['Indonesia'] });
    expect(r.records.find((x) => x.paragraph === '79.95')).toMatchObject({
      texts: { en: 'Take further necessary measures to protect the rights of foreign workers in general and domestic workers in particular' },
      recommendingStates: ['Indonesia'],
    });
  }, 120_000);
});
