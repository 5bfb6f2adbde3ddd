import { z } from 'zod';
import { listFiltersSchema } from '../recommendations/index.ts';

export const PLAN_STATUSES = ['draft', 'consultation', 'adopted', 'archived'] as const;
export const ACTION_STATUSES = ['not_started', 'on_track', 'delayed', 'completed', 'cancelled'] as const;
export const BUDGET_SOURCES = ['state_budget', 'partner', 'none'] as const;
export const PRIORITIES = ['high', 'medium', 'low'] as const;
export const INDICATOR_TYPES = ['structure', 'process', 'outcome'] as const;
export const FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual', 'biennial', 'once'] as const;
export const DISAGGREGATIONS = ['sex', 'age', 'nationality', 'disability'] as const;

const id = z.string().min(1).max(100);
const title = z.string().trim().min(1).max(500);
const longText = z.string().max(20_000).nullable().optional();
const code = z.string().trim().min(1).max(40).regex(/^[\p{L}\p{N}._-]+$/u, 'letters, digits, ".", "_" or "-"');
/** a decimal number, sent as a number or as text ("12.5") */
const decimal = z
  .union([z.number().finite(), z.string().trim().regex(/^-?\d{1,15}(\.\d{1,6})?$/, 'a decimal number')])
  .transform((v) => String(Number(v)));
const year = z.number().int().min(1900).max(2200);
const version = z.number().int().min(1);

export const idParams = z.object({ id });
export const versionQuery = z.object({ version: z.coerce.number().int().min(1) });

export const createPlanSchema = z
  .object({ title_ar: title, title_en: title, period_start: z.iso.date(), period_end: z.iso.date() })
  .strict();
export type CreatePlanInput = z.infer<typeof createPlanSchema>;
export const patchPlanSchema = z
  .object({ version, title_ar: title.optional(), title_en: title.optional(), period_start: z.iso.date().optional(), period_end: z.iso.date().optional() })
  .strict();
export type PatchPlanInput = z.infer<typeof patchPlanSchema>;
export const planStatusSchema = z.object({ version, status: z.enum(PLAN_STATUSES) }).strict();
/** Publish (true) or withdraw (false) an adopted plan version on the public portal. */
export const planPublicationSchema = z.object({ version, published: z.boolean() }).strict();
export type PlanPublicationInput = z.infer<typeof planPublicationSchema>;

export const createPillarSchema = z.object({ code, title_ar: title, title_en: title, sort: z.number().int().min(0).max(10_000).optional() }).strict();
export type CreatePillarInput = z.infer<typeof createPillarSchema>;
export const patchPillarSchema = z
  .object({ version, code: code.optional(), title_ar: title.optional(), title_en: title.optional(), sort: z.number().int().min(0).max(10_000).optional() })
  .strict();
export type PatchPillarInput = z.infer<typeof patchPillarSchema>;
/** objectives have the same fields as pillars */
export const createObjectiveSchema = createPillarSchema;
export const patchObjectiveSchema = patchPillarSchema;

const actionFields = {
  code,
  title_ar: title,
  title_en: title,
  description_ar: longText,
  description_en: longText,
  lead_entity_id: id.nullable().optional(),
  partner_entity_ids: z.array(id).max(100).optional(),
  start_date: z.iso.date().nullable().optional(),
  end_date: z.iso.date().nullable().optional(),
  budget_amount: decimal.nullable().optional(),
  budget_currency: z.string().trim().regex(/^[A-Z]{3}$/, 'an ISO 4217 code').nullable().optional(),
  budget_source: z.enum(BUDGET_SOURCES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  recommendation_ids: z.array(id).max(2000).optional(),
  cluster_ids: z.array(id).max(500).optional(),
  sdg_target_ids: z.array(id).max(200).optional(),
  sort: z.number().int().min(0).max(100_000).optional(),
};
export const createActionSchema = z.object(actionFields).strict();
export type CreateActionInput = z.infer<typeof createActionSchema>;
export const patchActionSchema = z.object(actionFields).partial().extend({ version, objective_id: id.optional() }).strict();
export type PatchActionInput = z.infer<typeof patchActionSchema>;
export const fromClusterSchema = z.object({ objective_id: id, cluster_id: id, code: code.optional() }).strict();
export type FromClusterInput = z.infer<typeof fromClusterSchema>;

const indicatorFields = {
  /** unique within the plan; left out on creation: "<action or objective code>-<n>" */
  code: code.optional(),
  name_ar: title,
  name_en: title,
  type: z.enum(INDICATOR_TYPES),
  unit: z.string().trim().max(60).nullable().optional(),
  baseline_value: decimal.nullable().optional(),
  baseline_year: year.nullable().optional(),
  target_value: decimal.nullable().optional(),
  target_year: year.nullable().optional(),
  data_source: z.string().trim().max(1000).nullable().optional(),
  frequency: z.enum(FREQUENCIES).optional(),
  reporting_entity_id: id.nullable().optional(),
  disaggregation: z.array(z.enum(DISAGGREGATIONS)).max(4).optional(),
  sort: z.number().int().min(0).max(100_000).optional(),
};
export const createIndicatorSchema = z.object(indicatorFields).strict();
export type CreateIndicatorInput = z.infer<typeof createIndicatorSchema>;
export const patchIndicatorSchema = z.object(indicatorFields).partial().extend({ version }).strict();
export type PatchIndicatorInput = z.infer<typeof patchIndicatorSchema>;

/**
 * The register's list filters (`q` and every facet, as `GET /api/recommendations`; `document` also takes document
 * ids, `cluster` cluster ids), and the page of the unanswered list.
 */
export const coverageQuery = listFiltersSchema.extend({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type CoverageQuery = z.infer<typeof coverageQuery>;

export const exportQuery = z.object({ format: z.enum(['docx', 'xlsx']).default('docx'), lang: z.enum(['ar', 'en']).default('ar') });
export const importQuery = z.object({
  dryRun: z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1'),
  /** the draft plan to update in place (else the plan the workbook's Plan sheet names, else a new draft) */
  planId: id.optional(),
});
export const compareQuery = z.object({ with: id });
