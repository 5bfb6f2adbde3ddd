import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { nowIso } from '../shared/ids.ts';

/**
 * Where uploaded files (evidence, consultation attachments, pending import uploads) are kept (issue 14, several
 * instances), chosen by FILE_STORAGE:
 * - `database`: in the `files` table, split into `file_chunks` of CHUNK_BYTES, written in the same transaction as
 *   the row that refers to them (a file and its record commit together or not at all) and read back chunk by chunk
 *   (never the whole file in memory). Every instance on one database reaches every file. The default on PostgreSQL.
 * - `disk`: under DATA_DIR/evidence/<id> (one machine, or a shared mount). The default on SQLite.
 * Reading looks in the database first and then on disk, whatever the setting: files stored before a change of
 * FILE_STORAGE (or restored from an older backup) stay reachable.
 */
export type FileStorage = 'database' | 'disk';
/**
 * What a stored file is: `evidence` (progress-update evidence and consultation attachments, DATA_DIR/evidence) or
 * `import` (an uploaded import file kept while its preview may be committed, DATA_DIR/imports).
 */
export type FileKind = 'evidence' | 'import';
const FOLDERS: Record<FileKind, string> = { evidence: 'evidence', import: 'imports' };

/** Where a capability writes its files: the database, or under DATA_DIR (chosen by FILE_STORAGE). */
export interface FilePlace {
  dataDir: string;
  fileStorage: FileStorage;
}
export const CHUNK_BYTES = 1024 * 1024;
/** The tables that hold stored files: a backup carries their contents as files, not as rows. */
export const FILE_TABLES: readonly string[] = ['files', 'file_chunks'];

export const diskPath = (dataDir: string, kind: FileKind, id: string) => path.join(dataDir, FOLDERS[kind], id);

export interface StoredFile {
  id: string;
  kind: FileKind;
  bytes: Buffer;
  sha256: string;
}

/** Writes a file's bytes into the database, inside the caller's transaction. */
export async function putInDatabase(trx: Kysely<DB>, file: StoredFile): Promise<void> {
  await trx.insertInto('files').values({ id: file.id, kind: file.kind, size: file.bytes.length, sha256: file.sha256, created_at: nowIso() }).execute();
  for (let seq = 0, at = 0; at < file.bytes.length || seq === 0; seq++, at += CHUNK_BYTES) {
    await trx.insertInto('file_chunks').values({ file_id: file.id, seq, data: file.bytes.subarray(at, at + CHUNK_BYTES) }).execute();
  }
}

/** Writes a file under DATA_DIR (before the row that refers to it commits; `discardOnDisk` if that fails). */
export function putOnDisk(dataDir: string, file: StoredFile): void {
  const dir = path.join(dataDir, FOLDERS[file.kind]);
  fs.mkdirSync(dir, { recursive: true, mode: 0o750 });
  fs.writeFileSync(diskPath(dataDir, file.kind, file.id), file.bytes, { flag: 'wx', mode: 0o640 });
}

export const discardOnDisk = (dataDir: string, kind: FileKind, id: string) => fs.rmSync(diskPath(dataDir, kind, id), { force: true });

/** Deletes stored files from the database (inside the caller's transaction; the chunks go with them). */
export async function removeFromDatabase(trx: Kysely<DB>, ids: string[]): Promise<void> {
  if (ids.length) await trx.deleteFrom('files').where('id', 'in', ids).execute();
}

/** A stream of a stored file's bytes (database first, then disk), or null when it is in neither. */
export async function openStored(db: Kysely<DB>, dataDir: string, kind: FileKind, id: string): Promise<Readable | null> {
  const row = await db.selectFrom('files').select(['id']).where('id', '=', id).executeTakeFirst();
  if (row) return chunkStream(db, id);
  const file = diskPath(dataDir, kind, id);
  return fs.existsSync(file) ? fs.createReadStream(file) : null;
}

/** Reads one chunk per query, as the reader asks for more. */
export function chunkStream(db: Kysely<DB>, id: string): Readable {
  let seq = 0;
  return new Readable({
    async read() {
      try {
        const chunk = await db.selectFrom('file_chunks').select('data').where('file_id', '=', id).where('seq', '=', seq).executeTakeFirst();
        seq += 1;
        this.push(chunk ? Buffer.from(chunk.data) : null);
      } catch (err) {
        this.destroy(err as Error);
      }
    },
  });
}

/** Whether a file is stored in the database. */
export async function inDatabase(db: Kysely<DB>, id: string): Promise<boolean> {
  return (await db.selectFrom('files').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Copies a file stored in the database to a path (backups, an import's parser), chunk by chunk; false when it is not there. */
export async function copyFromDatabase(db: Kysely<DB>, id: string, to: string): Promise<boolean> {
  const row = await db.selectFrom('files').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) return false;
  const fd = fs.openSync(to, 'w', 0o600);
  try {
    for (let seq = 0; ; seq++) {
      const chunk = await db.selectFrom('file_chunks').select('data').where('file_id', '=', id).where('seq', '=', seq).executeTakeFirst();
      if (!chunk) break;
      fs.writeSync(fd, Buffer.from(chunk.data));
    }
  } finally {
    fs.closeSync(fd);
  }
  return true;
}
