/**
 * Issue 14, item 4: "A CLI import on SQLite while the server runs must not freeze the server's event loop."
 *
 * The server (the real app, on a SQLite file) runs in this process; `rasd import upr-info-csv` runs in a child process
 * on the same file and holds SQLite's write lock while it writes (one transaction: all or nothing). While the child
 * holds the lock, a write request to the server has to wait for it; the server must go on answering other requests
 * meanwhile, and the write must succeed once the import commits. Before the fix, the write waited inside SQLite's
 * busy handler on the event loop (nothing else answered for up to 5 s) and then failed with a 500.
 *
 * SQLite only: PostgreSQL has no database-wide write lock (the same import is a row-level writer there).
 * No timing threshold: the checks are on order (answered while the import still holds the lock).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHarness, createHarness, type Harness, type TestClient } from '../helpers/http.ts';
import { describeWithSharedData, sharedDataPath } from '../helpers/shared-data.ts';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/rasd.mjs');
const ROWS = 2500;

/** The first ROWS records of the shared UPR Info export, as a file of the same layout. */
function sampleFile(dir: string): string {
  const rows = parseCsv(fs.readFileSync(sharedDataPath('upr-info', 'upr-info-sessions-1-20.csv')), { columns: true }) as Record<string, string>[];
  const header = Object.keys(rows[0]!);
  const q = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const file = path.join(dir, 'upr-info-sample.csv');
  fs.writeFileSync(file, [header.join(','), ...rows.slice(0, ROWS).map((r) => header.map((h) => q(r[h] ?? '')).join(','))].join('\n'));
  return file;
}

/** Whether another connection holds the database's write lock: a probe that takes it (and lets go at once) or is refused. */
function lockHeld(probe: Database.Database): boolean {
  try {
    probe.exec('begin immediate');
    probe.exec('rollback');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithSharedData('a CLI import beside a running server (SQLite)', () => {
  describe('[sqlite]', () => {
    let h: Harness;
    let c: TestClient;
    let dir: string;
    let probe: Database.Database;

    beforeAll(async () => {
      h = await createHarness('sqlite');
      c = await h.loginAs('coordinator');
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-cli-beside-'));
      probe = new Database((h.database.target as { file: string }).file);
      probe.pragma('busy_timeout = 0');
    });
    afterAll(async () => {
      probe?.close();
      await closeHarness(h);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('answers requests while its own write waits for the import, and the write succeeds after it', async () => {
      const file = sampleFile(dir);
      const dbFile = (h.database.target as { file: string }).file;
      const child = spawn(process.execPath, [bin, 'import', 'upr-info-csv', file], {
        cwd: dir,
        env: { ...process.env, DATABASE_URL: `sqlite:${dbFile}`, LOG_LEVEL: 'silent', DATA_DIR: path.join(dir, 'data') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      let exitCode: number | null = null;
      const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve((exitCode = code ?? -1))));

      // wait until the import holds the write lock
      while (exitCode === null && !lockHeld(probe)) await sleep(10);
      expect(exitCode, `the import ended before it took the write lock: ${output}`).toBeNull();

      // a write: it must wait for the import's lock without holding the event loop
      let writeStatus = 0;
      const write = c
        .request({ method: 'POST', url: '/api/taxonomies/theme', payload: { code: 'written-during-import', label_ar: 'محور كُتب أثناء الاستيراد', label_en: 'Written during the import' } })
        .then((res) => {
          writeStatus = res.statusCode;
          return res;
        });
      // a timer and other requests go on meanwhile
      await sleep(200);
      const answeredWhileWaiting: number[] = [];
      for (let i = 0; i < 5; i++) {
        const session = await c.request({ method: 'GET', url: '/api/auth/session' });
        const health = await h.app.inject({ method: 'GET', url: '/api/health' });
        if (writeStatus === 0 && exitCode === null) answeredWhileWaiting.push(session.statusCode, health.statusCode);
      }
      const stillHeld = exitCode === null && lockHeld(probe);
      // before the fix: the write had held the event loop in SQLite's busy handler, then failed with 500
      expect(writeStatus, 'the write did not wait for the import (or failed)').toBe(0);
      expect(answeredWhileWaiting).toEqual(Array(10).fill(200));
      expect(stillHeld, 'the import let go of the lock before the checks ran: make the sample larger').toBe(true);

      // the write goes through once the import commits; the import itself is whole
      const res = await write;
      expect(res.statusCode, res.body).toBe(201);
      expect(await exited, output).toBe(0);
      expect(output).toContain(`Imported: ${ROWS} records`);
      const n = await h.database.db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(ROWS);
      const theme = await h.database.db.selectFrom('terms').select('label_ar').where('code', '=', 'written-during-import').executeTakeFirst();
      expect(theme?.label_ar).toBe('محور كُتب أثناء الاستيراد');
    }, 180_000);
  });
});
