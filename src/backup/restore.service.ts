import { createHash } from 'node:crypto';
import { type FileStorage, putInDatabase } from '../files/file-store.ts';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Kysely } from 'kysely';
import type { Database } from '../db/create-db.ts';
import type { TableInfo } from '../db/dialect/types.ts';
import { MIGRATION_NAMES, migrateToLatest, migrationState } from '../db/migrate.ts';
import { AppError, conflict } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { corrupt, openArchive, readText, type Archive } from './archive.ts';
import { MANIFEST_NAME, manifestSchema, type Manifest } from './manifest.ts';
import { insertBatch, loadOrder, orderSelfReferences, RowsDigest, SEEDED_TABLES, type Portable } from './tables.ts';

export type RestoreProgress = (phase: 'verify' | 'load', done: number, total: number) => Promise<void> | void;

export interface RestoreResult {
  engine_from: 'sqlite' | 'postgres';
  engine_to: 'sqlite' | 'postgres';
  schema_version: string;
  created_at: string;
  tables: number;
  rows: number;
  files: number;
  /** tables that held rows before a forced restore replaced them */
  replaced: string[];
}

/** Reads and checks the manifest of a backup archive. */
export async function readManifest(archive: Archive): Promise<Manifest> {
  if (!archive.names.includes(MANIFEST_NAME)) throw corrupt('The archive has no manifest.json: it is not a Rasd backup.');
  let raw: unknown;
  try {
    raw = JSON.parse(await readText(archive, MANIFEST_NAME, 64 * 1024 * 1024));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw corrupt('The backup manifest is not valid JSON.');
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw corrupt(`The backup manifest is not valid: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim());
  const m = parsed.data;
  const listed = new Set(Object.keys(m.members));
  for (const name of [...m.tables.map((t) => t.member), ...m.files.map((f) => f.member), ...(m.native ? [m.native.member] : [])]) {
    if (!listed.has(name)) throw corrupt(`The manifest does not give the checksum of ${name}.`);
  }
  const inArchive = new Set(archive.names.filter((n) => n !== MANIFEST_NAME && !n.endsWith('/')));
  for (const name of listed) if (!inArchive.has(name)) throw corrupt(`The archive lacks ${name}, which its manifest lists.`);
  for (const name of inArchive) if (!listed.has(name)) throw corrupt(`The archive holds ${name}, which its manifest does not list.`);
  return m;
}

/** Tables (other than the reference lists migrations fill) that hold rows. */
async function tablesWithRows(db: Kysely<any>, tables: TableInfo[]): Promise<string[]> {
  const out: string[] = [];
  for (const t of tables) {
    if (SEEDED_TABLES.includes(t.name)) continue;
    const row = await db.selectFrom(t.name).select((eb) => eb.lit(1).as('one')).limit(1).executeTakeFirst();
    if (row) out.push(t.name);
  }
  return out;
}

/**
 * Restores a backup archive (createBackup) into this database, on either engine, all or nothing:
 * 1. the manifest is read and every member's size and sha256 checked (evidence and import files are unpacked
 *    into a staging folder under DATA_DIR meanwhile) before anything is written; a damaged archive is refused
 *    with `backup_corrupt`;
 * 2. a database holding data is refused (`restore_target_not_empty`) unless `force`;
 * 3. the database is migrated to the backup's schema version (a backup made by a newer version is refused);
 * 4. in one transaction every table is emptied and loaded in foreign-key order, each table's row count and
 *    digest compared with the manifest (a mismatch rolls everything back), generated keys moved on, and import
 *    runs pointed at their files under this DATA_DIR;
 * 5. after the commit the files move into DATA_DIR, and later migrations (if any) run.
 * The full-text index follows the loaded rows by the engine's own triggers (FTS5 / postings).
 */
export async function restoreBackup(
  database: Database,
  opts: { file: string; dataDir: string; force?: boolean; progress?: RestoreProgress; fileStorage?: FileStorage },
): Promise<RestoreResult> {
  const { db, dialect } = database;
  const engine = dialect.engine;
  const archive = await openArchive(opts.file);
  const stage = path.join(opts.dataDir, `.restore-${newId().slice(0, 8)}`);
  try {
    const m = await readManifest(archive);
    const backupIndex = MIGRATION_NAMES.indexOf(m.schema_version);
    if (backupIndex < 0) {
      throw new AppError(422, 'backup_schema_unknown', `The backup's schema (${m.schema_version}) is newer than this version of Rasd knows: upgrade Rasd first.`);
    }
    const state = await migrationState(db, engine);
    const lastApplied = state.applied.length ? MIGRATION_NAMES.indexOf(state.applied[state.applied.length - 1]!) : -1;
    if (lastApplied > backupIndex) {
      throw new AppError(
        422,
        'backup_schema_older',
        `This database is already at a newer schema (${state.applied[state.applied.length - 1]}) than the backup (${m.schema_version}): restore into a new, empty database; the restore migrates it.`,
      );
    }
    const existing = state.applied.length ? await tablesWithRows(db, await dialect.backup.tables(db)) : [];
    if (existing.length && !opts.force) {
      throw conflict('restore_target_not_empty', `The database is not empty (${existing.slice(0, 5).join(', ')}${existing.length > 5 ? '…' : ''}); restore with --force to replace everything in it.`, { tables: existing });
    }

    // 1. every member's checksum, files unpacked into the staging folder
    const names = Object.keys(m.members);
    const stagedFiles = new Map(m.files.map((f) => [f.member, path.join(stage, f.member)]));
    fs.mkdirSync(stage, { recursive: true, mode: 0o700 });
    for (const [i, name] of names.entries()) {
      await opts.progress?.('verify', i, names.length);
      await verifyMember(archive, name, m.members[name]!, stagedFiles.get(name));
    }
    await opts.progress?.('verify', names.length, names.length);

    // 2. the schema as of the backup
    await migrateToLatest(db, engine, m.schema_version);
    const targetTables = new Map((await dialect.backup.tables(db)).map((t) => [t.name, t]));
    for (const t of m.tables) {
      const target = targetTables.get(t.name);
      const same = target && target.columns.length === t.columns.length && t.columns.every((c) => target.columns.includes(c));
      if (!same) throw new AppError(422, 'backup_schema_mismatch', `Table ${t.name} of the backup does not match this database's table of the same schema version.`);
    }
    const inBackup = new Map(m.tables.map((t) => [t.name, t]));
    const order = loadOrder([...targetTables.values()]);
    let rows = 0;
    let loaded = 0;
    const inDatabase = new Set<string>();
    await db.transaction().execute(async (trx) => {
      for (const t of [...order].reverse()) await (trx as unknown as Kysely<any>).deleteFrom(t.name).execute();
      for (const target of order) {
        const t = inBackup.get(target.name);
        if (!t) continue;
        await opts.progress?.('load', loaded++, m.tables.length);
        const table: TableInfo = { ...target, columns: t.columns };
        const digest = new RowsDigest(t.columns);
        const selfRef = table.references.some((r) => r.table === table.name);
        const batch = insertBatch(t.columns.length);
        let pending: Portable[][] = [];
        for await (const row of memberRows(archive, t.member, t.columns.length)) {
          digest.add(row);
          pending.push(row);
          if (!selfRef && pending.length >= batch) {
            await dialect.backup.insertRows(trx, table, pending);
            pending = [];
          }
        }
        if (selfRef) pending = orderSelfReferences(table, pending);
        for (let i = 0; i < pending.length; i += batch) await dialect.backup.insertRows(trx, table, pending.slice(i, i + batch));
        if (digest.count !== t.rows || digest.hex() !== t.digest) {
          throw corrupt(`The rows of ${t.name} do not match the manifest (${digest.count} rows, ${t.rows} expected).`);
        }
        rows += digest.count;
      }
      await dialect.backup.afterLoad(trx, order.filter((t) => inBackup.has(t.name)));
      // evidence files, attachments and import uploads into the database (FILE_STORAGE=database), in this same
      // transaction: all or nothing
      if (opts.fileStorage === 'database' && targetTables.has('files')) {
        for (const f of m.files) {
          const bytes = fs.readFileSync(stagedFiles.get(f.member)!);
          await putInDatabase(trx, { id: f.name, kind: f.kind, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
          inDatabase.add(f.member);
        }
      }
      if (inBackup.has('import_runs')) {
        for (const f of m.files.filter((x) => x.kind === 'import')) {
          await trx
            .updateTable('import_runs')
            .set({ stored_path: path.join(opts.dataDir, 'imports', f.name) })
            .where('stored_path', '=', path.join(m.data_dir, 'imports', f.name))
            .execute();
        }
      }
    });
    await opts.progress?.('load', m.tables.length, m.tables.length);

    // 3. the files, once the rows that refer to them are committed
    for (const f of m.files) {
      if (inDatabase.has(f.member)) continue;
      const dir = path.join(opts.dataDir, f.kind === 'evidence' ? 'evidence' : 'imports');
      fs.mkdirSync(dir, { recursive: true, mode: 0o750 });
      fs.renameSync(stagedFiles.get(f.member)!, path.join(dir, f.name));
    }
    await migrateToLatest(db, engine);
    return {
      engine_from: m.engine,
      engine_to: engine,
      schema_version: m.schema_version,
      created_at: m.created_at,
      tables: m.tables.length,
      rows,
      files: m.files.length,
      replaced: existing,
    };
  } finally {
    archive.close();
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

async function verifyMember(archive: Archive, name: string, expected: { size: number; sha256: string }, extractTo: string | undefined): Promise<void> {
  if (archive.size(name) !== expected.size) throw corrupt(`${name}: its size differs from the manifest's.`, { member: name });
  const hash = createHash('sha256');
  let size = 0;
  let out: fs.WriteStream | null = null;
  if (extractTo) {
    fs.mkdirSync(path.dirname(extractTo), { recursive: true, mode: 0o700 });
    out = fs.createWriteStream(extractTo, { mode: 0o640 });
  }
  try {
    for await (const chunk of (await archive.open(name)) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (out && !out.write(chunk)) await new Promise<void>((resolve) => out!.once('drain', resolve));
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw corrupt(`${name}: cannot be read from the archive (${(err as Error).message}).`, { member: name });
  } finally {
    if (out) await new Promise<void>((resolve) => out!.end(resolve));
  }
  if (size !== expected.size || hash.digest('hex') !== expected.sha256) throw corrupt(`${name}: its checksum differs from the manifest's; the backup is damaged.`, { member: name });
}

async function* memberRows(archive: Archive, name: string, width: number): AsyncGenerator<Portable[]> {
  const lines = readline.createInterface({ input: await archive.open(name), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw corrupt(`${name} line ${n} is not valid JSON.`);
    }
    if (!Array.isArray(row) || row.length !== width || !row.every((v) => v === null || typeof v === 'string' || typeof v === 'number')) {
      throw corrupt(`${name} line ${n} does not hold ${width} values.`);
    }
    yield row as Portable[];
  }
}
