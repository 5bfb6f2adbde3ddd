import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEntity } from '../../src/entities/index.ts';
import { indexRecommendations } from '../../src/search/index.ts';
import { newId, nowIso } from '../../src/shared/ids.ts';
import { makeRecommendations, tinyPdf } from '../helpers/followup.ts';
import { changeFeedDelivered } from '../helpers/engines.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const json = (res: { json(): any }) => res.json();
const BASE = 'http://portal.test.example';

/** Strings that must never leave through the portal or its API. */
const SECRETS = {
  unpublishedText: 'UNPUBLISHED-SECRET-TEXT',
  unpublishedTextAr: 'نص سري غير منشور',
  note: 'INTERNAL-NOTE-SECRET',
  evidence: 'evidence-secret-name.pdf',
  nonPublicUpdate: 'NONPUBLIC-UPDATE-TEXT',
  unapprovedUpdate: 'UNAPPROVED-UPDATE-TEXT',
  reviewComment: 'REVIEW-COMMENT-SECRET',
  approvalComment: 'APPROVAL-COMMENT-SECRET',
  suggestedCluster: 'SUGGESTED-CLUSTER-SECRET',
  secretEntity: 'SECRET-ENTITY-NAME',
  secretDocument: 'SECRET/DOC/1',
  secretTheme: 'SECRET-THEME-LABEL',
  unpublishedPlan: 'UNPUBLISHED-PLAN-TITLE',
  unpublishedPillar: 'UNPUBLISHED-PILLAR-TITLE',
  draftPlan: 'DRAFT-PLAN-TITLE',
  unapprovedValue: '987654321',
  planUpdateText: 'PLAN-UPDATE-SECRET',
  budget: '7777777',
};

interface Crawl {
  /** recommendation ids seen anywhere: page links, sitemap, API, open data, feed */
  ids: Set<string>;
  /** every body fetched, concatenated */
  corpus: string;
  pages: number;
  fetched: Map<string, { status: number; body: string; type: string }>;
}

