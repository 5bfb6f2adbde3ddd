/**
 * Full-text search through the HTTP API on real data (Morocco DIDH: Arabic and French), once per
 * engine: Arabic spelling variants, prefixes, phrases, hostile queries, highlights, facets with
 * text, saved views.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerIndex } from '../../src/recommendations/index.ts';
import { indexSources, reindexAll } from '../../src/search/index.ts';
import { normalizeText, parseQuery } from '../../src/text/index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';
import { fullTextDrift } from '../helpers/fulltext.ts';
import { importMorocco } from '../helpers/search-data.ts';
import { describeWithSharedData } from '../helpers/shared-data.ts';

interface Seg {
  text: string;
  match: boolean;
}
interface Item {
  id: string;
  text_ar: string | null;
  text_fr: string | null;
  highlights?: { ar?: Seg[]; en?: Seg[]; fr?: Seg[] };
}
interface Page {
  items: Item[];
  total: number;
  facets: Record<string, { value: string; count: number }[]>;
}

describeWithSharedData('search on real data', () => {
  describeEachEngine('search', (engine) => {
    let h: Harness;
    let viewer: TestClient;
    beforeAll(async () => {
      h = await createHarness(engine);
      const outcome = await importMorocco(h.database.db);
      expect(outcome.new).toBeGreaterThan(1000);
      viewer = await h.loginAs('viewer');
    });
    afterAll(() => closeHarness(h));

    async function search(q: string, extra = ''): Promise<Page> {
      const res = await viewer.request({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent(q)}&pageSize=200${extra}` });
      expect(res.statusCode, `${q}: ${res.body.slice(0, 300)}`).toBe(200);
      return res.json() as Page;
    }
    const ids = (p: Page) => p.items.map((i) => i.id).sort();

    it.each([
      // woman: hamza on alef, taa marbuta vs haa, diacritics, tatweel
      ['المرأة', ['المراة', 'المرأه', 'الْمَرْأَةِ', 'المـــرأة', 'المراه']],
      // convention: hamza-under alef form, taa marbuta
      ['الاتفاقية', ['الإتفاقية', 'الاتفاقيه', 'الاتّفاقيّة', 'الاتفـاقية']],
      // responsibility: hamza carriers (ؤ / ئ)
      ['الإنسان', ['الانسان', 'الإنْسَان', 'الأنسان', 'الانســان']],
      ['التعذيب', ['التّعذيب', 'التعـذيب', 'التَعْذِيب']],
    ])('Arabic spelling variants of %s return the same hits', async (word, variants) => {
      const base = await search(word);
      expect(base.total).toBeGreaterThan(0);
      for (const v of variants) {
        const p = await search(v);
        expect(p.total, v).toBe(base.total);
        expect(ids(p), v).toEqual(ids(base));
      }
    });

    it('finds words by prefix, and phrases only where the words follow each other', async () => {
      const prefix = await search('الاتف*');
      const longer = await search('الاتفاقي*');
      expect(longer.total).toBeGreaterThan(0);
      expect(prefix.total).toBeGreaterThanOrEqual(longer.total);
      const prefixIds = new Set(ids(prefix));
      for (const id of ids(longer)) expect(prefixIds.has(id)).toBe(true);
      for (const item of prefix.items) {
        const marked = (item.highlights?.ar ?? []).filter((s) => s.match).map((s) => normalizeText(s.text));
        expect(marked.length).toBeGreaterThan(0);
        for (const m of marked) expect(m.startsWith('الاتف') || m.replace(/^ال/, '').startsWith('الاتف')).toBe(true);
      }
      const words = await search('حقوق الطفل');
      const phrase = await search('"حقوق الطفل"');
      expect(phrase.total).toBeGreaterThan(0);
      expect(phrase.total).toBeLessThanOrEqual(words.total);
      // every phrase hit shows two marked words separated by whitespace only
      for (const item of phrase.items) {
        const segs = item.highlights?.ar ?? [];
        const adjacent = segs.some((seg, i) => seg.match && segs[i + 1]?.match === false && /^[\s\p{P}]+$/u.test(segs[i + 1]!.text) && segs[i + 2]?.match);
        expect(adjacent, item.text_ar ?? '').toBe(true);
      }
    });

    it('marks the matched words of each language', async () => {
      // the engine's own matching: without the glossary's alternatives (which are marked too)
      const p = await search('التعذيب', '&expand=0');
      const withAr = p.items.filter((i) => i.highlights?.ar);
      expect(withAr.length).toBeGreaterThan(0);
      for (const item of withAr) {
        const marked = item.highlights!.ar!.filter((s) => s.match).map((s) => normalizeText(s.text));
        expect(marked.length).toBeGreaterThan(0);
        for (const m of marked) expect(m).toMatch(/تعذيب/);
        // segments rebuild the original text exactly
        expect(item.highlights!.ar!.map((s) => s.text).join('')).toBe(item.text_ar);
      }
      const fr = await search('torture', '&expand=0');
      const frMarked = fr.items.flatMap((i) => i.highlights?.fr ?? []).filter((s) => s.match);
      expect(frMarked.length).toBeGreaterThan(0);
      for (const s of frMarked) expect(s.text.toLowerCase()).toMatch(/^tortur/);
    });

    it('combines text with facets and counts facets within the hits', async () => {
      const all = await search('المرأة');
      const bodyFacet = all.facets.body!;
      expect(bodyFacet.reduce((a, f) => a + f.count, 0)).toBe(all.total);
      const first = bodyFacet[0]!;
      const narrowed = await search('المرأة', `&body=${encodeURIComponent(first.value)}`);
      expect(narrowed.total).toBe(first.count);
      expect(narrowed.total).toBeLessThanOrEqual(all.total);
    });

    it.each([
      '"unbalanced', 'a AND OR NOT', 'NEAR(a b)', '*', '"*"', '^x', 'col:val', '(((', ')', '-', '--', "'; drop table recommendations; --",
      'SELECT * FROM users', "1' OR '1'='1", '\\', '%', '_', '{}[]', 'x:*', '!!', '&|', '<->', ':A', "'", '""', '“', '«المرأة', 'a'.repeat(499),
      '؟؟', 'ـــ', 'ً',
    ])('answers a hostile query %j with 200', async (q) => {
      const res = await viewer.request({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent(q)}` });
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toBeInstanceOf(Array);
    });

    it('refuses a query holding a NUL character with a coded 400', async () => {
      const res = await viewer.request({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent('\u0000')}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('nul_character');
    });

    it('sorts by relevance by default when searching, and a query with nothing searchable does not filter', async () => {
      const p = await viewer.request({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent('التعذيب')}` });
      expect(p.json().sort).toBe('relevance');
      const none = await viewer.request({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent('((( ""')}` });
      const everything = await viewer.request({ method: 'GET', url: '/api/recommendations' });
      expect(none.json().total).toBe(everything.json().total);
    });

    it('keeps the index up to date when a curator edits a text', async () => {
      const coordinator = await h.loginAs('coordinator');
      const p = await search('التعذيب');
      const target = p.items[0]!;
      const detail = (await coordinator.request({ method: 'GET', url: `/api/recommendations/${target.id}` })).json();
      const res = await coordinator.request({
        method: 'PATCH',
        url: `/api/recommendations/${target.id}`,
        payload: { version: detail.version, text_en: 'Establish a zanzibarite oversight board' },
      });
      expect(res.statusCode).toBe(200);
      const found = await search('zanzibarite');
      expect(found.items.map((i) => i.id)).toEqual([target.id]);
    });

    it('counts the rows holding each stem as a term search finds them', async () => {
      const stems = ['التعذيب', 'المرأة', 'torture'].map((w) => (parseQuery(w).clauses[0] as { term: string }).term);
      const counts = await h.database.dialect.search.documentCounts(h.database.db, [...stems, 'zzzunknown'], 100_000);
      for (const [k, w] of ['التعذيب', 'المرأة', 'torture'].entries()) expect(counts.get(stems[k]!), w).toBe((await search(w, '&expand=0')).total);
      expect(counts.has('zzzunknown')).toBe(false);
      // PostgreSQL stops counting at the cap.
      if (engine === 'postgres') expect(Math.min(...(await h.database.dialect.search.documentCounts(h.database.db, stems, 3)).values())).toBe(3);
    });

    it('saves views per user', async () => {
      const other = await h.loginAs('viewer');
      const created = await viewer.request({ method: 'POST', url: '/api/views', payload: { name: 'تعذيب CAT', query: '?q=التعذيب&body=CAT' } });
      expect(created.statusCode).toBe(201);
      const view = created.json();
      expect(view.query).toBe('q=التعذيب&body=CAT');
      expect((await viewer.request({ method: 'GET', url: '/api/views' })).json().items.map((v: { id: string }) => v.id)).toContain(view.id);
      expect((await other.request({ method: 'GET', url: '/api/views' })).json().items).toEqual([]);
      expect((await other.request({ method: 'DELETE', url: `/api/views/${view.id}` })).statusCode).toBe(404);
      expect((await viewer.request({ method: 'DELETE', url: `/api/views/${view.id}`, csrf: false })).statusCode).toBe(403);
      expect((await viewer.request({ method: 'DELETE', url: `/api/views/${view.id}` })).statusCode).toBe(204);
      expect((await viewer.request({ method: 'GET', url: '/api/views' })).json().items).toEqual([]);
    });
    // Last: it empties the index and deletes a recommendation.
    it('keeps the engine index equal to the index rows through inserts, updates, deletes and emptying', async () => {
      const { db } = h.database;
      const drift = () => fullTextDrift(h.database);
      expect(await drift()).toEqual({ extra: 0, missing: 0 });
      const [a, b, c] = (await search('التعذيب')).items;
      // Updates through the upsert of the index (insert … on conflict do update): one text changed, then in one
      // statement the same text again (nothing to do) beside another changed one.
      const fresh = { id: a!.id, paragraph: '1', document_symbol: 'X/1', text_ar: 'نص جديد تماما', text_en: 'fresh words', text_fr: null };
      await indexSources(db, [fresh]);
      expect(await drift()).toEqual({ extra: 0, missing: 0 });
      await indexSources(db, [fresh, { ...fresh, id: c!.id, text_en: 'other fresh words' }]);
      expect(await drift()).toEqual({ extra: 0, missing: 0 });
      expect((await search('fresh')).items.map((i) => i.id).sort()).toEqual([a!.id, c!.id].sort());
      expect((await search('other')).items.map((i) => i.id)).toEqual([c!.id]);
      // A delete, cascaded from the recommendation.
      await db.deleteFrom('recommendations').where('id', '=', b!.id).execute();
      expect(await drift()).toEqual({ extra: 0, missing: 0 });
      await (engine === 'sqlite' ? sql`delete from recommendation_search` : sql`truncate recommendation_search`).execute(db);
      expect(await drift()).toEqual({ extra: 0, missing: 0 });
      expect((await search('fresh')).total).toBe(0);
      // And back: rebuilt by the inserts of a full reindex.
      await reindexAll(db, h.database.dialect.search);
      expect(await drift()).toEqual({ extra: 0, missing: 0 });
      // a change this large rebuilds the register while the previous one answers other users: wait for it
      await registerIndex(db, h.database.dialect).settled();
      expect((await search('التعذيب')).items.map((i) => i.id)).toContain(a!.id);
    });
  });
});
