/**
 * The portal keeps its pages and API answers in memory (page-cache.ts, data-stamp.ts) and its searches per register
 * version (queryPublished). Every source of what it shows must make a kept answer stale: here the glossary (a search's
 * alternatives), a consultation's title and an organisation's name beside a public comment. The
 * next portal request after each edit shows it. On both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUhriJson, type UhriJsonRecord } from '../../bench/gen-uhri.ts';
import { newId, nowIso } from '../../src/shared/ids.ts';
import { upload } from '../helpers/imports.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

// a word no generated text holds, and its Arabic side in the glossary
const WORD_EN = 'quuxification';
const WORD_AR = 'كوكسفيكيشن';

describeEachEngine('portal answers follow every source they show', (engine) => {
  let h: Harness;
  let coord: TestClient;
  let recId = '';
  const get = async (url: string) => {
    const res = await h.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    return res;
  };
  const apiTotal = async (q: string) => (await get(`/api/public/recommendations?q=${encodeURIComponent(q)}`)).json().total as number;

  beforeAll(async () => {
    h = await createHarness(engine);
    coord = await h.loginAs('coordinator');
    const records = JSON.parse(buildUhriJson({ count: 4, seed: 5, useSharedData: false }).toString('utf8')) as UhriJsonRecord[];
    records[0]!.Text = `${records[0]!.Text} It calls for the ${WORD_EN} of every register.`;
    const run = await upload(h, coord, 'uhri-json', 'export-full-en.json', Buffer.from(JSON.stringify(records)), { dryRun: 'false' });
    expect(run.status).toBe('succeeded');
    const items = (await coord.request({ method: 'GET', url: '/api/recommendations?pageSize=10' })).json().items as { id: string; text_en: string }[];
    recId = items.find((i) => i.text_en.includes(WORD_EN))!.id;
    const pub = await coord.request({ method: 'POST', url: '/api/recommendations/bulk', payload: { ids: items.map((i) => i.id), op: { action: 'publish' } } });
    expect(pub.statusCode).toBe(200);
  });
  afterAll(() => closeHarness(h));

  it('a glossary pair added, changed or removed changes the next public search (API and page)', async () => {
    const page = async () => (await get(`/public/ar/recommendations?q=${encodeURIComponent(WORD_AR)}`)).body;
    expect(await apiTotal(WORD_EN)).toBe(1);
    expect(await apiTotal(WORD_AR)).toBe(0);
    expect(await page()).not.toContain(`/public/ar/recommendations/${recId}`);

    const added = await coord.request({ method: 'POST', url: '/api/glossary', payload: { term_ar: WORD_AR, term_en: WORD_EN } });
    expect(added.statusCode).toBe(201);
    expect(await apiTotal(WORD_AR)).toBe(1);
    expect(await page()).toContain(`/public/ar/recommendations/${recId}`);

    const entry = added.json() as { id: string; version: number };
    const changed = await coord.request({ method: 'PATCH', url: `/api/glossary/${entry.id}`, payload: { version: entry.version, term_en: 'something else entirely' } });
    expect(changed.statusCode).toBe(200);
    expect(await apiTotal(WORD_AR)).toBe(0);
    expect(await page()).not.toContain(`/public/ar/recommendations/${recId}`);
  });

  it("a consultation's title and an organisation's name beside a public comment show on the next request", async () => {
    const db = h.database.db;
    const now = nowIso();
    const userId = newId();
    const consultationId = newId();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values({ id: userId, email: `org.${engine}@test.example`, name: 'Org', role: 'stakeholder', password_hash: 'x', entity_id: null, locale: 'en', disabled_at: null, last_login_at: null, created_at: now, updated_at: now, totp_secret: null, totp_enabled_at: null, totp_last_step: null, oidc_subject: null, password_change_required_at: null }).execute();
      await trx
        .insertInto('stakeholder_profiles')
        .values({ user_id: userId, organisation: 'First Association', org_kind: 'civil_society', status: 'approved', decision_reason: null, decided_by: null, decided_at: now, created_at: now, email_confirmed_at: now, confirm_token_hash: null, confirm_expires_at: null })
        .execute();
      await trx
        .insertInto('consultations')
        .values({ id: consultationId, subject: 'recommendations', subject_id: null, title_ar: 'مشاورة أولى', title_en: 'First consultation', description_ar: '', description_en: '', questions: '[]', opens_at: now, closes_at: new Date(Date.now() + 86_400_000).toISOString(), audience: 'open', created_by: null, created_at: now, updated_at: now })
        .execute();
      await trx.insertInto('consultation_items').values({ consultation_id: consultationId, item_type: 'recommendation', item_id: recId, sort: 0 }).execute();
      await trx
        .insertInto('consultation_comments')
        .values({ id: newId(), consultation_id: consultationId, item_type: 'recommendation', item_id: recId, author_id: userId, body: 'A public comment.', attachment_name: null, attachment_stored_name: null, attachment_mime: null, attachment_size: null, attachment_sha256: null, status: 'accepted', moderation_reason: null, is_public: 1, moderated_by: null, moderated_at: now, created_at: now })
        .execute();
    });
    const recPage = async () => (await get(`/public/en/recommendations/${recId}`)).body;
    const first = await recPage();
    expect(first).toContain('First Association');
    expect(first).toContain('First consultation');

    const c = (await coord.request({ method: 'GET', url: `/api/consultations/${consultationId}` })).json() as { version: number };
    const patched = await coord.request({ method: 'PATCH', url: `/api/consultations/${consultationId}`, payload: { version: c.version, title_en: 'Renamed consultation' } });
    expect(patched.statusCode).toBe(200);
    expect(await recPage()).toContain('Renamed consultation');

    await db.updateTable('stakeholder_profiles').set({ organisation: 'Renamed Association' }).where('user_id', '=', userId).execute();
    const renamed = await recPage();
    expect(renamed).toContain('Renamed Association');
    expect(renamed).not.toContain('First Association');
  });
});
