/**
 * An import into a filled register reports, for each record it adds, the most similar comparable record already held
 * (matchesForNew). It reads the held records one state under review at a time (only records of one state are
 * comparable), so as not to hold every state's texts at once: the pairs must be those of matching against every held
 * record at once, in the file's order, with ties going to the first held record in id order. On both engines, with
 * two spellings of one state's name and records copied into other states (which must not match).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeUhriJson } from '../../bench/gen-uhri.ts';
import { importRecords, parseFile, type ImportRecord } from '../../src/imports/index.ts';
import { bestMatches, type Candidate } from '../../src/recommendations/merge.service.ts';
import { createTestDatabase, ENGINES, pgSkipReason } from '../helpers/engines.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-import-matches-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function held(db: Awaited<ReturnType<typeof createTestDatabase>>['db']): Promise<Candidate[]> {
  const rows = await db
    .selectFrom('recommendations as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select(['r.id', 'r.document_id', 'd.country', 'd.upr_cycle', 'r.kind', 'r.paragraph', 'r.recommending_states', 'r.text_en'])
    .execute();
  return rows
    .map((r) => ({ id: r.id, document_id: r.document_id, country: r.country, upr_cycle: r.upr_cycle, kind: r.kind, paragraph: r.paragraph, states: JSON.parse(r.recommending_states) as string[], text: r.text_en ?? '' }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

describe.each(ENGINES)('matches of an import into a filled register (%s)', (engine) => {
  it.skipIf(engine === 'postgres' && pgSkipReason)('are those of matching against every held record at once, state by state', async () => {
    const file = join(tmp, `held-${engine}.json`);
    await writeUhriJson(file, { count: 900, seed: 11, useSharedData: false });
    const t = await createTestDatabase(engine);
    try {
      const first: ImportRecord[] = [];
      for await (const r of await parseFile('uhri-json', file, { worker: false })) first.push(r);
      expect(await importRecords(t.db, first, { source: 'test' })).toMatchObject({ new: 900 });
      const states = new Set(first.map((r) => r.document.country));
      expect(states.size).toBeGreaterThan(3);

      // later sources of the same texts: another document of the same state and cycle (comparable: UPR), the state's
      // name in capitals for every other one; the same texts under another state (never comparable)
      const others = [...states];
      const later: ImportRecord[] = first.slice(0, 400).map((r, i) => {
        const country = i % 5 === 4 ? others[(others.indexOf(r.document.country) + 1) % others.length] : i % 2 ? r.document.country?.toUpperCase() : r.document.country;
        return { ...r, sourceRow: i + 1, externalId: `later-${i}`, document: { ...r.document, symbol: `${r.document.symbol}/LATER`, country } };
      });
      const before = await held(t.db);
      const outcome = await importRecords(t.db, later, { source: 'test' });
      expect(outcome).toMatchObject({ new: 400, invalid: 0 });

      const added = (await held(t.db)).filter((c) => !before.some((b) => b.id === c.id));
      const rowOf = new Map((await t.db.selectFrom('recommendations').select(['id', 'external_id']).where('external_id', 'like', 'later-%').execute()).map((r) => [r.id, Number(r.external_id.slice(6)) + 1]));
      const news = added.sort((a, b) => rowOf.get(a.id)! - rowOf.get(b.id)!);
      const expected = await bestMatches(news, before, new Set());
      expect(expected.length).toBeGreaterThan(50);
      expect(outcome.matchCount).toBe(expected.length);
      expect(outcome.matches!.map((m) => [m.row, m.existing.id, m.similarity])).toEqual(expected.slice(0, 200).map((p) => [rowOf.get(p.bId), p.aId, p.similarity]));
    } finally {
      await t.drop();
    }
  }, 120_000);
});
