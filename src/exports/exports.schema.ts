import { z } from 'zod';
import { listFiltersSchema } from '../recommendations/index.ts';
import { MATRIX_LANGS } from './matrix-labels.ts';

/** The list's own filters, search and sort (as `GET /api/recommendations`), plus the file's format and language. */
export const matrixQuerySchema = listFiltersSchema.extend({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  lang: z.enum(MATRIX_LANGS).default('ar'),
});
export type MatrixQuery = z.infer<typeof matrixQuerySchema>;
