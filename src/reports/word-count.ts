/**
 * Words counted the way the UN counts them for its word limits (General Assembly resolution 68/268 and the
 * treaty bodies' guidelines): the words of the body text, as a word processor counts them (runs of text
 * between spaces), footnotes and annexes excluded. Rasd writes a footnote inline as `[^note text]`; it is
 * left out of the count and becomes a real footnote in the exported document.
 *
 * Arabic: a word is a run between spaces, so a conjunction or preposition joined to its word (و، ب، ل، ال)
 * stays one word, as in Word; diacritics, tatweel and the invisible direction marks never split or add a
 * word; a token made only of punctuation (a dash, an Arabic comma standing alone) is not a word.
 */
export const FOOTNOTE_RE = /\[\^([^\]]*)\]/g;

/** Bidi controls and zero-width characters that must not split words or count as words. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u0640]/g;
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;

export function stripFootnotes(text: string): string {
  return text.replace(FOOTNOTE_RE, ' ');
}

export function countWords(text: string | null | undefined): number {
  if (!text) return 0;
  const body = stripFootnotes(text).replace(INVISIBLE, '');
  let n = 0;
  for (const token of body.split(/\s+/u)) {
    if (token && HAS_WORD_CHAR.test(token)) n += 1;
  }
  return n;
}

/** The UN word limits (SPEC §3.6). */
export const WORD_LIMITS = {
  upr_national: 10_700,
  common_core: 42_400,
  treaty_initial: 31_800,
  treaty_periodic: 21_200,
  loipr_replies: 10_700,
} as const;
export type LimitKind = keyof typeof WORD_LIMITS;
export const LIMIT_KINDS = Object.keys(WORD_LIMITS) as LimitKind[];
