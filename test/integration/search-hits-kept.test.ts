/**
 * A text query's full-text hits are kept across register versions per content version of the index
 * (`SearchDialect.contentVersion`: SQLite, FTS5's records; PostgreSQL, the postings' version of migration 042), so
 * that a write the index does not read (a note, a status) does not make every search run again. Parity, on both
 * engines: after every kind of write, through this server or another connection, committed before a search or
 * while one runs, the list's hits, scores, ranked pages and facet counts through the kept hits equal those of a
 * fresh database handle that has kept nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.ts';
import type { DB } from '../../src/db/schema.ts';
import { sql, type Kysely } from 'kysely';
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
  async function expectParity(queries = QUERIES): Promise<Map<string, Map<string, number | null>>> {
    const kept = new Map<string, Map<string, number | null>>();
    const fresh = createDb(h.database.target);
    try {
      for (const q of queries) {
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
    // the hit lists are kept per content version of the index (SQLite: FTS5's records; PostgreSQL: migration 042)
    expect(calls).toBe(0);
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

  /** Waits until this server's register has taken in a write another connection committed (PostgreSQL: its notification). */
  async function registerMovedFrom(version: number): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await registerIndex(h.database.db, h.database.dialect).current()).version !== version) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the register never saw the other connection’s write');
  }

  /** A text edited and indexed, as another server instance does it. */
  async function editText(db: Kysely<DB>, id: string, text: string): Promise<void> {
    await db.updateTable('recommendations').set({ text_en: text }).where('id', '=', id).execute();
    await indexRecommendations(db, [id]);
  }

  it('searches again after another connection changes the index, also when it commits while a search runs', async () => {
    const other = createDb(h.database.target);
    try {
      const before = await expectParity();
      const [a, b, c] = [...before.get('torture')!.keys()];

      // committed by another connection: only the database can tell this server that the index changed
      let version = (await registerIndex(h.database.db, h.database.dialect).current()).version;
      await editText(other.db, a!, 'Strengthen the juvenile justice system.');
      await registerMovedFrom(version);
      calls = 0;
      const edited = await expectParity();
      expect(calls).toBeGreaterThan(0);
      expect(edited.get('torture')!.has(a!)).toBe(false);

      // an index row written again with the same texts (another connection's upsert): the index's content does not
      // change; PostgreSQL's version does not move (SQLite's FTS5 rewrites the row, and its records with it)
      version = (await registerIndex(h.database.db, h.database.dialect).current()).version;
      await indexRecommendations(other.db, [b!]);
      await registerMovedFrom(version);
      calls = 0;
      await expectParity();
      if (engine === 'postgres') expect(calls).toBe(0);

      // a transaction of another connection changes the index and commits only after this server has searched:
      // the hits found meanwhile are those of the index before it, and must not be taken for those after it
      let wrote!: () => void;
      let commit!: () => void;
      const written = new Promise<void>((r) => (wrote = r));
      const held = new Promise<void>((r) => (commit = r));
      const transaction = other.db.transaction().execute(async (trx) => {
        await editText(trx, b!, 'Independent oversight of places of deprivation of liberty.');
        await editText(trx, c!, 'Torture, torture and torture: prosecute every case.');
        wrote();
        await held;
      });
      await written;
      // a query not asked yet is searched now (the others are answered from what was kept at this register version)
      const queries = [...QUERIES, 'tortu*'];
      calls = 0;
      const during = await expectParity(queries);
      expect(calls).toBeGreaterThan(0);
      expect(during.get('tortu*')!.has(b!)).toBe(true);
      version = (await registerIndex(h.database.db, h.database.dialect).current()).version;
      commit();
      await transaction;
      await registerMovedFrom(version);
      const after = await expectParity(queries);
      expect(after.get('tortu*')!.has(b!)).toBe(false);
      expect(after.get('torture')!.has(b!)).toBe(false);
      expect(after.get('torture')!.get(c!)).not.toBe(during.get('torture')!.get(c!));

      if (engine === 'postgres') {
        // one row of weight per change of the postings (migration 042): read past 64 of them, the version folds them
        // into one row of the same total, and does not move by it
        const versionOf = () => h.database.dialect.search.contentVersion!(h.database.db);
        const rows = async () => (await sql<{ n: number }>`select count(*)::integer as n from recommendation_fts_versions`.execute(h.database.db)).rows[0]!.n;
        const start = await versionOf();
        for (let k = 0; k < 70; k++) await editText(other.db, a!, `Juvenile justice, reading number ${k}.`);
        expect(await rows()).toBeGreaterThan(64);
        const folded = await versionOf();
        expect(folded).not.toBe(start);
        expect(await rows()).toBe(1);
        expect(await versionOf()).toBe(folded);
        await editText(other.db, a!, 'Torture prevention in juvenile justice.');
        expect(await versionOf()).not.toBe(folded);
        await registerMovedFrom(version);
        expect((await expectParity()).get('torture')!.has(a!)).toBe(true);
      }
    } finally {
      await other.destroy();
    }
  });
});
