import { z } from 'zod';

export const idParams = z.object({ id: z.string().min(1).max(100) });
export const memberParams = z.object({ id: z.string().min(1).max(100), recommendationId: z.string().min(1).max(100) });

export const listClustersQuery = z.object({
  status: z.enum(['suggested', 'accepted']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListClustersQuery = z.infer<typeof listClustersQuery>;

export const suggestBody = z
  .object({
    /** limit to the recommendations of this country's documents (documents.country); default: the whole register */
    country: z.string().trim().min(1).max(200).optional(),
    threshold: z.number().min(0.2).max(0.95).optional(),
  })
  .strict()
  .default({});
export type SuggestInput = z.infer<typeof suggestBody>;

const title = z.string().trim().min(1).max(500).nullable().optional();

export const versionBody = z.object({ version: z.number().int().min(1).optional() }).strict().default({});

export const renameBody = z
  .object({ version: z.number().int().min(1), title_ar: title, title_en: title })
  .strict()
  .refine((b) => b.title_ar !== undefined || b.title_en !== undefined, { message: 'Give title_ar and/or title_en.' });
export type RenameInput = z.infer<typeof renameBody>;

export const mergeBody = z
  .object({ ids: z.array(z.string().min(1).max(100)).min(2).max(100), title_ar: title, title_en: title })
  .strict();
export type MergeInput = z.infer<typeof mergeBody>;

export const splitBody = z
  .object({
    recommendationIds: z.array(z.string().min(1).max(100)).min(1).max(1000),
    version: z.number().int().min(1).optional(),
    title_ar: title,
    title_en: title,
  })
  .strict();
export type SplitInput = z.infer<typeof splitBody>;

/*
 * The answers of the cluster pages, as the routes declare them (the OpenAPI document and the web app's generated
 * types come from these; Fastify serialises with them: src/server/response-serializer.ts).
 */
const clusterFields = {
  id: z.string(),
  title_ar: z.string().nullable(),
  title_en: z.string().nullable(),
  status: z.enum(['suggested', 'accepted']),
  /** mean pairwise similarity when suggested, in percent (0..100) */
  similarity_pct: z.number().nullable(),
  version: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  member_count: z.number(),
  /** members per status code */
  statuses: z.record(z.string(), z.number()),
};

export const clusterListSchema = z.object({ items: z.array(z.object(clusterFields)), total: z.number(), page: z.number(), pageSize: z.number() });

export const clusterDetailSchema = z.object({
  ...clusterFields,
  /** the suggestion job that proposed it (null when made by hand) */
  job_id: z.string().nullable(),
  created_by: z.string().nullable(),
  members: z.array(
    z.object({
      id: z.string(),
      paragraph: z.string().nullable(),
      text_ar: z.string().nullable(),
      text_en: z.string().nullable(),
      text_fr: z.string().nullable(),
      kind: z.enum(['recommendation', 'observation', 'pledge']),
      position: z.enum(['supported', 'noted', 'partially_supported']).nullable(),
      status: z.string(),
      recommending_states: z.array(z.string()),
      version: z.number(),
      document_symbol: z.string(),
      document_date: z.string().nullable(),
      upr_cycle: z.number().nullable(),
      body_code: z.string(),
      mechanism_code: z.string(),
    }),
  ),
});

/** The answers of the cluster curation routes. */
export const clusterAcceptedSchema = z.object({ id: z.string(), version: z.number(), status: z.enum(['suggested', 'accepted']) });
export const clusterRenamedSchema = z.object({ id: z.string(), version: z.number(), title_ar: z.string().nullable(), title_en: z.string().nullable() });
export const clusterMergedSchema = z.object({
  /** the surviving cluster */
  id: z.string(),
  version: z.number(),
  /** the clusters merged into it (deleted) */
  merged: z.array(z.string()),
  /** recommendations moved into the surviving cluster */
  moved: z.number(),
});
export const clusterSplitSchema = z.object({
  id: z.string(),
  version: z.number(),
  newCluster: z.object({
    id: z.string(),
    title_ar: z.string().nullable(),
    title_en: z.string().nullable(),
    status: z.enum(['suggested', 'accepted']),
    job_id: z.string().nullable(),
    similarity_pct: z.number().nullable(),
    created_by: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    version: z.number(),
    member_count: z.number(),
  }),
});
export const memberRemovedSchema = z.object({
  id: z.string(),
  /** true when the last member left and the cluster was deleted */
  dissolved: z.boolean(),
  /** members left */
  members: z.number(),
});
