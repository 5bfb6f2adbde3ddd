import { z } from 'zod';
import { FACETS, facetValueSchema, listFiltersSchema } from '../recommendations/index.ts';

type FacetName = (typeof FACETS)[number];

export const PLAN_STATUSES = ['draft', 'consultation', 'adopted', 'archived'] as const;
export const ACTION_STATUSES = ['not_started', 'on_track', 'delayed', 'completed', 'cancelled'] as const;
export const BUDGET_SOURCES = ['state_budget', 'partner', 'none'] as const;
export const PRIORITIES = ['high', 'medium', 'low'] as const;
export const INDICATOR_TYPES = ['structure', 'process', 'outcome'] as const;
export const FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual', 'biennial', 'once'] as const;
export const DISAGGREGATIONS = ['sex', 'age', 'nationality', 'disability'] as const;
export type Disaggregation = (typeof DISAGGREGATIONS)[number];

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

/*
 * The answers, as the routes declare them (the OpenAPI document and the web app's generated types come from these;
 * Fastify serialises with them: src/server/response-serializer.ts).
 */
const POSITIONS = ['supported', 'noted', 'partially_supported'] as const;
const UPDATE_STATUSES = ['draft', 'submitted', 'returned', 'approved'] as const;
/** a share of done work in percent (0..100), null when nothing can be measured */
const progress = z.number().nullable();

/** A plan version's own columns. */
export const planRowSchema = z.object({
  id: z.string(),
  /** the first version's id: every version of one plan shares it */
  lineage_id: z.string(),
  version_number: z.number(),
  previous_id: z.string().nullable(),
  title_ar: z.string(),
  title_en: z.string(),
  period_start: z.string(),
  period_end: z.string(),
  status: z.enum(PLAN_STATUSES),
  adopted_at: z.string().nullable(),
  adopted_by: z.string().nullable(),
  /** set while this (adopted) version is shown on the public portal */
  published_at: z.string().nullable(),
  published_by: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
});

export const planCountsSchema = z.object({ pillars: z.number(), objectives: z.number(), actions: z.number(), indicators: z.number(), recommendations: z.number() });

/** GET /api/plans: every version, newest first, with counts and overall progress. */
export const planListSchema = z.object({
  items: z.array(
    planRowSchema
      .pick({ id: true, title_ar: true, title_en: true, status: true, version_number: true, lineage_id: true, period_start: true, period_end: true, adopted_at: true, published_at: true, version: true, updated_at: true })
      .extend({ counts: planCountsSchema, progress }),
  ),
});

export const pillarRowSchema = z.object({
  id: z.string(),
  plan_id: z.string(),
  code: z.string(),
  title_ar: z.string(),
  title_en: z.string(),
  sort: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
});
export const objectiveRowSchema = pillarRowSchema.extend({ pillar_id: z.string() });

export const actionRowSchema = z.object({
  id: z.string(),
  plan_id: z.string(),
  objective_id: z.string(),
  code: z.string(),
  title_ar: z.string(),
  title_en: z.string(),
  description_ar: z.string().nullable(),
  description_en: z.string().nullable(),
  lead_entity_id: z.string().nullable(),
  start_date: z.string().nullable(),
  end_date: z.string().nullable(),
  /** decimal text */
  budget_amount: z.string().nullable(),
  budget_currency: z.string().nullable(),
  budget_source: z.enum(BUDGET_SOURCES),
  priority: z.enum(PRIORITIES),
  status: z.enum(ACTION_STATUSES),
  sort: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
});
/** One action with the ids it links (GET, PATCH /api/plan-actions/:id and the routes that add one). */
export const planActionSchema = actionRowSchema.extend({
  partner_entity_ids: z.array(z.string()),
  recommendation_ids: z.array(z.string()),
  cluster_ids: z.array(z.string()),
  sdg_target_ids: z.array(z.string()),
});

