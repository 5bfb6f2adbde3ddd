import { z } from 'zod';
import { auditEntrySchema } from '../audit/index.ts';
import { countryNameSchema } from '../shared/countries.schema.ts';

export const FACETS = ['mechanism', 'body', 'document', 'cycle', 'position', 'kind', 'status', 'theme', 'affected', 'sdg', 'year', 'cluster', 'entity'] as const;
export type FacetName = (typeof FACETS)[number];

/**
 * A facet filter: the parameter repeated once per value (`theme=a&theme=b`), each value whole (a theme's name
 * may hold commas). The older comma-separated form (`theme=a,b`) is still read: the register splits a value
 * it does not know at its commas (`RegisterSnapshot.selectedValues`).
 */
const csv = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .describe('Repeat the parameter once per value (theme=a&theme=b); each value is taken whole. A comma-separated list (theme=a,b) is also read.')
  .transform((v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean)));

export const listQuerySchema = z.object({
  q: z.string().max(500).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
  /** default: relevance when `q` holds searchable words, else date */
  sort: z.enum(['relevance', 'paragraph', 'updated', 'status', 'date']).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  /** '0': search only the words typed, without the glossary's alternatives (default: expanded) */
  expand: z.enum(['0', '1']).optional(),
  mechanism: csv,
  body: csv,
  document: csv,
  cycle: csv,
  position: csv,
  kind: csv,
  status: csv,
  theme: csv,
  affected: csv,
  sdg: csv,
  year: csv,
  cluster: csv,
  entity: csv,
});
export type ListQuery = z.infer<typeof listQuerySchema>;
/** The list's filters and sort without paging (what an export of the list takes). */
export const listFiltersSchema = listQuerySchema.omit({ page: true, pageSize: true });
export type ListFilters = z.infer<typeof listFiltersSchema>;

export const LANGS = ['ar', 'en', 'fr'] as const;

export const updateSchema = z
  .object({
    version: z.number().int().min(1),
    text_ar: z.string().max(20_000).nullable().optional(),
    text_en: z.string().max(20_000).nullable().optional(),
    text_fr: z.string().max(20_000).nullable().optional(),
    kind: z.enum(['recommendation', 'observation', 'pledge']).optional(),
    position: z.enum(['supported', 'noted', 'partially_supported']).nullable().optional(),
    status: z.string().max(60).optional(),
    statusReason: z.string().max(2000).optional(),
    priority: z.enum(['high', 'medium', 'low']).nullable().optional(),
    notes: z.string().max(20_000).nullable().optional(),
    is_public: z.boolean().optional(),
    follow_up: z.boolean().optional(),
    due_date: z.iso.date().nullable().optional(),
  })
  .strict();
export type UpdateInput = z.infer<typeof updateSchema>;

/*
 * The answers, as the routes declare them: the OpenAPI document and the web app's generated types come from these,
 * and Fastify serialises with them (a property missing here would be dropped from the answer; under test it fails:
 * src/server/response-serializer.ts).
 */
const KIND = z.enum(['recommendation', 'observation', 'pledge']);
const POSITION = z.enum(['supported', 'noted', 'partially_supported']);
const PRIORITY = z.enum(['high', 'medium', 'low']);

export const highlightSegmentSchema = z.object({ text: z.string(), match: z.boolean() });

export const facetValueSchema = z.object({
  value: z.string(),
  count: z.number(),
  label_ar: z.string().nullable().optional(),
  label_en: z.string().nullable().optional(),
});


export const recommendationListItemSchema = z.object({
  id: z.string(),
  paragraph: z.string().nullable(),
  text_ar: z.string().nullable(),
  text_en: z.string().nullable(),
  text_fr: z.string().nullable(),
  kind: KIND,
  position: POSITION.nullable(),
  status: z.string(),
  recommending_states: z.array(z.string()),
  version: z.number(),
  updated_at: z.string(),
  document_symbol: z.string().nullable(),
  document_date: z.string().nullable(),
  upr_cycle: z.number().nullable(),
  body_code: z.string().nullable(),
  mechanism_code: z.string().nullable(),
  cluster_id: z.string().nullable(),
  /** with a text search: each language's text cut into segments, the matched words flagged */
  highlights: z.partialRecord(z.enum(LANGS), z.array(highlightSegmentSchema)).optional(),
});

export const searchExpansionSchema = z.object({
  applied: z.boolean(),
  groups: z.array(z.object({ matched: z.string(), alternatives: z.array(z.string()) })),
});

