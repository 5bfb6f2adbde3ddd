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
