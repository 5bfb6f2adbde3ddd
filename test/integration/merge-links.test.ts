/**
 * Issue 13, step 4: a merge of two records of one recommendation keeps the work done on the merged-away record
 * where it points: compiled report sections, treaty-article assignments and action-plan links name the kept record
 * (never twice), and an unmerge puts every one of them back. Once per engine, through the HTTP API.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEntity } from '../../src/entities/index.ts';
import { makeRecommendations } from '../helpers/followup.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const json = (res: { json(): any }) => res.json();

describeEachEngine('merge re-points reports, article assignments and plan links', (engine) => {
  let h: Harness;
  let c: TestClient;
  let cat: string[]; // CAT/C/TST/CO/3 paragraphs 10–12
  let dup: string[]; // the same two paragraphs again, from another source document
  let lone: string; // a record of a document no report draws on
  let byParagraph: any;
  let byArticle: any;
  let actionA = '';
  let actionB = '';

  const post = async (url: string, payload: unknown, status = 201) => {
    const res = await c.request({ method: 'POST', url, payload: payload as Record<string, unknown> });
    expect(res.statusCode, res.body).toBe(status);
    return json(res);
  };
  const get = async (url: string) => {
    const res = await c.request({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };
  const docId = async (symbol: string) => (await h.database.db.selectFrom('documents').select('id').where('symbol', '=', symbol).executeTakeFirstOrThrow()).id;
  const rec = (id: string) => h.database.db.selectFrom('recommendations').select(['id', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
  /** every section of both reports: key → covered ids, and whether it is flagged */
  const sections = async () => {
    const out: Record<string, { ids: string[]; flagged: boolean }> = {};
    for (const r of [byParagraph, byArticle]) {
      for (const s of (await get(`/api/reports/${r.id}`)).sections) out[`${r.structure}|${s.key}`] = { ids: s.recommendationIds, flagged: s.source_changed };
    }
    return out;
  };
  const articles = async () =>
    (await h.database.db.selectFrom('report_articles').select(['report_id', 'recommendation_id', 'article']).orderBy('report_id').orderBy('recommendation_id').execute()).map(
      (a) => `${a.report_id === byArticle.id ? 'B' : a.report_id}|${a.recommendation_id}|${a.article}`,
    );
  const planLinks = async () => ({ a: [...(await get(`/api/plan-actions/${actionA}`)).recommendation_ids].sort(), b: [...(await get(`/api/plan-actions/${actionB}`)).recommendation_ids].sort() });
  const merge = async (survivorId: string, mergedId: string) => {
    const [s, m] = [await rec(survivorId), await rec(mergedId)];
    return post('/api/recommendations/merge', { survivorId, survivorVersion: s.version, mergedId, mergedVersion: m.version }, 200);
  };

  beforeAll(async () => {
    h = await createHarness(engine);
    const db = h.database.db;
    c = await h.loginAs('coordinator');
    const ministry = await createEntity(db, { code: 'MOJ', name_ar: 'وزارة العدل', name_en: 'Ministry of Justice' });
    cat = await makeRecommendations(db, 3, { body: 'CAT', symbol: 'CAT/C/TST/CO/3' });
    dup = await makeRecommendations(db, 2, { body: 'CAT', symbol: 'CAT/C/TST/CO/3/Corr.1' });
    [lone] = await makeRecommendations(db, 1, { body: 'CAT', symbol: 'CAT/C/TST/CO/2' }) as [string];
    const sources = [{ documentId: await docId('CAT/C/TST/CO/3') }, { documentId: await docId('CAT/C/TST/CO/3/Corr.1') }];
    // one draft per obligation: two obligations on the same sources, one report laid out by paragraph, one by article
    const o1 = await post('/api/obligations', { type: 'treaty_periodic', body: 'CAT', dueDate: '2028-01-01', sources });
    const o2 = await post('/api/obligations', { type: 'treaty_periodic', body: 'CAT', dueDate: '2032-01-01', sources });
    byParagraph = await post('/api/reports', { obligationId: o1.id, structure: 'by_paragraph' });
    byArticle = await post('/api/reports', { obligationId: o2.id, structure: 'by_article' });
    const put = await c.request({
      method: 'PUT',
      url: `/api/reports/${byArticle.id}/articles`,
      payload: {
        version: byArticle.version,
        assignments: [
          { recommendationId: cat[0], article: '12' },
          { recommendationId: dup[0], article: '13' },
          { recommendationId: dup[1], article: '3' },
        ],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    byArticle = json(put);

    const plan = await post('/api/plans', { title_ar: 'الخطة', title_en: 'Plan', period_start: '2026-01-01', period_end: '2029-12-31' });
    const pillar = await post(`/api/plans/${plan.id}/pillars`, { code: 'P1', title_ar: 'العدالة', title_en: 'Justice' });
    const objective = await post(`/api/plan-pillars/${pillar.id}/objectives`, { code: 'O1', title_ar: 'منع التعذيب', title_en: 'Prevent torture' });
    const action = (code: string, ids: string[]) =>
      post(`/api/plan-objectives/${objective.id}/actions`, { code, title_ar: `إجراء ${code}`, title_en: `Action ${code}`, lead_entity_id: ministry.id, recommendation_ids: ids });
    actionA = (await action('A1', [cat[0]!, dup[0]!])).id;
    actionB = (await action('A2', [dup[1]!])).id;
  });
  afterAll(() => closeHarness(h));

  it('points every section, article assignment and plan link at the kept record, never twice; unmerge restores them', async () => {
    const sectionsBefore = await sections();
    const articlesBefore = await articles();
    const planBefore = await planLinks();
    // the layout this test relies on: a paragraph section per record, article sections fed by the assignments
    expect(sectionsBefore[`by_paragraph|para:${dup[0]}`]!.ids).toEqual([dup[0]]);
    expect(sectionsBefore[`by_paragraph|para:${cat[0]}`]!.ids).toEqual([cat[0]]);
    expect(sectionsBefore[`by_article|article:12`]!.ids).toEqual([cat[0]]);
    expect(sectionsBefore[`by_article|article:13`]!.ids).toEqual([dup[0]]);
    expect(sectionsBefore[`by_article|unassigned`]!.ids).toEqual(expect.arrayContaining([cat[1], cat[2]]));
    expect(articlesBefore).toHaveLength(3);

    // dup[0] into cat[0]: both already in every report and in action A1
    const m0 = await merge(cat[0]!, dup[0]!);
    // dup[1] into a record no report covers yet: its sections, article and plan link move over whole
    const m1 = await merge(lone, dup[1]!);

    const after = await sections();
    for (const [key, s] of Object.entries(after)) {
      expect(s.ids, key).not.toContain(dup[0]);
      expect(s.ids, key).not.toContain(dup[1]);
    }
    // no report covers a recommendation twice
    for (const structure of ['by_paragraph', 'by_article']) {
      const ids = Object.entries(after).filter(([k]) => k.startsWith(`${structure}|`)).flatMap(([, s]) => s.ids);
      expect(new Set(ids).size, structure).toBe(ids.length);
    }
    // the merged record's own paragraph section: the survivor has one already, so it covers nothing more and is flagged
    expect(after[`by_paragraph|para:${dup[0]}`]).toEqual({ ids: [], flagged: true });
    expect(after[`by_paragraph|para:${cat[0]}`]).toEqual(sectionsBefore[`by_paragraph|para:${cat[0]}`]);
    // the other merged record's paragraph section now is the survivor's
    expect(after[`by_paragraph|para:${dup[1]}`]).toBeUndefined();
    expect(after[`by_paragraph|para:${lone}`]!.ids).toEqual([lone]);
    // cat[0] has its own article: the merged record's article section covers nothing more and is flagged
    expect(after[`by_article|article:13`]).toEqual({ ids: [], flagged: true });
    expect(after[`by_article|article:12`]!.ids).toEqual([cat[0]]);
    expect(after[`by_article|article:3`]!.ids).toEqual([lone]);
    // one assignment per record and report: cat[0] keeps its own article, lone takes dup[1]'s
    expect(await articles()).toEqual([`B|${cat[0]}|12`, `B|${lone}|3`].sort());
    expect(await planLinks()).toEqual({ a: [cat[0]].sort(), b: [lone] });

    // a recompile after the merge keeps to the kept records
    const recompiled = await post(`/api/reports/${byArticle.id}/compile`, {}, 200);
    for (const s of recompiled.sections) expect(s.recommendationIds).not.toContain(dup[0]);

    const audit = await h.database.db.selectFrom('audit_log').select('after').where('action', '=', 'recommendation.merge').where('subject_id', '=', cat[0]!).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after!)).toMatchObject({ mergeId: m0.mergeId, planLinksMoved: 1, reportArticlesMoved: 1, reportSections: expect.arrayContaining([expect.any(String)]) });
    expect(JSON.parse(audit.after!).reportSections).toHaveLength(2); // para:dup0 and article:13
    // unmerge, latest first: every link goes back where it was
    expect((await c.request({ method: 'POST', url: `/api/recommendations/merges/${m1.mergeId}/unmerge` })).statusCode).toBe(200);
    expect((await c.request({ method: 'POST', url: `/api/recommendations/merges/${m0.mergeId}/unmerge` })).statusCode).toBe(200);
    const restored = await sections();
    for (const key of Object.keys(sectionsBefore)) {
      if (key.startsWith('by_article|')) continue; // recompiled meanwhile: compared below
      expect(restored[key], key).toEqual(sectionsBefore[key]);
    }
    expect(restored[`by_paragraph|para:${lone}`]).toBeUndefined();
    expect(restored[`by_article|article:13`]!.ids).toEqual([dup[0]]);
    expect(restored[`by_article|article:3`]!.ids).toEqual([dup[1]]);
    expect(restored[`by_article|article:12`]!.ids).toEqual([cat[0]]);
    expect(await articles()).toEqual(articlesBefore);
    expect(await planLinks()).toEqual(planBefore);
    const unmergeAudit = await h.database.db.selectFrom('audit_log').select('after').where('action', '=', 'recommendation.unmerge').execute();
    expect(unmergeAudit).toHaveLength(2);

    // merged again and compiled anew: the kept record stands for the merged one in the report of its source document
    // (lone's own document is not a source of the obligation)
    await merge(lone, dup[1]!);
    const recompiledByParagraph = await post(`/api/reports/${byParagraph.id}/compile`, {}, 200);
    const keys = recompiledByParagraph.sections.map((s: any) => s.key);
    expect(keys).toContain(`para:${lone}`);
    expect(keys).not.toContain(`para:${dup[1]}`);
    expect(recompiledByParagraph.sections.find((s: any) => s.key === `para:${lone}`).recommendationIds).toEqual([lone]);
  });
});
