import { z } from 'zod';

/*
 * The answers of the admin page's backup routes, as the routes declare them (the OpenAPI document and the web app's
 * generated types come from these; Fastify serialises with them: src/server/response-serializer.ts).
 */
export const backupStatusSchema = z.object({
  /** BACKUP_DIR, on the server */
  dir: z.string(),
  /** BACKUP_KEEP: archives kept (0: no nightly run) */
  keep: z.number(),
  hour_utc: z.number(),
  nightly: z.boolean(),
  /** the last run that ended; null when none has */
  last: z
    .object({
      job_id: z.string(),
      ok: z.boolean(),
      finished_at: z.string(),
      /** the archive's path on the server */
      file: z.string().nullable(),
      size: z.number().nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
  /** the run in progress; null when none */
  running: z.object({ job_id: z.string(), phase: z.string().nullable(), progress: z.number(), total: z.number() }).nullable(),
  /** the archives in BACKUP_DIR, newest first */
  files: z.array(z.object({ name: z.string(), size: z.number(), modified_at: z.string() })),
});
