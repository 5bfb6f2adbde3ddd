import { describe, expect, it } from 'vitest';
import { countryCode, countryLabel, countryName } from './countries.ts';

describe('country names from the ISO list', () => {
  it('reads the spellings UN documents and UPR Info exports use', () => {
    expect(countryCode('Kuwait')).toBe('KW');
    expect(countryCode('Iran (Islamic Republic of)')).toBe('IR');
    expect(countryCode('United Kingdom of Great Britain and Northern Ireland')).toBe('GB');
    expect(countryCode('Republic of Korea')).toBe('KR');
    expect(countryCode('Trinidad & Tobago')).toBe('TT');
    expect(countryCode('St Lucia')).toBe('LC');
    expect(countryCode('Holy See')).toBe('VA');
    expect(countryCode('Viet Nam')).toBe('VN');
    expect(countryCode('الكويت')).toBe('KW');
    expect(countryCode('KWT')).toBe('KW');
    expect(countryCode('Atlantis')).toBeNull();
  });

  it('gives Arabic and English names, and an unknown name as written', () => {
    expect(countryLabel('Kuwait', 'ar')).toBe('الكويت');
    expect(countryLabel('United States of America', 'ar')).toBe('الولايات المتحدة');
    expect(countryName('Iran (Islamic Republic of)').ar).toMatch(/إيران/);
    expect(countryName('Atlantis')).toEqual({ name: 'Atlantis', code: null, ar: 'Atlantis', en: 'Atlantis' });
  });
});
