/**
 * Country and state names in Arabic and English from the maintained ISO 3166 list of `i18n-iso-countries`
 * (not a hand-written table). Names arrive as sources spell them ("Iran (Islamic Republic of)", "St Lucia",
 * "Trinidad & Tobago", "الكويت"): each is folded to a key and looked up among the package's official names and
 * aliases in English, French and Arabic; the few UN or UPR Info spellings the package does not list are in
 * SOURCE_SPELLINGS. A name that matches no country is shown as it is.
 */
import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';

const require = createRequire(import.meta.url);
const LOCALES = ['en', 'ar', 'fr'] as const;
for (const l of LOCALES) countries.registerLocale(require(`i18n-iso-countries/langs/${l}.json`) as countries.LocaleData);

/** Spellings used by UN documents and UPR Info exports that the ISO list does not carry, to their alpha-2 code. */
const SOURCE_SPELLINGS: Readonly<Record<string, string>> = {
  'holy see': 'VA',
  'syria': 'SY',
  'laos': 'LA',
  'viet nam': 'VN',
  'democratic republic of congo': 'CD',
  'democratic republic of the congo': 'CD',
  'republic of congo': 'CG',
  'dpr korea': 'KP',
  'macedonia fyr': 'MK',
  'the former yugoslav republic of macedonia': 'MK',
  'moldova': 'MD',
  'swaziland': 'SZ',
  'guinea bissau': 'GW',
  'micronesia': 'FM',
  'state of palestine': 'PS',
  'palestine': 'PS',
  'turkiye': 'TR',
  'cape verde': 'CV',
  'united kingdom of great britain and northern ireland': 'GB',
};

function fold(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u064b-\u0652\u0640]/g, '')
    .toLowerCase()
    .replace(/&#40;|&#41;/g, ' ')
    .replace(/&/g, ' and ')
    .replace(/\bst\.?\s/g, 'saint ')
    .replace(/[أإآ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/^(the|ال) /, '')
    .trim();
}

let byKey: Map<string, string> | null = null;
function lookupTable(): Map<string, string> {
  if (byKey) return byKey;
  const m = new Map<string, string>();
  for (const l of LOCALES) {
    for (const [code, names] of Object.entries(countries.getNames(l, { select: 'all' }))) {
      for (const n of names) {
        const k = fold(n);
        if (k && !m.has(k)) m.set(k, code);
        // "Korea, Republic of" → "republic of korea"
        const comma = /^(.+?),\s*(.+)$/.exec(n);
        if (comma) {
          const k2 = fold(`${comma[2]} ${comma[1]}`);
          if (k2 && !m.has(k2)) m.set(k2, code);
        }
      }
    }
  }
  for (const [k, code] of Object.entries(SOURCE_SPELLINGS)) m.set(fold(k), code);
  byKey = m;
  return m;
}

/** The ISO alpha-2 code of a country named in any of the known spellings, or null. */
export function countryCode(name: string | null | undefined): string | null {
  if (!name || !name.trim()) return null;
  const trimmed = name.trim();
  if (/^[A-Z]{2}$/.test(trimmed) && countries.isValid(trimmed)) return trimmed;
  if (/^[A-Z]{3}$/.test(trimmed) && countries.isValid(trimmed)) return countries.alpha3ToAlpha2(trimmed) ?? null;
  const table = lookupTable();
  const key = fold(trimmed);
  const direct = table.get(key);
  if (direct) return direct;
  // "Iran (Islamic Republic of)" and "Bolivia (Plurinational State of)": the name before the brackets
  const bare = fold(trimmed.replace(/\(.*\)/g, ' '));
  return (bare && table.get(bare)) || null;
}

export interface CountryName {
  /** the name as the source wrote it */
  name: string;
  code: string | null;
  ar: string;
  en: string;
}

/** The Arabic and English names of a country named in any known spelling; an unknown name keeps its spelling on both sides. */
export function countryName(name: string): CountryName {
  const code = countryCode(name);
  if (!code) return { name, code: null, ar: name, en: name };
  return { name, code, ar: countries.getName(code, 'ar') ?? name, en: countries.getName(code, 'en') ?? name };
}

/** The name of a country in one language, or the name as written when it is not a known country. */
export function countryLabel(name: string, lang: 'ar' | 'en'): string {
  return countryName(name)[lang];
}