export const recommendationListSchema = z.object({
  items: z.array(recommendationListItemSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** the order used: relevance by default when q holds searchable words */
  sort: z.enum(['relevance', 'paragraph', 'updated', 'status', 'date']),
  facets: z.partialRecord(z.enum(FACETS), z.array(facetValueSchema)),
  /** what the glossary added to the search (null without search words) */
  expansion: searchExpansionSchema.nullable(),
  /** the facet filters as applied, one entry per value */
  selected: z.partialRecord(z.enum(FACETS), z.array(z.string())),
});

export const termSchema = z.object({
  id: z.string(),
  kind: z.enum(['theme', 'affected_person', 'sdg_goal', 'sdg_target', 'tag']),
  code: z.string(),
  label_ar: z.string().nullable(),
  label_en: z.string().nullable(),
});

export const statusChangeSchema = z.object({
  id: z.string(),
  from_status: z.string().nullable(),
  to_status: z.string(),
  reason: z.string().nullable(),
  /** a change the system made, as a code rendered in the reader's language (arabic.statusReason.*) */
  reason_code: z.string().nullable(),
  reason_params: z.record(z.string(), z.string()).nullable(),
  changed_at: z.string(),
  changed_by_name: z.string().nullable(),
});

export const recommendationDetailSchema = z.object({
  id: z.string(),
  document_id: z.string(),
  paragraph: z.string().nullable(),
  external_id: z.string(),
  external_source: z.string().nullable(),
  original_lang: z.string().nullable(),
  text_ar: z.string().nullable(),
  text_en: z.string().nullable(),
  text_fr: z.string().nullable(),
  kind: KIND,
  position: POSITION.nullable(),
  position_source: z.string().nullable(),
  recommending_states: z.array(z.string()),
  recommending_state_names: z.array(countryNameSchema),
  status: z.string(),
  priority: PRIORITY.nullable(),
  is_public: z.boolean(),
  follow_up: z.boolean(),
  due_date: z.string().nullable(),
  notes: z.string().nullable(),
  cluster_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
  document_symbol: z.string().nullable(),
  document_type: z.string().nullable(),
  document_date: z.string().nullable(),
  upr_cycle: z.number().nullable(),
  upr_session: z.number().nullable(),
  country: z.string().nullable(),
  country_name: countryNameSchema.nullable(),
  document_url: z.string().nullable(),
  body_code: z.string().nullable(),
  body_name_ar: z.string().nullable(),
  body_name_en: z.string().nullable(),
  mechanism_code: z.string().nullable(),
  mechanism_name_ar: z.string().nullable(),
  mechanism_name_en: z.string().nullable(),
  terms: z.array(termSchema),
  statusHistory: z.array(statusChangeSchema),
  history: z.array(auditEntrySchema),
});

/** The curation's answer: the new version, and whether anything changed. */
export const curationResultSchema = z.object({ id: z.string(), version: z.number(), changed: z.boolean() });

/** PUT /api/recommendations/:id/terms: the recommendation's new version. */
export const termsSetSchema = z.object({ id: z.string(), version: z.number() });

/** POST /api/recommendations/bulk: how many were selected and how many of them changed. */
export const bulkResultSchema = z.object({ selected: z.number(), changed: z.number() });

/** One side of a candidate pair of duplicates (a record from one source). */
const pairSideSchema = z.object({
  id: z.string(),
  externalId: z.string(),
  paragraph: z.string().nullable(),
  symbol: z.string(),
  country: z.string().nullable(),
  /** the English text, else the Arabic, else the French */
  text: z.string().nullable(),
  textLang: z.enum(LANGS).nullable(),
  recommendingStates: z.array(z.string()),
  status: z.string(),
  version: z.number(),
});

export const duplicateCandidatesSchema = z.object({
  /** candidate pairs in all (the items are the best `limit`) */
  total: z.number(),
  items: z.array(z.object({ similarity: z.number(), a: pairSideSchema, b: pairSideSchema })),
});

export const mergeResultSchema = z.object({ mergeId: z.string(), survivorId: z.string(), survivorVersion: z.number() });

export const mergeListSchema = z.object({
  items: z.array(
    z.object({
      /** the merge (undone with /api/recommendations/merges/:id/unmerge) */
      id: z.string(),
      createdAt: z.string(),
      /** the record merged into this one */
      merged: z.object({ id: z.string(), externalId: z.string(), paragraph: z.string().nullable(), text: z.string().nullable(), recommendingStates: z.array(z.string()) }),
    }),
  ),
});

export const unmergeResultSchema = z.object({ survivorId: z.string(), restoredId: z.string() });
