/**
 * One text pipeline for the search index and the query parser, so that SQLite FTS5 and
 * PostgreSQL's postings (and its tsvector) are fed the same terms and return the same hits.
 *
 * Index model — two columns per searchable text:
 * - `terms` = indexTerms(text): one stemmed, normalised term per token, in order (positions are
 *   used for phrases). This is what plain terms and phrases match.
 * - `words` = indexWords(text): the distinct normalised (unstemmed) tokens whose stem differs from
 *   the token itself. Only used by prefix search, so that `ratifica*` finds "ratification"
 *   (stem "ratif") and `الاتف*` finds "الاتفاقية" (stem "اتفاق"). Tokens equal to their stem are
 *   already in `terms`, hence not repeated: the extra column stays small.
 *
 * Semantics (implemented identically by matchesQuery, toFts5Match and toTsQuery); all clauses
 * are ANDed:
 * - term t:       some token has stem t;
 * - prefix p:     some token's normalised form OR stem starts with p (p is normalised, not stemmed);
 * - phrase a b c: consecutive tokens have stems a, b, c.
 *
 * Engine set-up this module's output is designed for:
 * - SQLite:  CREATE VIRTUAL TABLE x_fts USING fts5(terms, words, tokenize = 'ascii')
 *            … WHERE x_fts MATCH toFts5Match(pq)
 *   (`ascii` splits only on ASCII non-alphanumerics, i.e. exactly on the spaces we put in; the
 *   text is already lower-cased and normalised.)
 * - PostgreSQL: the postings of `terms` and `words` split on spaces (migration 006), queried with
 *   toTokenClauses(pq) (src/db/dialect/postgres-postings.ts). toTsQuery serves the tsvector set-up
 *   tsv = setweight(to_tsvector('simple', terms), 'A') || setweight(to_tsvector('simple', words), 'B')
 *   … WHERE tsv @@ to_tsquery('simple', toTsQuery(pq)), kept by src/text/engines.test.ts as a cross-check:
 *   stems carry weight A and are matched with `:A`; prefixes match any weight.
 * An empty query (isEmptyQuery) yields `""` for FTS5 and `` for PostgreSQL: both match nothing
 * without an error; callers normally skip the search condition instead.
 */
import { isStopword, MAX_TOKEN_LENGTH, rawWordList, splitNormalized } from './tokenize.ts';
import { analyze, analyzeWord, matchPositions, type ParsedQuery, type QueryClause } from './analyze.ts';
import { normalizeText } from './normalize.ts';
import { stemToken } from './stem.ts';

export { normalizeArabic, normalizeLatin, normalizeText, stripArabicDiacritics } from './normalize.ts';
export { tokenize, words, splitNormalized, isStopword, STOPWORDS, MAX_TOKEN_LENGTH } from './tokenize.ts';
export type { Token, Language } from './tokenize.ts';
export { stemToken, stemArabic, stemEnglish, scriptOf, arabicStemmerForm } from './stem.ts';
export type { Script } from './stem.ts';
export { analyze, matchPositions } from './analyze.ts';
export type { AnalyzedToken, ParsedQuery, QueryClause } from './analyze.ts';
export { highlight, highlightRanges } from './highlight.ts';
export type { HighlightSegment, HighlightRange } from './highlight.ts';

/** FTS5 column holding indexTerms(); must match the virtual table definition. */
export const FTS_TERMS_COLUMN = 'terms';
/** FTS5 column holding indexWords(). */
export const FTS_WORDS_COLUMN = 'words';

/** Space-joined stemmed normalised tokens, for the FTS `terms` column / tsvector weight A. */
export function indexTerms(text: string): string {
  return analyze(text)
    .map((t) => t.term)
    .join(' ');
}

/** Space-joined distinct normalised tokens that differ from their stem (prefix-search column). */
export function indexWords(text: string): string {
  const seen = new Set<string>();
  for (const t of analyze(text)) if (t.norm !== t.term) seen.add(t.norm);
  return [...seen].join(' ');
}

