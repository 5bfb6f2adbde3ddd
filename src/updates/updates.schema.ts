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
