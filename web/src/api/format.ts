import type { Lang } from './types.ts';

/** Gregorian dates with Latin digits in both languages, so they read the same beside document symbols. */
export const locales: Record<Lang, string> = { ar: 'ar-u-nu-latn', en: 'en-GB' };

// Formatters are made once per language and kind: making one costs far more than formatting with it, and a list
// page formats a date per row and a number per facet value (issue 15: the register's first render).
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function formatter<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let f = formatters.get(key) as F | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}

export function formatDate(value: string | null | undefined, lang: Lang): string {
  if (!value) return '';
  const dateOnly = value.length === 10;
  const d = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return value;
  return formatter(`date:${lang}:${dateOnly}`, () => new Intl.DateTimeFormat(locales[lang], { year: 'numeric', month: 'short', day: 'numeric', timeZone: dateOnly ? 'UTC' : undefined })).format(d);
}

export function formatDateTime(value: string | null | undefined, lang: Lang): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return formatter(`datetime:${lang}`, () => new Intl.DateTimeFormat(locales[lang], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })).format(d);
}

export function formatNumber(value: number, lang: Lang): string {
  return formatter(`number:${lang}`, () => new Intl.NumberFormat(locales[lang])).format(value);
}

/**
 * A currency (an ISO 4217 code, as plans store it) named for the page: its code in English ("KWD"), its Arabic name in
 * Arabic where the locale has one ("دينار كويتي"), else the code.
 */
export function currencyLabel(code: string, lang: Lang): string {
  if (lang !== 'ar') return code;
  try {
    arabicCurrencies ??= new Intl.DisplayNames(['ar'], { type: 'currency' });
    return arabicCurrencies.of(code) ?? code;
  } catch {
    return code; // not a well-formed code: shown as it is
  }
}
let arabicCurrencies: Intl.DisplayNames | undefined;

/**
 * Makes a language's number and date formatters now. The first one made loads the locale's data (tens of ms on a
 * busy machine): the first screen does it while it waits for its requests instead of in its first render.
 */
export function prepareFormats(lang: Lang): void {
  formatNumber(0, lang);
  formatDate('2000-01-01', lang);
}

/** The text in the wanted language, else the other one; says which language it is. */
export function pickText(
  item: { text_ar: string | null; text_en: string | null; text_fr?: string | null },
  lang: Lang,
): { text: string; lang: 'ar' | 'en' | 'fr' } | null {
  const order: ('ar' | 'en' | 'fr')[] = lang === 'ar' ? ['ar', 'en', 'fr'] : ['en', 'ar', 'fr'];
  for (const l of order) {
    const v = item[`text_${l}`];
    if (v && v.trim()) return { text: v, lang: l };
  }
  return null;
}

/** Bilingual label from *_ar / *_en pairs, falling back to the other language, then to a code. */
export function pickLabel(ar: string | null | undefined, en: string | null | undefined, lang: Lang, fallback = ''): string {
  const first = lang === 'ar' ? ar : en;
  const second = lang === 'ar' ? en : ar;
  return (first && first.trim()) || (second && second.trim()) || fallback;
}
