import type { Kysely, Transaction } from 'kysely';
import { listAudit, recordAudit } from '../audit/index.ts';
import type { DB, RecommendationUpdate, User } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { HitList } from '../db/dialect/hit-list.ts';
import { expandQuery, glossaryIndex, type ExpandedQuery, type GlossaryIndex } from '../glossary/index.ts';
import { highlightsFor, indexRecommendations, textSearch, unionHitLists, type TextSearch } from '../search/index.ts';
import type { ParsedQuery } from '../text/index.ts';
import { countryNameOf } from '../settings/index.ts';
import { countryName } from '../shared/countries.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { findRecommendation, listItem, listItems, listItemsQuery, statusHistoryOf, storedListItems, termsOf, type StoredListItem } from './recommendations.repository.ts';
import { FACETS, listQuerySchema, type ListFilters, type ListQuery, type UpdateInput } from './recommendations.schema.ts';
import { hitsOf, onPatch, registerIndex, type Candidates, type FacetCount, type PreparedCandidates, type RegisterSnapshot } from './register-index.ts';

/** The sort a list answer names, and the order its page is taken in (relevance only with a text query). */
function listOrder(query: ListFilters, text: TextSearch | null) {
  const sort = query.sort ?? (text ? 'relevance' : 'date');
  const order = sort === 'relevance' && text ? ({ by: 'relevance' } as const) : { by: sort === 'relevance' ? ('date' as const) : sort, direction: query.order };
  return { sort, order };
}

/** The full-text hits (if any), the snapshot and the order a list query asks for. */
async function selection(db: Kysely<DB>, dialect: EngineDialect, query: ListFilters, userId?: string) {
  const text = textSearch(query.q);
  const { sort, order } = listOrder(query, text);
  const ranked = sort === 'relevance';
  // the glossary's alternatives (issue 13): one search per combination, a row found by any of them, its best score
  const expanded = text && query.expand !== '0' ? expansionOf(query.q!, text, await glossaryIndex(db, dialect)) : null;
  const variants = expanded ? expanded.variants : text ? [text.pq] : [];
  const snapshot = await registerIndex(db, dialect).current(userId);
  const hits = text ? await textCandidates(db, dialect, snapshot, variants, ranked) : null;
  const expansion = text ? { applied: expanded !== null, groups: expanded?.groups ?? [] } : null;
  return { text, highlightQuery: expanded?.highlight ?? text?.pq ?? null, expansion, sort, snapshot, hits, order };
}

/** A query's glossary expansion, kept per glossary (its index is made again after any edit of it): the same text expands alike. */
function expansionOf(q: string, text: TextSearch, index: GlossaryIndex): ExpandedQuery | null {
  let kept = expansions.get(index);
  if (!kept) expansions.set(index, (kept = new Map()));
  if (kept.has(q)) return kept.get(q)!;
  const expanded = expandQuery(text.pq, index);
  if (kept.size >= 256) kept.delete(kept.keys().next().value!);
  kept.set(q, expanded);
  return expanded;
}
const expansions = new WeakMap<GlossaryIndex, Map<string, ExpandedQuery | null>>();

type Hits = Candidates | PreparedCandidates;
/**
 * Values kept for one version of one snapshot (dropped when it changes), at most `limit` of them and at most
 * `budget` by `weight` (oldest out first).
 */
