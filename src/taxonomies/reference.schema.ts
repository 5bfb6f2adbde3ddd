import { z } from 'zod';

/** GET /api/reference: the lists the web app labels codes with (declared: the web's types are generated from it). */
export const referenceSchema = z.object({
  statuses: z.array(z.object({ code: z.string(), label_ar: z.string(), label_en: z.string(), color: z.string(), sort: z.number() })),
  mechanisms: z.array(z.object({ id: z.string(), code: z.string(), name_ar: z.string(), name_en: z.string(), sort: z.number() })),
  bodies: z.array(z.object({ id: z.string(), code: z.string(), mechanism_id: z.string(), name_ar: z.string(), name_en: z.string(), sort: z.number() })),
});

/* A taxonomy's terms, as its routes answer them (src/server/response-serializer.ts). */
const TERM_KIND = z.enum(['theme', 'affected_person', 'sdg_goal', 'sdg_target', 'tag']);

export const termRowSchema = z.object({
  id: z.string(),
  kind: TERM_KIND,
  code: z.string(),
  label_ar: z.string().nullable(),
  label_en: z.string().nullable(),
  parent_id: z.string().nullable(),
  sort: z.number(),
  created_at: z.string(),
});

/** A term in its taxonomy's list, with how many recommendations carry it. */
export const taxonomyListSchema = z.object({ items: z.array(termRowSchema.omit({ created_at: true }).extend({ usage: z.number() })) });
