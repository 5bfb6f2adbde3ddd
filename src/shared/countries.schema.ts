import { z } from 'zod';

/** A country or state in both languages, from the ISO list (the name as the source wrote it when unknown): countries.ts's CountryName as answered. */
export const countryNameSchema = z.object({ name: z.string(), code: z.string().nullable(), ar: z.string(), en: z.string() });