class PerVersion<T> {
  private readonly kept = new WeakMap<RegisterSnapshot, { version: number; values: Map<string, T>; weight: number }>();
  constructor(
    private readonly limit: number,
    private readonly budget = Number.POSITIVE_INFINITY,
    private readonly weight: (value: T) => number = () => 1,
  ) {}
  get(snapshot: RegisterSnapshot, key: string): T | undefined {
    const k = this.kept.get(snapshot);
    return k?.version === snapshot.version && !snapshot.superseded ? k.values.get(key) : undefined;
  }
  /** The keys of the values kept for an earlier version of this snapshot (oldest first); none once the current one keeps any. */
  earlierKeys(snapshot: RegisterSnapshot): string[] {
    const k = this.kept.get(snapshot);
    return k && k.version !== snapshot.version ? [...k.values.keys()] : [];
  }
  set(snapshot: RegisterSnapshot, version: number, key: string, value: T): void {
    if (snapshot.version !== version || snapshot.superseded) return; // changed meanwhile: the value may be of either version
    let k = this.kept.get(snapshot);
    if (k?.version !== version) this.kept.set(snapshot, (k = { version, values: new Map(), weight: 0 }));
    const w = this.weight(value);
    if (w > this.budget) return;
    const old = k.values.get(key);
    if (old !== undefined) {
      k.values.delete(key);
      k.weight -= this.weight(old);
    }
    while (k.values.size > 0 && (k.values.size >= this.limit || k.weight + w > this.budget)) {
      const [oldest, v] = k.values.entries().next().value!;
      k.values.delete(oldest);
      k.weight -= this.weight(v);
    }
    k.values.set(key, value);
    k.weight += w;
  }
}

/**
 * A text query's candidates: the full-text hits of every variant (the glossary's alternatives) as
 * recommendation numbers with their best score. Kept per register version: every write the full-text
 * index reads moves the version, and the variants are part of the key (a glossary edit changes them), so
 * refining a search by facets, sorting or paging it does not search again. Kept as they are at first; a second
 * question on them at the same version (another facet, page or sort) copies their facet values side by side
 * (`RegisterSnapshot.prepare`), which pays only when they are asked again: after a write, most searches are
 * asked once before the next one.
 */
async function textCandidates(db: Kysely<DB>, dialect: EngineDialect, snapshot: RegisterSnapshot, variants: ParsedQuery[], ranked: boolean): Promise<Hits> {
  const key = `${ranked ? 'r' : 'u'}${JSON.stringify(variants)}`;
  const version = snapshot.version;
  const kept = candidatesKept.get(snapshot, key);
  if (kept && 'codes' in kept) return kept;
  if (kept) {
    const prepared = snapshot.prepare(kept);
    candidatesKept.set(snapshot, version, key, prepared);
    return prepared;
  }
  const union = await unionOf(db, dialect, variants, ranked, key);
  const found = hitsOf(union, snapshot.rowidToRec);
  if (found.recs.length <= KEPT_CANDIDATES) candidatesKept.set(snapshot, version, key, found);
  return found;
}
/**
 * The full-text hits of these variants as one list by row id (a row found by any of them, with its best score, in
 * the order first found). Where the engine tells when its index's content changes (`SearchDialect.contentVersion`:
 * both engines), kept per content version, across register versions: a write that does not touch the index (a note, a
 * status, an assignment) moves the register's version, which drops the candidates kept above, but not this, so the
 * next search maps the same hits onto the new register instead of searching again. The value is read before and
 * after the search: hits are kept only when no write to the index came in between. Not inside a transaction (its
 * own writes are not in the value).
 */
async function unionOf(db: Kysely<DB>, dialect: EngineDialect, variants: ParsedQuery[], ranked: boolean, key: string): Promise<HitList> {
  const versionOf = db.isTransaction ? undefined : dialect.search.contentVersion?.bind(dialect.search);
  const content = versionOf ? await versionOf(db) : null;
  let kept = content === null ? undefined : hitListsKept.get(dialect);
  const found = content === null ? undefined : kept?.get(content, key);
  if (found) return found;
  const union = unionHitLists(await Promise.all(variants.map((v) => dialect.search.hitList(db, v, ranked))));
  if (content !== null && versionOf && (await versionOf(db)) === content) {
    if (!kept) hitListsKept.set(dialect, (kept = new HitListsKept()));
    kept.set(content, key, union);
  }
  return union;
}

/**
 * Hit lists of one content version of the full-text index (a new version drops them all), at most `limit`
 * queries and `budget` hits together (about 12 bytes a hit: 12 MB), oldest out first.
 */
