import { describe, expect, it } from 'vitest';
import { sameState, textSimilarity, textTokens } from './merge.service.ts';

describe('one record per recommendation: matching two sources', () => {
  it('knows one state under its different spellings, and tells different states apart', () => {
    expect(sameState('Iran', 'Islamic Republic of Iran')).toBe(true);
    expect(sameState('Libya', 'Libyan Arab Jamahiriya')).toBe(true);
    expect(sameState('Syria', 'Syrian Arab Republic')).toBe(true);
    expect(sameState('Laos', 'Lao People’s Democratic Republic')).toBe(true);
    expect(sameState('Kazakhstan', 'Austria')).toBe(false);
    expect(sameState('United Arab Emirates', 'United Kingdom of Great Britain and Northern Ireland')).toBe(false);
    expect(sameState('Republic of Korea', "Democratic People's Republic of Korea")).toBe(true); // same distinctive word: text decides
  });

  it('scores near-identical texts high and different ones low', () => {
    const a = textTokens('Ratify the International Convention on the Rights of Persons with Disabilities and its Optional Protocol');
    const b = textTokens('Ratify the International Convention on the Rights of Persons with Disabilities and its Optional Protocol.');
    const c = textTokens('Abolish the death penalty');
    expect(textSimilarity(a, b)).toBe(1);
    expect(textSimilarity(a, c)).toBeLessThan(0.3);
  });
});
