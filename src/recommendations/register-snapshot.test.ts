import { describe, expect, it } from 'vitest';
import { FACETS, type FacetName, type ListQuery } from './recommendations.schema.ts';
import { compareNatural } from '../shared/natural-sort.ts';
import { MULTI_FACETS, RegisterSnapshot, SORT_KEYS, SINGLE_FACETS, type PreparedCandidates, type RecRow, type SortKey } from './register-snapshot.ts';
import { hitsOf } from './register-index.ts';

const noPause = async () => undefined;

/** A seeded generator (the same sequence on every run). */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}
type Rng = ReturnType<typeof random>;

const label = (v: string) => ({ value: v, ar: `ع ${v}`, en: `E ${v}` });

/** A random recommendation row; `spread` widens the value pools (new dictionary values). */
function randomRow(rng: Rng, id: string, rowid: number | null, spread: number): RecRow {
  const maybe = <T>(v: T): T | null => (rng.int(6) === 0 ? null : v);
  const single = SINGLE_FACETS.map((name) => {
    if (name === 'cluster') return maybe(label(`c${rng.int(4 + spread)}`));
    if (name === 'status') return rng.pick(['not_started', 'in_progress', 'fully_implemented']);
    return maybe(`${name}-${rng.int(name === 'document' ? 20 + spread : 5)}`);
  });
  const multi = MULTI_FACETS.map((name) => {
    const pool = name === 'entity' ? 6 + spread : 8 + spread;
    const values = new Set<string>();
    for (let k = rng.int(4); k > 0; k--) values.add(`${name}-${rng.int(pool)}`);
    return [...values].map(label);
  });
  const sort = SORT_KEYS.map((key) => {
    if (key === 'status') return single[SINGLE_FACETS.indexOf('status')] as string;
    if (key === 'updated') return `2026-12-${String(1 + rng.int(28)).padStart(2, '0')}T${String(rng.int(24)).padStart(2, '0')}:00:00Z`;
    if (key === 'paragraph') return maybe(`${rng.int(90)}.${rng.int(12)}`);
    return maybe(`20${10 + rng.int(15)}-0${1 + rng.int(9)}-01`);
  });
  return { id, rowid, single, multi, sort, published: rng.int(2) === 1 };
}

async function fresh(rows: Map<string, RecRow>): Promise<RegisterSnapshot> {
  const s = new RegisterSnapshot();
  s.apply([...rows.values()].map((row) => ({ id: row.id, row })));
  await s.finish(noPause);
  return s;
}

function queries(rng: Rng): { query: ListQuery; order: { by: SortKey; direction: 'asc' | 'desc' } | { by: 'relevance' } }[] {
  const base = { page: 1, pageSize: 200, order: 'desc' as const };
  const out: ReturnType<typeof queries> = [];
  for (const by of SORT_KEYS) for (const direction of ['asc', 'desc'] as const) out.push({ query: { ...base } as ListQuery, order: { by, direction } });
  out.push({ query: { ...base, page: 3, pageSize: 7 } as ListQuery, order: { by: 'updated', direction: 'desc' } });
  out.push({ query: { ...base, status: ['in_progress'] } as ListQuery, order: { by: 'date', direction: 'asc' } });
  out.push({ query: { ...base, theme: [`theme-${rng.int(8)}`, `theme-${rng.int(8)}`], cluster: ['c1', 'c2'] } as ListQuery, order: { by: 'paragraph', direction: 'desc' } });
  out.push({ query: { ...base, entity: [`entity-${rng.int(6)}`], position: ['position-1'], page: 2, pageSize: 5 } as ListQuery, order: { by: 'status', direction: 'asc' } });
  out.push({ query: { ...base, mechanism: ['mechanism-0', 'mechanism-3'] } as ListQuery, order: { by: 'relevance' } });
  return out;
}

/** Every answer of `a` and `b` to the same questions, with hits named by full-text row id. */
function answers(s: RegisterSnapshot, rng: Rng, rowids: number[]) {
  const hitRowids = rowids.filter(() => rng.int(3) === 0);
  const hitList = { rowids: Int32Array.from(hitRowids), scores: Float64Array.from(hitRowids, (r) => (r * 7919) % 13) };
  return queries(rng).flatMap(({ query, order }) => [
    s.query(query, order, null),
    s.query(query, order.by === 'relevance' ? order : order, hitsOf(hitList, s.rowidToRec)),
    // the public portal's: published recommendations only
    s.query(query, order, s.publishedCandidates(null)),
    s.query(query, order, s.publishedCandidates(hitsOf(hitList, s.rowidToRec))),
  ]);
}

