import { describe, expect, it } from 'vitest';
import { currencyLabel } from './format.ts';

describe('currencyLabel', () => {
  it('names a currency in Arabic on an Arabic page and keeps its code on an English one', () => {
    expect(currencyLabel('KWD', 'ar')).toBe('دينار كويتي');
    expect(currencyLabel('SAR', 'ar')).toBe('ريال سعودي');
    expect(currencyLabel('KWD', 'en')).toBe('KWD');
  });

  it('shows a code the locale does not know, or a malformed one, as it is', () => {
    expect(currencyLabel('XYZ', 'ar')).toBe('XYZ');
    expect(currencyLabel('K!', 'ar')).toBe('K!');
  });
});
