import { z } from 'zod';
import { listQuerySchema } from '../recommendations/index.ts';

export const LANGS = ['ar', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** The public list's query: the register list's search, facets, sort and paging (pages of at most 100). */
export const publicListQuerySchema = listQuerySchema.extend({
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type PublicListQuery = z.infer<typeof publicListQuerySchema>;

export const idParams = z.object({ id: z.string().min(1).max(100) });

const facetCount = z.object({ value: z.string(), count: z.number(), label_ar: z.string().nullable().optional(), label_en: z.string().nullable().optional() });

/** What the public sees of a recommendation in a list: a whitelist, nothing internal. */
export const publicItemSchema = z.object({
  id: z.string(),
  paragraph: z.string().nullable(),
  kind: z.string(),
  position: z.string().nullable(),
  status: z.string(),
  text_ar: z.string().nullable(),
  text_en: z.string().nullable(),
  text_fr: z.string().nullable(),
  original_lang: z.string().nullable(),
  document_symbol: z.string(),
  document_date: z.string().nullable(),
  body_code: z.string(),
  mechanism_code: z.string(),
});
export type PublicItem = z.infer<typeof publicItemSchema>;

export const publicListSchema = z.object({
  items: z.array(publicItemSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  facets: z.record(z.string(), z.array(facetCount)),
});

const bilingual = { name_ar: z.string().nullable(), name_en: z.string().nullable() };

export const publicDetailSchema = publicItemSchema.extend({
  recommending_states: z.array(z.string()),
  status_label_ar: z.string().nullable(),
  status_label_en: z.string().nullable(),
  /** when the recommendation reached its current status (or entered the register) */
  status_since: z.string(),
  status_history: z.array(z.object({ status: z.string(), date: z.string() })),
  document_type: z.string(),
  document_url: z.string().nullable(),
  upr_cycle: z.number().nullable(),
  body: z.object(bilingual),
  mechanism: z.object(bilingual),
  terms: z.array(z.object({ kind: z.string(), code: z.string(), label_ar: z.string().nullable(), label_en: z.string().nullable() })),
  cluster: z.object({ id: z.string(), title_ar: z.string().nullable(), title_en: z.string().nullable() }).nullable(),
  entities: z.array(z.object({ ...bilingual, role: z.string() })),
  updates: z.array(
    z.object({
      id: z.string(),
      entity: z.object(bilingual),
      period_start: z.string().nullable(),
      period_end: z.string().nullable(),
      approved_at: z.string().nullable(),
      text_ar: z.string().nullable(),
      text_en: z.string().nullable(),
      measures: z.array(z.object({ type: z.string(), description_ar: z.string().nullable(), description_en: z.string().nullable() })),
      indicators: z.array(z.object({ name: z.string(), value: z.string(), unit: z.string().nullable() })),
    }),
  ),
});
export type PublicDetail = z.infer<typeof publicDetailSchema>;
