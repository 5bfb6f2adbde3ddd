import { z } from 'zod';

const term = z.string().trim().min(1).max(300);

export const glossaryListQuery = z.object({
  q: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type GlossaryListQuery = z.infer<typeof glossaryListQuery>;

export const glossaryEntryBody = z.object({ term_ar: term, term_en: term, note: z.string().trim().max(1000).nullable().optional() }).strict();
export type GlossaryEntryInput = z.infer<typeof glossaryEntryBody>;

export const glossaryPatchBody = z
  .object({ version: z.number().int().min(1), term_ar: term.optional(), term_en: term.optional(), note: z.string().trim().max(1000).nullable().optional() })
  .strict();
export type GlossaryPatch = z.infer<typeof glossaryPatchBody>;

export const idParams = z.object({ id: z.string().min(1).max(100) });
export const versionQuery = z.object({ version: z.coerce.number().int().min(1) });
export const importQuery = z.object({
  /** merge (default): add the file's pairs that are new; replace: the glossary becomes exactly the file */
  mode: z.enum(['merge', 'replace']).default('merge'),
  dryRun: z.enum(['true', 'false']).default('false'),
});

/* The answers (src/server/response-serializer.ts). */
export const glossaryEntrySchema = z.object({
  id: z.string(),
  term_ar: z.string(),
  term_en: z.string(),
  note: z.string().nullable(),
  version: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
});
export const glossaryPageSchema = z.object({ items: z.array(glossaryEntrySchema), total: z.number(), page: z.number(), pageSize: z.number() });
export const glossaryImportResultSchema = z.object({
  dryRun: z.boolean(),
  mode: z.enum(['merge', 'replace']),
  rows: z.number(),
  added: z.number(),
  unchanged: z.number(),
  removed: z.number(),
});
