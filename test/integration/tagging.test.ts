/**
 * Tag suggestions through the HTTP API, once per engine: training as a job, the review queue, a recommendation's
 * suggestions, accepting one (version-checked, audited), rejecting one (never suggested again), accepting all above a
 * confidence for a selection (the facets change), permissions, and training on an empty register.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importRecords, type ImportRecord } from '../../src/imports/index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const TOPICS = [
  { theme: 'D25 Prohibition of torture and cruel, inhuman or degrading treatment', affected: 'persons deprived of their liberty', sdg: '16', text: 'prevent torture and ill-treatment in places of detention and investigate every allegation of torture by police officers' },
  { theme: 'E51 Right to education', affected: 'children', sdg: '4', text: 'ensure free and compulsory primary education for all children and raise school enrolment in rural areas' },
  { theme: 'F12 Discrimination against women', affected: 'women', sdg: '5', text: 'combat discrimination against women, adopt a law on equal pay and increase the participation of women in public life' },
];
const OPENINGS = ['Take measures to', 'Continue efforts to', 'Strengthen policies to', 'Redouble efforts to', 'Adopt a national plan to', 'Further'];

function labelled(): ImportRecord[] {
  let row = 0;
  return TOPICS.flatMap((t, ti) =>
    OPENINGS.map((o, oi) => ({
      sourceRow: ++row,
      document: { symbol: 'A/HRC/90/1', body: 'UPR', type: 'upr_wg_report', country: 'Testland' },
      paragraph: `100.${ti * 10 + oi + 1}`,
      texts: { en: `${o} ${t.text} (State ${oi})` },
      kind: 'recommendation' as const,
      themes: [t.theme],
      affectedPersons: [t.affected],
      sdgs: [{ code: t.sdg }],
    })),
  );
}

const NEW_REPORT = 'A/HRC/99/2';
const unlabelled: ImportRecord[] = [
  { sourceRow: 1, document: { symbol: NEW_REPORT, body: 'UPR', type: 'upr_wg_report', country: 'Testland' }, paragraph: '120.1', texts: { en: 'Investigate allegations of torture in detention and prosecute the police officers responsible (Norway)' }, kind: 'recommendation' },
  { sourceRow: 2, document: { symbol: NEW_REPORT, body: 'UPR', type: 'upr_wg_report', country: 'Testland' }, paragraph: '120.2', texts: { en: 'Guarantee free primary education for all children, including in rural areas (Chile)' }, kind: 'recommendation' },
  { sourceRow: 3, document: { symbol: NEW_REPORT, body: 'UPR', type: 'upr_wg_report', country: 'Testland' }, paragraph: '120.3', texts: { en: 'Adopt a law on equal pay and end discrimination against women (Spain)' }, kind: 'recommendation' },
];

interface Sugg {
  id: string;
  term_id: string;
  kind: string;
  code: string;
  label_en: string | null;
  confidence: number;
}
interface QueueItem {
  id: string;
  paragraph: string;
  version: number;
  suggestions: Sugg[];
}

describeEachEngine('tag suggestions', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  let viewer: TestClient;
  let focal: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine);
    coordinator = await h.loginAs('coordinator');
    viewer = await h.loginAs('viewer');
    focal = await h.loginAs('focal_point');
  });
  afterAll(() => closeHarness(h));

  async function train() {
    const started = await coordinator.request({ method: 'POST', url: '/api/tagging/train' });
    expect(started.statusCode).toBe(202);
    for (let i = 0; i < 400; i++) {
      const job = (await coordinator.request({ method: 'GET', url: `/api/jobs/${started.json().jobId}` })).json();
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('training did not finish');
  }
  const queue = async (query = '') => (await coordinator.request({ method: 'GET', url: `/api/tagging/queue?pageSize=50${query}` })).json() as { total: number; suggestions: number; items: QueueItem[]; documents: { id: string; symbol: string; recommendations: number }[] };

  it('refuses to train on an empty register, with a clear code', async () => {
    const job = await train();
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('tagger_no_training_data');
    expect((await coordinator.request({ method: 'GET', url: '/api/tagging' })).json().model).toBeNull();
  });

  it('trains as a job and suggests the right theme, affected persons and SDG goal for unlabelled recommendations', async () => {
    await importRecords(h.database.db, labelled(), { source: 'test labelled' });
    await importRecords(h.database.db, unlabelled, { source: 'test new report' });
    expect((await viewer.request({ method: 'POST', url: '/api/tagging/train' })).statusCode).toBe(403);
    expect((await focal.request({ method: 'GET', url: '/api/tagging/queue' })).statusCode).toBe(403);

    const job = await train();
    expect(job.status).toBe('succeeded');
    expect(job.percent).toBe(100);
    expect(job.result.docs).toBe(18);
    expect(job.result.recommendations).toBe(3);

    const status = (await coordinator.request({ method: 'GET', url: '/api/tagging' })).json();
    expect(status.model.docs).toBe(18);
    expect(status.pending.recommendations).toBe(3);

    const q = await queue();
    expect(q.total).toBe(3);
    expect(q.documents).toEqual([expect.objectContaining({ symbol: NEW_REPORT, recommendations: 3 })]);
    const byPara = new Map(q.items.map((i) => [i.paragraph, i]));
    const best = (p: string, kind: string) => byPara.get(p)!.suggestions.filter((s) => s.kind === kind).sort((a, b) => b.confidence - a.confidence)[0]!;
    expect(best('120.1', 'theme').label_en).toContain('torture');
    expect(best('120.2', 'theme').label_en).toContain('education');
    expect(best('120.3', 'theme').label_en).toContain('women');
    expect(best('120.1', 'sdg_goal').code).toBe('16');
    expect(best('120.2', 'sdg_goal').code).toBe('4');
    expect(best('120.3', 'affected_person').label_en).toBe('women');
    for (const s of q.items.flatMap((i) => i.suggestions)) {
      expect(s.confidence).toBeGreaterThan(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
    }
    // labelled recommendations get no suggestions: nothing in the queue is from the training report
    expect(q.items.every((i) => i.paragraph.startsWith('120.'))).toBe(true);
    // the filter by confidence narrows the queue
    const high = await queue('&minConfidence=0.99&kind=theme');
    for (const s of high.items.flatMap((i) => i.suggestions)) {
      expect(s.confidence).toBeGreaterThanOrEqual(0.99);
      expect(s.kind).toBe('theme');
    }
  });

  it('suggests for texts not in the register (an import preview) without storing anything', async () => {
    const count = async () => Number((await h.database.db.selectFrom('tag_suggestions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    expect((await viewer.request({ method: 'POST', url: '/api/tagging/suggest', payload: { texts: ['x'] } })).statusCode).toBe(403);
    const res = await coordinator.request({ method: 'POST', url: '/api/tagging/suggest', payload: { texts: ['Ensure free primary education for every child', 'zzzz qqqq'] } });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { model: { docs: number }; items: Omit<Sugg, 'id'>[][] };
    expect(body.model.docs).toBe(18);
    expect(body.items[0]!.find((s) => s.kind === 'theme')!.label_en).toContain('education');
    expect(body.items[0]!.find((s) => s.kind === 'sdg_goal')!.code).toBe('4');
    expect(body.items[1]).toEqual([]);
    expect(await count()).toBe(before);
  });

  it('accepts one suggestion (version-checked, audited), and anyone signed in sees a recommendation\'s suggestions', async () => {
    const item = (await queue()).items.find((i) => i.paragraph === '120.1')!;
    const theme = item.suggestions.find((s) => s.kind === 'theme')!;
    const own = (await viewer.request({ method: 'GET', url: `/api/tagging/recommendations/${item.id}` })).json();
    expect(own.items.map((s: Sugg) => s.id)).toContain(theme.id);
    expect(own.model.docs).toBe(18);

    expect((await viewer.request({ method: 'POST', url: `/api/tagging/suggestions/${theme.id}/accept`, payload: { version: item.version } })).statusCode).toBe(403);
    const stale = await coordinator.request({ method: 'POST', url: `/api/tagging/suggestions/${theme.id}/accept`, payload: { version: item.version + 5 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');

    const ok = await coordinator.request({ method: 'POST', url: `/api/tagging/suggestions/${theme.id}/accept`, payload: { version: item.version } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().version).toBe(item.version + 1);
    const rec = (await viewer.request({ method: 'GET', url: `/api/recommendations/${item.id}` })).json();
    expect(rec.version).toBe(item.version + 1);
    expect(rec.terms.map((t: { id: string }) => t.id)).toContain(theme.term_id);
    const again = await coordinator.request({ method: 'POST', url: `/api/tagging/suggestions/${theme.id}/accept`, payload: { version: item.version + 1 } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('suggestion_decided');

    const audit = await h.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'recommendation.tag_suggestion.accept').where('subject_id', '=', item.id).execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ term_id: theme.term_id, kind: 'theme' });
    // an accepted suggestion queues a retraining for the job runner
    const queued = await h.database.db.selectFrom('jobs').select(['run_at', 'status']).where('kind', '=', 'tagger.train').where('status', '=', 'queued').execute();
    expect(queued).toHaveLength(1);
    expect(queued[0]!.run_at).toBeTruthy();
  });

  it('rejects a suggestion, which is not suggested again after retraining', async () => {
    const item = (await queue()).items.find((i) => i.paragraph === '120.2')!;
    const goal = item.suggestions.find((s) => s.kind === 'sdg_goal')!;
    expect((await viewer.request({ method: 'POST', url: `/api/tagging/suggestions/${goal.id}/reject` })).statusCode).toBe(403);
    const res = await coordinator.request({ method: 'POST', url: `/api/tagging/suggestions/${goal.id}/reject` });
    expect(res.statusCode).toBe(200);
    const audit = await h.database.db.selectFrom('audit_log').select('after').where('action', '=', 'recommendation.tag_suggestion.reject').where('subject_id', '=', item.id).execute();
    expect(audit).toHaveLength(1);
    const rec = (await viewer.request({ method: 'GET', url: `/api/recommendations/${item.id}` })).json();
    expect(rec.version).toBe(item.version);
    expect(rec.terms.map((t: { id: string }) => t.id)).not.toContain(goal.term_id);

    expect((await train()).status).toBe('succeeded');
    const after = (await queue()).items.find((i) => i.paragraph === '120.2')!;
    expect(after.suggestions.map((s) => s.term_id)).not.toContain(goal.term_id);
    // 120.1 now has a theme: it gets no theme suggestion any more, but still its SDG goal
    const first = (await queue()).items.find((i) => i.paragraph === '120.1')!;
    expect(first.suggestions.some((s) => s.kind === 'theme')).toBe(false);
    expect(first.suggestions.some((s) => s.kind === 'sdg_goal')).toBe(true);
  });

  it('accepts all suggestions above a confidence for a selection; the list facets change', async () => {
    const facets = async () => (await viewer.request({ method: 'GET', url: `/api/recommendations?document=${encodeURIComponent(NEW_REPORT)}&pageSize=50` })).json().facets as Record<string, { value: string; count: number }[]>;
    const before = await facets();
    const q = await queue();
    const ids = q.items.map((i) => i.id);
    const threshold = 0.3;
    const expected = q.items.reduce((a, i) => a + i.suggestions.filter((s) => s.confidence >= threshold).length, 0);
    expect(expected).toBeGreaterThan(0);
    expect((await coordinator.request({ method: 'POST', url: '/api/tagging/accept', payload: { recommendationIds: ['nope'], minConfidence: 0.3 } })).statusCode).toBe(400);
    const res = await coordinator.request({ method: 'POST', url: '/api/tagging/accept', payload: { recommendationIds: ids, minConfidence: threshold } });
    expect(res.statusCode).toBe(200);
    expect(res.json().accepted).toBe(expected);
    const after = await facets();
    const count = (f: { value: string; count: number }[] | undefined) => (f ?? []).reduce((a, x) => a + x.count, 0);
    expect(count(after.theme)).toBeGreaterThan(count(before.theme));
    expect(count(after.sdg)).toBeGreaterThan(count(before.sdg));
    // nothing left at or above the threshold
    for (const i of (await queue()).items) for (const s of i.suggestions) expect(s.confidence).toBeLessThan(threshold);
  });
});
