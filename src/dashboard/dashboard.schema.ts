import { z } from 'zod';
import { assignmentSchema } from '../assignments/index.ts';
import { STATUS_DIMENSIONS } from './followup.service.ts';

/**
 * The dashboard's answers, as the routes declare them (the OpenAPI document and the web app's generated types
 * come from these; Fastify serialises with them, so every field the web reads is listed here).
 */
const counted = z.object({ count: z.number() });

export const homeSummarySchema = z.object({
  counts: z.object({ recommendations: z.number(), documents: z.number(), entities: z.number(), users: z.number() }),
  byStatus: z.array(counted.extend({ code: z.string(), label_ar: z.string(), label_en: z.string(), color: z.string() })),
  byMechanism: z.array(counted.extend({ code: z.string(), name_ar: z.string(), name_en: z.string() })),
  /** the demo setting (its sign-ins), null once removed or never seeded */
  demo: z.unknown(),
});

export const statusBySchema = z.object({
  by: z.enum(STATUS_DIMENSIONS),
  statuses: z.array(z.object({ code: z.string(), label_ar: z.string(), label_en: z.string(), color: z.string() })),
  rows: z.array(
    z.object({
      value: z.string(),
      label_ar: z.string().nullable(),
      label_en: z.string().nullable(),
      /** the register list's filter this row opens */
      filter: z.record(z.string(), z.string()),
      /** per status code */
      counts: z.record(z.string(), z.number()),
      total: z.number(),
    }),
  ),
});

export const trendSchema = z.object({
  months: z.array(
    z.object({
      /** YYYY-MM */
      month: z.string(),
      /** status changes to each status code in the month */
      changes: z.record(z.string(), z.number()),
      total: z.number(),
      approvedUpdates: z.number(),
    }),
  ),
});

export const overdueSchema = z.object({
  today: z.string(),
  total: z.number(),
  byEntity: z.array(
    z.object({
      entity_id: z.string(),
      name_ar: z.string(),
      name_en: z.string(),
      count: z.number(),
      /** the assignments list's filter this row opens */
      filter: z.record(z.string(), z.string()),
    }),
  ),
  items: z.array(assignmentSchema),
});
