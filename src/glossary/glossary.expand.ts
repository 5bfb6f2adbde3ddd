/**
 * Query expansion through the glossary (issue 13): a run of query words that is one side of a glossary pair (after
 * the same normalising and stemming as the index) also searches the other side, and the synonyms reached through
 * shared sides (البدون → Bidoon, Beduns, illegal residents, stateless …; CAT → Convention against Torture →
 * اتفاقية مناهضة التعذيب). The search runs once per combination of choices (the words as typed first) and keeps a
 * row that any of them finds, with its best score. The glossary is read once and kept until it is written to (by
 * this process or, on PostgreSQL, another one).
 */
import type { Kysely } from 'kysely';
import { StampedValue } from '../db/changes.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { isStopword, MAX_CLAUSES, normalizeText, splitNormalized, stemToken, type ParsedQuery, type QueryClause } from '../text/index.ts';

/** At most this many searches for one query (the words as typed included). */
export const MAX_VARIANTS = 16;
/** At most this many alternatives for one run of words. */
const MAX_ALTERNATIVES = 12;
/** Longest run of query clauses looked up as one glossary term. */
const MAX_SPAN = 10;
/** Steps through shared sides (query → other language → its other spellings → …). */
const MAX_HOPS = 3;

interface Side {
  text: string;
  lang: 'ar' | 'en';
  /** stems of every word, space-joined: what a run of query words is compared with */
  key: string;
  /** the stems an alternative must all contain (stopwords left out unless that leaves nothing) */
  content: string[];
}

export interface GlossaryIndex {
  /** side key → the sides with that key and their partners */
  partners: Map<string, { side: Side; partner: Side }[]>;
  maxSpan: number;
  size: number;
}

function side(text: string, lang: 'ar' | 'en'): Side {
  const norms = splitNormalized(normalizeText(text));
  const stems = norms.map(stemToken);
  const content = norms.filter((n) => !isStopword(n)).map(stemToken);
  return { text, lang, key: stems.join(' '), content: content.length ? content : stems };
}

export function buildGlossaryIndex(entries: readonly { term_ar: string; term_en: string }[]): GlossaryIndex {
  const partners = new Map<string, { side: Side; partner: Side }[]>();
  let maxSpan = 1;
  const add = (a: Side, b: Side) => {
    if (!a.key || !b.key) return;
    let list = partners.get(a.key);
    if (!list) partners.set(a.key, (list = []));
    list.push({ side: a, partner: b });
    maxSpan = Math.max(maxSpan, a.key.split(' ').length);
  };
  for (const e of entries) {
    const ar = side(e.term_ar, 'ar');
    const en = side(e.term_en, 'en');
    add(ar, en);
    add(en, ar);
  }
  return { partners, maxSpan: Math.min(maxSpan, MAX_SPAN), size: entries.length };
}

export interface ExpansionGroup {
  /** the glossary term the query's words matched, as the glossary writes it */
  matched: string;
  /** what is searched as well, as the glossary writes it */
  alternatives: string[];
}

export interface ExpandedQuery {
  /** the queries to run; the first is the query as typed */
  variants: ParsedQuery[];
  groups: ExpansionGroup[];
  /** every clause of every variant, for highlighting */
  highlight: ParsedQuery;
}

const clauseStems = (c: QueryClause): string[] | null => (c.kind === 'term' ? [c.term] : c.kind === 'phrase' ? [...c.terms] : null);
const clauseKey = (c: QueryClause) => (c.kind === 'term' ? `t:${c.term}` : c.kind === 'prefix' ? `p:${c.prefix}` : `f:${c.terms.join(' ')}`);

/** Alternatives of one matched key: breadth-first through shared sides, nearest first. */
function alternativesOf(index: GlossaryIndex, key: string): { matched: string; alts: Side[] } | null {
  const first = index.partners.get(key);
  if (!first?.length) return null;
  const seen = new Set([key]);
  const alts: Side[] = [];
  let frontier = [key];
  for (let hop = 0; hop < MAX_HOPS && frontier.length && alts.length < MAX_ALTERNATIVES; hop++) {
    const next: string[] = [];
    for (const k of frontier) {
      for (const { partner } of index.partners.get(k) ?? []) {
        if (seen.has(partner.key)) continue;
        seen.add(partner.key);
        next.push(partner.key);
        if (alts.length < MAX_ALTERNATIVES) alts.push(partner);
      }
    }
    frontier = next;
  }
  return alts.length ? { matched: first[0]!.side.text, alts } : null;
}

