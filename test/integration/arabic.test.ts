/**
 * Issue 13, "Arabic everywhere" and cross-lingual search, on both engines: country and recommending-state names
 * in Arabic from the ISO list, paragraph numbers in natural order (79.2 before 79.10), and (below) Arabic queries
 * finding English-only recommendations through the glossary.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importRecords, type ImportRecord } from '../../src/imports/index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const json = (res: { json(): any }) => res.json();

const DOC = { symbol: 'A/HRC/15/15', body: 'UPR', type: 'upr_wg_report', date: '2010-06-16', uprCycle: 1, uprSession: 8, country: 'Kuwait' };
/** English-only recommendations, as UN sources often come (text of Kuwait's 2010 review, shortened). */
export const ENGLISH_ONLY: [string, string, string[]][] = [
  ['79.1', 'Consider ratifying the Optional Protocol to the Convention against Torture', ['France']],
  ['79.2', 'Strengthen measures to protect women from domestic violence and ensure equality of women in law', ['United Kingdom of Great Britain and Northern Ireland']],
  ['79.3', 'Establish a national human rights institution in accordance with the Paris Principles', ['Republic of Korea']],
  ['79.10', 'Extend the protection of the labour law to domestic workers and abolish the sponsorship system', ['Iran (Islamic Republic of)']],
  ['79.11', 'Find a durable solution to the situation of the Bidoon and grant nationality to illegal residents', ['Holy See', 'Mexico']],
  ['79.12', 'Ratify the CAT Optional Protocol and allow visits to places of detention', ['Czech Republic']],
  ['79.20', 'Give migrant workers access to courts', ['Viet Nam']],
];

export function englishOnlyRecords(): ImportRecord[] {
  return ENGLISH_ONLY.map(([paragraph, text, states], i) => ({
    sourceRow: i + 1,
    document: DOC,
    paragraph,
    texts: { en: text },
    originalLang: 'en',
    kind: 'recommendation',
    recommendingStates: states,
  }));
}

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
