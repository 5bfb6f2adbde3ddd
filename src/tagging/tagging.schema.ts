import { z } from 'zod';
import { TAG_KINDS } from './labels.ts';

export const idParams = z.object({ id: z.string().min(1).max(100) });

export const queueQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
  /** 0..1 */
  minConfidence: z.coerce.number().min(0).max(1).default(0),
  kind: z.enum(TAG_KINDS).optional(),
  document: z.string().min(1).max(100).optional(),
});
export type QueueQuery = z.infer<typeof queueQuery>;

export const acceptBody = z.object({ version: z.number().int().min(1) }).strict();

export const acceptAboveBody = z
  .object({
    recommendationIds: z.array(z.string().min(1).max(100)).min(1).max(5000),
    minConfidence: z.number().min(0).max(1),
    kinds: z.array(z.enum(TAG_KINDS)).max(4).optional(),
  })
  .strict();
export type AcceptAboveInput = z.infer<typeof acceptAboveBody>;

export const suggestBody = z.object({ texts: z.array(z.string().max(20_000)).min(1).max(200) }).strict();

/*
 * The answers of the tagging routes, as the routes declare them (the OpenAPI document and the web app's generated
 * types come from these; Fastify serialises with them: src/server/response-serializer.ts).
 */
const modelSeen = z.object({ trained_at: z.string(), docs: z.number() });

/** A suggested term, with the model's confidence (0..1). */
const suggestedTerm = {
  term_id: z.string(),
  kind: z.enum(TAG_KINDS),
  code: z.string(),
  label_ar: z.string().nullable(),
  label_en: z.string().nullable(),
  /** 0..1 */
  confidence: z.number(),
};
/** A stored, pending suggestion (decided with /api/tagging/suggestions/:id/...). */
const suggestionSchema = z.object({ id: z.string(), ...suggestedTerm });

export const taggerStatusSchema = z.object({
  /** the model in use; null before the first training */
  model: z
    .object({
      id: z.string(),
      trained_at: z.string(),
      docs: z.number(),
      /** labels learnt, all kinds together */
      labels: z.number(),
      /** as stored with the model: labels learnt per kind (read as stored, so a kind may be missing) and the seed examples */
      stats: z.object({ labels: z.partialRecord(z.enum(TAG_KINDS), z.number()), seeds: z.number() }),
    })
    .nullable(),
  pending: z.object({ recommendations: z.number(), suggestions: z.number() }),
  /** the last training job; null when none ran */
  lastJob: z.object({ id: z.string(), status: z.enum(['queued', 'running', 'succeeded', 'failed']), created_at: z.string() }).nullable(),
});

export const tagQueueSchema = z.object({
  /** recommendations with pending suggestions at or above the confidence */
  total: z.number(),
  suggestions: z.number(),
  documents: z.array(z.object({ id: z.string(), symbol: z.string(), recommendations: z.number() })),
  items: z.array(
    z.object({
      id: z.string(),
      paragraph: z.string().nullable(),
      text_ar: z.string().nullable(),
      text_en: z.string().nullable(),
      version: z.number(),
      document_id: z.string(),
      document_symbol: z.string(),
      suggestions: z.array(suggestionSchema),
    }),
  ),
});

export const textSuggestionsSchema = z.object({
  /** null when no model is trained yet (every item is then empty) */
  model: modelSeen.nullable(),
  /** per text given, in order */
  items: z.array(z.array(z.object(suggestedTerm))),
});

export const recommendationSuggestionsSchema = z.object({ version: z.number(), model: modelSeen.nullable(), items: z.array(suggestionSchema) });

export const suggestionAcceptedSchema = z.object({
  /** the recommendation, with its new version */
  id: z.string(),
  version: z.number(),
});

export const suggestionRejectedSchema = z.object({ ok: z.boolean() });

export const acceptedAboveSchema = z.object({ selected: z.number(), recommendations: z.number(), accepted: z.number() });