class HitListsKept {
  private version: string | null = null;
  private readonly lists = new Map<string, HitList>();
  private hits = 0;
  constructor(
    private readonly limit = 64,
    private readonly budget = 1_000_000,
  ) {}
  get(version: string, key: string): HitList | undefined {
    return version === this.version ? this.lists.get(key) : undefined;
  }
  set(version: string, key: string, list: HitList): void {
    if (version !== this.version) {
      this.version = version;
      this.lists.clear();
      this.hits = 0;
    }
    const size = list.rowids.length;
    if (size > this.budget || this.lists.has(key)) return;
    while (this.lists.size > 0 && (this.lists.size >= this.limit || this.hits + size > this.budget)) {
      const [oldest, old] = this.lists.entries().next().value!;
      this.lists.delete(oldest);
      this.hits -= old.rowids.length;
    }
    this.lists.set(key, list);
    this.hits += size;
  }
}
const hitListsKept = new WeakMap<EngineDialect, HitListsKept>();

/**
 * Candidates kept per register version, all queries together: a prepared candidate costs about 80 bytes (its
 * number, score and facet values), so at most about 50 MB; a larger hit list is searched again each time.
 */
const KEPT_CANDIDATES = 600_000;
const candidatesKept = new PerVersion<Hits>(32, KEPT_CANDIDATES, (h) => h.recs.length);

/**
 * The list with facets. `q` is a full-text search (with highlights): the engine returns every hit in one
 * round trip, and the in-memory register index filters, counts the facets and picks the page. `userId`:
 * the reader, who sees their own latest write.
 */
export async function searchRecommendations(db: Kysely<DB>, dialect: EngineDialect, query: ListQuery, userId?: string) {
  const { highlightQuery, expansion, sort, snapshot, hits, order } = await selection(db, dialect, query, userId);
  const { ids, total, facets } = snapshot.query(query, order, hits);
  const page = await pageRows(db, dialect, snapshot, ids);
  const items = highlightQuery ? page.map((i) => ({ ...i, highlights: highlightsFor(i, highlightQuery) })) : page;
  // the filters as applied, one entry per value (a link in the older comma-separated form, read)
  const selected = snapshot.selection(query);
  return { items, total, page: query.page, pageSize: query.pageSize, sort, facets, expansion, selected };
}

type ItemRow = Awaited<ReturnType<typeof listItems>>[number];
/**
 * The rows of one page, in the order of `ids`. Rows read are kept per register (up to `ROWS_KEPT`), each one while
 * its recommendation has not changed since it was read (every write to a recommendation moves its change version;
 * one to its document, body or mechanism builds a new register), so paging, refining a search and the first list
 * after an edit read only the rows not shown yet or changed since.
 */