/** Facet counts without their labels, for comparing with a brute-force count. */
const strip = (facets: Record<string, { value: string; count: number }[]>) =>
  Object.fromEntries(Object.entries(facets).map(([k, vs]) => [k, vs.map(({ value, count }) => ({ value, count }))]));

/** `n` random rows with ids r00000…, row ids 1…n. */
function randomRows(rng: Rng, n: number): Map<string, RecRow> {
  const rows = new Map<string, RecRow>();
  for (let k = 0; k < n; k++) rows.set(`r${String(k).padStart(5, '0')}`, randomRow(rng, `r${String(k).padStart(5, '0')}`, k + 1, 0));
  return rows;
}

describe('register snapshot patched in place', () => {
  it.each([1, 2, 3])('answers like a fresh build after random changes (seed %i)', async (seed) => {
    const rng = random(seed);
    const rows = new Map<string, RecRow>();
    let nextId = 0;
    let nextRowid = 1;
    const newId = () => `rec-${String(rng.int(1e6)).padStart(6, '0')}-${nextId++}`;
    for (let k = 0; k < 300; k++) {
      const id = newId();
      rows.set(id, randomRow(rng, id, rng.int(10) ? nextRowid++ : null, 0));
    }
    const live = await fresh(rows);
    const kept = live;
    for (let step = 0; step < 60; step++) {
      const changes: { id: string; row: RecRow | null }[] = [];
      const batch = rng.int(5) === 0 ? 40 + rng.int(40) : 1 + rng.int(3); // now and then a bulk edit
      for (let k = 0; k < batch; k++) {
        const ids = [...rows.keys()];
        const op = rng.int(10);
        if (op === 0 && ids.length > 10) {
          const id = rng.pick(ids);
          rows.delete(id);
          changes.push({ id, row: null });
        } else if (op === 1) {
          const id = newId();
          const row = randomRow(rng, id, nextRowid++, step);
          rows.set(id, row);
          changes.push({ id, row });
        } else {
          const id = rng.pick(ids);
          // a changed recommendation; now and then its full-text row is replaced (a text edit)
          const row = randomRow(rng, id, rng.int(4) === 0 ? nextRowid++ : rows.get(id)!.rowid, step);
          rows.set(id, row);
          changes.push({ id, row });
        }
      }
      live.apply(changes);
      if (step % 10 === 9 || step === 59) {
        const rebuilt = await fresh(rows);
        const rowids = [...rows.values()].map((r) => r.rowid).filter((r): r is number => r !== null);
        expect(live.size).toBe(rows.size);
        expect(answers(live, random(step), rowids)).toEqual(answers(rebuilt, random(step), rowids));
      }
    }
    expect(live).toBe(kept);
  });

  it.each([4, 5])('answers like a fresh build after edits of one field at a time (seed %i)', async (seed) => {
    // an edit changes one value and keeps the others: only what changed moves (counts, posting lists, orders)
    const rng = random(seed);
    const rows = new Map<string, RecRow>();
    for (let k = 0; k < 200; k++) rows.set(`r${String(k).padStart(3, '0')}`, randomRow(rng, `r${String(k).padStart(3, '0')}`, k + 1, 0));
    const live = await fresh(rows);
    const versions = new Map<string, number>();
    for (let step = 0; step < 150; step++) {
      const id = rng.pick([...rows.keys()]);
      const old = rows.get(id)!;
      const other = randomRow(rng, id, old.rowid, step % 3 === 0 ? step : 0);
      const row: RecRow = { ...old, single: [...old.single], multi: old.multi.map((m) => [...m]), sort: [...old.sort] };
      const what = rng.int(3);
      if (what === 0) {
        const s = rng.int(SINGLE_FACETS.length);
        row.single[s] = other.single[s] ?? null;
        if (SINGLE_FACETS[s] === 'status') row.sort[SORT_KEYS.indexOf('status')] = other.single[s] as string;
      } else if (what === 1) {
        const m = rng.int(MULTI_FACETS.length);
        row.multi[m] = other.multi[m] ?? [];
      } else {
        const k = rng.int(SORT_KEYS.length);
        if (SORT_KEYS[k] !== 'status') row.sort[k] = other.sort[k] ?? null;
      }
      rows.set(id, row);
      const before = live.version;
      live.apply([{ id, row }]);
      versions.set(id, live.version);
      expect(live.changedSince(id, before)).toBe(true);
      if (step % 25 === 24) {
        // a recommendation not edited since a version is not "changed since" it
        for (const [known, at] of versions) expect(live.changedSince(known, at)).toBe(false);
        const rebuilt = await fresh(rows);
        const rowids = [...rows.values()].map((r) => r.rowid).filter((r): r is number => r !== null);
        expect(answers(live, random(step), rowids)).toEqual(answers(rebuilt, random(step), rowids));
      }
    }
    expect(live.changedSince('no-such-recommendation', 0)).toBe(true);
  });

  it.each([8, 9])('answers like a fresh build after bulk edits of one field, some with new values (seed %i)', async (seed) => {
    // a bulk edit (more than 32 recommendations: one pass) of one field: the posting lists of the values lost and gained
    // patched once each, and only the sort orders whose key changed made again; now and then 1,200 of the 1,500 at once,
    // or with values new to the dictionaries (counters moved while the change is gathered)
    const rng = random(seed);
    const rows = randomRows(rng, 1500);
    const live = await fresh(rows);
    const whole = (s: RegisterSnapshot, by: SortKey, direction: 'asc' | 'desc') => s.query({ page: 1, pageSize: rows.size, order: direction } as ListQuery, { by, direction }, null).ids;
    for (let step = 0; step < 12; step++) {
      const ids = [...rows.keys()];
      const size = step % 4 === 3 ? 1200 : 40 + rng.int(200);
      const chosen = new Set<string>();
      while (chosen.size < size) chosen.add(rng.pick(ids));
      const what = rng.int(3);
      const field = what === 0 ? rng.int(SINGLE_FACETS.length) : what === 1 ? rng.int(MULTI_FACETS.length) : rng.int(SORT_KEYS.length);
      const spread = step % 3 === 2 ? 40 + step : 0;
      const changes = [...chosen].map((id) => {
        const old = rows.get(id)!;
        const other = randomRow(rng, id, old.rowid, spread);
        const row: RecRow = { ...old, single: [...old.single], multi: old.multi.map((m) => [...m]), sort: [...old.sort] };
        if (what === 0) {
          row.single[field] = other.single[field] ?? null;
          if (SINGLE_FACETS[field] === 'status') row.sort[SORT_KEYS.indexOf('status')] = other.single[field] as string;
        } else if (what === 1) row.multi[field] = other.multi[field] ?? [];
        else if (SORT_KEYS[field] !== 'status') row.sort[field] = other.sort[field] ?? null;
        rows.set(id, row);
        return { id, row };
      });
      live.apply(changes);
      const rebuilt = await fresh(rows);
      const rowids = [...rows.values()].map((r) => r.rowid).filter((r): r is number => r !== null);
      expect(answers(live, random(step), rowids)).toEqual(answers(rebuilt, random(step), rowids));
      for (const key of SORT_KEYS) for (const dir of ['asc', 'desc'] as const) expect(whole(live, key, dir), `${key} ${dir}`).toEqual(whole(rebuilt, key, dir));
    }
  });

  it.each([6, 7])("keeps every sort order whole when an edit's moves are left for later (seed %i)", async (seed) => {
    // an edit's moves in the sort orders wait (OrderIndex.defer) until the order is read, the next patch, or
    // settleOrders: after each edit (one or a few, new and removed ones too), one order read whole, or none, or all
    // settled, in turn; every order compared whole with a fresh build's
    const rng = random(seed);
    const rows = new Map<string, RecRow>();
    for (let k = 0; k < 150; k++) rows.set(`r${String(k).padStart(3, '0')}`, randomRow(rng, `r${String(k).padStart(3, '0')}`, k + 1, 0));
    const live = await fresh(rows);
    const whole = (s: RegisterSnapshot, by: SortKey, direction: 'asc' | 'desc') =>
      s.query({ page: 1, pageSize: rows.size + 10, order: direction } as ListQuery, { by, direction }, null).ids;
    let added = 0;
    for (let step = 0; step < 120; step++) {
      const changes: { id: string; row: RecRow | null }[] = [];
      for (let k = rng.int(4) === 0 ? 3 : 1; k > 0; k--) {
        const op = rng.int(12);
        if (op === 0 && rows.size > 50) {
          const id = rng.pick([...rows.keys()]);
          rows.delete(id);
          changes.push({ id, row: null });
        } else if (op === 1) {
          const id = `n${added++}`;
          const row = randomRow(rng, id, 1000 + added, step);
          rows.set(id, row);
          changes.push({ id, row });
        } else {
          // a status edit (it moves in the status and "updated" orders), or another sort key's
          const id = rng.pick([...rows.keys()]);
          const old = rows.get(id)!;
          const other = randomRow(rng, id, old.rowid, step);
          const row: RecRow = { ...old, single: [...old.single], sort: [...old.sort] };
          const key = rng.int(3) === 0 ? rng.int(SORT_KEYS.length) : SORT_KEYS.indexOf('status');
          if (SORT_KEYS[key] === 'status') {
            const status = rng.pick(['not_started', 'in_progress', 'fully_implemented']);
            row.single[SINGLE_FACETS.indexOf('status')] = status;
            row.sort[key] = status;
            row.sort[SORT_KEYS.indexOf('updated')] = other.sort[SORT_KEYS.indexOf('updated')]!;
          } else row.sort[key] = other.sort[key] ?? null;
          rows.set(id, row);
          changes.push({ id, row });
        }
      }
      live.apply(changes);
      const by = rng.pick(SORT_KEYS);
      const direction = rng.pick(['asc', 'desc'] as const);
      const what = rng.int(3);
      if (what === 0) expect(whole(live, by, direction)).toEqual(whole(await fresh(rows), by, direction));
      else if (what === 1) live.settleOrders();
      if (step % 20 === 19) {
        const rebuilt = await fresh(rows);
        for (const key of SORT_KEYS) for (const dir of ['asc', 'desc'] as const) expect(whole(live, key, dir), `${key} ${dir}`).toEqual(whole(rebuilt, key, dir));
      }
    }
  });

  it('keeps order under many inserts at one place (ranks renumbered)', async () => {
    const rows = new Map<string, RecRow>();
    const rng = random(9);
    for (let k = 0; k < 20; k++) rows.set(`r${k}`, randomRow(rng, `r${k}`, k + 1, 0));
    const live = await fresh(rows);
    // paragraph values squeezed ever closer between "10" and "11": more than a float's halvings
    for (let k = 0; k < 80; k++) {
      const id = `r${k % 20}`;
      const row = { ...rows.get(id)!, sort: [...rows.get(id)!.sort] };
      row.sort[SORT_KEYS.indexOf('paragraph')] = `10${'5'.repeat(k + 1)}`;
      rows.set(id, row);
      live.apply([{ id, row }]);
    }
    const rebuilt = await fresh(rows);
    for (const direction of ['asc', 'desc'] as const) {
      const q = { page: 1, pageSize: 50, order: direction } as ListQuery;
      expect(live.query(q, { by: 'paragraph', direction }, null)).toEqual(rebuilt.query(q, { by: 'paragraph', direction }, null));
    }
  });
});

