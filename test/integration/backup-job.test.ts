import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { backupStatus, openArchive, readManifest } from '../../src/backup/index.ts';
import { JobRunner, jobHandlers } from '../../src/jobs/index.ts';
import { createMailer } from '../../src/notifications/index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachEngine('nightly backup job and the admin page API', (engine) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-nightly-'));
  const backups = path.join(dir, 'backups');
  let h: Harness;
  let admin: TestClient;

  beforeAll(async () => {
    h = await createHarness(engine, { DATA_DIR: path.join(dir, 'data'), BACKUP_DIR: backups, BACKUP_KEEP: '2', BACKUP_HOUR_UTC: '3' });
    admin = await h.loginAs('admin');
  });
  afterAll(async () => {
    await closeHarness(h);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs once a night at BACKUP_HOUR_UTC, writes an archive and keeps the newest BACKUP_KEEP', async () => {
    const nights = ['2026-01-01', '2026-01-02', '2026-01-03'];
    const handlers = jobHandlers(h.config, createMailer({ smtpUrl: null, from: h.config.mailFrom }), undefined, h.database.dialect);
    // without the engine there is no backup job; with it, one
    expect(Object.keys(jobHandlers(h.config, createMailer({ smtpUrl: null, from: h.config.mailFrom })))).not.toContain('backup');
    expect(Object.keys(handlers)).toContain('backup');
    for (const night of nights) {
      const runnerAt = (time: string) => new JobRunner(h.database.db, handlers, { now: () => new Date(`${night}T${time}Z`), daily: [{ kind: 'backup', hourUtc: h.config.backup.hourUtc }] });
      const before = runnerAt('02:30:00');
      await before.ensureDaily();
      expect(await before.runDue(), 'nothing due before 03:00').toBe(0);
      const after = runnerAt('03:10:00');
      await Promise.all([after.ensureDaily(), runnerAt('03:10:00').ensureDaily()]); // two instances: one job
      expect(await after.runDue()).toBe(1);
      const job = await h.database.db.selectFrom('jobs').selectAll().where('id', '=', `backup:${night}`).executeTakeFirstOrThrow();
      expect(job.status, job.error ?? '').toBe('succeeded');
      const result = JSON.parse(job.result!) as { file: string; size: number; pruned: string[] };
      expect(path.dirname(result.file)).toBe(backups);
      expect(fs.statSync(result.file).size).toBe(result.size);
      expect(path.basename(result.file)).toBe(`rasd-backup-${night.replace(/-/g, '')}T031000Z.zip`);
    }
    const kept = fs.readdirSync(backups).sort();
    expect(kept).toEqual(['rasd-backup-20260102T031000Z.zip', 'rasd-backup-20260103T031000Z.zip']);
    // each archive is a complete backup
    const a = await openArchive(path.join(backups, kept[1]!));
    try {
      const m = await readManifest(a);
      expect(m.engine).toBe(engine);
      expect(m.tables.find((t) => t.name === 'users')?.rows).toBeGreaterThan(0);
    } finally {
      a.close();
    }
    // a file that is not one of the job's archives is never pruned
    fs.writeFileSync(path.join(backups, 'notes.txt'), 'keep me');

    // the admin page: last result and the archives kept
    const res = await admin.request({ method: 'GET', url: '/api/admin/backups' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { dir: string; keep: number; hour_utc: number; nightly: boolean; last: { ok: boolean; size: number; file: string; finished_at: string } | null; files: { name: string }[] };
    expect(body).toMatchObject({ dir: backups, keep: 2, hour_utc: 3, nightly: true });
    expect(body.last?.ok).toBe(true);
    expect(body.last?.file).toBe(path.join(backups, 'rasd-backup-20260103T031000Z.zip'));
    expect(body.last?.size).toBe(fs.statSync(path.join(backups, 'rasd-backup-20260103T031000Z.zip')).size);
    expect(body.files.map((f) => f.name)).toEqual(['rasd-backup-20260103T031000Z.zip', 'rasd-backup-20260102T031000Z.zip']);
  }, 120_000);

  it('"back up now" runs a backup, records it in the audit log, and shows it as the last result', async () => {
    const start = await admin.request({ method: 'POST', url: '/api/admin/backups' });
    expect(start.statusCode, start.body).toBe(202);
    const { jobId } = start.json() as { jobId: string };
    type JobBody = { status: string; result: { file: string; size: number } | null; phase: string | null };
    const poll = async (): Promise<JobBody> => {
      for (let i = 0; i < 200; i++) {
        const body = (await admin.request({ method: 'GET', url: `/api/jobs/${jobId}` })).json() as JobBody;
        if (body.status === 'succeeded' || body.status === 'failed') return body;
        await sleep(100);
      }
      throw new Error('the backup did not end');
    };
    const job = await poll();
    expect(job.status).toBe('succeeded');
    expect(fs.existsSync(job.result!.file)).toBe(true);
    const status = (await admin.request({ method: 'GET', url: '/api/admin/backups' })).json() as { last: { job_id: string; ok: boolean }; files: { name: string }[] };
    expect(status.last).toMatchObject({ job_id: jobId, ok: true });
    expect(status.files).toHaveLength(2); // BACKUP_KEEP
    expect(fs.existsSync(path.join(backups, 'notes.txt'))).toBe(true);
    const audit = await h.database.db.selectFrom('audit_log').select(['actor_id', 'subject_id']).where('action', '=', 'backup.run').execute();
    expect(audit).toEqual([{ actor_id: admin.userId, subject_id: jobId }]);
    // only an admin
    const coordinator = await h.loginAs('coordinator');
    expect((await coordinator.request({ method: 'POST', url: '/api/admin/backups' })).statusCode).toBe(403);
  }, 60_000);

  it('reports a failed backup as the last result, with its reason', async () => {
    const blocked = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocked, 'a file where the backup folder should be');
    const h2 = await createHarness(engine, { DATA_DIR: path.join(dir, 'data2'), BACKUP_DIR: blocked });
    try {
      const admin2 = await h2.loginAs('admin');
      const start = await admin2.request({ method: 'POST', url: '/api/admin/backups' });
      expect(start.statusCode).toBe(202);
      await h2.app.close(); // waits for the in-process run to end
      const { last, running } = await backupStatus(h2.database.db);
      expect(running).toBeNull();
      expect(last?.ok).toBe(false);
      expect(last?.file).toBeNull();
      expect(last?.error).toMatch(/EEXIST|ENOTDIR/);
    } finally {
      await h2.database.drop();
      fs.rmSync(h2.config.backup.dir, { force: true });
    }
  }, 60_000);
});
