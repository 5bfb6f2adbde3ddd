/**
 * Token analysis (normalised token + stem + position) and the reference matching rules shared by
 * the JS reference matcher and highlighting. See index.ts for the semantics.
 */
import { rawWords, wordTokens, type Token } from './tokenize.ts';
import { stemToken } from './stem.ts';

export interface AnalyzedToken extends Token {
  /** Position in the `terms` stream (0-based). */
  readonly position: number;
  /** Stemmed, normalised term. */
  readonly term: string;
}

/** A normalised token and its stem. */
export interface WordTerm {
  readonly norm: string;
  readonly term: string;
}

const wordCache = new Map<string, readonly WordTerm[]>();
const WORD_CACHE_LIMIT = 100_000;

/**
 * The tokens of one raw word (tokenize.ts) with their stems. Memoised per raw word (bounded):
 * a corpus repeats its words, so normalisation and stemming run once per distinct spelling.
 */
export function analyzeWord(raw: string): readonly WordTerm[] {
  let hit = wordCache.get(raw);
  if (hit === undefined) {
    hit = wordTokens(raw).map((norm) => ({ norm, term: stemToken(norm) }));
    if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
    wordCache.set(raw, hit);
  }
  return hit;
}

/** Tokens of a text with their stems and positions (the single source of truth for indexing). */
export function analyze(text: string): AnalyzedToken[] {
  const out: AnalyzedToken[] = [];
  for (const m of rawWords(text)) {
    const raw = m[0];
    const start = m.index;
    for (const w of analyzeWord(raw)) {
      out.push({ text: raw, start, end: start + raw.length, norm: w.norm, position: out.length, term: w.term });
    }
  }
  return out;
}

export type QueryClause =
  | { readonly kind: 'term'; readonly term: string }
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'phrase'; readonly terms: readonly string[] };

export interface ParsedQuery {
  /** ANDed clauses; every string is a normalised token of letters/digits only. */
  readonly clauses: readonly QueryClause[];
}

/** For each clause, the positions of the tokens it matches (empty array = clause not satisfied). */
export function matchPositions(tokens: readonly AnalyzedToken[], pq: ParsedQuery): number[][] {
  return pq.clauses.map((c) => {
    const hits: number[] = [];
    if (c.kind === 'term') {
      for (const t of tokens) if (t.term === c.term) hits.push(t.position);
    } else if (c.kind === 'prefix') {
      for (const t of tokens) {
        if (t.norm.startsWith(c.prefix) || t.term.startsWith(c.prefix)) hits.push(t.position);
      }
    } else {
      const n = c.terms.length;
      for (let i = 0; i + n <= tokens.length; i++) {
        let ok = n > 0;
        for (let j = 0; j < n && ok; j++) ok = tokens[i + j]?.term === c.terms[j];
        if (ok) for (let j = 0; j < n; j++) hits.push(i + j);
      }
    }
    return hits;
  });
}

