/**
 * Text normalisation shared by indexing, querying and highlighting.
 *
 * Everything here is pure and total (never throws) and idempotent:
 * `normalizeText(normalizeText(s)) === normalizeText(s)`.
 *
 * Arabic rules (see `normalizeArabic`):
 * - diacritics removed: tashkeel U+064B–U+065F (fathatan … sukun, plus the extended marks up to
 *   U+065F, which includes combining hamza above/below U+0654/U+0655), superscript alef U+0670,
 *   Quranic annotation marks U+0610–U+061A and U+06D6–U+06ED; tatweel U+0640 removed;
 * - alef forms أ إ آ ٱ (and the rare ٲ ٳ ٵ) → ا;
 * - taa marbuta ة → ه; alef maqsura ى → ي;
 * - hamza carriers ؤ → و, ئ → ي;
 * - standalone hamza ء is REMOVED. Rationale: every other hamza rule drops the hamza sign and keeps
 *   its seat (أ→ا, ؤ→و, ئ→ي); ء has no seat, so dropping it is the same rule. It also makes
 *   the common informal spellings without hamza match (سماء/سما, اجراءات/اجراات, شيء/شي).
 *   Cost: a few rare collisions (ماء "water" and ما "what").
 * - Arabic-Indic ٠-٩ (U+0660–0669) and Persian/extended ۰-۹ (U+06F0–06F9) digits → 0-9.
 *
 * Latin rules (see `normalizeLatin`): lower-case, accents removed (NFD then combining marks
 * dropped), ß→ss, œ→oe, æ→ae, ø→o, đ→d, ł→l, ı→i, þ→th, ð→d, ŋ→n, ħ→h.
 *
 * `normalizeText` first applies NFKC (presentation forms ﻻ → لا, ligatures ﷲ → الله, ﬁ → fi,
 * full-width and superscript digits → ASCII digits), then both of the above, and finally removes
 * invisible format characters (bidi marks, ZWJ/ZWNJ, soft hyphen) and any remaining combining mark,
 * so that the index never contains a character that one search engine might treat as a word
 * separator and the other not.
 */

/** Arabic diacritics and Quranic marks (not letters): removed. Tatweel is included. */
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640]/g;

const ARABIC_LETTER_MAP: Readonly<Record<string, string>> = {
  '\u0623': '\u0627', // أ → ا
  '\u0625': '\u0627', // إ → ا
  '\u0622': '\u0627', // آ → ا
  '\u0671': '\u0627', // ٱ → ا (alef wasla)
  '\u0672': '\u0627', // ٲ → ا
  '\u0673': '\u0627', // ٳ → ا
  '\u0675': '\u0627', // ٵ → ا
  '\u0629': '\u0647', // ة → ه
  '\u0649': '\u064A', // ى → ي
  '\u0624': '\u0648', // ؤ → و
  '\u0626': '\u064A', // ئ → ي
  '\u0621': '', //       ء → (removed)
};
const ARABIC_LETTERS_RE = /[\u0621-\u0626\u0629\u0649\u0671-\u0673\u0675]/g;

/** Arabic-Indic (U+0660–0669) and extended/Persian (U+06F0–06F9) digits. */
const ARABIC_DIGITS_RE = /[\u0660-\u0669\u06F0-\u06F9]/g;

function arabicDigitToAscii(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const zero = cp >= 0x06f0 ? 0x06f0 : 0x0660;
  return String.fromCharCode(0x30 + cp - zero);
}

/** Removes Arabic diacritics (tashkeel, superscript alef, Quranic marks) and tatweel only. */
export function stripArabicDiacritics(s: string): string {
  return s.replace(ARABIC_MARKS, '');
}

/**
 * Arabic normalisation: diacritics and tatweel removed, alef/hamza/taa marbuta/alef maqsura
 * unified, Arabic-Indic and Persian digits → ASCII. Leaves non-Arabic characters untouched.
 */
export function normalizeArabic(s: string): string {
  return stripArabicDiacritics(s)
    .replace(ARABIC_LETTERS_RE, (ch) => ARABIC_LETTER_MAP[ch] ?? ch)
    .replace(ARABIC_DIGITS_RE, arabicDigitToAscii);
}

const LATIN_SPECIAL: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  œ: 'oe',
  Œ: 'oe',
  æ: 'ae',
  Æ: 'ae',
  ø: 'o',
  Ø: 'o',
  đ: 'd',
  Đ: 'd',
  ł: 'l',
  Ł: 'l',
  ı: 'i',
  þ: 'th',
  Þ: 'th',
  ð: 'd',
  Ð: 'd',
  ŋ: 'n',
  Ŋ: 'n',
  ħ: 'h',
  Ħ: 'h',
};
const LATIN_SPECIAL_RE = /[ßẞœŒæÆøØđĐłŁıþÞðÐŋŊħĦ]/g;
const COMBINING_MARKS_RE = /\p{M}/gu;

/** Latin normalisation: lower-case, accents stripped (NFD + marks removed), ß→ss, œ→oe, æ→ae, … */
export function normalizeLatin(s: string): string {
  return s
    .replace(LATIN_SPECIAL_RE, (ch) => LATIN_SPECIAL[ch] ?? ch)
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS_RE, '')
    .replace(LATIN_SPECIAL_RE, (ch) => LATIN_SPECIAL[ch] ?? ch);
}

/** Invisible format characters (bidi controls, ZWJ/ZWNJ, soft hyphen, BOM…). */
const FORMAT_CHARS_RE = /\p{Cf}/gu;

/**
 * Full normalisation used everywhere: NFKC, Arabic rules, Latin rules, format characters and any
 * remaining combining mark removed. Word separators (spaces, punctuation) are kept as they are.
 */
export function normalizeText(s: string): string {
  // Arabic first (while its letters are still composed), then Latin (NFD + mark removal).
  const out = normalizeLatin(normalizeArabic(s.normalize('NFKC')))
    .replace(FORMAT_CHARS_RE, '')
    .normalize('NFC')
    .replace(COMBINING_MARKS_RE, '');
  // NFC may recompose an Arabic hamza from a decomposed remnant; run the letter rules once more.
  return normalizeArabic(out);
}
