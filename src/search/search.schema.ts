import { z } from 'zod';

export const idParams = z.object({ id: z.string().min(1).max(100) });

export const similarQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const createViewBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** the recommendations list's query string, e.g. "q=torture&body=CAT" */
    query: z.string().max(4000),
  })
  .strict();

/* The answers (src/server/response-serializer.ts). */
export const savedViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** the list's query string without "?" */
  query: z.string(),
  created_at: z.string(),
});
export const savedViewListSchema = z.object({ items: z.array(savedViewSchema) });

/** GET /api/recommendations/:id/similar: the most similar recommendations, best first. */
export const similarListSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      /** 0..1 */
      score: z.number(),
      paragraph: z.string().nullable(),
      text_ar: z.string().nullable(),
      text_en: z.string().nullable(),
      text_fr: z.string().nullable(),
      status: z.string(),
      cluster_id: z.string().nullable(),
      document_symbol: z.string(),
      upr_cycle: z.number().nullable(),
      body_code: z.string(),
      mechanism_code: z.string(),
    }),
  ),
});