/** The query as typed plus its glossary alternatives; null when no run of its words is in the glossary. */
export function expandQuery(pq: ParsedQuery, index: GlossaryIndex): ExpandedQuery | null {
  type Segment = { fixed: QueryClause[] } | { choices: QueryClause[][]; group: ExpansionGroup; keys: Set<string> };
  const segments: Segment[] = [];
  const cs = pq.clauses;
  let i = 0;
  while (i < cs.length) {
    let found: { len: number; key: string; matched: string; alts: Side[] } | null = null;
    for (let len = Math.min(index.maxSpan, cs.length - i); len >= 1 && !found; len--) {
      const stems: string[] = [];
      let ok = true;
      for (let j = i; j < i + len && ok; j++) {
        const s = clauseStems(cs[j]!);
        if (s) stems.push(...s);
        else ok = false;
      }
      if (!ok) continue;
      const key = stems.join(' ');
      const hit = alternativesOf(index, key);
      if (hit) found = { len, key, ...hit };
    }
    if (!found) {
      segments.push({ fixed: [cs[i]!] });
      i++;
      continue;
    }
    const original = cs.slice(i, i + found.len);
    const altClauses = found.alts.map((a) => a.content.map((term): QueryClause => ({ kind: 'term', term })));
    // two names of one thing typed together ("Bidoon illegal residents") are either name, not both
    const twin = segments.find((x): x is Extract<Segment, { keys: Set<string> }> => 'keys' in x && x.keys.has(found.key));
    if (twin) {
      twin.choices.push(original);
      found.alts.forEach((a, k) => {
        if (twin.keys.has(a.key)) return;
        twin.keys.add(a.key);
        twin.choices.push(altClauses[k]!);
        twin.group.alternatives.push(a.text);
      });
    } else {
      const keys = new Set([found.key, ...found.alts.map((a) => a.key)]);
      segments.push({ choices: [original, ...altClauses], group: { matched: found.matched, alternatives: found.alts.map((a) => a.text) }, keys });
    }
    i += found.len;
  }
  const expandable = segments.filter((s): s is Extract<Segment, { choices: QueryClause[][] }> => 'choices' in s);
  if (!expandable.length) return null;

  // keep the number of searches within MAX_VARIANTS: trim the longest lists of alternatives first
  const count = () => expandable.reduce((n, s) => n * s.choices.length, 1);
  while (count() > MAX_VARIANTS) {
    const longest = expandable.reduce((a, b) => (b.choices.length > a.choices.length ? b : a));
    if (longest.choices.length <= 1) break;
    longest.choices.pop();
    if (longest.group.alternatives.length >= longest.choices.length) longest.group.alternatives.pop();
  }

  let combos: QueryClause[][] = [[]];
  for (const s of segments) {
    const options = 'fixed' in s ? [s.fixed] : s.choices;
    combos = combos.flatMap((prefix) => options.map((o) => [...prefix, ...o]));
  }
  const dedupe = (clauses: QueryClause[]) => {
    const seen = new Set<string>();
    return clauses.filter((c) => !seen.has(clauseKey(c)) && Boolean(seen.add(clauseKey(c)))).slice(0, MAX_CLAUSES);
  };
  const variants = combos.map((c) => ({ clauses: dedupe(c) }));
  const all = new Map<string, QueryClause>();
  for (const v of variants) for (const c of v.clauses) all.set(clauseKey(c), c);
  return { variants, groups: expandable.map((s) => s.group).filter((g) => g.alternatives.length > 0), highlight: { clauses: [...all.values()] } };
}

const cache = new WeakMap<EngineDialect, StampedValue<GlossaryIndex>>();

/** The glossary of this database as an index for expansion, read again after a write to it. */
export async function glossaryIndex(db: Kysely<DB>, dialect: EngineDialect): Promise<GlossaryIndex> {
  let value = cache.get(dialect);
  if (!value) cache.set(dialect, (value = new StampedValue<GlossaryIndex>()));
  // only the glossary's own writes: on PostgreSQL every write of any table notifies, this process's own included, and
  // building the index of the seeded glossary costs tens of milliseconds of the main thread
  const stamp = `${dialect.changes.stamp(['glossary_entries'])}/${await dialect.externalChanges(db, ['glossary_entries'])}`;
  return value.get(stamp, async () => buildGlossaryIndex(await db.selectFrom('glossary_entries').select(['term_ar', 'term_en']).execute()));
}
