/** Real Arabic phrases from the Moroccan DIDH recommendations: spelling variants must index alike. */
import { expect, it } from 'vitest';
import { indexDocument, indexTerms, matchesQuery, parseQuery, tokenize } from './index.ts';
import { describeWithSharedData } from '../../test/helpers/shared-data.ts';
import { loadDidh, rng } from './test-support.ts';

const rows = loadDidh();

/** Spelling variants a user might type: no hamza, ه for ة, ي for ى, tatweel, diacritics, digits. */
function variants(s: string): string[] {
  const noHamza = s.replace(/[أإآ]/g, 'ا').replace(/ؤ/g, 'و').replace(/ئ/g, 'ي').replace(/ء/g, '');
  const haa = s.replace(/ة/g, 'ه');
  const yaa = s.replace(/ى/g, 'ي');
  const tatweel = s.replace(/([بتثجحخسشصضطظعغفقكلمنهي])(?=[\u0621-\u064A])/g, '$1ـ');
  const tashkeel = s.replace(/([\u0628-\u064A])/g, '$1\u064E');
  const indic = s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
  const all = noHamza.replace(/ة/g, 'ه').replace(/ى/g, 'ي');
  return [noHamza, haa, yaa, tatweel, tashkeel, indic, all];
}

describeWithSharedData('real Arabic recommendations', () => {
  const data = rows ?? [];
  const ar = data.filter((r) => r.text_ar.trim().length > 0);

  it('has Arabic text to test', () => {
    expect(ar.length).toBeGreaterThan(500);
  });

  it('variant spellings of every word in the corpus give identical index terms', () => {
    const wordsSeen = new Set<string>();
    for (const r of ar) for (const t of tokenize(r.text_ar)) wordsSeen.add(t.text);
    const interesting = [...wordsSeen].filter((w) => /[\u0621-\u0626\u0629\u0649]|[\u064B-\u0652]/u.test(w));
    expect(interesting.length).toBeGreaterThan(500);
    for (const w of interesting) {
      const expected = indexDocument(w);
      for (const v of variants(w)) expect(indexDocument(v), `${w} vs ${v}`).toEqual(expected);
    }
  });

  it('variant spellings of whole recommendations give identical index terms', () => {
    const r = rng(7);
    for (let i = 0; i < 100; i++) {
      const row = ar[Math.floor(r() * ar.length)];
      if (!row) continue;
      const expected = indexTerms(row.text_ar);
      for (const v of variants(row.text_ar)) expect(indexTerms(v)).toBe(expected);
    }
  });

  it('a query typed without hamza/taa marbuta finds the recommendation, as a phrase too', () => {
    const r = rng(11);
    let checked = 0;
    for (let i = 0; i < 200; i++) {
      const row = ar[Math.floor(r() * ar.length)];
      const toks = row ? tokenize(row.text_ar) : [];
      if (!row || toks.length < 4) continue;
      const k = Math.floor(r() * (toks.length - 2));
      const phrase = toks
        .slice(k, k + 3)
        .map((t) => t.text)
        .join(' ');
      const typed = variants(phrase)[6] ?? phrase; // all-variant spelling
      expect(matchesQuery(row.text_ar, parseQuery(`"${typed}"`)), typed).toBe(true);
      expect(matchesQuery(row.text_ar, parseQuery(typed)), typed).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('known words from the data: التصديق / المرأة / الاتفاقية', () => {
    const hits = (q: string) => ar.filter((row) => matchesQuery(row.text_ar, parseQuery(q))).length;
    expect(hits('التصديق')).toBeGreaterThan(10);
    expect(hits('التصديق')).toBe(hits('التصديق'.replace('ة', 'ه')));
    expect(hits('المرأة')).toBeGreaterThan(10);
    expect(hits('المرأة')).toBe(hits('المراه'));
    expect(hits('الاتفاقية')).toBe(hits('الإتفاقيه'));
    expect(hits('"حقوق الإنسان"')).toBe(hits('"حقوق الانسان"'));
    expect(hits('"حقوق الإنسان"')).toBeGreaterThan(50);
  });
});
