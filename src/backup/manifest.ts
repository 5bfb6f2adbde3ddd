import { z } from 'zod';

/** The archive's layout version: a restore refuses another one. */
export const BACKUP_FORMAT = 'rasd-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_NAME = 'manifest.json';

const member = z.object({ size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
/** one plain name, no folder, no "." or "..", no control character */
const PLAIN_NAME = '(?!\\.\\.?$)[^/\\\\\\u0000-\\u001f]+';
const safeName = z.string().regex(new RegExp(`^${PLAIN_NAME}$`, 'u'));
const safeMember = z.string().regex(new RegExp(`^(data|native|files/evidence|files/imports)/${PLAIN_NAME}$`, 'u'));

/** `manifest.json`, the first member of every backup archive. */
export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  format_version: z.literal(BACKUP_FORMAT_VERSION),
  app_version: z.string(),
  created_at: z.string(),
  engine: z.enum(['sqlite', 'postgres']),
  /** the last migration applied to the database backed up */
  schema_version: z.string(),
  migrations: z.array(z.string()),
  /** DATA_DIR of the instance backed up (import files' stored paths point into it) */
  data_dir: z.string(),
  /** in load order: every table's foreign keys point at tables before it */
  tables: z.array(
    z.object({
      name: z.string().regex(/^[a-z_][a-z0-9_]*$/),
      member: safeMember,
      columns: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(1),
      rows: z.number().int().min(0),
      /** order-independent sha256 sum of the rows (tables.ts RowsDigest) */
      digest: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
  files: z.array(
    z.object({
      kind: z.enum(['evidence', 'import']),
      /** evidence: stored_name; import: the file's name under DATA_DIR/imports */
      name: safeName,
      member: safeMember,
    }),
  ),
  /** files the database refers to that were gone when the backup copied them */
  missing_files: z.array(z.object({ kind: z.enum(['evidence', 'import']), name: z.string() })),
  native: z.object({ member: safeMember, format: z.string() }).nullable(),
  native_note: z.string().nullable(),
  /** every other member of the archive, with its size and sha256 */
  members: z.record(safeMember, member),
});
export type Manifest = z.infer<typeof manifestSchema>;
