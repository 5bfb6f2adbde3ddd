/**
 * indexDocument and analyze memoise per raw word (analyzeWord); their output must stay exactly what
 * the plain pipeline gives: tokenize, then stemToken per token. Checked on the real corpora.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { describeWithSharedData, sharedDataPath } from '../../test/helpers/shared-data.ts';
import { analyze, indexDocument, stemToken, tokenize } from './index.ts';
import { loadDidh, nastyQueries } from './test-support.ts';

/** The pipeline without the per-word cache, as analyze() was first written. */
function reference(text: string) {
  const tokens = tokenize(text).map((t, position) => ({ ...t, position, term: stemToken(t.norm) }));
  const seen = new Set<string>();
  for (const t of tokens) if (t.norm !== t.term) seen.add(t.norm);
  return { tokens, doc: { terms: tokens.map((t) => t.term).join(' '), words: [...seen].join(' ') } };
}

function corpus(): string[] {
  const texts: string[] = [];
  for (const r of loadDidh() ?? []) texts.push(r.text_ar, r.text_fr);
  const upr = sharedDataPath('upr-info', 'upr-info-sessions-1-20.csv');
  if (existsSync(upr)) {
    const rows = parse(readFileSync(upr), { columns: true, relax_quotes: true, skip_records_with_error: true }) as Record<string, string>[];
    for (const r of rows.slice(0, 5000)) texts.push(r.Text ?? '');
  }
  return texts;
}

describeWithSharedData('per-word memoisation keeps the index identical', () => {
  it('on the Morocco DIDH (Arabic, French) and UPR Info (English) texts, twice (cold and warm cache)', () => {
    const texts = corpus();
    expect(texts.length).toBeGreaterThan(5000);
    for (let pass = 0; pass < 2; pass++) {
      let mismatches = 0;
      for (const text of texts) {
        const ref = reference(text);
        const doc = indexDocument(text);
        if (doc.terms !== ref.doc.terms || doc.words !== ref.doc.words) mismatches++;
        if (JSON.stringify(analyze(text)) !== JSON.stringify(ref.tokens)) mismatches++;
      }
      expect(mismatches, `pass ${pass}`).toBe(0);
    }
  }, 120_000);
});

it('per-word memoisation: odd inputs', () => {
  for (const q of [...nastyQueries(300), '', 'ﻻ ﷲ ﬁne ١٢٨.٢٦ وCERD ت21', 'x'.repeat(300)]) {
    const ref = reference(q);
    expect(indexDocument(q), q).toEqual(ref.doc);
    expect(analyze(q), q).toEqual(ref.tokens);
  }
});
