import { z } from 'zod';

/*
 * The entities' answers, as the routes declare them (the OpenAPI document and the web app's generated types come
 * from these; Fastify serialises with them: src/server/response-serializer.ts).
 */
export const entitySchema = z.object({
  id: z.string(),
  code: z.string(),
  name_ar: z.string(),
  name_en: z.string(),
  parent_id: z.string().nullable(),
  archived_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
});
export const entityListSchema = z.object({ items: z.array(entitySchema) });
export const entityImportResultSchema = z.object({ created: z.number(), updated: z.number(), unchanged: z.number() });
