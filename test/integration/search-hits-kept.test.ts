/**
 * A text query's full-text hits are kept across register versions where the engine tells when its index's content
 * changes (SQLite: `SearchDialect.contentVersion`), so that a write the index does not read (a note, a status) does
 * not make every search run again. Parity, on both engines: after every kind of write, the list's hits, scores,
 * ranked pages and facet counts through the kept hits equal those of a fresh database handle that has kept nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.ts';
import type { HitList } from '../../src/db/dialect/hit-list.ts';
import { listQuerySchema, registerIndex, searchRecommendations, textHits } from '../../src/recommendations/index.ts';
import { indexRecommendations } from '../../src/search/index.ts';
import { makeRecommendations } from '../helpers/followup.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const WORDS = ['torture', 'detention', 'women', 'children', 'prison', 'prevent', 'inquiry', 'judicial', 'custody', 'complaints'];
const QUERIES = ['torture', 'women children', 'detention', 'tort*', '"prevent torture"', 'custody complaints'];

describeEachEngine('full-text hits kept across register versions', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  let recs: string[];
  let calls = 0;
  beforeAll(async () => {
    h = await createHarness(engine);
    const db = h.database.db;
    recs = await makeRecommendations(db, 60, { body: 'CRC', symbol: 'CRC/C/TST/CO/1' });
    // texts of different lengths and word counts, so that bm25 gives many different scores
    for (const [k, id] of recs.entries()) {
      // "torture" in a third of them, once to three times; other words from the rest of the list
      const words = Array.from({ length: 3 + (k % 7) }, (_, j) => WORDS[1 + ((k * 3 + j * j) % (WORDS.length - 1))]!);
      if (k % 3 === 0) words.splice(k % 4, 0, ...Array.from({ length: 1 + (k % 5) % 3 }, () => 'torture'));
      await db.updateTable('recommendations').set({ text_en: `Recommendation ${k}: ${words.join(' ')}.` }).where('id', '=', id).execute();
    }
    // one that no query finds, until its text is edited
    recs.push(...(await makeRecommendations(db, 1, { body: 'CRC', symbol: 'CRC/C/TST/CO/2' })));
    await db.updateTable('recommendations').set({ text_en: 'Budget allocation for the national statistics office.' }).where('id', '=', recs.at(-1)!).execute();
    await indexRecommendations(db, recs);
    coordinator = await h.loginAs('coordinator');
    const search = h.database.dialect.search;
    const hitList = search.hitList.bind(search);
    search.hitList = (...args: Parameters<typeof hitList>): Promise<HitList> => {
      calls++;
      return hitList(...args);
    };
  });
  afterAll(() => closeHarness(h));

  const query = (q: string) => listQuerySchema.parse({ q, pageSize: '200' });

  /** Every query through this server's kept hits and through a fresh handle: the same hits, scores, pages and counts. */
  async function expectParity(): Promise<Map<string, Map<string, number | null>>> {
    const kept = new Map<string, Map<string, number | null>>();
    const fresh = createDb(h.database.target);
    try {
      for (const q of QUERIES) {
        const a = await textHits(h.database.db, h.database.dialect, query(q));
        const b = await textHits(fresh.db, fresh.dialect, query(q));
        expect([...a.keys()].sort(), q).toEqual([...b.keys()].sort());
        for (const [id, score] of b) expect(a.get(id), `${q}: ${id}`).toBe(score);
        expect(await searchRecommendations(h.database.db, h.database.dialect, query(q)), q).toEqual(await searchRecommendations(fresh.db, fresh.dialect, query(q)));
        kept.set(q, a);
      }
    } finally {
      await fresh.destroy();
    }
    return kept;
  }

  async function patch(id: string, body: Record<string, unknown>): Promise<void> {
    const current = await coordinator.request({ method: 'GET', url: `/api/recommendations/${id}` });
    expect(current.statusCode, current.body).toBe(200);
    const res = await coordinator.request({ method: 'PATCH', url: `/api/recommendations/${id}`, payload: { version: (current.json() as { version: number }).version, ...body } });
    expect(res.statusCode, res.body).toBe(200);
  }

  it('answers from the kept hits after a write the index does not read, and searches again after one it does', async () => {
    const before = await expectParity();
    const torture = [...before.get('torture')!.keys()];
    expect(torture.length).toBeGreaterThan(5);
    expect(new Set([...before.get('torture')!.values()]).size, 'scores differ between hits').toBeGreaterThan(3);

    // a note and a status: the register's version moves, the index's content does not
    const version = (await registerIndex(h.database.db, h.database.dialect).current()).version;
    await patch(torture[0]!, { notes: 'checked', status: 'in_progress' });
    expect((await registerIndex(h.database.db, h.database.dialect).current()).version).not.toBe(version);
    calls = 0;
    for (const q of QUERIES) await textHits(h.database.db, h.database.dialect, query(q));
    // SQLite keeps the hit lists per content version of the index; PostgreSQL has none and searches again
    if (engine === 'sqlite') expect(calls).toBe(0);
    else expect(calls).toBeGreaterThan(0);
    await expectParity();

    // a text edited: a hit no longer holds the word, another one now does
    const other = recs.at(-1)!;
    expect(before.get('torture')!.has(other)).toBe(false);
    await patch(torture[1]!, { text_en: 'Recommendation without the word, about something else entirely.' });
    await patch(other, { text_en: 'Investigate every allegation of torture torture in custody promptly.' });
    const edited = await expectParity();
    expect(edited.get('torture')!.has(torture[1]!)).toBe(false);
    expect(edited.get('torture')!.has(other)).toBe(true);

    // a new recommendation indexed, and one removed (its index row goes with it): every score moves (bm25's statistics)
    const [added] = await makeRecommendations(h.database.db, 1, { body: 'CRC', symbol: 'CRC/C/TST/CO/3' });
    await h.database.db.updateTable('recommendations').set({ text_en: 'Prevent torture in prison and in detention.' }).where('id', '=', added!).execute();
    await indexRecommendations(h.database.db, [added!]);
    const grown = await expectParity();
    expect(grown.get('torture')!.has(added!)).toBe(true);
    await h.database.db.deleteFrom('recommendations').where('id', '=', torture[2]!).execute();
    const shrunk = await expectParity();
    expect(shrunk.get('torture')!.has(torture[2]!)).toBe(false);
    expect(shrunk.get('torture')!.get(torture[3]!)).not.toBe(grown.get('torture')!.get(torture[3]!));
  });
});
