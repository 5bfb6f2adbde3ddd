import { z } from 'zod';
import type { JobStatus } from '../db/schema.ts';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const satisfies readonly JobStatus[];

/*
 * The answers, as the routes declare them (the OpenAPI document and the web app's generated types come from these;
 * Fastify serialises with them: src/server/response-serializer.ts).
 */

/** A background job as GET /api/jobs/:id answers it (src/jobs/jobs.service.ts JobView). */
export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  phase: z.string().nullable(),
  progress: z.number(),
  total: z.number(),
  /** 0..100 */
  percent: z.number(),
  params: z.unknown().describe("The job's parameters, as its kind defines them (any JSON)"),
  result: z.unknown().describe("What the finished job returned, as its kind defines it (any JSON), else null"),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
});
