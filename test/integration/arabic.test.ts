/**
 * Issue 13, "Arabic everywhere" and cross-lingual search, on both engines: country and recommending-state names
 * in Arabic from the ISO list, paragraph numbers in natural order (79.2 before 79.10), and (below) Arabic queries
 * finding English-only recommendations through the glossary.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/index.ts';
import { importRecords } from '../../src/imports/index.ts';
import { englishOnlyRecords } from '../helpers/english-only.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const json = (res: { json(): any }) => res.json();

describeEachEngine('Arabic everywhere (issue 13)', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    h = await createHarness(engine);
    await importRecords(h.database.db, englishOnlyRecords(), { source: 'test' });
    for (const r of await h.database.db.selectFrom('recommendations').select(['id', 'paragraph']).execute()) ids.set(r.paragraph!, r.id);
    coordinator = await h.loginAs('coordinator');
  });
  afterAll(() => closeHarness(h));

  it('sorts paragraph numbers naturally: 79.2 before 79.10', async () => {
    const asc = json(await coordinator.request({ method: 'GET', url: '/api/recommendations?sort=paragraph&order=asc&pageSize=50' }));
    expect(asc.items.map((r: any) => r.paragraph)).toEqual(['79.1', '79.2', '79.3', '79.10', '79.11', '79.12', '79.20']);
    const desc = json(await coordinator.request({ method: 'GET', url: '/api/recommendations?sort=paragraph&order=desc&pageSize=50' }));
    expect(desc.items.map((r: any) => r.paragraph)).toEqual(['79.20', '79.12', '79.11', '79.10', '79.3', '79.2', '79.1']);
  });

  it('names the country and the recommending states in Arabic and English from the ISO list', async () => {
    const r = json(await coordinator.request({ method: 'GET', url: `/api/recommendations/${ids.get('79.11')}` }));
    expect(r.country_name).toMatchObject({ name: 'Kuwait', code: 'KW', ar: 'الكويت', en: 'Kuwait' });
    expect(r.recommending_state_names).toEqual([
      { name: 'Holy See', code: 'VA', ar: expect.stringMatching(/الفاتيكان|الكرسي الرسولي/), en: expect.any(String) },
      { name: 'Mexico', code: 'MX', ar: 'المكسيك', en: 'Mexico' },
    ]);
    const iran = json(await coordinator.request({ method: 'GET', url: `/api/recommendations/${ids.get('79.10')}` }));
    expect(iran.recommending_state_names[0]).toMatchObject({ code: 'IR', ar: expect.stringContaining('إيران') });
    const doc = json(await coordinator.request({ method: 'GET', url: `/api/documents/${r.document_id}` }));
    expect(doc.country_name).toMatchObject({ ar: 'الكويت' });
  });

  it('answers an error with its code and an Arabic message', async () => {
    const r = json(await coordinator.request({ method: 'GET', url: `/api/recommendations/${ids.get('79.1')}` }));
    const res = await coordinator.request({ method: 'PATCH', url: `/api/recommendations/${r.id}`, payload: { version: r.version, status: 'no_such_status', statusReason: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toMatchObject({ code: 'unknown_status', message_ar: 'حالة تنفيذ غير معروفة.' });
  });
});

describeEachEngine('glossary and cross-lingual search (issue 13)', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  let viewer: TestClient;
  const search = async (q: string, extra = '') => json(await viewer.request({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent(q)}&pageSize=50${extra}` }));
  const paragraphs = (body: any) => body.items.map((r: any) => r.paragraph).sort();

  beforeAll(async () => {
    h = await createHarness(engine);
    await importRecords(h.database.db, englishOnlyRecords(), { source: 'test' });
    coordinator = await h.loginAs('coordinator');
    viewer = await h.loginAs('viewer');
  });
  afterAll(() => closeHarness(h));

  it('finds English-only recommendations from an Arabic query, and shows the expansion', async () => {
    const women = await search('المرأة');
    expect(paragraphs(women)).toEqual(['79.2']);
    expect(women.expansion.applied).toBe(true);
    expect(women.expansion.groups[0]).toMatchObject({ matched: 'المرأة', alternatives: expect.arrayContaining(['women', 'woman']) });
    expect(women.items[0].highlights.en.some((s: any) => s.match && /women/i.test(s.text))).toBe(true);
    expect(paragraphs(await search('العمال المنزليين'))).toEqual(['79.10']);
    expect(paragraphs(await search('البدون'))).toEqual(['79.11']);
    expect(paragraphs(await search('نظام الكفالة'))).toEqual(['79.10']);
    // an abbreviation and its long form through the same table, in both directions
    expect(paragraphs(await search('التعذيب'))).toEqual(['79.1', '79.12']);
    expect(paragraphs(await search('OPCAT'))).toEqual(['79.1', '79.12']);
    // two names of one thing typed together are either name
    expect(paragraphs(await search('Bidoon illegal residents'))).toEqual(['79.11']);
  });

  it('turns the expansion off with one parameter: only the words typed', async () => {
    const off = await search('المرأة', '&expand=0');
    expect(off.total).toBe(0);
    expect(off.expansion).toEqual({ applied: false, groups: [] });
    const plain = await search('Paris Principles');
    expect(paragraphs(plain)).toEqual(['79.3']);
  });

  it('lets coordinators add, edit and delete pairs (audited, versioned), and the search follows at once', async () => {
    expect((await search('امنحوا')).total).toBe(0);
    const forbidden = await viewer.request({ method: 'POST', url: '/api/glossary', payload: { term_ar: 'امنحوا', term_en: 'give' } });
    expect(forbidden.statusCode).toBe(403);
    const created = await coordinator.request({ method: 'POST', url: '/api/glossary', payload: { term_ar: ' امنحوا ', term_en: 'give' } });
    expect(created.statusCode).toBe(201);
    const entry = json(created);
    expect(entry).toMatchObject({ term_ar: 'امنحوا', term_en: 'give', version: 1 });
    expect(paragraphs(await search('امنحوا'))).toEqual(['79.20']);
    const twin = await coordinator.request({ method: 'POST', url: '/api/glossary', payload: { term_ar: 'امنحوا', term_en: 'Give' } });
    expect(twin.statusCode).toBe(409);
    expect(json(twin).error.code).toBe('glossary_duplicate');

    const edited = await coordinator.request({ method: 'PATCH', url: `/api/glossary/${entry.id}`, payload: { version: 1, term_en: 'bestow' } });
    expect(json(edited)).toMatchObject({ term_en: 'bestow', version: 2 });
    expect((await search('امنحوا')).total).toBe(0);
    const stale = await coordinator.request({ method: 'PATCH', url: `/api/glossary/${entry.id}`, payload: { version: 1, term_en: 'give' } });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.code).toBe('version_conflict');
    const staleDelete = await coordinator.request({ method: 'DELETE', url: `/api/glossary/${entry.id}?version=1` });
    expect(staleDelete.statusCode).toBe(409);
    expect((await coordinator.request({ method: 'DELETE', url: `/api/glossary/${entry.id}?version=2` })).statusCode).toBe(204);
    const admin = await h.loginAs('admin');
    const audit = json(await admin.request({ method: 'GET', url: `/api/admin/audit?subjectId=${entry.id}` }));
    expect(audit.items.map((a: any) => a.action).sort()).toEqual(['glossary.create', 'glossary.delete', 'glossary.edit']);

    const found = json(await viewer.request({ method: 'GET', url: `/api/glossary?q=${encodeURIComponent('البدون')}` }));
    expect(found.items.map((i: any) => i.term_en)).toEqual(expect.arrayContaining(['Bidoon', 'illegal residents']));
  });

  it('imports and exports the glossary as CSV; an empty side or a repeated pair is refused with nothing written', async () => {
    const count = async () => json(await viewer.request({ method: 'GET', url: '/api/glossary?pageSize=1' })).total as number;
    const before = await count();
    const send = (csv: string, query = '') =>
      coordinator.request({ method: 'POST', url: `/api/glossary/import${query}`, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from(csv, 'utf8') });

    const empty = await send('term_ar,term_en\nامنحوا,courts\n,grant\n');
    expect(empty.statusCode).toBe(400);
    expect(json(empty).error).toMatchObject({ code: 'glossary_empty_side', message_ar: expect.stringMatching(/[\u0600-\u06ff]/), details: { issues: [{ row: 3, field: 'term_ar' }] } });
    const dup = await send('term_ar,term_en\nامنحوا,give\nامنحوا, Give \n');
    expect(dup.statusCode).toBe(400);
    expect(json(dup).error).toMatchObject({ code: 'glossary_duplicate_key', details: { issues: [{ row: 3, sameAs: 2 }] } });
    expect(await count()).toBe(before);
    expect((await search('امنحوا')).total).toBe(0);

    const ok = await send('\uFEFFterm_ar,term_en,note\nامنحوا,give,\nالبدون,Bidoon,already held\n');
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ added: 1, unchanged: 1, removed: 0 });
    expect(await count()).toBe(before + 1);
    expect(paragraphs(await search('امنحوا'))).toEqual(['79.20']);

    const csv = await viewer.request({ method: 'GET', url: '/api/glossary/export.csv' });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[0]).toBe('\uFEFFterm_ar,term_en,note');
    expect(csv.body).toContain('امنحوا,give,');
    expect(csv.body.trim().split('\r\n')).toHaveLength(before + 2);
  });
});

describeEachEngine('the sign-in page’s demo accounts come from the server (issue 13)', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(() => closeHarness(h));

  it('lists none without the demo, the active demo accounts while it exists, and drops a disabled one', async () => {
    const read = async () => json(await h.app.inject({ method: 'GET', url: '/api/settings/public' }));
    expect(await read()).toMatchObject({ demo: false, demoLogins: [], demoPassword: null });
    await seedDemo(h.database.db);
    const withDemo = await read();
    expect(withDemo.demo).toBe(true);
    expect(withDemo.demoLogins.map((l: any) => l.email)).toEqual(['admin@rasd.example', 'coordinator@rasd.example', 'focal.justice@rasd.example', 'contributor.justice@rasd.example', 'viewer@rasd.example']);
    expect(withDemo.demoPassword).toBe(DEMO_PASSWORD);
    // the account signs in with what the page shows
    expect((await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: withDemo.demoLogins[1].email, password: withDemo.demoPassword } })).statusCode).toBe(200);
    await h.database.db.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('email', '=', 'viewer@rasd.example').execute();
    expect((await read()).demoLogins.map((l: any) => l.email)).not.toContain('viewer@rasd.example');
    await h.database.db.deleteFrom('settings').where('key', '=', 'demo').execute();
    expect(await read()).toMatchObject({ demo: false, demoLogins: [], demoPassword: null });
  });
});

describeEachEngine('the instance is the state’s own (issue 13)', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(() => closeHarness(h));

  it('lets an admin set the state’s names and the app’s title (versioned, audited), shown before sign-in', async () => {
    const admin = await h.loginAs('admin');
    const coordinator = await h.loginAs('coordinator');
    const current = json(await admin.request({ method: 'GET', url: '/api/admin/settings/instance' }));
    expect(current).toEqual({ stateName: { ar: '', en: '' }, appTitle: { ar: '', en: '' }, version: 0 });
    const body = { version: 0, stateName: { ar: 'دولة الكويت', en: 'State of Kuwait' }, appTitle: { ar: 'رصد الكويت', en: 'Rasd Kuwait' } };
    expect((await coordinator.request({ method: 'PUT', url: '/api/admin/settings/instance', payload: body })).statusCode).toBe(403);
    const saved = await admin.request({ method: 'PUT', url: '/api/admin/settings/instance', payload: body });
    expect(saved.statusCode).toBe(200);
    expect(json(saved).version).toBe(1);
    const stale = await admin.request({ method: 'PUT', url: '/api/admin/settings/instance', payload: body });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.code).toBe('version_conflict');
    const pub = json(await h.app.inject({ method: 'GET', url: '/api/settings/public' }));
    expect(pub).toMatchObject({ stateName: body.stateName, appTitle: body.appTitle });
    const audit = json(await admin.request({ method: 'GET', url: '/api/admin/audit?action=settings.update' }));
    expect(audit.items[0]).toMatchObject({ action: 'settings.update', after: { stateName: body.stateName, version: 1 } });
  });
});
