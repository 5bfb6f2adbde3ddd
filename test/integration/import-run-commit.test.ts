/**
 * An import's run is marked succeeded in the import's own transaction (ImportOptions.runId). A process killed after
 * the import committed but before it wrote the run's outcome used to leave the run "running"; the restart then marked
 * it failed `interrupted` although its records were in the register (seen once by the kill -9 sample, faults.test.ts).
 * Here the kill is played without a kill, on both engines: the import is run on the run's row as the worker runs it,
 * without the service's `finish`, and a restarted server's recovery (recoverInterrupted) must then find
 * - a committed import: succeeded, with its counts, and its records present;
 * - an import whose transaction rolled back (a record with no text, after 500 rows were written): interrupted, and none of its records present.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUhriJson, generateUhriRecords } from '../../bench/gen-uhri.ts';
import { runImportJob } from '../../src/imports/commit-worker.ts';
import { nowIso } from '../../src/shared/ids.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness } from '../helpers/http.ts';

describeEachEngine('an import run and its records commit together', (engine) => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    h = await createHarness(engine);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-run-commit-'));
  });
  afterAll(async () => {
    await closeHarness(h);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A run's row as the service records it, then its import as the worker runs it, with no `finish` after. */
  async function importWithoutFinish(id: string, records: ReturnType<typeof generateUhriRecords> extends Iterable<infer R> ? R[] : never) {
    const file = path.join(dir, `${id}.json`);
    fs.writeFileSync(file, buildUhriJson({ records }));
    const now = nowIso();
    await h.database.db
      .insertInto('import_runs')
      .values({ id, format: 'uhri-json', filename: `${id}.json`, stored_path: file, options: '{}', dry_run: 0, status: 'running', processed: 0, bytes_total: 0, bytes_read: 0, result: null, error: null, created_by: null, created_at: now, updated_at: now })
      .execute();
    const hooks = { preview: [], onBytes: () => undefined, onReport: () => undefined, onProgress: () => undefined };
    return runImportJob(h.database.db, undefined, { format: 'uhri-json', file, options: { filename: `${id}.json` }, dryRun: false, actorId: 'nobody', source: `uhri-json ${id}.json`, runId: id }, hooks);
  }

  const present = async (ids: string[]) => (await h.database.db.selectFrom('recommendations').select('id').where('external_id', 'in', ids).execute()).length;
  const runOf = (id: string) => h.database.db.selectFrom('import_runs').select(['status', 'result', 'error']).where('id', '=', id).executeTakeFirstOrThrow();

  it('a committed import is succeeded after a restart; a rolled-back one is interrupted, with nothing written', async () => {
    const committed = [...generateUhriRecords({ count: 30, seed: 71, useSharedData: false })].map((r, i) => ({ ...r, AnnotationId: `run-commit-a-${i}` }));
    const outcome = await importWithoutFinish('run-commit-a', committed);
    expect(outcome.new).toBe(30);

    // a record with no text after the first chunk of 500 was written in the transaction
    const rejected = [...generateUhriRecords({ count: 600, seed: 72, useSharedData: false })].map((r, i) => ({ ...r, AnnotationId: `run-commit-b-${i}`, ...(i === 550 ? { Text: '' } : {}) }));
    await expect(importWithoutFinish('run-commit-b', rejected)).rejects.toThrow(/row 551/);

    // the restarted server: neither run is in flight in it
    expect(await h.app.importRuns.recoverInterrupted(0, { cleanOldPreviews: false })).toBe(1);

    const a = await runOf('run-commit-a');
    expect(a.status).toBe('succeeded');
    expect(JSON.parse(a.result!)).toMatchObject({ new: 30, total: 30, invalid: 0 });
    expect(await present(committed.map((r) => r.AnnotationId!))).toBe(30);

    const b = await runOf('run-commit-b');
    expect(b.status).toBe('failed');
    expect(JSON.parse(b.error!)).toMatchObject({ code: 'interrupted' });
    expect(await present(rejected.map((r) => r.AnnotationId!))).toBe(0);
  });
});
