/**
 * The term links an import writes (ImportRun.termIds): each record's themes, affected persons, tags and SDG goals and
 * targets, each term once (a label written twice, or two spellings of one code, give one link), on the bulk path of a
 * first import and on the row path of the next one, on both engines.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { importRecords, type ImportRecord } from '../../src/imports/index.ts';
import { createTestDatabase, ENGINES, pgSkipReason } from '../helpers/engines.ts';

function record(n: number, extra: Partial<ImportRecord>): ImportRecord {
  return { sourceRow: n, externalId: `links-${n}`, document: { symbol: `A/HRC/99/${n}`, body: 'UPR' }, texts: { en: `Recommendation number ${n} on term links.` }, kind: 'recommendation', ...extra };
}

const first = [
  record(1, { themes: ['Right to education', 'Right to  education'], affectedPersons: ['Children', 'Migrants'], tags: ['Axis one'], sdgs: [{ code: '4' }, { code: '4.1', label: 'Free primary education' }] }),
  record(2, { themes: ['Torture'], affectedPersons: ['children'], sdgs: [{ code: ' 16 ' }, { code: '' }] }),
];
const later = [
  record(3, { themes: ['Torture', 'Right to education'], affectedPersons: ['Women'], tags: ['Axis one', 'Axis two'], sdgs: [{ code: '4' }] }),
  record(4, { affectedPersons: ['Migrants', 'MIGRANTS'] }),
];
/** external id → its links as `kind:code`, sorted */
const expected: Record<string, string[]> = {
  'links-1': ['affected_person:children', 'affected_person:migrants', 'sdg_goal:4', 'sdg_target:4.1', 'tag:axis one', 'theme:right to education'],
  'links-2': ['affected_person:children', 'sdg_goal:16', 'theme:torture'],
  'links-3': ['affected_person:women', 'sdg_goal:4', 'tag:axis one', 'tag:axis two', 'theme:right to education', 'theme:torture'],
  'links-4': ['affected_person:migrants'],
};

describe.each(ENGINES)('term links of an import (%s)', (engine) => {
  it.skipIf(engine === 'postgres' && pgSkipReason)('links each theme, affected person, tag and SDG once, on the bulk path and on the row path', async () => {
    const t = await createTestDatabase(engine);
    try {
      expect(await importRecords(t.db, first, { source: 'test', bulkLoad: t.dialect.bulkLoad })).toMatchObject({ new: 2, invalid: 0 });
      expect(await importRecords(t.db, later, { source: 'test', bulkLoad: t.dialect.bulkLoad })).toMatchObject({ new: 2, invalid: 0 });
      const { rows } = await sql<{ external_id: string; kind: string; code: string }>`select r.external_id, t.kind, t.code from recommendation_terms rt
        join recommendations r on r.id = rt.recommendation_id join terms t on t.id = rt.term_id`.execute(t.db);
      const links: Record<string, string[]> = {};
      for (const r of rows) (links[r.external_id] ??= []).push(`${r.kind}:${r.code}`);
      for (const k of Object.keys(links)) links[k]!.sort();
      expect(links).toEqual(expected);
    } finally {
      await t.drop();
    }
  });
});
