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
