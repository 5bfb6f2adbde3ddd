import { z } from 'zod';
import { countryNameSchema } from '../shared/countries.schema.ts';

/*
 * The documents' answers, as the routes declare them (the OpenAPI document and the web app's generated types come
 * from these; Fastify serialises with them: src/server/response-serializer.ts).
 */
export const documentItemSchema = z.object({
  id: z.string(),
  symbol: z.string(),
  type: z.string().nullable(),
  date: z.string().nullable(),
  country: z.string().nullable(),
  upr_cycle: z.number().nullable(),
  upr_session: z.number().nullable(),
  url: z.string().nullable(),
  body_code: z.string(),
  body_name_ar: z.string(),
  body_name_en: z.string(),
  mechanism_code: z.string(),
  /** how many recommendations it holds */
  recommendations: z.number(),
});
export const documentListSchema = z.object({ items: z.array(documentItemSchema), total: z.number() });

export const documentDetailSchema = documentItemSchema.extend({
  country_name: countryNameSchema.nullable(),
  byStatus: z.array(z.object({ status: z.string(), count: z.number() })),
});
