/**
 * SQLite FTS5 and PostgreSQL tsvector return identical hit sets through the HTTP API, for fixed
 * Arabic queries (Morocco DIDH, Arabic + French) and English queries (UPR Info, a few states
 * across both cycles). Records are compared by external id (row ids differ between databases).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/text/index.ts';
import { pgSkipReason } from '../helpers/engines.ts';
import { closeHarness, createHarness, type Harness, type TestClient } from '../helpers/http.ts';
import { hitScores } from '../helpers/fulltext.ts';
import { importMorocco, importUprInfo } from '../helpers/search-data.ts';
import { describeWithSharedData } from '../helpers/shared-data.ts';

const ARABIC = [
  'المرأة', 'المراه', 'الطفل', 'حقوق الطفل', '"حقوق الإنسان"', 'الاتفاقية', 'الاتف*', 'التعذيب', 'الإعاقة', 'العنف ضد النساء',
  'التمييز', 'الهجرة', 'اللاجئين', 'الإعدام', 'القضاء', 'مستقل*', 'البروتوكول الاختياري', 'حرية', 'الصحة', 'التعليم',
  'torture', 'enfant*', '"droits de l\'homme"',
];
const ENGLISH = [
  'torture', 'ratify', 'ratif*', '"optional protocol"', 'women', 'death penalty', 'moratorium', 'freedom of expression',
  'child*', 'trafficking', 'Paris Principles', 'discrimination against women', 'journalists', 'disabilit*', 'migrant workers',
  'domestic violence', 'human rights defenders', '"national human rights institution"', 'corporal punishment', 'CEDAW',
  'OP-CAT', 'non-discrimination', 'ICCPR-OP2', '"death penalty" abolish*',
];
const UPR_STATES = ['Egypt', 'Tunisia', 'Qatar', 'Jordan'];

const describePg = pgSkipReason ? describe.skip : describe;

describeWithSharedData('search parity', () => {
  describePg('SQLite and PostgreSQL return the same hits', () => {
    const h: Partial<Record<'sqlite' | 'postgres', Harness>> = {};
    const c: Partial<Record<'sqlite' | 'postgres', TestClient>> = {};
    beforeAll(async () => {
      await Promise.all(
        (['sqlite', 'postgres'] as const).map(async (engine) => {
          const harness = await createHarness(engine);
          h[engine] = harness;
          await importMorocco(harness.database.db);
          await importUprInfo(harness.database.db, UPR_STATES);
          c[engine] = await harness.loginAs('viewer');
        }),
      );
    }, 120_000);
    afterAll(async () => {
      await closeHarness(h.sqlite);
      await closeHarness(h.postgres);
    });

    /** All hits (every page, a deterministic order) as sorted external ids. */
    async function hits(engine: 'sqlite' | 'postgres', q: string): Promise<string[]> {
      const out: string[] = [];
      for (let page = 1; ; page++) {
        const res = await c[engine]!.request({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent(q)}&sort=paragraph&pageSize=200&page=${page}` });
        expect(res.statusCode).toBe(200);
        const body = res.json() as { items: { id: string }[]; total: number };
        out.push(...body.items.map((i) => i.id));
        if (out.length >= body.total || body.items.length === 0) break;
      }
      const rows = out.length
        ? await h[engine]!.database.db.selectFrom('recommendations').select('external_id').where('id', 'in', out).execute()
        : [];
      return rows.map((r) => r.external_id).sort();
    }

    it.each([...ARABIC, ...ENGLISH])('%s', async (q) => {
      const [a, b] = await Promise.all([hits('sqlite', q), hits('postgres', q)]);
      expect(a.length, `no hits for ${q}`).toBeGreaterThan(0);
      expect(b).toEqual(a);
    });

    const scores = (engine: 'sqlite' | 'postgres', q: string, mode: 'all' | 'any' = 'all') => hitScores(h[engine]!.database, q, mode);

    // PostgreSQL ranks from its postings with FTS5's bm25: the same score for every hit.
    it.each([...ARABIC, ...ENGLISH])('same relevance: %s', async (q) => {
      const [a, b] = await Promise.all([scores('sqlite', q), scores('postgres', q)]);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [id, score] of a) expect(b.get(id), `${q}: ${id}`).toBeCloseTo(score, 9);
    });

    // Any clause (the candidates of "similar recommendations"): the same rows and scores too.
    it.each([...ARABIC, ...ENGLISH].filter((q) => parseQuery(q).clauses.length > 1))('same relevance, any clause: %s', async (q) => {
      const [a, b] = await Promise.all([scores('sqlite', q, 'any'), scores('postgres', q, 'any')]);
      expect(a.size).toBeGreaterThan(0);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [id, score] of a) expect(b.get(id), `${q}: ${id}`).toBeCloseTo(score, 9);
    });
  });
});
