/**
 * PostgreSQL reads the register's change log from the oldest transaction still running anywhere on the server, so
 * while an old transaction stays open the same rows come back on every read. A bulk import writes one 'full' row;
 * the rebuild it starts must hold it as applied: otherwise every rebuild starts another, and a reader who did not
 * write (the public portal) keeps getting a register older than the last edit. On SQLite the same journey runs
 * (its log position is a sequence number, nothing holds it back).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerIndex } from '../../src/recommendations/register-index.ts';
import { buildUhriJson } from '../../bench/gen-uhri.ts';
import { changeFeedDelivered } from '../helpers/engines.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness } from '../helpers/http.ts';
import { upload } from '../helpers/imports.ts';

describeEachEngine('the register while an old transaction holds the change log back', (engine) => {
  let h: Harness;
  let release: () => void = () => undefined;
  let held: Promise<void> = Promise.resolve();
  beforeAll(async () => {
    h = await createHarness(engine);
    if (engine === 'postgres') {
      // a transaction with an id, left open on its own connection until the end of the test
      let started!: () => void;
      const ready = new Promise<void>((r) => (started = r));
      const done = new Promise<void>((r) => (release = r));
      held = h.database.db.connection().execute(async (c) => {
        await sql`begin`.execute(c);
        await sql`select txid_current()`.execute(c);
        started();
        await done;
        await sql`rollback`.execute(c);
      });
      await ready;
    }
  });
  afterAll(async () => {
    release();
    await held;
    await closeHarness(h);
  });

  it('shows a publication on the next public request after a bulk import', async () => {
    const coord = await h.loginAs('coordinator');
    const run = await upload(h, coord, 'uhri-json', 'export-full-en.json', buildUhriJson({ count: 8, seed: 3, useSharedData: false }), { dryRun: 'false' });
    expect(run.status).toBe('succeeded');
    // the import's rebuild may still be under way (a loaded machine): meanwhile a reader who did not write gets the
    // register as it was, by design (no request waits behind a rebuild). Once it is in, each publication is a patch.
    await registerIndex(h.database.db, h.database.dialect).settled();
    const publicTotal = async () => (await h.app.inject({ method: 'GET', url: '/api/public/recommendations' })).json().total as number;
    expect(await publicTotal()).toBe(0);
    const ids = (await coord.request({ method: 'GET', url: '/api/recommendations?pageSize=50' })).json().items.map((i: { id: string }) => i.id) as string[];
    expect(ids).toHaveLength(8);
    for (let k = 0; k < ids.length; k++) {
      const pub = await coord.request({ method: 'POST', url: '/api/recommendations/bulk', payload: { ids: [ids[k]], op: { action: 'publish' } } });
      expect(pub.statusCode).toBe(200);
      expect(await publicTotal()).toBe(k + 1);
    }
  });

  it('rebuilds once after a change too large to patch, and patches the writes after it', async () => {
    const { db, dialect } = h.database;
    const index = registerIndex(db, dialect);
    await index.settled();
    // 8 recommendations written 625 times: 5,000 change rows, more than a patch reads (4 × 1,000)
    if (engine === 'postgres') await sql`do $$ begin for i in 1..625 loop update recommendations set updated_at = clock_timestamp()::text; end loop; end $$`.execute(db);
    else for (let k = 0; k < 625; k++) await db.updateTable('recommendations').set({ updated_at: `2026-12-06T00:00:${k}` }).execute();
    await changeFeedDelivered(h.database);
    const builds = index.builds;
    await index.settled();
    expect(index.builds - builds).toBe(1);
    // on PostgreSQL the old transaction still holds the log's position before those rows: they come back at every read,
    // and must not be counted again (each read would start another rebuild, and a write's reply find no patch)
    const coord = await h.loginAs('coordinator');
    for (const status of ['in_progress', 'partially_implemented', 'no_action']) {
      const [rec] = (await coord.request({ method: 'GET', url: '/api/recommendations?pageSize=1' })).json().items as { id: string; version: number }[];
      const res = await coord.request({ method: 'PATCH', url: `/api/recommendations/${rec!.id}`, payload: { version: rec!.version, status } });
      expect(res.statusCode, res.body).toBe(200);
      expect(index.holdsWritesOf(coord.userId)).toBe(true);
      expect((await coord.request({ method: 'GET', url: `/api/recommendations?pageSize=50&status=${status}` })).json().items.map((i: { id: string }) => i.id)).toContain(rec!.id);
    }
    await changeFeedDelivered(h.database);
    await index.settled();
    expect(index.builds - builds).toBe(1);
  });
});