async function pageRows(db: Kysely<DB>, dialect: EngineDialect, snapshot: RegisterSnapshot, ids: string[]): Promise<ItemRow[]> {
  const version = snapshot.version;
  let kept = rowsKept.get(snapshot);
  if (!kept) rowsKept.set(snapshot, (kept = new Map()));
  const found = new Map<string, ItemRow>();
  const missing: string[] = [];
  for (const id of ids) {
    const entry = snapshot.superseded ? undefined : kept.get(id);
    if (entry && !snapshot.changedSince(id, entry.version)) found.set(id, entry.row);
    else missing.push(id);
  }
  if (missing.length) {
    for (const row of await listItems(db, missing, dialect)) {
      found.set(row.id, row);
      // read after `version`: stale as soon as the register applies a later change of it
      if (snapshot.superseded) continue;
      kept.delete(row.id);
      if (kept.size >= ROWS_KEPT) kept.delete(kept.keys().next().value!);
      kept.set(row.id, { version, row });
    }
  }
  return ids.map((id) => found.get(id)).filter((x) => x !== undefined);
}
const ROWS_KEPT = 2000;
/** `json`: the row's JSON text, made when a kept page is first assembled from it (`keptPageJson`) */
const rowsKept = new WeakMap<RegisterSnapshot, Map<string, { version: number; row: ItemRow; json?: string }>>();
// a patch of the register reads again, with its own read, the kept rows of the recommendations it patches: the first
// list after an edit of a row on screen reads nothing more
onPatch({
  read: (db, ids, dialect) => storedListItems(db, ids, dialect),
  // PostgreSQL: read in the change log's own statement (its columns are text and integers: as JSON gives them)
  readWithLog: (db, ids) => listItemsQuery(db, ids),
  wanted(snapshot, ids) {
    const kept = rowsKept.get(snapshot);
    return kept ? ids.filter((id) => kept.has(id)) : [];
  },
  keep(snapshot, ids, rows) {
    const kept = rowsKept.get(snapshot);
    if (!kept || snapshot.superseded) return;
    const patched = new Set(ids);
    for (const row of rows as StoredListItem[]) if (kept.has(row.id) && patched.has(row.id)) kept.set(row.id, { version: snapshot.version, row: listItem(row) });
  },
  // the unfiltered pages the previous version served last are made again at once, from kept parts only (no read),
  // before anyone asks: the first list after an edit is then answered like a warm one
  patched(snapshot) {
    for (const key of pagesKept.earlierKeys(snapshot).slice(-PAGES_MADE_AHEAD)) {
      const json = keptPageJson(snapshot, pageQuery(key));
      if (json !== null) pagesKept.set(snapshot, snapshot.version, key, json);
    }
  },
});
/** unfiltered pages made again right after a patch, at most (the most recently kept of the previous version) */
const PAGES_MADE_AHEAD = 4;

/** The query of an unfiltered page's key (`searchRecommendationsJson`), parsed once per key: not again after every patch. */
function pageQuery(key: string): ListQuery {
  let query = pageQueries.get(key);
  if (!query) {
    const [sort, order, page, pageSize] = JSON.parse(key) as [ListQuery['sort'] | null, ListQuery['order'], number, number];
    query = listQuerySchema.parse({ ...(sort === null ? {} : { sort }), order, page, pageSize });
    if (pageQueries.size >= 256) pageQueries.delete(pageQueries.keys().next().value!);
    pageQueries.set(key, query);
  }
  return query;
}
const pageQueries = new Map<string, ListQuery>();

/**
 * An unfiltered page (no search, no filter) as JSON text assembled from kept parts, or null when a row of the page is
 * not kept or changed since it was read (then it is read: `searchRecommendations`). The parts: each row's JSON text,
 * kept with the row, and the facets' text, kept per facet list (a patch lists again only the facets whose counts it
 * moved). The text is the one `JSON.stringify` gives of `searchRecommendations`' answer to the same query.
 */
function keptPageJson(snapshot: RegisterSnapshot, query: ListQuery): string | null {
  const kept = rowsKept.get(snapshot);
  if (!kept || snapshot.superseded) return null;
  const { sort, order } = listOrder(query, null);
  const { ids, total, facets } = snapshot.query(query, order, null);
  const rows: string[] = [];
  for (const id of ids) {
    const entry = kept.get(id);
    if (!entry || snapshot.changedSince(id, entry.version)) return null;
    rows.push((entry.json ??= JSON.stringify(entry.row)));
  }
  const { page, pageSize } = query;
  return `{"items":[${rows.join(',')}],"total":${total},"page":${JSON.stringify(page)},"pageSize":${JSON.stringify(pageSize)},"sort":${JSON.stringify(sort)},"facets":${facetsJson(facets)},"expansion":null,"selected":${JSON.stringify(snapshot.selection(query))}}`;
}

/** The facet lists as JSON text: each list's text kept while the list is the same (a patch makes a new list when its counts move). */
function facetsJson(facets: Record<string, FacetCount[]>): string {
  let text = facetTexts.get(facets);
  if (text === undefined) {
    const parts: string[] = [];
    for (const name of Object.keys(facets)) {
      const list = facets[name]!;
      let t = facetTexts.get(list);
      if (t === undefined) facetTexts.set(list, (t = JSON.stringify(list)));
      parts.push(`${JSON.stringify(name)}:${t}`);
    }
    facetTexts.set(facets, (text = `{${parts.join(',')}}`));
  }
  return text;
}
const facetTexts = new WeakMap<object, string>();

