/**
 * PostgreSQL's bulk path for a first import into an empty register (EngineDialect.bulkLoad), issue 15.
 *
 * Row by row, each 500-record batch of an import made the statement triggers of the register's tables derive the
 * postings (about 34 rows per recommendation, through the SQL function of migration 006, about 0.2 ms per
 * recommendation), write one change-log row per written row (migration 020) and notify, and every row went
 * through INSERT. Here, inside the import's transaction:
 * - the user triggers of `recommendations`, `recommendation_terms` and `recommendation_search` are disabled for
 *   this transaction (ALTER TABLE … DISABLE TRIGGER USER: a SHARE ROW EXCLUSIVE lock, which other writers of these
 *   tables wait for and readers do not). The change log gets one `full` row
 *   instead (the in-memory register rebuilds, as after SQLite's bulk path), the postings' content version moves
 *   once (migration 042), and one notification is sent;
 * - the rows go in by `COPY … FROM STDIN` on the transaction's own connection; index rows get their `search_rowid`
 *   from the table's identity sequence. Where the role may (session_replication_role), the COPYs skip the row-level
 *   foreign-key checks, and finish checks each key once per set of values instead (checkReferences); a chunk's new
 *   documents go ahead of its rows on the same connection, checked and with their triggers (BulkWriter.documents);
 * - the postings are computed in the application (`PostingsCopy`, the same rows as `rasd_fts_postings`, as the bytes
 *   of a binary COPY; a full chunk's in a worker thread with the index rows' COPY, chunkBytes) and copied into a new table
 *   without a key; at the end its key is built in one sort and it replaces the (empty) postings table. Inserting
 *   them into the keyed table, even sorted, was the longest step of a large first import (77 s of 402 at 100,000);
 * - then the triggers are enabled again and the loaded tables analyzed, so that the next statements (and every
 *   connection's cached plans, which ANALYZE invalidates) are planned for a full register, not the empty one.
 * No index of a table readers use is dropped during the import: that would lock every reader out of it until the
 * import commits (the postings table is dropped only in the last step, see finish). A rollback
 * (dry run, rejected file, error) undoes all of it, the disabled triggers included. A database role that does not
 * own the tables (and so may not disable their triggers) takes the row path.
 */
import { finished } from 'node:stream/promises';
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { WORKER_YOUNG_MB, WorkerPool } from '../../shared/worker-pool.ts';
import { chunkCopies, copyLine } from './postgres-postings-copy.ts';
import type { PostingsAnswer, PostingsJob } from './postgres-postings-worker.ts';
import type { BulkLoad, BulkWriter } from './types.ts';

/** The tables whose row-level work (postings, change log, notifications) the bulk path does once at the end. */
const TABLES = ['recommendations', 'recommendation_terms', 'recommendation_search'] as const;

const RECOMMENDATION_COLUMNS = [
  'id',
  'document_id',
  'paragraph',
  'external_id',
  'external_source',
  'original_lang',
  'text_ar',
  'text_en',
  'text_fr',
  'kind',
  'position',
  'position_source',
  'recommending_states',
  'status',
  'priority',
  'is_public',
  'follow_up',
  'due_date',
  'notes',
  'cluster_id',
  'created_at',
  'updated_at',
] as const;

const DOCUMENT_COLUMNS = ['id', 'symbol', 'body_id', 'type', 'title_ar', 'title_en', 'country', 'date', 'upr_cycle', 'upr_session', 'url', 'created_at', 'updated_at'] as const;

/** Sends `text` (whole lines, or a binary COPY's bytes) through `COPY … FROM STDIN` on this connection; settles once the server has taken it. */
export async function copyText(client: pg.ClientBase, statement: string, text: string | Buffer): Promise<void> {
  if (text.length === 0) return;
  const stream = client.query(copyFrom(statement));
  const done = finished(stream);
  stream.end(text);
  await done;
}

/**
 * The postings of a first import's chunks are built in a worker thread (postgres-postings-worker.ts), while the import's
 * thread goes on with the next chunk: splitting every index row into its tokens and writing about 27 postings per row
 * was the largest single share of that thread's work left to move. One worker, kept 30 s after its last chunk (starting
 * one costs most of a second); chunks of other imports of this process wait for it.
 */