/** An indicator's own columns, its disaggregation read as a list. */
export const indicatorSchema = z.object({
  id: z.string(),
  plan_id: z.string(),
  action_id: z.string().nullable(),
  objective_id: z.string().nullable(),
  code: z.string().nullable(),
  name_ar: z.string(),
  name_en: z.string(),
  type: z.enum(INDICATOR_TYPES),
  unit: z.string().nullable(),
  /** decimal text */
  baseline_value: z.string().nullable(),
  baseline_year: z.number().nullable(),
  /** decimal text */
  target_value: z.string().nullable(),
  target_year: z.number().nullable(),
  data_source: z.string().nullable(),
  frequency: z.enum(FREQUENCIES),
  reporting_entity_id: z.string().nullable(),
  disaggregation: z.array(z.enum(DISAGGREGATIONS)),
  sort: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
});

/** GET /api/plan-indicators/:id/values: the indicator and the values this user may read, newest first. */
export const indicatorValuesSchema = z.object({
  indicator: indicatorSchema,
  items: z.array(
    z.object({
      id: z.string(),
      update_id: z.string(),
      indicator_id: z.string(),
      date: z.string(),
      /** decimal text */
      value: z.string(),
      source: z.string().nullable(),
      note: z.string().nullable(),
      /** the entity of the progress update that carries the value, its workflow status and review */
      entity_id: z.string(),
      status: z.enum(UPDATE_STATUSES),
      reviewed_at: z.string().nullable(),
      review_comment: z.string().nullable(),
    }),
  ),
});

/** An indicator on the plan page: with its reporting entity, latest approved value and attainment. */
const pageIndicatorSchema = indicatorSchema.extend({
  reporting_code: z.string().nullable(),
  reporting_name_ar: z.string().nullable(),
  reporting_name_en: z.string().nullable(),
  latest: z.object({ date: z.string(), value: z.string() }).nullable(),
  /** percent of the way from baseline to target */
  attainment: z.number().nullable(),
  /** percent expected by now (linear from the baseline year to the target year) */
  expected: z.number().nullable(),
  off_track: z.boolean(),
  approved_values: z.number(),
  submitted_values: z.number(),
});
const pageActionSchema = actionRowSchema.extend({
  lead_code: z.string().nullable(),
  lead_name_ar: z.string().nullable(),
  lead_name_en: z.string().nullable(),
  partners: z.array(z.object({ id: z.string(), code: z.string(), name_ar: z.string(), name_en: z.string() })),
  recommendations: z.array(z.object({ id: z.string(), paragraph: z.string().nullable(), position: z.enum(POSITIONS).nullable(), symbol: z.string() })),
  clusters: z.array(z.object({ id: z.string(), title_ar: z.string().nullable(), title_en: z.string().nullable() })),
  sdg_targets: z.array(z.object({ id: z.string(), code: z.string(), label_ar: z.string().nullable(), label_en: z.string().nullable() })),
  indicators: z.array(pageIndicatorSchema),
  progress,
  overdue: z.boolean(),
});
/** budget per currency code (cancelled actions left out) */
const budgetSchema = z.record(z.string(), z.number());

/** GET /api/plans/:id: pillars → objectives → actions with links and indicators, progress at every level, the dashboard. */
export const planPageSchema = planRowSchema.extend({
  editable: z.boolean(),
  versions: z.array(z.object({ id: z.string(), version_number: z.number(), status: z.enum(PLAN_STATUSES), adopted_at: z.string().nullable(), created_at: z.string() })),
  pillars: z.array(
    pillarRowSchema.extend({
      objectives: z.array(objectiveRowSchema.extend({ indicators: z.array(pageIndicatorSchema), actions: z.array(pageActionSchema), progress })),
      progress,
      budget: budgetSchema,
      action_count: z.number(),
    }),
  ),
  progress,
  counts: planCountsSchema,
  dashboard: z.object({
    pillars: z.array(z.object({ id: z.string(), code: z.string(), title_ar: z.string(), title_en: z.string(), progress, actions: z.number(), budget: budgetSchema })),
    entities: z.array(
      z.object({ entity_id: z.string().nullable(), code: z.string().nullable(), name_ar: z.string().nullable(), name_en: z.string().nullable(), actions: z.number(), delayed: z.number(), progress }),
    ),
    delayed: z.array(
      z.object({
        id: z.string(),
        code: z.string(),
        title_ar: z.string(),
        title_en: z.string(),
        status: z.enum(ACTION_STATUSES),
        end_date: z.string().nullable(),
        overdue: z.boolean(),
        lead_entity_id: z.string().nullable(),
      }),
    ),
    off_track: z.array(
      z.object({
        id: z.string(),
        name_ar: z.string(),
        name_en: z.string(),
        attainment: z.number().nullable(),
        expected: z.number().nullable(),
        action_id: z.string().nullable(),
        objective_id: z.string().nullable(),
      }),
    ),
  }),
});

