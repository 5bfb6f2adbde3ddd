/**
 * The answers of the import routes, as they declare them (the OpenAPI document and the web app's generated types come
 * from these; Fastify serialises with them: src/server/response-serializer.ts).
 */
import { z } from 'zod';
import type { ImportRunStatus } from '../db/schema.ts';
import { FORMATS } from './formats.ts';
import { THEME_SOURCES } from './theme-mappings.ts';

const LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;
const RUN_STATUSES = ['running', 'succeeded', 'failed'] as const satisfies readonly ImportRunStatus[];

/** A row- and field-precise problem; `row` is 1-based as a user would count in the source. */
export const importIssueSchema = z.object({ row: z.number().optional(), field: z.string().optional(), code: z.string(), message: z.string() });

/** One of the first records of a run, for the review screen (texts by language, each cut to 600 characters). */
const previewRecordSchema = z.object({
  row: z.number(),
  paragraph: z.string().optional(),
  symbol: z.string(),
  texts: z.partialRecord(z.enum(LANGS), z.string()),
  recommendingStates: z.array(z.string()).optional(),
  position: z.string().optional(),
  kind: z.string(),
});

/** What a parser found beside its records (report-text: the numbered paragraphs counted against their numbering). */
const parseReportSchema = z.object({
  paragraphs: z
    .object({ found: z.number(), imported: z.number(), gaps: z.array(z.string()), duplicates: z.array(z.string()), footnotesRemoved: z.number(), furnitureRemoved: z.number() })
    .optional(),
  notImported: z.array(z.object({ paragraph: z.string(), text: z.string(), reason: z.string() })).optional(),
  warnings: z.array(z.string()).optional(),
});

/** A finished run's counts, first problems, preview and report (src/imports/import.service.ts ImportOutcome). */
export const importResultSchema = z.object({
  dryRun: z.boolean(),
  total: z.number(),
  new: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  invalid: z.number(),
  documentsCreated: z.number(),
  termsCreated: z.number(),
  issues: z.array(importIssueSchema),
  /** source themes with no mapping and no register theme of that name: not linked, with how many records carry each */
  unmappedThemes: z.array(z.object({ source: z.string(), label: z.string(), records: z.number() })).optional(),
  /** source themes linked to a register theme through a mapping or by name: how many distinct labels */
  mappedThemes: z.number().optional(),
  /** new records matching an existing recommendation from another source (merge them afterwards) */
  matches: z
    .array(
      z.object({
        row: z.number(),
        paragraph: z.string().nullable(),
        key: z.string(),
        similarity: z.number(),
        existing: z.object({ id: z.string(), externalId: z.string(), paragraph: z.string().nullable(), symbol: z.string(), text: z.string().nullable() }),
      }),
    )
    .optional(),
  matchCount: z.number().optional(),
  preview: z.array(previewRecordSchema),
  report: parseReportSchema.optional(),
});

/** An import run: started, running or finished (POST /api/imports, /url, /:id/commit answer 202 with it; GET reads it). */
export const importRunSchema = z.object({
  id: z.string(),
  format: z.enum(FORMATS),
  filename: z.string(),
  /** what the user set on the upload page (and the API) */
  options: z.object({
    country: z.string().optional(),
    body: z.string().optional(),
    lang: z.enum(LANGS).optional(),
    encoding: z.enum(['utf8', 'macroman', 'latin1']).optional(),
    symbol: z.string().optional(),
    uprCycle: z.number().optional(),
    uprSession: z.number().optional(),
    /** preset or saved mapping name (csv/xlsx) */
    mapping: z.string().optional(),
    /** uhri-url: the address */
    url: z.string().optional(),
  }),
  dryRun: z.boolean(),
  status: z.enum(RUN_STATUSES),
  processed: z.number(),
  bytesTotal: z.number(),
  bytesRead: z.number(),
  result: importResultSchema.nullable(),
  /** why it failed: a stable code, the message (and its Arabic one when the code has one), the problems found */
  error: z
    .object({
      status: z.number().optional(),
      code: z.string(),
      message: z.string(),
      message_ar: z.string().optional(),
      details: z.unknown().describe('what the error carries: for a file that cannot be read, { issues, more }').optional(),
    })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const importRunListSchema = z.object({ items: z.array(importRunSchema) });

/** GET /api/imports/meta/formats: the formats and the column mappings (presets, then saved ones). */
export const importFormatsSchema = z.object({ formats: z.array(z.enum(FORMATS)), mappings: z.array(z.string()) });

/** A source label linked to one of the register's themes (termId null: never linked). */
export const themeMappingSchema = z.object({
  source: z.enum(THEME_SOURCES),
  label: z.string(),
  termId: z.string().nullable(),
  theme: z.object({ id: z.string(), code: z.string(), labelAr: z.string().nullable(), labelEn: z.string().nullable() }).nullable(),
  /** a seeded mapping not yet linked: the theme it designates (found or created with both names on the first import needing it) */
  defaultTheme: z.object({ code: z.string(), labelAr: z.string().nullable(), labelEn: z.string().nullable() }).nullable(),
  version: z.number(),
  updatedAt: z.string(),
});
export const themeMappingListSchema = z.object({ items: z.array(themeMappingSchema) });