const postingsPool = new WorkerPool<PostingsAnswer>({
  entry: new URL('./postgres-postings-worker.ts', import.meta.url),
  idleMs: 30_000,
  maxIdle: 1,
  maxLive: 1,
  youngMb: WORKER_YOUNG_MB,
  errorDetail: (e) => `the postings worker stopped: ${e.message.slice(0, 120)}`,
  exitDetail: (code) => `the postings worker stopped (exit code ${code})`,
});
/** chunks smaller than this are built on the import's thread (a small import need not wait for a worker to start) */
const WORKER_ROWS = 250;

/** An index row a first import writes. */
type SearchRow = Parameters<BulkWriter['searchRows']>[0][number];

/** One chunk's index rows and their postings, as the bytes of their two COPYs (`rows` text, `postings` binary). */
async function chunkBytes(firstId: number, index: readonly SearchRow[]): Promise<{ rows: Buffer; postings: Buffer }> {
  const ids = index.map((s) => s.recommendation_id);
  const terms = index.map((s) => s.terms);
  const words = index.map((s) => s.words);
  const indexedAt = index.map((s) => s.indexed_at);
  const job: PostingsJob = { firstId, ids, terms, words, indexedAt };
  if (index.length < WORKER_ROWS) return chunkCopies(job);
  const lease = await postingsPool.acquire();
  let clean = false;
  try {
    const answer = await new Promise<{ rows: Uint8Array; postings: Uint8Array }>((resolve, reject) => {
      lease.onMessage = (m) => ('error' in m ? reject(new Error(`The postings of a chunk could not be built: ${m.error}`)) : resolve(m));
      lease.onDeath = (detail) => reject(new Error(`The postings of a chunk could not be built: ${detail}`));
      lease.worker.postMessage(job);
    });
    clean = true;
    const buffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    return { rows: buffer(answer.rows), postings: buffer(answer.postings) };
  } finally {
    postingsPool.release(lease, clean);
  }
}

/** A foreign key of a loaded table: its columns and the table and columns it references. */
interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  ref: string;
  refColumns: string[];
}

/**
 * What the row-level foreign-key checks skipped by an unchecked COPY would have done, once per set of values: every
 * non-null key of `tables` (the rows this import wrote: the register was empty and these tables are locked against
 * other writers) is held by its referenced table, else the import fails (and rolls back); and the referenced rows
 * that other transactions can see are locked FOR KEY SHARE, as each row's check locks them, so that none can be
 * deleted before this import commits. The rows this transaction wrote itself (its documents, its recommendations)
 * need no lock: no one else sees them; nor do those of `tables`, which this transaction has locked against every
 * other writer (SHARE ROW EXCLUSIVE, by disabling their triggers) until it commits.
 */
export async function checkReferences(trx: Kysely<any>, tables: readonly string[]): Promise<void> {
  const { rows: keys } = await sql<ForeignKey>`select c.conname as name, c.conrelid::regclass::text as "table", c.confrelid::regclass::text as ref,
      array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as columns,
      array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as "refColumns"
    from pg_constraint c where c.contype = 'f' and c.conrelid = any(${[...tables]}::regclass[]) order by 1`.execute(trx);
  for (const k of keys) {
    const cols = sql.join(k.columns.map((c) => sql.ref(`f.${c}`)));
    const refCols = sql.join(k.refColumns.map((c) => sql.ref(`r.${c}`)));
    const present = sql.join(k.columns.map((c) => sql`${sql.ref(`f.${c}`)} is not null`), sql` and `);
    const same = sql.join(k.columns.map((c, i) => sql`${sql.ref(`r.${k.refColumns[i]!}`)} = ${sql.ref(`f.${c}`)}`), sql` and `);
    const used = sql`select distinct ${cols} from ${sql.table(k.table)} f where ${present}`;
    // a table of `tables` is locked against other writers until the commit (its triggers disabled): no lock needed
    if (!tables.includes(k.ref)) {
      await sql`select 1 from ${sql.table(k.ref)} r where (${refCols}) in (${used}) and r.xmin <> pg_current_xact_id()::xid for key share of r`.execute(trx);
    }
    const { rows } = await sql<{ n: number }>`select count(*)::integer as n from (${used}) f where not exists (select 1 from ${sql.table(k.ref)} r where ${same})`.execute(trx);
    if (rows[0]!.n > 0) throw new Error(`The bulk import wrote ${rows[0]!.n} value(s) of ${k.table} (${k.columns.join(', ')}) that ${k.ref} does not hold (${k.name}).`);
  }
}