/** The list's answer computed the slow way, from the rows themselves: every candidate visited, every facet counted. */
function bruteForce(
  rows: Map<string, RecRow>,
  query: ListQuery,
  order: { by: SortKey; direction: 'asc' | 'desc' } | { by: 'relevance' },
  hits: Map<number, number> | null,
) {
  const valuesOf = (row: RecRow, name: FacetName): string[] => {
    const s = SINGLE_FACETS.indexOf(name as (typeof SINGLE_FACETS)[number]);
    if (s >= 0) {
      const v = row.single[s];
      return v === null || v === undefined ? [] : [typeof v === 'string' ? v : v.value];
    }
    return row.multi[MULTI_FACETS.indexOf(name as (typeof MULTI_FACETS)[number])]!.map((v) => v.value);
  };
  const filtered = FACETS.filter((name) => query[name]?.length);
  const passes = (row: RecRow, name: FacetName) => valuesOf(row, name).some((v) => query[name]!.includes(v));
  const candidates = [...rows.values()].filter((r) => !hits || (r.rowid !== null && hits.has(r.rowid)));
  const facets: Record<string, { value: string; count: number }[]> = {};
  for (const name of FACETS) {
    const counts = new Map<string, number>();
    for (const r of candidates) {
      if (!filtered.every((f) => f === name || passes(r, f))) continue;
      for (const v of valuesOf(r, name)) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    facets[name] = [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, 50);
  }
  const passing = candidates.filter((r) => filtered.every((f) => passes(r, f)));
  const byId = (a: RecRow, b: RecRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if (order.by === 'relevance') {
    const score = (r: RecRow) => (hits ? hits.get(r.rowid!)! : 0);
    passing.sort((a, b) => score(b) - score(a) || byId(a, b));
  } else {
    const key = SORT_KEYS.indexOf(order.by);
    const cmp = order.by === 'paragraph' ? compareNatural : (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const sign = order.direction === 'asc' ? 1 : -1;
    passing.sort((a, b) => {
      const x = a.sort[key] ?? null;
      const y = b.sort[key] ?? null;
      if ((x === null) !== (y === null)) return x === null ? 1 : -1;
      return (x !== null && y !== null ? cmp(x, y) * sign : 0) || byId(a, b);
    });
  }
  const offset = (query.page - 1) * query.pageSize;
  return { ids: passing.slice(offset, offset + query.pageSize).map((r) => r.id), total: passing.length, facets };
}

describe('filtered counting over the candidates only', () => {
  /** A random list question: one to four facet filters (values that exist, and now and then one that does not), a sort, a page. */
  function randomQuery(rng: Rng, rows: RecRow[]): { query: ListQuery; order: { by: SortKey; direction: 'asc' | 'desc' } | { by: 'relevance' } } {
    const query = { page: 1 + rng.int(3), pageSize: 1 + rng.int(30), order: 'desc' } as ListQuery;
    const names = [...FACETS];
    for (let k = 1 + rng.int(4); k > 0; k--) {
      const name = names.splice(rng.int(names.length), 1)[0]!;
      const picked = new Set<string>();
      for (let v = 1 + rng.int(3); v > 0; v--) {
        const row = rng.pick(rows);
        const s = SINGLE_FACETS.indexOf(name as (typeof SINGLE_FACETS)[number]);
        const vals = s >= 0 ? [row.single[s]].filter((x) => x !== null && x !== undefined).map((x) => (typeof x === 'string' ? x : x!.value)) : row.multi[MULTI_FACETS.indexOf(name as (typeof MULTI_FACETS)[number])]!.map((x) => x.value);
        if (vals.length) picked.add(rng.pick(vals));
      }
      if (rng.int(8) === 0) picked.add('no-such-value');
      (query as Record<string, unknown>)[name] = [...picked];
    }
    const order = rng.int(4) === 0 ? ({ by: 'relevance' } as const) : { by: rng.pick(SORT_KEYS), direction: rng.pick(['asc', 'desc'] as const) };
    return { query, order };
  }

  it.each([11, 12, 13])('equals a brute-force count on random data, before and after patches (seed %i)', async (seed) => {
    const rng = random(seed);
    const rows = randomRows(rng, 1500);
    const live = await fresh(rows);
    // hits prepared at an earlier version (their copied values stale): the query must not use the copy
    let stale: { hitMap: Map<number, number>; prepared: PreparedCandidates } | null = null;
    const check = (round: number) => {
      const list = [...rows.values()];
      for (let q = 0; q < 30; q++) {
        const { query, order } = randomQuery(rng, list);
        const withText = rng.int(2) === 0;
        const hitMap = withText ? new Map(list.filter(() => rng.int(3) === 0).map((r) => [r.rowid!, rng.int(7)] as [number, number])) : null;
        const hits = hitMap ? hitsOf({ rowids: Int32Array.from(hitMap.keys()), scores: Float64Array.from(hitMap.values()) }, live.rowidToRec) : null;
        const got = live.query(query, order, hits);
        const want = bruteForce(rows, query, order, hitMap);
        expect({ round, ...got, facets: strip(got.facets) }).toEqual({ round, ...want });
        if (hits) {
          // the same hits prepared (facet values copied side by side): the same answer
          const prepared = live.prepare(hits);
          expect(prepared.recs.length).toBeGreaterThan(0);
          const viaCopy = live.query(query, order, prepared);
          expect({ round, ...viaCopy, facets: strip(viaCopy.facets) }).toEqual({ round, ...want });
          if (rng.int(4) === 0) stale = { hitMap: hitMap!, prepared };
        }
        if (stale && stale.prepared.version !== live.version) {
          const old = live.query(query, order, stale.prepared);
          expect({ round, stale: true, ...old, facets: strip(old.facets) }).toEqual({ round, stale: true, ...bruteForce(rows, query, order, stale.hitMap) });
        }
      }
    };
    check(0);
    // small patches (the posting lists patched), then one large one (built again), with new values
    for (let step = 1; step <= 30; step++) {
      const ids = [...rows.keys()];
      const changes = ids.filter(() => rng.int(300) === 0).map((id) => {
        const row = rng.int(12) === 0 ? null : randomRow(rng, id, rows.get(id)!.rowid, step);
        if (row) rows.set(id, row);
        else rows.delete(id);
        return { id, row };
      });
      live.apply(changes);
      if (step % 10 === 0) check(step);
    }
    const bulk = [...rows.keys()].slice(0, 1100).map((id) => {
      const row = randomRow(rng, id, rows.get(id)!.rowid, 40);
      rows.set(id, row);
      return { id, row };
    });
    live.apply(bulk);
    check(99);
  }, 60_000);
});

describe('one filter keeping most of the register', () => {
  // the kept counts minus those of the rows it leaves out, and the page read off the kept order: as the slow way
  it.each([21, 22, 23])('equals a brute-force count, every facet, sort and page, before and after patches (seed %i)', async (seed) => {
    const rng = random(seed);
    const rows = randomRows(rng, 1200);
    const live = await fresh(rows);
    let dense = 0;
    const check = (round: number) => {
      const list = [...rows.values()];
      for (const name of FACETS) {
        // the values of this facet by how many rows hold them, most first: the first ones keep more than half
        const held = new Map<string, number>();
        const s = SINGLE_FACETS.indexOf(name as (typeof SINGLE_FACETS)[number]);
        for (const r of list) {
          const vals = s >= 0 ? [r.single[s]].filter((x) => x !== null && x !== undefined).map((x) => (typeof x === 'string' ? x : x!.value)) : r.multi[MULTI_FACETS.indexOf(name as (typeof MULTI_FACETS)[number])]!.map((x) => x.value);
          for (const v of vals) held.set(v, (held.get(v) ?? 0) + 1);
        }
        const values = [...held].sort((a, b) => b[1] - a[1]).map(([v]) => v);
        for (let take = 1; take <= Math.min(values.length, 12); take += 1 + rng.int(3)) {
          const picked = values.slice(0, take);
          if (list.filter((r) => (s >= 0 ? picked.includes(typeof r.single[s] === 'string' ? (r.single[s] as string) : ((r.single[s] as { value: string } | null)?.value ?? '')) : r.multi[MULTI_FACETS.indexOf(name as (typeof MULTI_FACETS)[number])]!.some((x) => picked.includes(x.value)))).length * 2 > list.length) dense++;
          const by = rng.pick(SORT_KEYS);
          const direction = rng.pick(['asc', 'desc'] as const);
          const query = { page: 1 + rng.int(4), pageSize: 1 + rng.int(40), order: direction, [name]: picked } as unknown as ListQuery;
          const got = live.query(query, { by, direction }, null);
          const want = bruteForce(rows, query, { by, direction }, null);
          expect({ round, name, take, ...got, facets: strip(got.facets) }).toEqual({ round, name, take, ...want });
        }
      }
    };
    check(0);
    for (let step = 1; step <= 20; step++) {
      const changes = [...rows.keys()]
        .filter(() => rng.int(200) === 0)
        .map((id) => {
          const row = rng.int(10) === 0 ? null : randomRow(rng, id, rows.get(id)!.rowid, step);
          if (row) rows.set(id, row);
          else rows.delete(id);
          return { id, row };
        });
      live.apply(changes);
      if (step % 5 === 0) check(step);
    }
    // the questions did reach the dense way (more than half kept) many times
    expect(dense).toBeGreaterThan(30);
  }, 60_000);
});
