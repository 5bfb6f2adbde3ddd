import { describe, expect, it } from 'vitest';
import { countWords } from './word-count.ts';

describe('countWords (UN way)', () => {
  it('counts English words and leaves footnotes out', () => {
    expect(countWords('The State party adopted Law No. 12/2024 on domestic workers.')).toBe(10);
    expect(countWords('Training was given to 120 officers.[^Ministry of Interior, annual report 2025, p. 4.] It continues.')).toBe(8);
    expect(countWords('  a  —  b ')).toBe(2);
    expect(countWords('')).toBe(0);
    expect(countWords(null)).toBe(0);
  });

  it('counts Arabic words as Word does: joined particles stay one word, marks and diacritics never split', () => {
    // و+اعتمدت, ال+دولة, ب+شأن are single words
    expect(countWords('واعتمدت الدولة قانوناً بشأن العمالة المنزلية.')).toBe(6);
    expect(countWords('مُدَرَّبُونَ ١٢٠ ضابطاً')).toBe(3);
    expect(countWords('القانون\u200f رقم \u2066A/HRC/44/17\u2069 ، المعتمد')).toBe(4);
    expect(countWords('التـــدريب')).toBe(1);
    expect(countWords('نص[^حاشية من خمس كلمات هنا] آخر')).toBe(2);
  });
});
