import { z } from 'zod';

const id = z.string().min(1).max(100);

export const assignBodySchema = z
  .object({
    recommendationIds: z.array(id).min(1).max(2000).optional(),
    clusterId: id.optional(),
    entityId: id,
    role: z.enum(['lead', 'supporting']).default('lead'),
    dueDate: z.iso.date().nullable().optional(),
  })
  .strict()
  .refine((b) => (b.recommendationIds ? 1 : 0) + (b.clusterId ? 1 : 0) === 1, {
    message: 'Send either recommendationIds or clusterId.',
    path: ['recommendationIds'],
  });
export type AssignInput = z.infer<typeof assignBodySchema>;

const bool = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'));

export const listAssignmentsQuery = z.object({
  entity: id.optional(),
  recommendation: id.optional(),
  cluster: id.optional(),
  /** due on or before this date */
  due: z.iso.date().optional(),
  overdue: bool,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListAssignmentsQuery = z.infer<typeof listAssignmentsQuery>;

export const idParams = z.object({ id });
export const workspaceQuery = z.object({ entity: id.optional() });

/*
 * The answers, as the routes declare them (the OpenAPI document and the web app's generated types come from these;
 * Fastify serialises with them: src/server/response-serializer.ts).
 */
export const UPDATE_STATUSES = ['draft', 'submitted', 'returned', 'approved'] as const;
export const ACTION_STATUSES = ['not_started', 'on_track', 'delayed', 'completed', 'cancelled'] as const;

export const assignmentSchema = z.object({
  id: z.string(),
  recommendation_id: z.string().nullable(),
  cluster_id: z.string().nullable(),
  entity_id: z.string(),
  role: z.enum(['lead', 'supporting']),
  due_date: z.string().nullable(),
  /** when the current due date was set: an update approved since then answers it */
  due_set_at: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  entity_code: z.string(),
  entity_name_ar: z.string(),
  entity_name_en: z.string(),
  paragraph: z.string().nullable(),
  text_ar: z.string().nullable(),
  text_en: z.string().nullable(),
  recommendation_status: z.string().nullable(),
  document_symbol: z.string().nullable(),
  answered: z.boolean(),
  overdue: z.boolean(),
});

export const assignmentListSchema = z.object({ items: z.array(assignmentSchema), total: z.number(), page: z.number(), pageSize: z.number() });

export const assignResultSchema = z.object({ created: z.number(), updated: z.number(), ids: z.array(z.string()) });

/** What an update in a list reports on, when it is a plan action. */
const actionRef = {
  action_id: z.string().nullable(),
  action_code: z.string().nullable(),
  action_title_ar: z.string().nullable(),
  action_title_en: z.string().nullable(),
  proposed_action_status: z.enum(ACTION_STATUSES).nullable(),
};

export const workItemSchema = z.object({
  id: z.string(),
  assignment_id: z.string().nullable(),
  ...actionRef,
  status: z.enum(UPDATE_STATUSES),
  period_start: z.string().nullable(),
  period_end: z.string().nullable(),
  proposed_status: z.string().nullable(),
  review_comment: z.string().nullable(),
  version: z.number(),
  updated_at: z.string(),
});

export const reviewItemSchema = z.object({
  id: z.string(),
  assignment_id: z.string().nullable(),
  action_plan_id: z.string().nullable(),
  ...actionRef,
  entity_id: z.string(),
  entity_name_ar: z.string(),
  entity_name_en: z.string(),
  submitted_at: z.string().nullable(),
  proposed_status: z.string().nullable(),
  version: z.number(),
});

export const workspaceSchema = z.object({
  entity: z.object({ id: z.string(), code: z.string(), name_ar: z.string(), name_en: z.string() }).nullable(),
  assignments: z.array(assignmentSchema),
  dueSoon: z.array(assignmentSchema),
  overdue: z.array(assignmentSchema),
  drafts: z.array(workItemSchema),
  awaitingReview: z.array(reviewItemSchema),
});