/** Both columns at once (one analysis pass, no offsets kept). */
export function indexDocument(text: string): { terms: string; words: string } {
  // run for every record of every import: the words as plain strings (no match object each), indexed loops
  const terms: string[] = [];
  const seen = new Set<string>();
  const raws = rawWordList(text);
  for (let i = 0; i < raws.length; i++) {
    const analysed = analyzeWord(raws[i]!);
    for (let j = 0; j < analysed.length; j++) {
      const w = analysed[j]!;
      terms.push(w.term);
      if (w.norm !== w.term) seen.add(w.norm);
    }
  }
  return { terms: terms.join(' '), words: [...seen].join(' ') };
}

/** Normalised, non-stopword stems: for similarity/clustering, not for search. */
export function contentTerms(text: string): string[] {
  return analyze(text)
    .filter((t) => !isStopword(t.norm))
    .map((t) => t.term);
}

// ---------------------------------------------------------------------------------------------
// Query model

/** Limits that keep hostile queries cheap for both engines. */
export const MAX_QUERY_LENGTH = 1000;
export const MAX_CLAUSES = 32;
export const MAX_PHRASE_TERMS = 16;
/** A prefix shorter than this is searched as a plain term (a 1-letter prefix matches everything). */
export const MIN_PREFIX_LENGTH = 2;