/**
 * The list as JSON text. A page with no search and no filter (the register's first screen, its pages and
 * sort orders) is the same for every reader of one register version: its text is kept per version, so
 * repeating it neither reads the page's rows again nor serialises the facets again. Anything else is
 * answered afresh.
 */
export async function searchRecommendationsJson(db: Kysely<DB>, dialect: EngineDialect, query: ListQuery, userId?: string): Promise<string> {
  const text = textSearch(query.q);
  const filtered = text !== null || FACETS.some((f) => query[f]?.length);
  // a search's answer also depends on the glossary (its alternatives are searched and shown): its index is made
  // again after any edit of it, so its number is part of the key
  const glossary = text && query.expand !== '0' ? glossaryNumber(await glossaryIndex(db, dialect)) : 0;
  const snapshot = await registerIndex(db, dialect).current(userId);
  const key = filtered ? JSON.stringify([query, glossary]) : JSON.stringify([query.sort ?? null, query.order, query.page, query.pageSize]);
  const kept = filtered ? answersKept : pagesKept;
  const found = kept.get(snapshot, key);
  if (found !== undefined) return found;
  const version = snapshot.version;
  const json = (filtered ? null : keptPageJson(snapshot, query)) ?? JSON.stringify(await searchRecommendations(db, dialect, query, userId));
  kept.set(snapshot, version, key, json);
  return json;
}
const pagesKept = new PerVersion<string>(64);
/**
 * Answers to searches and filters, kept per register version like the unfiltered pages (the list has no per-user
 * scope): the same question at the same version, by anyone, is answered from memory. At most 128 answers and
 * 8 M characters (a page of 25 with highlights and facets is 20–60 KB), so that the server stays within its memory.
 */
const answersKept = new PerVersion<string>(128, 8_000_000, (json) => json.length);
const glossaryNumbers = new WeakMap<GlossaryIndex, number>();
let glossaries = 0;
function glossaryNumber(index: GlossaryIndex): number {
  let n = glossaryNumbers.get(index);
  if (n === undefined) glossaryNumbers.set(index, (n = ++glossaries));
  return n;
}

/**
 * Every recommendation the list shows for these filters (search, facets, sort), all pages, in the list's
 * order: the selection an export writes.
 */
export async function selectRecommendationIds(db: Kysely<DB>, dialect: EngineDialect, query: ListFilters): Promise<string[]> {
  const { snapshot, hits, order } = await selection(db, dialect, query);
  return snapshot.query({ ...query, page: 1, pageSize: Math.max(1, snapshot.size) }, order, hits).ids;
}

/**
 * A text query's candidates as the list ranks them: every live hit (of the query and its glossary alternatives)
 * by id, with its best score, in the order found. Through the same kept hits as the list (for tests of them).
 */
export async function textHits(db: Kysely<DB>, dialect: EngineDialect, query: ListFilters): Promise<Map<string, number | null>> {
  const { snapshot, hits } = await selection(db, dialect, { ...query, sort: 'relevance' });
  const out = new Map<string, number | null>();
  if (!hits) return out;
  for (let k = 0; k < hits.recs.length; k++) {
    const i = hits.recs[k]!;
    if (snapshot.alive[i]) out.set(snapshot.ids[i]!, hits.scores ? hits.scores[k]! : null);
  }
  return out;
}

/**
 * The public portal's list: the same search, facets and sort over the published recommendations only
 * (facet counts, too, count only published ones). `all` returns every page.
 */
