import { z } from 'zod';
import type { ActionStatus } from '../db/schema.ts';

export const MEASURE_TYPES = ['legislation', 'policy', 'programme', 'institution', 'training', 'budget', 'other'] as const;

/** A measure type's name in each language (the matrix and the compiled reports use it; the web app has its own). */
export const MEASURE_TYPE_NAMES: Record<(typeof MEASURE_TYPES)[number], { ar: string; en: string }> = {
  legislation: { ar: 'تشريع', en: 'Legislation' },
  policy: { ar: 'سياسة', en: 'Policy' },
  programme: { ar: 'برنامج', en: 'Programme' },
  institution: { ar: 'مؤسسة', en: 'Institution' },
  training: { ar: 'تدريب', en: 'Training' },
  budget: { ar: 'ميزانية', en: 'Budget' },
  other: { ar: 'أخرى', en: 'Other' },
};

const text = z.string().max(50_000).nullable().optional();
const measure = z
  .object({
    type: z.enum(MEASURE_TYPES),
    description_ar: z.string().max(10_000).nullable().optional(),
    description_en: z.string().max(10_000).nullable().optional(),
  })
  .strict();
const indicator = z
  .object({ name: z.string().min(1).max(500), value: z.union([z.string().min(1).max(200), z.number()]), unit: z.string().max(100).nullable().optional() })
  .strict();

/** An action update reports the action's status (plan_actions.status), applied when the update is approved. */
export const ACTION_STATUSES = ['not_started', 'on_track', 'delayed', 'completed', 'cancelled'] as const satisfies readonly ActionStatus[];
/** A value of one of the action's indicators (or of its objective's), a decimal number sent as a number or as text. */
const planValue = z
  .object({
    indicator_id: z.string().min(1).max(100),
    date: z.iso.date(),
    value: z.union([z.number().finite(), z.string().trim().regex(/^-?\d{1,15}(\.\d{1,6})?$/, 'a decimal number')]).transform((v) => String(Number(v))),
    source: z.string().trim().max(1000).nullable().optional(),
    note: z.string().trim().max(5000).nullable().optional(),
  })
  .strict();
export type PlanValueInput = z.infer<typeof planValue>;

const fields = {
  period_start: z.iso.date().nullable().optional(),
  period_end: z.iso.date().nullable().optional(),
  text_ar: text,
  text_en: text,
  proposed_status: z.string().max(60).nullable().optional(),
  measures: z.array(measure).max(200).optional(),
  indicators: z.array(indicator).max(200).optional(),
  /** action updates only */
  proposed_action_status: z.enum(ACTION_STATUSES).nullable().optional(),
  /** action updates only: values of the plan's indicators */
  values: z.array(planValue).max(200).optional(),
};

export const createUpdateSchema = z.object(fields).strict();
export type CreateUpdateInput = z.infer<typeof createUpdateSchema>;

export const patchUpdateSchema = z.object({ version: z.number().int().min(1), ...fields }).strict();
export type PatchUpdateInput = z.infer<typeof patchUpdateSchema>;

export const transitionSchema = z.object({ version: z.number().int().min(1).optional() }).strict();
export const returnSchema = z.object({ version: z.number().int().min(1).optional(), comment: z.string().trim().min(1).max(10_000) }).strict();
export const approveSchema = z.object({ version: z.number().int().min(1).optional(), comment: z.string().trim().max(10_000).optional() }).strict();

/** Show an approved update on the public portal, or take it back. */
export const publicSchema = z.object({ version: z.number().int().min(1), public: z.boolean() }).strict();

export const idParams = z.object({ id: z.string().min(1).max(100) });

/*
 * The answers, as the routes declare them (the OpenAPI document and the web app's generated types come from these;
 * Fastify serialises with them: src/server/response-serializer.ts).
 */
export const UPDATE_STATUSES = ['draft', 'submitted', 'returned', 'approved'] as const;

/** A progress update's own columns (`is_public` is 0 or 1). */
export const progressUpdateRowSchema = z.object({
  id: z.string(),
  /** an update reports on an assignment (a recommendation or cluster) or on a plan action: exactly one is set */
  assignment_id: z.string().nullable(),
  action_id: z.string().nullable(),
  entity_id: z.string(),
  author_id: z.string().nullable(),
  period_start: z.string().nullable(),
  period_end: z.string().nullable(),
  text_ar: z.string().nullable(),
  text_en: z.string().nullable(),
  proposed_status: z.string().nullable(),
  proposed_action_status: z.enum(ACTION_STATUSES).nullable(),
  status: z.enum(UPDATE_STATUSES),
  review_comment: z.string().nullable(),
  reviewed_by: z.string().nullable(),
  reviewed_at: z.string().nullable(),
  submitted_by: z.string().nullable(),
  submitted_at: z.string().nullable(),
  version: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  /** shown on the public portal: 1, else 0 */
  is_public: z.number(),
});

export const updateListSchema = z.object({ items: z.array(progressUpdateRowSchema) });

export const evidenceSchema = z.object({
  id: z.string(),
  update_id: z.string().optional(),
  original_name: z.string(),
  mime: z.string(),
  size: z.number(),
  sha256: z.string(),
  uploaded_by: z.string().nullable(),
  created_at: z.string(),
});

export const progressUpdateSchema = progressUpdateRowSchema.extend({
  measures: z.array(z.object({ id: z.string(), type: z.enum(MEASURE_TYPES), description_ar: z.string().nullable(), description_en: z.string().nullable() })),
  indicators: z.array(z.object({ id: z.string(), name: z.string(), value: z.string(), unit: z.string().nullable() })),
  evidence: z.array(evidenceSchema),
  /** values of plan indicators reported in an update on a plan action */
  values: z.array(
    z.object({
      id: z.string(),
      indicator_id: z.string(),
      date: z.string(),
      value: z.string(),
      source: z.string().nullable(),
      note: z.string().nullable(),
      name_ar: z.string(),
      name_en: z.string(),
      unit: z.string().nullable(),
    }),
  ),
  /** the plan action it reports on (null for an assignment's update) */
  action: z
    .object({
      id: z.string(),
      plan_id: z.string(),
      objective_id: z.string(),
      code: z.string(),
      title_ar: z.string(),
      title_en: z.string(),
      status: z.enum(ACTION_STATUSES),
      lead_entity_id: z.string().nullable(),
      version: z.number(),
      plan_status: z.enum(['draft', 'consultation', 'adopted', 'archived']),
      plan_title_ar: z.string(),
      plan_title_en: z.string(),
    })
    .nullable(),
  /** the indicators an update on this action may report */
  reportable_indicators: z.array(
    z.object({
      id: z.string(),
      action_id: z.string().nullable(),
      objective_id: z.string().nullable(),
      name_ar: z.string(),
      name_en: z.string(),
      type: z.enum(['structure', 'process', 'outcome']),
      unit: z.string().nullable(),
      baseline_value: z.string().nullable(),
      target_value: z.string().nullable(),
      target_year: z.number().nullable(),
    }),
  ),
});

/** After a transition: the update, the recommendations whose status approving it changed, and whether it changed the action's. */
export const transitionResultSchema = progressUpdateSchema.extend({ statusChanged: z.array(z.string()), actionStatusChanged: z.boolean() });
