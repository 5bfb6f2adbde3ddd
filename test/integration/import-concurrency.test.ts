/**
 * A large import runs in the background of the web app while people keep working. On both engines: the run's
 * progress moves while it runs, other reads are answered meanwhile (on SQLite from the reader connection,
 * dialect/sqlite-driver.ts, with the data as before the import), and a write made meanwhile succeeds.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeUhriJson } from '../../bench/gen-uhri.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness } from '../helpers/http.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-import-concurrency-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const COUNT = 15_000;

describeEachEngine('requests during a large import', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(() => closeHarness(h));

  it('shows progress, answers reads and takes writes while the import runs', async () => {
    const file = join(tmp, `big-${engine}.json`);
    await writeUhriJson(file, { count: COUNT, seed: 9, useSharedData: false });
    const c = await h.loginAs('coordinator');
    const started = await c.request({
      method: 'POST',
      url: '/api/imports?format=uhri-json&filename=big.json&dryRun=false',
      headers: { 'content-type': 'application/octet-stream' },
      payload: readFileSync(file),
    });
    expect(started.statusCode).toBe(202);
    const id = started.json().id as string;
    const status = async () => (await c.request({ method: 'GET', url: `/api/imports/${id}` })).json() as { status: string; processed: number };

    const write = c.request({ method: 'POST', url: '/api/views', payload: { name: 'during the import', query: '?q=torture' } });
    const progress: number[] = [];
    let readWhileRunning = false;
    for (let run = await status(); run.status === 'running'; run = await status()) {
      progress.push(run.processed);
      const list = await c.request({ method: 'GET', url: '/api/recommendations?pageSize=1' });
      expect(list.statusCode).toBe(200);
      if ((await status()).status === 'running') readWhileRunning = true; // answered before the import ended
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await status())).toMatchObject({ status: 'succeeded', processed: COUNT });
    expect(progress.some((n) => n > 0 && n < COUNT)).toBe(true);
    expect(readWhileRunning).toBe(true);
    expect((await write).statusCode).toBe(201);
    const list = await c.request({ method: 'GET', url: '/api/recommendations?pageSize=1' });
    expect(list.json().total).toBe(COUNT);
  }, 120_000);
});