describeEachEngine('public portal: nothing unpublished leaks (issue 16)', (engine) => {
  let h: Harness;
  let dataDir: string;
  let coordinator: TestClient;
  let focal: TestClient;
  let published: string[] = [];
  let unpublished: string[] = [];
  let statusChangedRec = '';
  let acceptedClusterId = '';
  const emails: string[] = [];
  // the action plan: a published adopted version, an adopted one left unpublished, a draft
  let planId = '';
  let pillarId = '';
  let planVersion = 0;
  const hiddenPlanIds: string[] = [];

  const anon = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });

  const setPublic = async (id: string, value: boolean) => {
    const cur = json(await coordinator.request({ method: 'GET', url: `/api/recommendations/${id}` }));
    const res = await coordinator.request({ method: 'PATCH', url: `/api/recommendations/${id}`, payload: { version: cur.version, is_public: value } });
    expect(res.statusCode).toBe(200);
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-portal-'));
    h = await createHarness(engine, { DATA_DIR: dataDir, PUBLIC_URL: BASE, PUBLIC_API_RATE_PER_MINUTE: '100000' });
    const db = h.database.db;
    const ministry = await createEntity(db, { code: 'MOJ', name_ar: 'وزارة العدل', name_en: 'Ministry of Justice' });
    const secretEntity = await createEntity(db, { code: 'SEC', name_ar: 'جهة سرية', name_en: SECRETS.secretEntity });
    const coordEmail = `coord.portal.${engine}@test.example`;
    const focalEmail = `focal.portal.${engine}@test.example`;
    emails.push(coordEmail, focalEmail);
    coordinator = await h.loginAs('coordinator', { email: coordEmail });
    focal = await h.loginAs('focal_point', { entityId: ministry.id, email: focalEmail });

    const pub = await makeRecommendations(db, 4, { body: 'CAT', symbol: 'CAT/C/KWT/CO/9' });
    const pubUpr = await makeRecommendations(db, 1, { body: 'UPR', symbol: 'A/HRC/99/1' });
    const hidden = await makeRecommendations(db, 2, { body: 'CAT', symbol: 'CAT/C/KWT/CO/9-HIDDEN' });
    const secretDoc = await makeRecommendations(db, 1, { body: 'CEDAW', symbol: SECRETS.secretDocument });
    published = [...pub, ...pubUpr];
    unpublished = [...hidden, ...secretDoc];
    // distinct texts: published ones are findable, unpublished ones are secrets; one text tries HTML injection
    for (const [i, id] of published.entries()) {
      await db
        .updateTable('recommendations')
        .set({ text_en: i === 0 ? 'Criminalise torture <script>alert(1)</script> & ensure redress' : `Published recommendation number ${i} on detention`, text_ar: `توصية منشورة رقم ${i}` })
        .where('id', '=', id)
        .execute();
    }
    for (const [i, id] of unpublished.entries()) {
      await db.updateTable('recommendations').set({ text_en: `${SECRETS.unpublishedText} ${i}`, text_ar: `${SECRETS.unpublishedTextAr} ${i}` }).where('id', '=', id).execute();
    }
    await indexRecommendations(db, [...published, ...unpublished]);

    // taxonomy: a theme on published ones, a secret theme only on an unpublished one
    const now = nowIso();
    const themeId = newId();
    const secretThemeId = newId();
    await db
      .insertInto('terms')
      .values([
        { id: themeId, kind: 'theme', code: 'portal-torture', label_ar: 'مناهضة التعذيب', label_en: 'Prohibition of torture', parent_id: null, sort: 0, created_at: now },
        { id: secretThemeId, kind: 'theme', code: 'portal-secret', label_ar: 'موضوع سري', label_en: SECRETS.secretTheme, parent_id: null, sort: 1, created_at: now },
      ])
      .execute();
    await db
      .insertInto('recommendation_terms')
      .values([
        { recommendation_id: published[0]!, term_id: themeId },
        { recommendation_id: published[1]!, term_id: themeId },
        { recommendation_id: unpublished[0]!, term_id: secretThemeId },
      ])
      .execute();

    // clusters: an accepted one (published + unpublished members), a suggested one (internal)
    acceptedClusterId = newId();
    const suggestedId = newId();
    await db
      .insertInto('clusters')
      .values([
        { id: acceptedClusterId, title_ar: 'تجريم التعذيب', title_en: 'Criminalise torture', status: 'accepted', job_id: null, similarity_pct: null, created_by: null, created_at: now, updated_at: now },
        { id: suggestedId, title_ar: 'مقترح', title_en: SECRETS.suggestedCluster, status: 'suggested', job_id: null, similarity_pct: 80, created_by: null, created_at: now, updated_at: now },
      ])
      .execute();
    await db.updateTable('recommendations').set({ cluster_id: acceptedClusterId }).where('id', 'in', [published[0]!, unpublished[0]!]).execute();
    await db.updateTable('recommendations').set({ cluster_id: suggestedId }).where('id', 'in', [published[2]!, published[3]!]).execute();

    for (const id of published) await setPublic(id, true);
    // an internal note on a published recommendation
    const cur = json(await coordinator.request({ method: 'GET', url: `/api/recommendations/${published[1]}` }));
    expect((await coordinator.request({ method: 'PATCH', url: `/api/recommendations/${published[1]}`, payload: { version: cur.version, notes: SECRETS.note } })).statusCode).toBe(200);

    // assignments: the ministry on published ones; the secret entity only on an unpublished one
    const assign = async (recommendationIds: string[], entityId: string) => {
      const res = await coordinator.request({ method: 'POST', url: '/api/assignments', payload: { recommendationIds, entityId, role: 'lead', dueDate: '2027-01-15' } });
      expect(res.statusCode).toBe(201);
      return json(res).ids as string[];
    };
    const [assignment] = await assign([published[1]!], ministry.id);
    await assign([unpublished[1]!], secretEntity.id);

    // updates on the published recommendation: approved+public, approved (not public), submitted with evidence
    const draft = async (text: string, status: string | null) => {
      const res = await focal.request({ method: 'POST', url: `/api/assignments/${assignment}/updates`, payload: { text_en: text, proposed_status: status, measures: [{ type: 'legislation', description_en: `Measure of ${text}` }] } });
      expect(res.statusCode).toBe(201);
      return json(res) as { id: string; version: number };
    };
    const submit = async (u: { id: string; version: number }) => json(await focal.request({ method: 'POST', url: `/api/updates/${u.id}/submit`, payload: { version: u.version } }));
    const publicUpdate = await draft('PUBLIC-UPDATE-TEXT', 'in_progress');
    await submit(publicUpdate);
    const approved = json(await coordinator.request({ method: 'POST', url: `/api/updates/${publicUpdate.id}/approve`, payload: { comment: SECRETS.approvalComment } }));
    expect(approved.status).toBe('approved');
    statusChangedRec = published[1]!;
    // marking public: stale version → 409; a submitted update cannot be public; the right version works
    expect((await coordinator.request({ method: 'POST', url: `/api/updates/${publicUpdate.id}/public`, payload: { version: approved.version - 1, public: true } })).json().error.code).toBe('version_conflict');
    expect((await focal.request({ method: 'POST', url: `/api/updates/${publicUpdate.id}/public`, payload: { version: approved.version, public: true } })).statusCode).toBe(403);
    const made = await coordinator.request({ method: 'POST', url: `/api/updates/${publicUpdate.id}/public`, payload: { version: approved.version, public: true } });
    expect(made.statusCode).toBe(200);
    expect(json(made).is_public).toBe(1);

    const privateUpdate = await draft(SECRETS.nonPublicUpdate, null);
    await submit(privateUpdate);
    expect((await coordinator.request({ method: 'POST', url: `/api/updates/${privateUpdate.id}/approve`, payload: {} })).statusCode).toBe(200);

    const pending = await draft(SECRETS.unapprovedUpdate, 'fully_implemented');
    const up = await focal.request({ method: 'POST', url: `/api/updates/${pending.id}/evidence`, headers: { 'content-type': 'application/octet-stream', 'x-filename': SECRETS.evidence }, payload: tinyPdf() });
    expect(up.statusCode).toBe(201);
    const submitted = await submit({ id: pending.id, version: pending.version });
    expect(submitted.status).toBe('submitted');
    expect((await coordinator.request({ method: 'POST', url: `/api/updates/${pending.id}/return`, payload: { comment: SECRETS.reviewComment } })).statusCode).toBe(200);
    const notPublic = await coordinator.request({ method: 'POST', url: `/api/updates/${pending.id}/public`, payload: { version: submitted.version + 1, public: true } });
    expect(notPublic.statusCode).toBe(409);
    expect(json(notPublic).error.code).toBe('update_not_approved');

    // the action plan: built as a draft, adopted, then values reported (one approved, one only submitted)
    const post = async (url: string, payload: Record<string, unknown>, status = 201) => {
      const res = await coordinator.request({ method: 'POST', url, payload });
      expect(res.statusCode, res.body).toBe(status);
      return json(res);
    };
    const buildPlan = async (title: string, pillarTitle: string) => {
      const plan = await post('/api/plans', { title_ar: `خطة ${title}`, title_en: title, period_start: '2026-01-01', period_end: '2029-12-31' });
      const pillar = await post(`/api/plans/${plan.id}/pillars`, { code: 'P1', title_ar: `محور ${pillarTitle}`, title_en: pillarTitle });
      const objective = await post(`/api/plan-pillars/${pillar.id}/objectives`, { code: 'O1', title_ar: 'هدف منع التعذيب', title_en: 'Prevent torture' });
      const action = await post(`/api/plan-objectives/${objective.id}/actions`, {
        code: 'A1',
        title_ar: 'تعديل قانون الجزاء',
        title_en: 'Amend the penal code',
        lead_entity_id: ministry.id,
        budget_amount: SECRETS.budget,
        budget_currency: 'KWD',
        recommendation_ids: [published[0]!, unpublished[0]!],
        cluster_ids: [acceptedClusterId, suggestedId],
      });
      const indicator = await post(`/api/plan-actions/${action.id}/indicators`, { name_ar: 'عدد الزيارات', name_en: 'Visits made', type: 'process', unit: 'visits', baseline_value: '0', baseline_year: 2025, target_value: '40', target_year: 2029 });
      return { plan, pillar, action, indicator };
    };
    const adopt = async (id: string) => {
      const c = await post(`/api/plans/${id}/status`, { version: 1, status: 'consultation' }, 200);
      return post(`/api/plans/${id}/status`, { version: c.version, status: 'adopted' }, 200);
    };
    const main = await buildPlan('Published action plan', 'Justice pillar');
    await adopt(main.plan.id);
    const report = async (value: string, text: string, date = '2026-06-30') => {
      const res = await focal.request({ method: 'POST', url: `/api/plan-actions/${main.action.id}/updates`, payload: { text_en: text, proposed_action_status: 'on_track', values: [{ indicator_id: main.indicator.id, date, value }] } });
      expect(res.statusCode, res.body).toBe(201);
      const u = json(res);
      const sub = await focal.request({ method: 'POST', url: `/api/updates/${u.id}/submit`, payload: { version: u.version } });
      expect(sub.statusCode, sub.body).toBe(200);
      return json(sub) as { id: string; version: number };
    };
    // two approved values: the later date is approved first, so the latest value is found by its date, not its approval
    const later = await report('30', 'Approved plan update, later date', '2026-09-30');
    expect((await coordinator.request({ method: 'POST', url: `/api/updates/${later.id}/approve`, payload: { version: later.version } })).statusCode).toBe(200);
    const ok = await report('20', 'Approved plan update');
    expect((await coordinator.request({ method: 'POST', url: `/api/updates/${ok.id}/approve`, payload: { version: ok.version } })).statusCode).toBe(200);
    await report(SECRETS.unapprovedValue, SECRETS.planUpdateText);
    planId = main.plan.id;
    pillarId = main.pillar.id;
    const hidden2 = await buildPlan(SECRETS.unpublishedPlan, SECRETS.unpublishedPillar);
    await adopt(hidden2.plan.id);
    const draftPlan = await buildPlan(SECRETS.draftPlan, SECRETS.unpublishedPillar);
    hiddenPlanIds.push(hidden2.plan.id, hidden2.pillar.id, draftPlan.plan.id, draftPlan.pillar.id);
    // publication: only a coordinator, only an adopted version, with the version read
    const current = json(await coordinator.request({ method: 'GET', url: `/api/plans/${planId}` }));
    expect((await focal.request({ method: 'POST', url: `/api/plans/${planId}/publication`, payload: { version: current.version, published: true } })).statusCode).toBe(403);
    const draftTry = await coordinator.request({ method: 'POST', url: `/api/plans/${draftPlan.plan.id}/publication`, payload: { version: 1, published: true } });
    expect(draftTry.statusCode).toBe(409);
    expect(json(draftTry).error.code).toBe('plan_not_publishable');
    expect(json(draftTry).error.message_ar).toBeTruthy();
    const stalePub = await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/publication`, payload: { version: current.version - 1, published: true } });
    expect(json(stalePub).error.code).toBe('version_conflict');
    const planPub = await post(`/api/plans/${planId}/publication`, { version: current.version, published: true }, 200);
    expect(planPub.published_at).toBeTruthy();
    expect(planPub.version).toBe(current.version + 1);
    planVersion = planPub.version;
    const audit = await db.selectFrom('audit_log').select(['action', 'actor_id']).where('subject_id', '=', planId).where('action', '=', 'plan.publish').execute();
    expect(audit).toHaveLength(1);

    // an unpublished recommendation's status changes too (it must not reach the feed)
    const hid = json(await coordinator.request({ method: 'GET', url: `/api/recommendations/${unpublished[1]}` }));
    expect((await coordinator.request({ method: 'PATCH', url: `/api/recommendations/${unpublished[1]}`, payload: { version: hid.version, status: 'fully_implemented', statusReason: 'secret reason' } })).statusCode).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await closeHarness(h);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Follows every same-site link from both home pages, then every /api/public page, the sitemap, open data and feeds. */
  async function crawl(): Promise<Crawl> {
    const out: Crawl = { ids: new Set(), corpus: '', pages: 0, fetched: new Map() };
    const start = ['/public/ar/', '/public/en/', '/public/sitemap.xml', '/public/ar/feed.atom', '/public/en/feed.atom', '/public/ar/data/recommendations.csv', '/public/en/data/recommendations.json', '/public/ar/data/recommendations.json', '/public/en/data/recommendations.csv'];
    // Every link is fetched. Links marked rel="nofollow" (facet filters) are fetched too, but the nofollow links of a
    // page reached through one are not walked again (every combination of filters would be endless).
    const queue = start.map((url) => ({ url, viaNofollow: false }));
    const seen = new Set(start);
    const recPage = /^\/public\/(?:ar|en)\/recommendations\/([^/?#]+)$/;
    const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    while (queue.length) {
      const { url, viaNofollow } = queue.shift()!;
      const res = await anon(url);
      out.pages++;
      expect(out.pages, 'the crawl stays bounded').toBeLessThan(4000);
      const body = res.body;
      out.fetched.set(url, { status: res.statusCode, body, type: String(res.headers['content-type'] ?? '') });
      out.corpus += `\n${body}`;
      expect(res.statusCode, `${url} ${res.statusCode >= 500 ? body : ''}`).toBeLessThan(500);
      const m = recPage.exec(url);
      if (m && res.statusCode === 200) out.ids.add(decodeURIComponent(m[1]!));
      for (const tag of body.matchAll(/<(?:a|link)\b([^>]*)>|<loc>([^<]+)<\/loc>/g)) {
        const raw = tag[2] ?? /\bhref="([^"]*)"/.exec(tag[1]!)?.[1];
        if (!raw) continue;
        const nofollow = /\brel="[^"]*nofollow/.test(tag[1] ?? '');
        let link = unescape(raw);
        if (link.startsWith(BASE)) link = link.slice(BASE.length);
        link = link.split('#')[0]!;
        if (!link.startsWith('/public/') || link.startsWith('/public/assets/')) continue;
        const x = recPage.exec(link);
        if (x) out.ids.add(decodeURIComponent(x[1]!));
        if (nofollow && viaNofollow) continue;
        if (!seen.has(link)) {
          seen.add(link);
          queue.push({ url: link, viaNofollow: viaNofollow || nofollow });
        }
      }
    }
    // open data ids
    for (const lang of ['ar', 'en']) {
      const data = JSON.parse(out.fetched.get(`/public/${lang}/data/recommendations.json`)!.body) as { items: { id: string }[] };
      for (const item of data.items) out.ids.add(item.id);
      const csv = out.fetched.get(`/public/${lang}/data/recommendations.csv`)!.body;
      expect(csv.startsWith('\ufeffid,')).toBe(true);
      for (const line of csv.split('\r\n').slice(1)) if (line) out.ids.add(line.split(',')[0]!);
    }
    // every /api/public page, and every item's detail
    for (let p = 1; ; p++) {
      const res = await anon(`/api/public/recommendations?page=${p}&pageSize=2`);
      expect(res.statusCode).toBe(200);
      out.corpus += `\n${res.body}`;
      const body = json(res);
      for (const item of body.items) {
        out.ids.add(item.id);
        const d = await anon(`/api/public/recommendations/${item.id}`);
        expect(d.statusCode).toBe(200);
        out.corpus += `\n${d.body}`;
      }
      if (p * 2 >= body.total) break;
    }
    // the API's facets, searched and filtered
    for (const q of ['torture', 'detention', 'UNPUBLISHED', 'سري', 'توصية']) {
      const res = await anon(`/api/public/recommendations?q=${encodeURIComponent(q)}`);
      out.corpus += `\n${res.body}`;
      for (const item of json(res).items) out.ids.add(item.id);
    }
    return out;
  }

  function expectNoLeak(c: Crawl, extra: string[] = []) {
    for (const [name, secret] of Object.entries(SECRETS)) expect(c.corpus.includes(secret), `${name} leaked`).toBe(false);
    for (const e of emails) expect(c.corpus.includes(e), 'an e-mail leaked').toBe(false);
    for (const x of extra) expect(c.corpus.includes(x), `${x} leaked`).toBe(false);
    for (const id of unpublished) expect(c.corpus.includes(id), 'an unpublished id leaked').toBe(false);
    for (const id of hiddenPlanIds) expect(c.corpus.includes(id), 'an unpublished plan or pillar id leaked').toBe(false);
    // HTML and XML escape the text (JSON and CSV carry it as data)
    // (the one script a crawled page may carry is the registration form's proof of work, from the portal's own assets)
    const ownScript = /<script src="\/public\/assets\/proof-of-work\.js\?v=[0-9a-f]{12}" defer><\/script>/g;
    for (const [url, f] of c.fetched) if (/html|xml/.test(f.type)) expect(f.body.replace(ownScript, '').includes('<script'), `${url} escapes text`).toBe(false);
  }

  it('a crawl of the portal, its API, sitemap, open data and feeds sees exactly the published set and no secret', async () => {
    const c = await crawl();
    expect([...c.ids].sort()).toEqual([...published].sort());
    expectNoLeak(c);
    // what is published is there: the public update, the accepted cluster, the responsible entity, the theme
    expect(c.corpus).toContain('PUBLIC-UPDATE-TEXT');
    expect(c.corpus).toContain('Ministry of Justice');
    expect(c.corpus).toContain('Prohibition of torture');
    expect(c.fetched.get(`/public/en/clusters/${acceptedClusterId}`)?.status).toBe(200);
    expect(c.corpus).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // pages of every kind were reached, in both languages
    for (const lang of ['ar', 'en']) {
      expect(c.fetched.get(`/public/${lang}/recommendations/${published[1]}`)?.status).toBe(200);
      expect(c.fetched.get(`/public/${lang}/mechanisms/TB`)?.status).toBe(200);
      expect(c.fetched.get(`/public/${lang}/bodies/CAT`)?.status).toBe(200);
      expect(c.fetched.get(`/public/${lang}/data`)?.status).toBe(200);
    }
    // the published plan: its page and its pillar's page in both languages, reached from the navigation
    for (const lang of ['ar', 'en']) {
      expect(c.fetched.get(`/public/${lang}/plans`)?.status).toBe(200);
      expect(c.fetched.get(`/public/${lang}/plans/${planId}`)?.status).toBe(200);
      expect(c.fetched.get(`/public/${lang}/plans/${planId}/pillars/${pillarId}`)?.status).toBe(200);
    }
    const pillarPage = c.fetched.get(`/public/en/plans/${planId}/pillars/${pillarId}`)!.body;
    expect(pillarPage).toContain('Justice pillar');
    expect(pillarPage).toContain('Amend the penal code');
    expect(pillarPage).toContain('Ministry of Justice'); // the lead entity
    expect(pillarPage).toContain('On track'); // the action's status, set by the approved update
    // both approved values, oldest first, and not the submitted one
    expect(pillarPage).toMatch(/2026-06-30<\/bdi>: <strong><bdi dir="ltr">20<\/bdi><\/strong> visits<\/li><li><bdi dir="ltr">2026-09-30<\/bdi>: <strong><bdi dir="ltr">30<\/bdi>/);
    // progress from the latest approved value by date (30 of 0 → 40 is 75%; on track scores 50; their mean 62.5 → 63%)
    expect(pillarPage).toContain('Progress: 63%'); // the action
    expect(pillarPage).toMatch(/<p class="big"><span class="meter">.*<strong>63%<\/strong>/);
    expect(c.fetched.get(`/public/en/plans/${planId}`)!.body).toMatch(/<p class="big"><span class="meter">.*<strong>63%<\/strong>/);
    expect(pillarPage).toContain(`/public/en/recommendations/${published[0]}`); // the published recommendation it answers
    expect(pillarPage).toContain(`/public/en/clusters/${acceptedClusterId}`);
    expect(c.fetched.get(`/public/ar/plans/${planId}/pillars/${pillarId}`)!.body).toContain('محور Justice pillar');
    expect(c.fetched.get('/public/sitemap.xml')!.body).toContain(`${BASE}/public/ar/plans/${planId}/pillars/${pillarId}`);
    // unpublished plans, drafts, and a pillar asked for under another plan are 404
    for (const url of [`/public/en/plans/${hiddenPlanIds[0]}`, `/public/ar/plans/${hiddenPlanIds[2]}`, `/public/en/plans/${hiddenPlanIds[0]}/pillars/${hiddenPlanIds[1]}`, `/public/en/plans/${planId}/pillars/${hiddenPlanIds[1]}`, '/public/en/plans/no-such-plan']) {
      expect((await anon(url)).statusCode, url).toBe(404);
    }
    // the feed has the published recommendation's status change
    expect(c.fetched.get('/public/en/feed.atom')!.body).toContain(`/public/en/recommendations/${statusChangedRec}`);
    // unpublished and unknown ids are 404 on the API and the pages, in the right language
    for (const id of [...unpublished, 'no-such-id']) {
      const api = await anon(`/api/public/recommendations/${id}`);
      expect(api.statusCode).toBe(404);
      expect(json(api).error.code).toBe('not_found');
      const ar = await anon(`/public/ar/recommendations/${id}`);
      expect(ar.statusCode).toBe(404);
      expect(ar.body).toContain('<html lang="ar" dir="rtl">');
      expect(ar.body).toContain('الصفحة غير موجودة');
      const en = await anon(`/public/en/recommendations/${id}`);
      expect(en.statusCode).toBe(404);
      expect(en.body).toContain('<html lang="en" dir="ltr">');
    }
  }, 300_000);

  it('unpublishing one takes it off the portal at once: page 404, gone from the sitemap, open data, feed and API', async () => {
    await setPublic(statusChangedRec, false);
    const c = await crawl();
    const remaining = published.filter((id) => id !== statusChangedRec);
    expect([...c.ids].sort()).toEqual([...remaining].sort());
    expectNoLeak(c, [statusChangedRec, 'PUBLIC-UPDATE-TEXT']);
    expect((await anon(`/public/ar/recommendations/${statusChangedRec}`)).statusCode).toBe(404);
    expect((await anon(`/api/public/recommendations/${statusChangedRec}`)).statusCode).toBe(404);
    expect(c.fetched.get('/public/sitemap.xml')!.body).not.toContain(statusChangedRec);
    expect(c.fetched.get('/public/ar/feed.atom')!.body).not.toContain(statusChangedRec);
    // publish it again for the next tests
    await setPublic(statusChangedRec, true);
  }, 300_000);

  it('withdrawing the plan takes its pages off the portal at once: 404, gone from the navigation and the sitemap', async () => {
    const off = await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/publication`, payload: { version: planVersion, published: false } });
    expect(off.statusCode, off.body).toBe(200);
    expect(json(off).published_at).toBeNull();
    const c = await crawl();
    expect([...c.ids].sort()).toEqual([...published].sort());
    expectNoLeak(c, [planId, pillarId, 'Published action plan', 'Justice pillar']);
    expect((await anon(`/public/en/plans/${planId}`)).statusCode).toBe(404);
    expect((await anon(`/public/ar/plans/${planId}/pillars/${pillarId}`)).statusCode).toBe(404);
    expect(c.fetched.get('/public/en/plans')!.body).toContain('No action plan has been published yet.');
    const audit = await h.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', planId).where('action', 'in', ['plan.publish', 'plan.unpublish']).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['plan.publish', 'plan.unpublish']);
    // published again for the next tests
    expect((await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/publication`, payload: { version: planVersion + 1, published: true } })).statusCode).toBe(200);
    expect((await anon(`/public/en/plans/${planId}`)).statusCode).toBe(200);
    // a new draft version starts unpublished (the published one stays on the portal meanwhile)
    const next = await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/versions`, payload: {} });
    expect(next.statusCode, next.body).toBe(201);
    expect(json(next).published_at).toBeNull();
    expect((await anon(`/public/en/plans/${json(next).id}`)).statusCode).toBe(404);
    expect((await anon('/public/en/plans')).body).not.toContain(json(next).id);
  }, 300_000);

  it('pages: redirect, language, alternates, ETag with 304, facets count only published, search', async () => {
    // the earlier tests' writes all heard of (PostgreSQL): a late notification of one would change the caches' stamp
    // between two requests below, and a repeat would be answered afresh
    await changeFeedDelivered(h.database);
    const root = await anon('/public');
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/public/ar/');
    const home = await anon('/public/ar/');
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toContain('text/html');
    expect(home.body).toContain('<html lang="ar" dir="rtl">');
    expect(home.body).toMatch(/<title>[^<]+<\/title>/);
    expect(home.body).toContain('<meta name="description"');
    expect(home.body).toContain(`<link rel="alternate" hreflang="en" href="${BASE}/public/en/">`);
    expect(home.body).not.toContain('<script');
    expect(home.headers['cache-control']).toBe('public, no-cache');
    const etag = String(home.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await anon('/public/ar/', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // the page cache: a repeat is answered from memory (also gzip, made once); a change renders it again
    expect(again.headers['x-cache']).toBe('hit');
    const gz = await anon('/public/ar/', { 'accept-encoding': 'gzip, br' });
    expect(gz.headers['x-cache']).toBe('hit');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(home.body);
    // a change makes a new ETag
    await setPublic(published[4]!, false);
    const changed = await anon('/public/ar/', { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers['x-cache']).toBe('miss');
    expect(changed.body).not.toContain(published[4]!);
    expect(changed.headers.etag).not.toBe(etag);
    await setPublic(published[4]!, true);

    // the API's answers are cached the same way: ETag, 304, a repeat from memory, a change answered afresh
    await changeFeedDelivered(h.database);
    const api1 = await anon('/api/public/recommendations?pageSize=50');
    expect(api1.headers['cache-control']).toBe('public, no-cache');
    expect(api1.headers['content-type']).toBe('application/json; charset=utf-8');
    const apiEtag = String(api1.headers.etag);
    expect(apiEtag).toMatch(/^"[\w-]+"$/);
    const api2 = await anon('/api/public/recommendations?pageSize=50', { 'if-none-match': apiEtag });
    expect(api2.statusCode).toBe(304);
    expect(api2.headers['x-cache']).toBe('hit');
    const apiGz = await anon('/api/public/recommendations?pageSize=50', { 'accept-encoding': 'gzip' });
    expect(apiGz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(apiGz.rawPayload).toString('utf8')).toBe(api1.body);
    const detailEtag = String((await anon(`/api/public/recommendations/${published[4]}`)).headers.etag);
    expect((await anon(`/api/public/recommendations/${published[4]}`, { 'if-none-match': detailEtag })).statusCode).toBe(304);
    await setPublic(published[4]!, false);
    const api3 = await anon('/api/public/recommendations?pageSize=50', { 'if-none-match': apiEtag });
    expect(api3.statusCode).toBe(200);
    expect(api3.headers['x-cache']).toBe('miss');
    expect(api3.json().total).toBe(api1.json().total - 1);
    expect(api3.body).not.toContain(published[4]!);
    expect((await anon(`/api/public/recommendations/${published[4]}`, { 'if-none-match': detailEtag })).statusCode).toBe(404);
    await setPublic(published[4]!, true);
    expect((await anon('/api/public/recommendations?pageSize=50')).json().total).toBe(api1.json().total);
    // a list page is kept too (it was the slow one at 250,000: see docs/PERFORMANCE.md)
    await changeFeedDelivered(h.database);
    await anon('/public/en/recommendations?body=CAT&page=1');
    expect((await anon('/public/en/recommendations?body=CAT&page=1')).headers['x-cache']).toBe('hit');

    const list = json(await anon('/api/public/recommendations?body=CAT'));
    expect(list.total).toBe(4);
    const bodies = Object.fromEntries(json(await anon('/api/public/recommendations')).facets.body.map((f: any) => [f.value, f.count]));
    expect(bodies).toEqual({ CAT: 4, UPR: 1 }); // the 3 unpublished ones are not counted
    expect(json(await anon('/api/public/recommendations')).facets.cluster.map((f: any) => f.value)).toEqual([acceptedClusterId]);
    const searched = json(await anon('/api/public/recommendations?q=detention'));
    expect(searched.total).toBe(4);
    expect(json(await anon(`/api/public/recommendations?q=${encodeURIComponent(SECRETS.unpublishedText)}`)).total).toBe(0);
    const page = await anon('/public/en/recommendations?q=detention&body=CAT');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="detention"');
    expect(page.body).toMatch(/Matching recommendations: 3/);

    const detail = json(await anon(`/api/public/recommendations/${statusChangedRec}`));
    expect(detail).toMatchObject({ status: 'in_progress', status_label_en: 'In progress', entities: [{ name_en: 'Ministry of Justice', role: 'lead' }] });
    expect(detail.updates).toHaveLength(1);
    expect(detail.updates[0]).toMatchObject({ text_en: 'PUBLIC-UPDATE-TEXT', measures: [{ type: 'legislation' }] });
    expect(Object.keys(detail)).not.toContain('notes');
    expect(Object.keys(detail)).not.toContain('version');

    const css = await anon('/public/assets/portal.css', { 'accept-encoding': 'gzip' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-encoding']).toBe('gzip');
    expect((await anon('/public/fr/')).statusCode).toBe(404);
    expect((await anon('/public/en/nothing/here')).body).toContain('Page not found');
  });

  it('the sitemap: one file within the limit; past it an index of numbered sitemaps that together list every page once', async () => {
    const single = await anon('/public/sitemap.xml');
    expect(single.body).toContain('<urlset');
    expect((await anon('/public/sitemap-1.xml')).statusCode).toBe(404);

    const limit = 10;
    const small = await createHarness(engine, { PUBLIC_URL: BASE, PUBLIC_SITEMAP_URL_LIMIT: String(limit) });
    try {
      const get = (url: string) => small.app.inject({ method: 'GET', url });
      const ids = await makeRecommendations(small.database.db, 7, { body: 'CAT' });
      const hiddenIds = await makeRecommendations(small.database.db, 2, { body: 'CAT' });
      await small.database.db.updateTable('recommendations').set({ is_public: 1 }).where('id', 'in', ids).execute();
      const index = await get('/public/sitemap.xml');
      expect(index.statusCode).toBe(200);
      expect(index.headers['content-type']).toContain('application/xml');
      expect(index.body).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
      const files = [...index.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
      expect(files.length).toBeGreaterThan(1);
      expect(files).toEqual(files.map((_, k) => `${BASE}/public/sitemap-${k + 1}.xml`));
      const locs: string[] = [];
      for (const f of files) {
        const res = await get(f.slice(BASE.length));
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('<urlset');
        const mine = [...res.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
        expect(mine.length).toBeGreaterThan(0);
        expect(mine.length).toBeLessThanOrEqual(limit);
        locs.push(...mine);
      }
      expect(new Set(locs).size).toBe(locs.length); // each page once
      for (const lang of ['ar', 'en']) {
        expect(locs).toContain(`${BASE}/public/${lang}/`);
        for (const id of ids) expect(locs).toContain(`${BASE}/public/${lang}/recommendations/${id}`);
      }
      for (const id of hiddenIds) expect(locs.some((l) => l.includes(id))).toBe(false);
      expect((await get(`/public/sitemap-${files.length + 1}.xml`)).statusCode).toBe(404);
      expect((await get('/public/sitemap-0.xml')).statusCode).toBe(404);
    } finally {
      await closeHarness(small);
    }
  });

  it('the public API is in the OpenAPI document and rate-limited per address (429 rate_limited)', async () => {
    const doc = json(await anon('/api/openapi.json'));
    expect(doc.paths['/api/public/recommendations']).toBeDefined();
    expect(doc.paths['/api/public/recommendations/{id}']).toBeDefined();
    const limited = await createHarness(engine, { PUBLIC_API_RATE_PER_MINUTE: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.app.inject({ method: 'GET', url: '/api/public/recommendations', remoteAddress: '10.0.0.1' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const res = await limited.app.inject({ method: 'GET', url: '/api/public/recommendations', remoteAddress: '10.0.0.1' });
      expect(json(res).error.code).toBe('rate_limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // another address is not affected
      expect((await limited.app.inject({ method: 'GET', url: '/api/public/recommendations', remoteAddress: '10.0.0.2' })).statusCode).toBe(200);
    } finally {
      await closeHarness(limited);
    }
  });
});
