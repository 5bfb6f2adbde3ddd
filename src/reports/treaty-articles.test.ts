import { describe, expect, it } from 'vitest';
import { citedArticle, TREATIES, treatyOfBody } from './treaty-articles.ts';

describe('treaty articles', () => {
  const cat = TREATIES.CAT!;
  it('finds the first cited article that the treaty has, in English and in Arabic', () => {
    expect(citedArticle(cat, { en: 'Ensure prompt investigations (art. 12).' })).toBe('12');
    expect(citedArticle(cat, { en: 'In the light of articles 2 and 16 of the Convention' })).toBe('2');
    expect(citedArticle(cat, { en: 'Under arts. 3, 5 to 9, the State party' })).toBe('3');
    expect(citedArticle(cat, { ar: 'وفقاً للمادة ١٤ من الاتفاقية' })).toBe('14');
    expect(citedArticle(cat, { ar: 'في ضوء المادتين 2 و16' })).toBe('2');
    // an article the treaty does not have among its substantive ones, or none at all
    expect(citedArticle(cat, { en: 'See article 22 on individual communications.' })).toBeUndefined();
    expect(citedArticle(cat, { en: 'Adopt a law by 2027 on 3 matters.', ar: 'اعتماد قانون' })).toBeUndefined();
    // the English text wins when both cite one
    expect(citedArticle(cat, { en: 'art. 10', ar: 'المادة 11' })).toBe('10');
  });

  it('maps each core treaty body to its treaty', () => {
    expect(treatyOfBody('CCPR')?.code).toBe('ICCPR');
    expect(treatyOfBody('CESCR')?.code).toBe('ICESCR');
    expect(treatyOfBody('SPT')).toBeUndefined();
    expect(treatyOfBody('UPR')).toBeUndefined();
  });
});
