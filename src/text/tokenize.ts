/**
 * Tokeniser shared by indexing, querying and highlighting.
 *
 * A raw word is a maximal run of letters, digits, combining marks, tatweel and invisible format
 * characters (so "مُؤَسَّسَة" or "l‌ettre" with a ZWNJ stay one word). Everything else (spaces and
 * punctuation, including . / - ' ’ : ، ؛) separates words. Nothing but punctuation is dropped.
 *
 * Each raw word is normalised (`normalizeText`) and the result is split again into tokens made
 * only of letters and digits (`\p{L}\p{N}`), with an extra split wherever Arabic-script letters
 * meet non-Arabic characters ("وCERD" → "و", "cerd"; "ت21" → "ت", "21"), so every token has
 * one script and therefore one stemmer.
 *
 * Decision on numbers such as "128.26" or symbols such as "CERD/C/MAR/CO/17-18": they are split at
 * the punctuation ("128", "26"). An index token never contains punctuation, which is the only way
 * to make SQLite FTS5 and PostgreSQL's text-search parser see exactly the same tokens. Exactness is
 * kept on the query side instead: a query word with inner punctuation (`128.26`) becomes the phrase
 * "128 26", which only matches the adjacent tokens 128, 26.
 *
 * Tokens are truncated to MAX_TOKEN_LENGTH characters (PostgreSQL refuses lexemes over 2047 bytes;
 * truncating in this shared code keeps both engines identical).
 *
 * Stopwords: the lists below are exported for similarity/clustering ("similar recommendations"),
 * where function words only add noise. They are deliberately NOT used for the search index nor for
 * query parsing: removing them would break phrase search ("right to life", "حق في الحياة" need the
 * function word in its position) and would make a query made only of stopwords match nothing.
 */
import { normalizeText } from './normalize.ts';

export const MAX_TOKEN_LENGTH = 100;

export interface Token {
  /** Slice of the original text this token comes from (with diacritics, tatweel, case…). */
  readonly text: string;
  /** Start offset (UTF-16 code units) of `text` in the original string. */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
  /** Normalised token: only letters and digits, one script. */
  readonly norm: string;
}

const RAW_WORD_RE = /[\p{L}\p{N}\p{M}\p{Cf}\u0640]+/gu;
const NORM_TOKEN_RE = /(?:(?=\p{Script=Arabic})[\p{L}\p{N}])+|(?:(?!\p{Script=Arabic})[\p{L}\p{N}])+/gu;

/** Splits an already normalised string into letter/digit tokens of a single script. */
export function splitNormalized(norm: string): string[] {
  const out: string[] = [];
  for (const m of norm.matchAll(NORM_TOKEN_RE)) {
    const t = m[0];
    out.push(t.length > MAX_TOKEN_LENGTH ? truncate(t) : t);
  }
  return out;
}

function truncate(t: string): string {
  // Do not cut a surrogate pair in half.
  const cut = t.slice(0, MAX_TOKEN_LENGTH);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** The raw words of a text (see above), with their offsets. */
export function rawWords(text: string): IterableIterator<RegExpExecArray> {
  return (typeof text === 'string' ? text : '').matchAll(RAW_WORD_RE);
}

/** The raw words of a text, as strings only (what rawWords finds, without building a match object per word). */
export function rawWordList(text: string): string[] {
  return (typeof text === 'string' ? text.match(RAW_WORD_RE) : null) ?? [];
}

/** The normalised tokens of one raw word. */
export function wordTokens(raw: string): string[] {
  return splitNormalized(normalizeText(raw));
}

/** Tokenises text, keeping the original offsets of every token (for highlighting). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of rawWords(text)) {
    const raw = m[0];
    const start = m.index;
    for (const norm of wordTokens(raw)) {
      out.push({ text: raw, start, end: start + raw.length, norm });
    }
  }
  return out;
}

/** Normalised tokens of a text, in order. */
export function words(text: string): string[] {
  return tokenize(text).map((t) => t.norm);
}

export type Language = 'ar' | 'en' | 'fr';

// Stored in normalised form (see normalize.ts), so they can be compared with Token.norm.
const AR = `من في على الى عن ان او ما لا لم لن هذا هذه ذلك تلك التي الذي الذين اللذين اللتين
هو هي هم هن انها انه كان كانت يكون تكون قد كل بين ثم حتى عند مع كما او ام بل لكن اذا اذ
ايضا غير بعد قبل حول ضد خلال عليه عليها عليهم له لها لهم به بها بهم فيه فيها فيهم منه منها
وفي ومن وعلى والى وان او وقد ولا وما ولم كذلك حيث التي مثل ب ل و ف ك`;
const EN = `a an and are as at be been being but by for from had has have he her his if in into is
it its of on or our shall should so such that the their them then there these they this those to
was were which while who whom will with would not no nor also any all can may must`;
const FR = `a au aux avec ce ces cette dans de des du elle en et est il ils je la le les leur leurs
lui ma mais me meme mes mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta
te tes toi ton tu un une vos votre vous y d l n s c j m t ete sont ont afin`;

function toSet(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter(Boolean).map(normalizeText));
}

/** Small stopword lists (normalised forms). For similarity only — never for the search index. */
export const STOPWORDS: Readonly<Record<Language, ReadonlySet<string>>> = {
  ar: toSet(AR),
  en: toSet(EN),
  fr: toSet(FR),
};

/** True if the normalised token is a stopword in any of the given languages (default: all). */
export function isStopword(norm: string, langs: readonly Language[] = ['ar', 'en', 'fr']): boolean {
  return langs.some((l) => STOPWORDS[l].has(norm));
}
