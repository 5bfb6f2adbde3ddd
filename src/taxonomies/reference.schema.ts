import { z } from 'zod';

/** GET /api/reference: the lists the web app labels codes with (declared: the web's types are generated from it). */
export const referenceSchema = z.object({
  statuses: z.array(z.object({ code: z.string(), label_ar: z.string(), label_en: z.string(), color: z.string(), sort: z.number() })),
  mechanisms: z.array(z.object({ id: z.string(), code: z.string(), name_ar: z.string(), name_en: z.string(), sort: z.number() })),
  bodies: z.array(z.object({ id: z.string(), code: z.string(), mechanism_id: z.string(), name_ar: z.string(), name_en: z.string(), sort: z.number() })),
});