export async function queryPublished(db: Kysely<DB>, dialect: EngineDialect, query: ListQuery | (ListFilters & { all: true })) {
  // a search's answer also depends on the glossary (its alternatives are searched too): they are part of the key
  const text = textSearch(query.q);
  const variants = text && query.expand !== '0' ? (expandQuery(text.pq, await glossaryIndex(db, dialect))?.variants ?? null) : null;
  const key = JSON.stringify([query, variants]);
  const snapshot = await registerIndex(db, dialect).current();
  const version = snapshot.version;
  let cache = publishedQueries.get(snapshot);
  if (cache?.version !== version) publishedQueries.set(snapshot, (cache = { version, answers: new Map() }));
  const hit = cache.answers.get(key);
  if (hit) return hit;
  const { snapshot: used, hits, order } = await selection(db, dialect, query);
  const paged = 'all' in query ? { ...query, page: 1, pageSize: Math.max(1, used.size) } : query;
  const result = used.query(paged, order, used.publishedCandidates(hits));
  // the same query on the same version of the register, with the same glossary alternatives, gives the same answer
  // (every write it reads, the full-text index included, moves the version): the portal's common pages are answered
  // from memory
  if (used === snapshot && used.version === version) {
    if (cache.answers.size >= PUBLISHED_CACHE_SIZE) cache.answers.delete(cache.answers.keys().next().value!);
    cache.answers.set(key, result);
  }
  return result;
}
const PUBLISHED_CACHE_SIZE = 200;
const publishedQueries = new WeakMap<RegisterSnapshot, { version: number; answers: Map<string, ReturnType<RegisterSnapshot['query']>> }>();

/**
 * The list's selection for these filters (all pages, in the list's order) and, within it, the part `keep`
 * accepts with that part's facet counts (each facet ignoring its own filter, as on the list). The plan's
 * coverage uses it for the recommendations no action answers.
 */
export async function selectAndNarrow(
  db: Kysely<DB>,
  dialect: EngineDialect,
  query: ListFilters,
  keep: (id: string) => boolean,
): Promise<{ ids: string[]; narrowed: { ids: string[]; facets: Record<string, FacetCount[]> } }> {
  const { snapshot, hits, order } = await selection(db, dialect, query);
  const all = { ...query, page: 1, pageSize: Math.max(1, snapshot.size) };
  const ids = snapshot.query(all, order, hits).ids;
  const n = hits ? hits.recs.length : snapshot.n;
  const recs = new Int32Array(n);
  const scores = hits?.scores ? new Float64Array(n) : null;
  let m = 0;
  for (let k = 0; k < n; k++) {
    const i = hits ? hits.recs[k]! : k;
    if (!snapshot.alive[i] || !keep(snapshot.ids[i]!)) continue;
    if (scores) scores[m] = hits!.scores![k]!;
    recs[m++] = i;
  }
  const narrowed = snapshot.query(all, order, { recs: recs.subarray(0, m), scores: scores ? scores.subarray(0, m) : null });
  return { ids, narrowed: { ids: narrowed.ids, facets: narrowed.facets } };
}

export async function getRecommendation(db: Kysely<DB>, id: string) {
  const rec = await findRecommendation(db, id);
  if (!rec) throw notFound('Recommendation');
  const [terms, statusHistory, history] = await Promise.all([
    termsOf(db, id),
    statusHistoryOf(db, id),
    listAudit(db, { subjectType: 'recommendation', subjectId: id, limit: 200 }),
  ]);
  const states = JSON.parse(rec.recommending_states) as string[];
  return {
    ...rec,
    recommending_states: states,
    recommending_state_names: states.map(countryName),
    country_name: rec.country ? await countryNameOf(db, rec.country) : null,
    // only curation writes it, through its enum (recommendations.schema.ts)
    priority: rec.priority as NonNullable<UpdateInput['priority']> | null,
    is_public: rec.is_public === 1,
    follow_up: rec.follow_up === 1,
    terms,
    statusHistory,
    history,
  };
}