/**
 * @param clientOf the pool's connection to the server process `pid` (the import transaction's own connection)
 * @param wrote counts the tables written by COPY as this process's writes (EngineDialect.changes), since COPY
 *   bypasses Kysely
 */
export function postgresBulkLoad(clientOf: (pid: number) => pg.ClientBase | undefined, wrote: (tables: readonly string[]) => void): BulkLoad {
  return {
    async begin(trx: Kysely<any>) {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      const client = clientOf(rows[0]!.pid);
      if (!client) throw new Error('The bulk import found no connection for its transaction.');
      // disabling triggers needs the tables' owner (who ran the migrations); anyone else takes the row path
      const owned = await sql<{ n: number }>`select count(*)::integer as n from pg_class
        where oid in ('recommendations'::regclass, 'recommendation_terms'::regclass, 'recommendation_search'::regclass,
                      'recommendation_fts_postings'::regclass)
          and pg_has_role(relowner, 'USAGE')`.execute(trx);
      if (owned.rows[0]!.n < TABLES.length + 1) return null;
      for (const t of TABLES) await sql.raw(`alter table ${t} disable trigger user`).execute(trx);
      // with the lock held no other transaction can add a recommendation: was the register still empty?
      if ((await sql`select 1 from recommendations limit 1`.execute(trx)).rows.length > 0) {
        for (const t of TABLES) await sql.raw(`alter table ${t} enable trigger user`).execute(trx);
        return null;
      }
      // Row-level foreign-key checks (one lookup and lock per key of each row: the dearest part of the COPYs, about
      // 40% of the server's time at 100,000 records) are replaced by one check per set in finish, where this role
      // may set session_replication_role (a superuser, or GRANT SET ON PARAMETER); else the COPYs check each row.
      const unchecked = (await sql<{ ok: boolean }>`select has_parameter_privilege('session_replication_role', 'SET') as ok`.execute(trx)).rows[0]!.ok;
      // instead of one change row per written row (migration 020): the in-memory register rebuilds
      await sql`insert into register_changes(scope) values ('full')`.execute(trx);
      // the postings go into a new table without its key, which is built once at the end (see finish)
      await sql`create table rasd_fts_postings_load (like recommendation_fts_postings)`.execute(trx);

      // Index row ids are numbered here from the identity sequence's next value (COPY writes given identity values,
      // as OVERRIDING SYSTEM VALUE); finish moves the sequence past them. No one else takes values meanwhile: only
      // inserts into recommendation_search do, and they wait for this transaction's lock.
      const firstId = (await sql<{ id: number }>`select nextval(pg_get_serial_sequence('recommendation_search', 'search_rowid'))::integer as id`.execute(trx)).rows[0]!.id;
      let nextId = firstId;

      // The COPYs run one after another on the connection while this thread goes on (builds the next COPY's text, the
      // next chunk's rows): the server and the import overlap instead of waiting for each other. Not queued in pg's
      // own query queue (deprecated): each starts when the one before has settled; `settle` awaits them all and
      // throws the first failure (the later ones are not sent).
      //
      // `unchecked`: the COPYs run in replica mode (session_replication_role), where PostgreSQL fires no row-level
      // foreign-key check; the keys are checked once per set in finish instead (checkReferences). The mode is set by
      // the first COPY after the import's own statements and set back by `settle`, before them (terms, the audit row
      // run checked, as ever), and before a chunk's documents (`checked`): a few round trips per chunk, none of them
      // waited for by the import, rather than two per COPY (on a busy machine each
      // round trip waits for a core). No try/finally: a failed COPY aborts the transaction, and its rollback ends the
      // setting too. Each change of the setting discards the connection's cached plans (PostgreSQL's rule): they are
      // planned again on their next use.
      let pending: Promise<void> = Promise.resolve();
      /** the last COPY of the chunk before the current one */
      let chunkBefore: Promise<void> = Promise.resolve();
      let replica = false;
      // `checked`: a COPY whose triggers and checks must run (documents), in the normal mode
      const send = (statement: string, input: string | Promise<Buffer>, table: string, checked = false) => {
        pending = pending.then(async () => {
          const text = await input;
          if (checked && replica) {
            await client.query('set local session_replication_role = origin');
            replica = false;
          } else if (!checked && unchecked && !replica && text.length > 0) {
            await client.query('set local session_replication_role = replica');
            replica = true;
          }
          await copyText(client, statement, text);
          wrote([table]);
        });
        pending.catch(() => {}); // reported by settle
      };
      const settle = async () => {
        await pending;
        if (replica) {
          replica = false;
          await client.query('set local session_replication_role = origin');
        }
      };

      const writer: BulkWriter = {
        settle,
        // A chunk's new documents go ahead of its rows on the connection, checked and with their triggers (the change
        // feed's notification), instead of the import waiting for the chunk before to be written to insert them: a
        // large file brings new documents in nearly every chunk (every one of 200 at 100,000 generated records).
        async documents(docs) {
          let text = '';
          for (const d of docs) text += copyLine(DOCUMENT_COLUMNS.map((c) => d[c]));
          send(`copy documents (${DOCUMENT_COLUMNS.join(', ')}) from stdin`, text, 'documents', true);
        },
        async recommendations(recs) {
          // a chunk's first rows: the chunk before the last must be written, so that at most two chunks' texts wait
          // (without it, a file whose chunks bring no new documents would queue every COPY until the end)
          await chunkBefore;
          chunkBefore = pending;
          let text = '';
          for (const r of recs) text += copyLine(RECOMMENDATION_COLUMNS.map((c) => r[c]));
          send(`copy recommendations (${RECOMMENDATION_COLUMNS.join(', ')}) from stdin`, text, 'recommendations');
        },
        async links(links) {
          let text = '';
          for (const l of links) text += copyLine([l.recommendation_id, l.term_id]);
          send('copy recommendation_terms (recommendation_id, term_id) from stdin', text, 'recommendation_terms');
        },
        async searchRows(index) {
          if (index.length === 0) return;
          // both COPYs' bytes are built away from this thread for a full chunk (the worker), while it goes on
          const bytes = chunkBytes(nextId, index);
          bytes.catch(() => {}); // reported by the COPY that awaits it (settle)
          nextId += index.length;
          send('copy recommendation_search (search_rowid, recommendation_id, terms, words, indexed_at) from stdin', bytes.then((b) => b.rows), 'recommendation_search');
          const postings = bytes.then((b) => b.postings);
          postings.catch(() => {});
          // FREEZE (the table is this transaction's own): its pages are marked all-visible as they are written, so
          // that searches read the postings by index-only scans from the commit on, without waiting for a VACUUM
          send('copy rasd_fts_postings_load from stdin with (format binary, freeze)', postings, 'recommendation_search');
        },
      };

      return {
        writer,
        async finish() {
          await settle();
          if (unchecked) await checkReferences(trx, TABLES);
          if (nextId > firstId) await sql`select setval(pg_get_serial_sequence('recommendation_search', 'search_rowid'), ${nextId - 1})`.execute(trx);
          // The key is built over the loaded postings in one sort (bottom-up, page after page) instead of taking
          // millions of inserts, then the loaded table takes the place of the empty one. Only now is the old table
          // locked (ACCESS EXCLUSIVE, by the drop): a search meanwhile read the empty register, and one from now on
          // waits for the commit, a few seconds, then reads the new table by its name.
          await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
          await sql`alter table rasd_fts_postings_load add constraint rasd_fts_postings_load_pk primary key (lexeme, search_rowid) include (fa, fb, dl, pa)`.execute(trx);
          await sql`drop table recommendation_fts_postings`.execute(trx);
          await sql`alter table rasd_fts_postings_load rename to recommendation_fts_postings`.execute(trx);
          await sql`alter table recommendation_fts_postings rename constraint rasd_fts_postings_load_pk to recommendation_fts_postings_pk`.execute(trx);
          for (const t of TABLES) await sql.raw(`alter table ${t} enable trigger user`).execute(trx);
          // the postings changed without their trigger: their content version moves (migration 042)
          await sql`insert into recommendation_fts_versions(n) values (1)`.execute(trx);
          // naming no table (every table's readers count it) and this transaction (migration 043)
          await sql`select pg_notify('rasd_changes', ' ' || pg_current_xact_id()::text)`.execute(trx);
          await sql`analyze recommendations, recommendation_terms, recommendation_search, recommendation_fts_postings, documents`.execute(trx);
        },
      };
    },
  };
}
