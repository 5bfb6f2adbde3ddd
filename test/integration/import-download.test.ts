import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUhriJson } from '../../bench/gen-uhri.ts';
import { buildApp } from '../../src/server/app.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

type Run = { id: string; status: string; result: { total: number } | null; error: { code: string; message: string; message_ar?: string } | null };

/** A local stand-in for the UHRI export address: /export.json, a redirect elsewhere, a 3 MB body, and a stall. */
function exportServer(body: Buffer) {
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    if (req.url === '/export.json') return res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    if (req.url === '/moved') return res.writeHead(302, { location: 'http://localhost.invalid:9/export.json' }).end();
    if (req.url === '/big.json') {
      res.writeHead(200, { 'content-type': 'application/json' }); // no content-length: the limit is met while reading
      for (let i = 0; i < 48; i++) res.write(Buffer.alloc(64 * 1024, 0x20));
      return res.end();
    }
    if (req.url === '/stall.json') return res.writeHead(200, { 'content-type': 'application/json' }).write('['); // never ends
    res.writeHead(404).end();
  });
  return {
    server,
    closeAll: () => open.forEach((r) => r.destroy()),
  };
}

describeEachEngine('UHRI download by address', (engine) => {
  let h: Harness;
  let c: TestClient;
  let base: string;
  let dataDir: string;
  const local = exportServer(buildUhriJson({ count: 12, seed: 3, lang: 'en', useSharedData: false }));
  beforeAll(async () => {
    await new Promise<void>((r) => local.server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(local.server.address() as AddressInfo).port}`;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-dl-'));
    h = await createHarness(engine, { DATA_DIR: dataDir, RASD_UHRI_URL: `${base}/export.json`, RASD_UHRI_MAX_MB: '1', RASD_UHRI_TIMEOUT_SECONDS: '2' });
    c = await h.loginAs('coordinator');
  });
  afterAll(async () => {
    local.closeAll();
    await new Promise((r) => local.server.close(r));
    await closeHarness(h);
  });

  const start = (body: Record<string, unknown>) => c.request({ method: 'POST', url: '/api/imports/url', payload: body });
  const finish = async (id: string): Promise<Run> => {
    await h.app.importRuns.inFlight.get(id);
    return (await c.request({ method: 'GET', url: `/api/imports/${id}` })).json();
  };
  const storedFiles = () => fs.readdirSync(path.join(dataDir, 'imports'));

  it('previews the configured address, commits it, and keeps no file once imported', async () => {
    const res = await start({ dryRun: true });
    expect(res.statusCode).toBe(202);
    const preview = await finish(res.json().id);
    expect(preview.status).toBe('succeeded');
    expect(preview.result?.total).toBe(12);
    expect(storedFiles()).toHaveLength(1); // kept for the commit
    const commit = await c.request({ method: 'POST', url: `/api/imports/${preview.id}/commit` });
    const done = await finish(commit.json().id);
    expect(done.status).toBe('succeeded');
    expect(storedFiles()).toHaveLength(0);
  });

  it('refuses a host that is not allowed before fetching anything', async () => {
    const res = await start({ url: 'http://169.254.169.254/latest/meta-data', dryRun: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('download_host_not_allowed');
    expect(res.json().error.message_ar).toBeTruthy();
  });

  it('refuses a redirect to a host that is not allowed', async () => {
    const run = await finish((await start({ url: `${base}/moved`, dryRun: true })).json().id);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('download_host_not_allowed');
  });

  it('stops a download over the byte limit and leaves no partial file', async () => {
    const run = await finish((await start({ url: `${base}/big.json`, dryRun: true })).json().id);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('download_too_large');
    expect(storedFiles()).toHaveLength(0);
  });

  it('gives up on a download that takes too long', async () => {
    const run = await finish((await start({ url: `${base}/stall.json`, dryRun: true })).json().id);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('download_timeout');
    expect(storedFiles()).toHaveLength(0);
  });

  it('marks a run left running by a stopped server as interrupted when the app starts again', async () => {
    const user = await h.database.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    await h.database.db
      .insertInto('import_runs')
      .values({
        id: `killed-${engine}`,
        format: 'uhri-json',
        filename: 'export.json',
        stored_path: path.join(dataDir, 'imports', 'killed.json'),
        options: '{}',
        dry_run: 0,
        status: 'running',
        processed: 100,
        bytes_total: 1000,
        bytes_read: 500,
        result: null,
        error: null,
        created_by: user.id,
        created_at: hourAgo,
        updated_at: hourAgo,
      })
      .execute();
    const restarted = await buildApp({ db: h.database.db, dialect: h.database.dialect, config: h.config }, { logger: false, webDist: '/nonexistent' });
    try {
      const run = await h.database.db.selectFrom('import_runs').selectAll().where('id', '=', `killed-${engine}`).executeTakeFirstOrThrow();
      expect(run.status).toBe('failed');
      expect(JSON.parse(run.error!).code).toBe('interrupted');
    } finally {
      await restarted.close();
    }
  });
});