const QUOTES_RE = /["“”„‟«»＂]/g;
/** Characters that separate query words (besides whitespace): operators and grouping. */
const QUERY_SEPARATORS_RE = /[\s()[\]{}:^+~|&!,;<>=؛،]+/u;
const OPERATORS = new Set(['AND', 'OR', 'NOT', 'NEAR']);

/**
 * Parses a user query into a safe model. Never throws. Supported syntax:
 * - words → terms (stemmed);
 * - `word*` → prefix (normalised, not stemmed), needs MIN_PREFIX_LENGTH characters;
 * - `"several words"` (also “…”, «…») → phrase; an unbalanced quote is ignored;
 * - a word with inner punctuation (`128.26`, `CERD/C/MAR`, `non-discrimination`) → phrase;
 * - everything else is reduced to plain terms: upper-case AND/OR/NOT/NEAR outside quotes are
 *   dropped (all clauses are ANDed anyway), a leading `-` does not negate, FTS5/tsquery syntax
 *   characters ( ) { } : ^ + ~ | & ! < > are separators, SQL fragments are just words.
 */
export function parseQuery(q: unknown): ParsedQuery {
  const clauses: QueryClause[] = [];
  const seen = new Set<string>();
  const add = (c: QueryClause): void => {
    if (clauses.length >= MAX_CLAUSES) return;
    const key =
      c.kind === 'term' ? `t:${c.term}` : c.kind === 'prefix' ? `p:${c.prefix}` : `f:${c.terms.join(' ')}`;
    if (seen.has(key)) return;
    seen.add(key);
    clauses.push(c);
  };
  const addTerms = (terms: string[]): void => {
    const t = terms.slice(0, MAX_PHRASE_TERMS);
    const first = t[0];
    if (first === undefined) return;
    if (t.length === 1) add({ kind: 'term', term: first });
    else add({ kind: 'phrase', terms: t });
  };

  if (typeof q !== 'string') return { clauses };
  const text = q.slice(0, MAX_QUERY_LENGTH);

  // Split on quote characters: odd pieces are inside quotes. With an unbalanced quote the last
  // piece is treated as outside quotes.
  const pieces = text.split(QUOTES_RE);
  const balanced = pieces.length % 2 === 1;
  pieces.forEach((piece, i) => {
    const quoted = i % 2 === 1 && (balanced || i < pieces.length - 1);
    if (quoted) {
      addTerms(analyzeQueryText(piece));
      return;
    }
    for (const chunk of piece.split(QUERY_SEPARATORS_RE)) {
      if (chunk.length === 0 || OPERATORS.has(chunk)) continue;
      const isPrefix = /[*＊]$/u.test(chunk);
      const norms = splitNormalized(normalizeText(chunk.replace(/[*＊]+/gu, ' ')));
      const only = norms[0];
      if (isPrefix && norms.length === 1 && only !== undefined && only.length >= MIN_PREFIX_LENGTH) {
        add({ kind: 'prefix', prefix: only });
      } else {
        addTerms(norms.map(stemToken));
      }
    }
  });
  return { clauses };
}

function analyzeQueryText(s: string): string[] {
  return splitNormalized(normalizeText(s)).map(stemToken);
}

export function isEmptyQuery(pq: ParsedQuery): boolean {
  return pq.clauses.length === 0;
}

// Defence in depth: the parser only produces letters/digits, but a ParsedQuery may also be built
// by hand. Anything that is not a letter or digit is removed (and the token length capped)
// before it reaches an engine.
function safeToken(s: string): string {
  return splitNormalized(String(s)).join('').slice(0, MAX_TOKEN_LENGTH);
}

function fts5String(s: string): string {
  return `"${safeToken(s).replaceAll('"', '""')}"`;
}

/**
 * FTS5 MATCH expression: every token double-quoted; terms and phrases restricted to the `terms`
 * column, prefixes (`"p"*`) searched in both columns. Empty query → `""` (matches nothing).
 */
export function toFts5Match(pq: ParsedQuery, termsColumn: string = FTS_TERMS_COLUMN): string {
  const parts: string[] = [];
  const col = /^[A-Za-z_][A-Za-z0-9_]*$/.test(termsColumn) ? termsColumn : FTS_TERMS_COLUMN;
  for (const c of pq.clauses) {
    if (c.kind === 'term') {
      if (safeToken(c.term)) parts.push(`${col} : ${fts5String(c.term)}`);
    } else if (c.kind === 'prefix') {
      if (safeToken(c.prefix)) parts.push(`${fts5String(c.prefix)}*`);
    } else {
      const terms = c.terms.map(safeToken).filter(Boolean);
      if (terms.length > 0) parts.push(`${col} : "${terms.join(' ')}"`);
    }
  }
  return parts.length > 0 ? parts.join(' AND ') : '""';
}

function tsLexeme(s: string): string {
  return `'${safeToken(s).replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * Text for PostgreSQL `to_tsquery('simple', …)`: lexemes single-quoted; terms `'t':A`, prefixes
 * `'p':*`, phrases `( 'a':A <-> 'b':A )`, all joined with `&`. Empty query → `` (matches nothing).
 */
export function toTsQuery(pq: ParsedQuery): string {
  const parts: string[] = [];
  for (const c of pq.clauses) {
    if (c.kind === 'term') {
      if (safeToken(c.term)) parts.push(`${tsLexeme(c.term)}:A`);
    } else if (c.kind === 'prefix') {
      if (safeToken(c.prefix)) parts.push(`${tsLexeme(c.prefix)}:*`);
    } else {
      const terms = c.terms.map(safeToken).filter(Boolean);
      if (terms.length > 0) parts.push(`( ${terms.map((t) => `${tsLexeme(t)}:A`).join(' <-> ')} )`);
    }
  }
  return parts.join(' & ');
}

/**
 * A clause on tokens: a stem in `terms`, a prefix of any token in either column, or stems that follow each other
 * in `terms`.
 */
export type TokenClause =
  | { readonly kind: 'term' | 'prefix'; readonly token: string }
  | { readonly kind: 'phrase'; readonly tokens: readonly string[] };

/** The query's clauses on the same tokens toFts5Match and toTsQuery keep; a one-word phrase is a term. */
export function toTokenClauses(pq: ParsedQuery): TokenClause[] {
  const out: TokenClause[] = [];
  for (const c of pq.clauses) {
    if (c.kind === 'phrase') {
      const tokens = c.terms.map(safeToken).filter(Boolean);
      if (tokens.length > 1) out.push({ kind: 'phrase', tokens });
      else if (tokens.length === 1) out.push({ kind: 'term', token: tokens[0]! });
    } else {
      const token = safeToken(c.kind === 'term' ? c.term : c.prefix);
      if (token) out.push({ kind: c.kind, token });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reference matcher (the semantics both engines must reproduce); also used by highlighting.

/** True if the text matches every clause of the (non-empty) query. */
export function matchesQuery(text: string, pq: ParsedQuery): boolean {
  if (isEmptyQuery(pq)) return false;
  return matchPositions(analyze(text), pq).every((h) => h.length > 0);
}