const answeredCount = z.object({ total: z.number(), answered: z.number(), unanswered: z.number() });
/** GET /api/plans/:id/coverage. */
export const coverageSchema = z.object({
  plan: planRowSchema.pick({ id: true, title_ar: true, title_en: true, status: true }),
  /** the selection as applied: the text search and each facet's values */
  filters: z.object({ q: z.string().nullable() }).extend(Object.fromEntries(FACETS.map((f) => [f, z.array(z.string())])) as Record<FacetName, z.ZodArray<z.ZodString>>),
  recommendations: answeredCount.extend({ percent: z.number().nullable() }),
  clusters: answeredCount,
  /** per position ("none" without one) */
  by_position: z.record(z.string(), z.object({ total: z.number(), answered: z.number() })),
  unanswered: z.object({
    total: z.number(),
    page: z.number(),
    pageSize: z.number(),
    /** facet counts of the unanswered ones (each facet ignoring its own filter) */
    facets: z.partialRecord(z.enum(FACETS), z.array(facetValueSchema)),
    items: z.array(
      z.object({
        id: z.string(),
        paragraph: z.string().nullable(),
        symbol: z.string(),
        body: z.string(),
        position: z.enum(POSITIONS).nullable(),
        cluster_id: z.string().nullable(),
        text_ar: z.string().nullable(),
        text_en: z.string().nullable(),
        status: z.string().nullable(),
      }),
    ),
  }),
});

/** a field's earlier and later value: text, a number, a list of codes or ids, or null */
const changeValue = z.union([z.string(), z.number(), z.array(z.string()), z.null()]);
const fieldChange = z.object({ field: z.string(), from: changeValue, to: changeValue });
const actionBrief = z.object({ code: z.string(), title_ar: z.string(), title_en: z.string() });
const addedRemoved = z.object({ added: z.array(z.string()), removed: z.array(z.string()) });
const versionRef = z.object({ id: z.string(), version_number: z.number(), status: z.enum(PLAN_STATUSES) });
/** GET /api/plans/:id/compare: what changed from the older version (`from`) to this one (`to`). */
export const planCompareSchema = z.object({
  from: versionRef,
  to: versionRef,
  pillars: addedRemoved,
  objectives: addedRemoved,
  actions: z.object({ added: z.array(actionBrief), removed: z.array(actionBrief), changed: z.array(actionBrief.extend({ fields: z.array(fieldChange) })) }),
  targets: z.object({
    added: z.array(z.object({ owner: z.string(), name_ar: z.string(), name_en: z.string(), target_value: z.string().nullable(), unit: z.string().nullable() })),
    removed: z.array(z.object({ owner: z.string(), name_ar: z.string(), name_en: z.string() })),
    changed: z.array(z.object({ owner: z.string(), name_ar: z.string(), name_en: z.string(), fields: z.array(fieldChange) })),
  }),
});

const importLevel = z.object({ added: z.array(z.string()), changed: z.array(z.object({ code: z.string(), fields: z.array(z.string()) })), removed: z.array(z.string()) });
/** POST /api/plans/import: what the workbook adds, changes and removes (a dry run writes nothing). */
export const planImportResultSchema = z.object({
  dryRun: z.boolean(),
  /** create: a new draft plan; update: the draft the workbook (or ?planId) names, changed in place */
  mode: z.enum(['create', 'update']),
  plan: z.object({ id: z.string() }).nullable(),
  counts: z.object({ pillars: z.number(), objectives: z.number(), actions: z.number(), indicators: z.number() }),
  changes: z.object({ pillars: importLevel, objectives: importLevel, actions: importLevel, indicators: importLevel }),
});
