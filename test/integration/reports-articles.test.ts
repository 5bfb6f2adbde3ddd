import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEntity } from '../../src/entities/index.ts';
import { TREATIES } from '../../src/reports/treaty-articles.ts';
import { makeRecommendations } from '../helpers/followup.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const json = (res: { json(): any }) => res.json();

/** A treaty report laid out by article (issue 12, step 3): one section per article of the treaty, fed by the editor's assignments. */
describeEachEngine('treaty report by article', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  let focal: TestClient;
  let viewer: TestClient;
  let ministry: { id: string };
  let cat: string[]; // paragraphs 10–13 of CAT concluding observations
  let catDoc = '';
  let ahrcDoc = '';

  const post = async (c: TestClient, url: string, payload: unknown, status = 201) => {
    const res = await c.request({ method: 'POST', url, payload: payload as Record<string, unknown> });
    expect(res.statusCode, res.body).toBe(status);
    return json(res);
  };
  const put = (c: TestClient, url: string, payload: unknown) => c.request({ method: 'PUT', url, payload: payload as Record<string, unknown> });
  const obligation = (type: string, body: string, sources: unknown[]) => post(coordinator, '/api/obligations', { type, body, dueDate: '2028-01-01', sources });
  const section = (report: any, key: string) => report.sections.find((s: any) => s.key === key);

  beforeAll(async () => {
    h = await createHarness(engine);
    const db = h.database.db;
    ministry = await createEntity(db, { code: 'MOI', name_ar: 'وزارة الداخلية', name_en: 'Ministry of Interior' });
    coordinator = await h.loginAs('coordinator');
    focal = await h.loginAs('focal_point', { entityId: ministry.id });
    viewer = await h.loginAs('viewer');
    cat = await makeRecommendations(db, 4, { body: 'CAT', symbol: 'CAT/C/TST/CO/3' });
    catDoc = (await db.selectFrom('documents').select('id').where('symbol', '=', 'CAT/C/TST/CO/3').executeTakeFirstOrThrow()).id;
    // two paragraphs cite their article, as concluding observations often do; one in English, one in Arabic only
    await db.updateTable('recommendations').set({ text_en: 'Ensure that all allegations of torture are promptly and impartially investigated (art. 12).' }).where('id', '=', cat[0]!).execute();
    await db.updateTable('recommendations').set({ text_ar: 'ضمان حق الضحايا في الإنصاف والتعويض وفقاً للمادة ١٤ من الاتفاقية.', text_en: 'Redress for victims.' }).where('id', '=', cat[1]!).execute();
    await makeRecommendations(db, 1, { body: 'AHRC', symbol: 'AHRC/TST/CO/2' });
    ahrcDoc = (await db.selectFrom('documents').select('id').where('symbol', '=', 'AHRC/TST/CO/2').executeTakeFirstOrThrow()).id;
    // an approved update on paragraph 12 (cat[2]): compiled into the article it is assigned to
    const a = await post(coordinator, '/api/assignments', { recommendationIds: [cat[2]!], entityId: ministry.id, dueDate: '2027-06-30' });
    const u = await post(focal, `/api/assignments/${a.ids[0]}/updates`, {
      text_ar: 'أُنشئت وحدة مستقلة لتلقي الشكاوى في مراكز الاحتجاز.',
      text_en: 'An independent unit now receives complaints in places of detention.',
    });
    await post(focal, `/api/updates/${u.id}/submit`, {}, 200);
    await post(coordinator, `/api/updates/${u.id}/approve`, {}, 200);
  });
  afterAll(() => closeHarness(h));

  it('holds the substantive articles of the nine core treaties', () => {
    const counts = Object.fromEntries(Object.values(TREATIES).map((t) => [t.code, t.articles.length]));
    expect(counts).toEqual({ ICCPR: 27, ICESCR: 15, CAT: 16, CEDAW: 16, CRC: 41, CERD: 7, CRPD: 33, CMW: 71, CED: 25 });
    for (const t of Object.values(TREATIES)) {
      expect(t.articles.map((a) => a.number)).toEqual(t.articles.map((_, i) => String(i + 1)));
      for (const a of t.articles) {
        expect(a.ar).toMatch(/[\u0600-\u06ff]/);
        expect(a.ar).not.toMatch(/[A-Za-z]/);
        expect(a.en).toMatch(/^[A-Z]/);
      }
    }
    expect(TREATIES.CAT!.articles[2]).toEqual({ number: '3', ar: 'عدم الإعادة القسرية', en: 'Non-refoulement' });
    expect(TREATIES.ICCPR!.articles[13]!.en).toBe('Equality before the courts and fair trial');
  });

  it('lays a periodic report out by article: one section per article, the cited articles pre-assigned, the rest waiting', async () => {
    const o = await obligation('treaty_periodic', 'CAT', [{ documentId: catDoc }]);
    const report = await post(coordinator, '/api/reports', { obligationId: o.id, structure: 'by_article' });
    expect(report.structure).toBe('by_article');
    const keys = report.sections.map((s: any) => s.key);
    expect(keys).toEqual(['fixed:introduction', ...Array.from({ length: 16 }, (_, i) => `article:${i + 1}`), 'unassigned']);
    const art12 = section(report, 'article:12');
    expect(art12.heading_en).toBe('Article 12: Prompt and impartial investigation');
    expect(art12.heading_ar).toBe('المادة \u206612\u2069: التحقيق السريع والنزيه');
    // pre-assigned from the texts: paragraph 10 cites art. 12 (English), paragraph 11 article 14 (Arabic digits)
    expect(art12.recommendationIds).toEqual([cat[0]]);
    expect(section(report, 'article:14').recommendationIds).toEqual([cat[1]]);
    expect(section(report, 'unassigned').recommendationIds).toEqual([cat[2], cat[3]]);
    // the unassigned section already carries paragraph 12's approved update
    expect(section(report, 'unassigned').text_en).toContain('An independent unit now receives complaints');
    expect(report.articles.treaty.code).toBe('CAT');
    expect(report.articles.list).toHaveLength(16);
    expect(report.articles.recommendations.map((r: any) => [r.paragraph, r.article, r.suggested])).toEqual([
      ['10', '12', true],
      ['11', '14', true],
      ['12', null, false],
      ['13', null, false],
    ]);

    // the editor assigns paragraph 12 to article 13 (the right to complain) and takes paragraph 11 back
    const res = await put(coordinator, `/api/reports/${report.id}/articles`, {
      version: report.version,
      assignments: [
        { recommendationId: cat[2], article: '13' },
        { recommendationId: cat[1], article: null },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = json(res);
    const art13 = section(after, 'article:13');
    expect(art13.recommendationIds).toEqual([cat[2]]);
    expect(art13.text_en).toContain('An independent unit now receives complaints in places of detention.');
    expect(art13.text_ar).toContain('أُنشئت وحدة مستقلة لتلقي الشكاوى في مراكز الاحتجاز.');
    expect(section(after, 'article:14').recommendationIds).toEqual([]);
    expect(section(after, 'unassigned').recommendationIds).toEqual([cat[1], cat[3]]);
    expect(after.articles.recommendations.find((r: any) => r.id === cat[2]).suggested).toBe(false);
    expect(after.version).toBeGreaterThan(report.version);

    // every recommendation assigned: the waiting section goes (nobody edited it)
    const all = await put(coordinator, `/api/reports/${report.id}/articles`, {
      version: after.version,
      assignments: [
        { recommendationId: cat[1], article: '14' },
        { recommendationId: cat[3], article: '2' },
      ],
    });
    expect(all.statusCode, all.body).toBe(200);
    expect(json(all).sections.map((s: any) => s.key)).not.toContain('unassigned');

    // audited
    const rows = await h.database.db.selectFrom('audit_log').select(['action', 'after']).where('subject_id', '=', report.id).where('action', '=', 'report.articles').execute();
    expect(rows).toHaveLength(2);
    expect(JSON.parse(rows[0]!.after!)).toMatchObject({ treaty: 'CAT' });

    // an edited article section keeps its text when its recommendations change; the new text waits as a proposal
    const current = json(all);
    const a13 = section(current, 'article:13');
    const edit = await coordinator.request({
      method: 'PATCH',
      url: `/api/reports/${report.id}/sections/${a13.id}`,
      payload: { version: a13.version, text_en: 'Complaints: an independent unit, in every place of detention.' },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const moved = await put(coordinator, `/api/reports/${report.id}/articles`, { version: (await json(await coordinator.request({ method: 'GET', url: `/api/reports/${report.id}` }))).version, assignments: [{ recommendationId: cat[2], article: '12' }] });
    expect(moved.statusCode, moved.body).toBe(200);
    const m13 = section(json(moved), 'article:13');
    expect(m13.text_en).toBe('Complaints: an independent unit, in every place of detention.');
    expect(m13.source_changed).toBe(true);
    expect(section(json(moved), 'article:12').recommendationIds).toEqual([cat[0], cat[2]]);
  });

  it('refuses a bad assignment with a coded error in both languages, and a stale version with 409', async () => {
    const o = await obligation('loipr_replies', 'CAT', [{ documentId: catDoc, paragraphs: ['10', '11'] }]);
    const report = await post(coordinator, '/api/reports', { obligationId: o.id, structure: 'by_article' });
    const url = `/api/reports/${report.id}/articles`;
    const cases: [unknown, number, string][] = [
      [{ version: report.version, assignments: [{ recommendationId: cat[0], article: '17' }] }, 400, 'unknown_article'],
      [{ version: report.version, assignments: [{ recommendationId: cat[3], article: '2' }] }, 400, 'not_covered'],
      [{ version: report.version, assignments: [{ recommendationId: cat[0], article: '2' }, { recommendationId: cat[0], article: '3' }] }, 400, 'duplicate_recommendation'],
      [{ version: report.version + 5, assignments: [{ recommendationId: cat[0], article: '2' }] }, 409, 'version_conflict'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await put(coordinator, url, payload);
      expect(res.statusCode, res.body).toBe(status);
      const err = json(res).error;
      expect(err.code).toBe(code);
      expect(err.message_ar).toMatch(/[\u0600-\u06ff]/);
    }
    // two editors at once: the second one's version is stale
    const first = await put(coordinator, url, { version: report.version, assignments: [{ recommendationId: cat[0], article: '2' }] });
    const second = await put(coordinator, url, { version: report.version, assignments: [{ recommendationId: cat[0], article: '4' }] });
    expect([first.statusCode, second.statusCode]).toEqual([200, 409]);
    // only writers assign: a focal point of another entity and a viewer may not
    for (const c of [focal, viewer]) {
      const res = await put(c, url, { version: json(first).version, assignments: [{ recommendationId: cat[0], article: '2' }] });
      expect([403, 404]).toContain(res.statusCode);
    }
  });

  it('offers the layout by article to treaty reports only, and only for a treaty Rasd holds the articles of', async () => {
    const byParagraph = await post(coordinator, '/api/reports', { obligationId: (await obligation('treaty_periodic', 'CAT', [{ documentId: catDoc, paragraphs: ['12'] }])).id });
    expect(byParagraph.structure).toBe('by_paragraph');
    expect(byParagraph.articles).toBeNull();
    const res = await put(coordinator, `/api/reports/${byParagraph.id}/articles`, { version: byParagraph.version, assignments: [{ recommendationId: cat[2], article: '2' }] });
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe('not_by_article');

    const charter = await obligation('arab_charter', 'AHRC', [{ documentId: ahrcDoc }]);
    const bad = await coordinator.request({ method: 'POST', url: '/api/reports', payload: { obligationId: charter.id, structure: 'by_article' } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error).toMatchObject({ code: 'invalid_structure' });
    expect(json(bad).error.message_ar).toMatch(/[\u0600-\u06ff]/);

    // a treaty body whose treaty has no list here (the Subcommittee on Prevention of Torture reads the OPCAT)
    await makeRecommendations(h.database.db, 1, { body: 'SPT', symbol: 'CAT/OP/TST/1' });
    const sptDoc = (await h.database.db.selectFrom('documents').select('id').where('symbol', '=', 'CAT/OP/TST/1').executeTakeFirstOrThrow()).id;
    const spt = await obligation('treaty_periodic', 'SPT', [{ documentId: sptDoc }]);
    const none = await coordinator.request({ method: 'POST', url: '/api/reports', payload: { obligationId: spt.id, structure: 'by_article' } });
    expect(none.statusCode).toBe(400);
    expect(json(none).error.code).toBe('no_article_list');
    expect(json(none).error.message_ar).toMatch(/[\u0600-\u06ff]/);
    // nothing was created: the same obligation still takes a report laid out by paragraph
    await post(coordinator, '/api/reports', { obligationId: spt.id });
  });
});
