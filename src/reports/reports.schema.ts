import { z } from 'zod';
import { OBLIGATION_STATUSES, storedObligationType } from './obligations.schema.ts';
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

/* ---------------- the answers (src/server/response-serializer.ts) ---------------- */

const REPORT_STATUSES = ['draft', 'in_review', 'approved', 'submitted'] as const;
const wordsByLang = z.object({ ar: z.number(), en: z.number() });

/** A section as the editor shows it: its texts, whether each language was edited, its words and what it covers. */
export const reportSectionSchema = z.object({
  id: z.string(),
  report_id: z.string(),
  key: z.string(),
  sort: z.number(),
  heading_ar: z.string(),
  heading_en: z.string(),
  text_ar: z.string(),
  text_en: z.string(),
  compiled_ar: z.string(),
  compiled_en: z.string(),
  /** the newly compiled text of an edited section whose sources changed, waiting to be taken in or left */
  pending_ar: z.string().nullable(),
  pending_en: z.string().nullable(),
  source_hash: z.string(),
  source_changed: z.boolean(),
  updated_by: z.string().nullable(),
  updated_at: z.string(),
  version: z.number(),
  recommendationIds: z.array(z.string()),
  edited: z.object({ ar: z.boolean(), en: z.boolean() }),
  words: wordsByLang,
});

export const reportCommentSchema = z.object({
  id: z.string(),
  section_id: z.string(),
  author_id: z.string().nullable(),
  author_name: z.string().nullable(),
  body: z.string(),
  resolved_by: z.string().nullable(),
  resolved_at: z.string().nullable(),
  created_at: z.string(),
});

const reportRow = z.object({
  id: z.string(),
  obligation_id: z.string(),
  type: storedObligationType,
  limit_kind: z.string().nullable(),
  title_ar: z.string().nullable(),
  title_en: z.string().nullable(),
  status: z.enum(REPORT_STATUSES),
  structure: z.enum(['by_paragraph', 'by_article']).nullable(),
  symbol: z.string().nullable(),
  submitted_on: z.string().nullable(),
  compiled_at: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
});

export const reportSchema = reportRow.extend({
  obligation: z.object({
    id: z.string(),
    type: storedObligationType,
    due_date: z.string(),
    status: z.enum(OBLIGATION_STATUSES),
    owner_id: z.string().nullable(),
    title_ar: z.string().nullable(),
    title_en: z.string().nullable(),
    body_code: z.string(),
    body_name_ar: z.string(),
    body_name_en: z.string(),
  }),
  sections: z.array(reportSectionSchema),
  comments: z.array(reportCommentSchema),
  /** counted the UN way; `excludes` names what the count leaves out */
  words: wordsByLang.extend({ limit: z.number().nullable(), over: z.object({ ar: z.boolean(), en: z.boolean() }), excludes: z.array(z.string()) }),
  openComments: z.number(),
  changedSections: z.number(),
  /** laid out by article: the treaty's articles and the article of each covered recommendation; otherwise null */
  articles: z
    .object({
      treaty: z.object({ code: z.string(), name_ar: z.string(), name_en: z.string() }),
      list: z.array(z.object({ number: z.string(), ar: z.string(), en: z.string() })),
      recommendations: z.array(
        z.object({
          id: z.string(),
          symbol: z.string(),
          paragraph: z.string().nullable(),
          text_ar: z.string().nullable(),
          text_en: z.string().nullable(),
          article: z.string().nullable(),
          suggested: z.boolean(),
        }),
      ),
    })
    .nullable(),
});

/** After compiling again (or assigning articles, which compiles): the report and what the compilation did. */
export const compiledReportSchema = reportSchema.extend({
  compile: z.object({ added: z.number(), updated: z.number(), changed: z.number(), pending: z.number(), removed: z.number(), kept: z.number() }),
});

export const reportListSchema = z.object({
  items: z.array(
    reportRow
      .pick({ id: true, type: true, obligation_id: true, title_ar: true, title_en: true, status: true, limit_kind: true, symbol: true, submitted_on: true, compiled_at: true, updated_at: true, version: true })
      .extend({ due_date: z.string(), body_code: z.string(), wordLimit: z.number().nullable() }),
  ),
});

export const sectionHistorySchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      version: z.number(),
      text_ar: z.string(),
      text_en: z.string(),
      reason: z.enum(['compile', 'edit', 'accept']),
      changed_by: z.string().nullable(),
      changed_by_name: z.string().nullable(),
      changed_at: z.string(),
      words: wordsByLang,
    }),
  ),
});