/** Curates one recommendation. A stale `version` gets 409 and changes nothing. */
export async function updateRecommendation(db: Kysely<DB>, id: string, input: UpdateInput, actor: User) {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('recommendations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw notFound('Recommendation');
    if (current.version !== input.version) {
      throw conflict('version_conflict', 'Someone else changed this recommendation meanwhile. Reload it and try again.', {
        currentVersion: current.version,
      });
    }
    const { version, statusReason, is_public, follow_up, ...fields } = input;
    const patch: RecommendationUpdate = { ...fields };
    if (is_public !== undefined) patch.is_public = is_public ? 1 : 0;
    if (follow_up !== undefined) patch.follow_up = follow_up ? 1 : 0;
    if (input.status !== undefined && input.status !== current.status) {
      const known = await trx.selectFrom('statuses').select('code').where('code', '=', input.status).executeTakeFirst();
      if (!known) throw badRequest('unknown_status', `Unknown status "${input.status}".`);
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(patch)) {
      const old = current[k as keyof typeof current];
      if (old !== v) {
        before[k] = old;
        after[k] = v;
      }
    }
    if (Object.keys(after).length === 0) return { id, version: current.version, changed: false };
    const now = nowIso();
    const res = await trx
      .updateTable('recommendations')
      .set({ ...patch, updated_at: now, version: current.version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      throw conflict('version_conflict', 'Someone else changed this recommendation meanwhile. Reload it and try again.');
    }
    if (after.text_ar !== undefined || after.text_en !== undefined || after.text_fr !== undefined) {
      await indexRecommendations(trx, [id]);
    }
    if (after.status !== undefined) {
      await trx
        .insertInto('status_history')
        .values({
          id: newId(),
          recommendation_id: id,
          from_status: current.status,
          to_status: String(after.status),
          reason: statusReason ?? null,
          changed_by: actor.id,
          changed_at: now,
        })
        .execute();
    }
    await recordAudit(trx, { actorId: actor.id, action: 'recommendation.update', subjectType: 'recommendation', subjectId: id, before, after });
    return { id, version: current.version + 1, changed: true };
  });
}

/**
 * Sets a recommendation's status inside the caller's transaction the same way curation does:
 * version bump, a status_history row (who, when, why) and an audit entry. No-op when unchanged.
 * Used by follow-up when an update is approved.
 */
export async function applyStatusChange(
  trx: Transaction<DB>,
  change: {
    recommendationId: string;
    toStatus: string;
    /** what a person wrote, if anything */
    reason: string | null;
    /** why the system changed it, as a code the web app renders in the reader's language, and its parameters */
    reasonCode?: string;
    reasonParams?: Record<string, string>;
    actorId: string;
    auditAction?: string;
  },
): Promise<boolean> {
  const current = await trx
    .selectFrom('recommendations')
    .select(['id', 'status', 'version'])
    .where('id', '=', change.recommendationId)
    .executeTakeFirst();
  if (!current) throw notFound('Recommendation');
  if (current.status === change.toStatus) return false;
  const known = await trx.selectFrom('statuses').select('code').where('code', '=', change.toStatus).executeTakeFirst();
  if (!known) throw badRequest('unknown_status', `Unknown status "${change.toStatus}".`);
  const now = nowIso();
  await trx
    .updateTable('recommendations')
    .set({ status: change.toStatus, updated_at: now, version: current.version + 1 })
    .where('id', '=', current.id)
    .execute();
  await trx
    .insertInto('status_history')
    .values({
      id: newId(),
      recommendation_id: current.id,
      from_status: current.status,
      to_status: change.toStatus,
      reason: change.reason,
      reason_code: change.reasonCode ?? null,
      reason_params: change.reasonParams ? JSON.stringify(change.reasonParams) : null,
      changed_by: change.actorId,
      changed_at: now,
    })
    .execute();
  await recordAudit(trx, {
    actorId: change.actorId,
    action: change.auditAction ?? 'recommendation.status',
    subjectType: 'recommendation',
    subjectId: current.id,
    before: { status: current.status, version: current.version },
    after: { status: change.toStatus, version: current.version + 1 },
  });
  return true;
}
