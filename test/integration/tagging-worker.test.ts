/**
 * Retraining the tagger does not block the server's event loop (issue 15 item 1 and issue 17), once per engine: while
 * a retrain job reads, learns from a thousand labelled recommendations and writes its suggestions (in a worker thread
 * with its own connection), the event loop of this process (where the app runs, through app.inject) is measured with
 * perf_hooks.monitorEventLoopDelay, and its longest delay must stay well below the training's duration, while cheap
 * requests are answered. If the training worker fails, the job fails with
 * a coded error and the previous model stays in use.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { importRecords, type ImportRecord } from '../../src/imports/index.ts';
import { createJob, getJob, InProcessJobs } from '../../src/jobs/index.ts';
import { TaggerModel } from '../../src/tagging/model.ts';
import { forgetCachedModel } from '../../src/tagging/tagging.service.ts';
import { trainInWorker } from '../../src/tagging/train-worker.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

/** labelled recommendations generated for the test: enough for training to take noticeably long */
const LABELLED = 1000;
const TOPICS = 12;

/** A deterministic generator (mulberry32), so that both engines train on the same register. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function register(): ImportRecord[] {
  const rnd = random(17);
  const word = (topic: number, i: number) => `t${topic}w${i}`;
  const common = Array.from({ length: 3000 }, (_, i) => `common${i}`);
  const out: ImportRecord[] = [];
  for (let n = 0; n < LABELLED + 200; n++) {
    const topic = n % TOPICS;
    const words: string[] = [];
    for (let w = 0; w < 30; w++) words.push(rnd() < 0.5 ? word(topic, Math.floor(rnd() * 40)) : common[Math.floor(rnd() * common.length)]!);
    const labelled = n < LABELLED;
    out.push({
      sourceRow: n + 1,
      document: { symbol: `A/HRC/${labelled ? 50 + (n % 20) : 99}/1`, body: 'UPR', type: 'upr_wg_report', country: 'Testland' },
      paragraph: `${100 + Math.floor(n / 1000)}.${n % 1000}`,
      texts: { en: `Take measures to ${words.join(' ')}` },
      kind: 'recommendation',
      ...(labelled ? { themes: [`Theme ${topic}`], affectedPersons: [`group ${topic % 5}`], sdgs: [{ code: String((topic % 16) + 1) }] } : {}),
    });
  }
  return out;
}

describeEachEngine('tagger training in a worker thread', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine);
    coordinator = await h.loginAs('coordinator');
    await importRecords(h.database.db, register(), { source: 'test generated register' });
  }, 120_000);
  afterAll(() => closeHarness(h));

  it('answers requests while a retrain job runs: the longest event-loop delay is well below the training time', async () => {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    const t0 = performance.now();
    histogram.enable();
    const started = await coordinator.request({ method: 'POST', url: '/api/tagging/train' });
    expect(started.statusCode).toBe(202);
    const jobId = started.json().jobId as string;
    let job: { status: string; phase: string | null; result: { docs: number; recommendations: number }; error: unknown } | undefined;
    const phases = new Set<string>();
    let answered = 0;
    for (;;) {
      const session = await coordinator.request({ method: 'GET', url: '/api/auth/session' });
      expect(session.statusCode).toBe(200);
      answered += 1;
      job = (await coordinator.request({ method: 'GET', url: `/api/jobs/${jobId}` })).json();
      if (job!.phase) phases.add(job!.phase);
      if (job!.status === 'succeeded' || job!.status === 'failed') break;
      if (performance.now() - t0 > 240_000) throw new Error('training did not finish');
      await new Promise((r) => setTimeout(r, 20));
    }
    const wallMs = performance.now() - t0;
    histogram.disable();
    const maxDelayMs = histogram.max / 1e6;
    console.info(`${engine}: training ${Math.round(wallMs)} ms, longest event-loop delay ${maxDelayMs.toFixed(1)} ms, ${answered} session checks answered`);
    // noticeably long, and the loop never held for more than a quarter of it
    expect(wallMs).toBeGreaterThanOrEqual(1000);
    expect(maxDelayMs).toBeLessThan(wallMs / 4);
    expect(job!.error).toBeNull();
    expect(job!.status).toBe('succeeded');
    expect(job!.result.docs).toBe(LABELLED);
    expect(job!.result.recommendations).toBe(200);
    // the worker's progress reaches the job
    expect(phases.has('training') || phases.has('suggesting')).toBe(true);
    expect(answered).toBeGreaterThan(3);
  }, 300_000);

  it('a failing training worker fails the job with a coded error, and the previous model stays', async () => {
    const before = (await coordinator.request({ method: 'GET', url: '/api/tagging' })).json();
    expect(before.model).not.toBeNull();
    const jobs = new InProcessJobs(h.database.db);
    const jobId = await createJob(h.database.db, 'tagger.train', {}, null);
    // a worker heap far too small for the model: the worker runs out of memory
    jobs.start(jobId, (progress) => trainInWorker(h.database.dialect.target, { actorId: null, jobId }, { progress, heapMb: 4 }));
    await jobs.drain();
    const job = await getJob(h.database.db, jobId);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('tagger_training_failed');
    const after = (await coordinator.request({ method: 'GET', url: '/api/tagging' })).json();
    expect(after.model.id).toBe(before.model.id);
    expect(after.pending).toEqual(before.pending);
    // and the model still suggests
    const res = await coordinator.request({ method: 'POST', url: '/api/tagging/suggest', payload: { texts: ['Take measures to t3w1 t3w2 t3w5 t3w7'] } });
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0].find((s: { kind: string }) => s.kind === 'theme').label_en).toBe('Theme 3');
  }, 120_000);

  it("stores the suggestions in the server's writer turn (SQLite), so that the server's own writes wait for the worker's transaction", async () => {
    const hold = h.database.dialect.holdWriter;
    if (!hold) {
      expect(engine).toBe('postgres');
      return;
    }
    const phases: string[] = [];
    let held = 0;
    const result = await trainInWorker(
      h.database.dialect.target,
      { actorId: null, jobId: null },
      {
        progress: async (phase) => void phases.push(phase),
        holdWriter: (fn) => {
          held += 1;
          return hold(async () => {
            phases.push('held');
            return fn();
          });
        },
      },
    );
    expect(result.docs).toBe(LABELLED);
    expect(held).toBe(1);
    // the turn is asked for once the suggestions are scored, before they are written
    expect(phases.indexOf('held')).toBeGreaterThan(phases.lastIndexOf('suggesting'));
  }, 120_000);

  it('suggests for texts with the model loaded in the suggestion worker, never on the server thread, and after a retraining', async () => {
    const fromJSON = vi.spyOn(TaggerModel, 'fromJSON');
    const predict = vi.spyOn(TaggerModel.prototype, 'predict');
    try {
      forgetCachedModel();
      const ask = async () => {
        const res = await coordinator.request({ method: 'POST', url: '/api/tagging/suggest', payload: { texts: ['Take measures to t5w1 t5w2 t5w5 t5w7', 'Take measures to t8w3 t8w4 t8w9'] } });
        expect(res.statusCode).toBe(200);
        return res.json() as { model: { trained_at: string }; items: { kind: string; label_en: string }[][] };
      };
      const first = await ask();
      expect(first.items[0]!.find((s) => s.kind === 'theme')?.label_en).toBe('Theme 5');
      expect(first.items[1]!.find((s) => s.kind === 'theme')?.label_en).toBe('Theme 8');
      // a retraining stores a new model: the next suggestions come from it
      const started = await coordinator.request({ method: 'POST', url: '/api/tagging/train' });
      const jobId = started.json().jobId as string;
      for (let k = 0; k < 600; k++) {
        const job = (await coordinator.request({ method: 'GET', url: `/api/jobs/${jobId}` })).json();
        if (job.status === 'succeeded') break;
        expect(job.status).not.toBe('failed');
        await new Promise((r) => setTimeout(r, 100));
      }
      const status = (await coordinator.request({ method: 'GET', url: '/api/tagging' })).json();
      const second = await ask();
      expect(second.model.trained_at).toBe(status.model.trained_at);
      expect(second.model.trained_at).not.toBe(first.model.trained_at);
      expect(second.items[0]!.find((s) => s.kind === 'theme')?.label_en).toBe('Theme 5');
      // neither the model's loading nor its predictions ran in this thread
      expect(fromJSON).not.toHaveBeenCalled();
      expect(predict).not.toHaveBeenCalled();
    } finally {
      fromJSON.mockRestore();
      predict.mockRestore();
    }
  }, 120_000);
});
