import { z } from 'zod';

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
