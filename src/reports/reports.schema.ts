import { z } from 'zod';
import { LIMIT_KINDS } from './word-count.ts';

const id = z.string().min(1).max(100);
const version = z.number().int().min(1);

export const createReportSchema = z
  .object({
    obligationId: id,
    /** treaty reports: one section per concluding-observation paragraph (default) or per article of the treaty */
    structure: z.enum(['by_paragraph', 'by_article']).optional(),
    limitKind: z.enum(LIMIT_KINDS as [string, ...string[]]).nullable().optional(),
    title_ar: z.string().trim().max(500).nullable().optional(),
    title_en: z.string().trim().max(500).nullable().optional(),
  })
  .strict();
export type CreateReportInput = z.infer<typeof createReportSchema>;

export const patchReportSchema = z
  .object({
    version,
    limitKind: z.enum(LIMIT_KINDS as [string, ...string[]]).nullable().optional(),
    title_ar: z.string().trim().max(500).nullable().optional(),
    title_en: z.string().trim().max(500).nullable().optional(),
  })
  .strict();
export type PatchReportInput = z.infer<typeof patchReportSchema>;

export const editSectionSchema = z
  .object({
    version,
    text_ar: z.string().max(200_000).optional(),
    text_en: z.string().max(200_000).optional(),
  })
  .strict();
export type EditSectionInput = z.infer<typeof editSectionSchema>;

export const articlesSchema = z
  .object({
    version,
    /** each recommendation the report covers → the article it is reported under (null: not assigned) */
    assignments: z
      .array(z.object({ recommendationId: id, article: z.string().trim().min(1).max(10).nullable() }).strict())
      .min(1)
      .max(5000),
  })
  .strict();
export type ArticlesInput = z.infer<typeof articlesSchema>;

export const sectionActionSchema = z.object({ version, lang: z.enum(['ar', 'en', 'both']).default('both') }).strict();
export const commentSchema = z.object({ sectionId: id, body: z.string().trim().min(1).max(10_000) }).strict();
export const transitionSchema = z.object({ version: version.optional(), comment: z.string().trim().max(10_000).optional() }).strict();
export const submitSchema = z
  .object({
    version: version.optional(),
    /** the UN document symbol given to the report, e.g. A/HRC/WG.6/50/KWT/1 */
    symbol: z.string().trim().max(100).optional(),
    submittedOn: z.iso.date().optional(),
  })
  .strict();
export const listReportsQuery = z.object({ obligation: id.optional(), status: z.enum(['draft', 'in_review', 'approved', 'submitted']).optional() });

export const idParams = z.object({ id });
export const sectionParams = z.object({ id, sectionId: id });
export const commentParams = z.object({ id, commentId: id });
export const exportQuery = z.object({ format: z.enum(['docx', 'pdf']).default('docx'), lang: z.enum(['ar', 'en']).default('ar') });
