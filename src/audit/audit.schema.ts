import { z } from 'zod';

/*
 * The audit log's answers, as the routes declare them (the OpenAPI document and the web app's generated types come
 * from these; Fastify serialises with them: src/server/response-serializer.ts).
 */

/** An entry of a record's audit history. `before`/`after`: the JSON the change recorded (an object of the changed fields), or null. */
export const auditEntrySchema = z.object({
  /** an integer; PostgreSQL's bigint may arrive as its text */
  id: z.union([z.number(), z.string()]),
  at: z.string(),
  actor_id: z.string().nullable(),
  actor_name: z.string().nullable(),
  action: z.string(),
  subject_type: z.string(),
  subject_id: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

/** A page of the audit viewer. */
export const auditPageSchema = z.object({
  items: z.array(auditEntrySchema.extend({ actor_email: z.string().nullable() })),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
