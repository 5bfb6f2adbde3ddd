/**
 * zod schemas for saved column mappings (the ColumnMapping shape of generic-mapping.ts) and the
 * mapping API. The mapping schema is strict: an unknown key is an error, so a typo in a field name is
 * reported at save time rather than silently ignored at import time.
 */
import { z } from 'zod';
import type { ColumnMapping, ListSpec, ValueSpec } from './generic-mapping.ts';
import type { Lang } from './types.ts';

const LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const satisfies readonly Lang[];

const column = z.string().trim().min(1, 'A column name is required').max(300);
const value = z.string().max(2000);

export const valueSpecSchema: z.ZodType<ValueSpec> = z.lazy(() =>
  z.union([
    column,
    z
      .object({
        column,
        map: z.record(value, value).optional(),
        unmapped: z.enum(['keep', 'error', 'empty']).optional(),
        transform: z.enum(['trim', 'upper', 'lower', 'slug', 'integer']).optional(),
      })
      .strict(),
    z.object({ constant: z.string().trim().min(1, 'A fixed value cannot be empty').max(300) }).strict(),
    z.object({ compose: z.array(valueSpecSchema).min(1).max(20), joiner: z.string().max(10).optional() }).strict(),
    z.object({ firstOf: z.array(valueSpecSchema).min(1).max(20) }).strict(),
  ]),
);

export const listSpecSchema: z.ZodType<ListSpec> = z
  .object({
    columns: z.array(column).min(1).max(20),
    separators: z.array(z.string().min(1).max(10)).max(10).optional(),
    stripBullets: z.boolean().optional(),
    map: z.record(value, value).optional(),
  })
  .strict();

export const columnMappingSchema = z
  .object({
    label: z.string().trim().max(200).optional(),
    document: z
      .object({
        symbol: valueSpecSchema,
        body: valueSpecSchema,
        type: valueSpecSchema.optional(),
        date: valueSpecSchema.optional(),
        uprCycle: valueSpecSchema.optional(),
        uprSession: valueSpecSchema.optional(),
        url: valueSpecSchema.optional(),
        country: valueSpecSchema.optional(),
      })
      .strict(),
    paragraph: valueSpecSchema.optional(),
    externalId: valueSpecSchema.optional(),
    texts: z.partialRecord(z.enum(LANGS), column),
    originalLang: z.enum(LANGS).optional(),
    kind: valueSpecSchema.optional(),
    position: valueSpecSchema.optional(),
    positionSource: valueSpecSchema.optional(),
    recommendingStates: listSpecSchema.optional(),
    themes: listSpecSchema.optional(),
    affectedPersons: listSpecSchema.optional(),
    sdgs: listSpecSchema.optional(),
    tags: listSpecSchema.optional(),
    entities: listSpecSchema.optional(),
    status: valueSpecSchema.optional(),
    nullValues: z.array(z.string().max(100)).max(50).optional(),
    mapCaseInsensitive: z.boolean().optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (Object.values(m.texts).filter(Boolean).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['texts'], message: 'Choose the text column of at least one language' });
    }
    if (m.paragraph === undefined && m.externalId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['paragraph'], message: 'Choose a paragraph or an external id column, so records can be matched on re-import' });
    }
  }) satisfies z.ZodType<ColumnMapping>;

/** Names of saved mappings: lower-case letters, digits, "-" and "_", as the CLI's --mapping takes them. */
export const MAPPING_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A name in a URL: lenient (mappings saved by the CLI may predate the rule), bounded. */
export const mappingNameParam = z.object({ name: z.string().min(1).max(100) });

export const saveMappingBody = z.object({
  /** The mapping; validated by the service so errors carry the code `invalid_mapping` and each field's path. */
  mapping: z.unknown().describe('A ColumnMapping (see src/imports/generic-mapping.ts)'),
  /** The sample file's header: when given, every column the mapping names must be one of them. */
  columns: z.array(z.string().max(300)).max(1000).optional(),
});

export const createMappingBody = saveMappingBody.extend({ name: z.string().max(100) });

export const sampleQuery = z.object({
  format: z.enum(['csv', 'xlsx']),
  encoding: z.enum(['utf8', 'macroman', 'latin1']).optional(),
});

/*
 * The answers of the mapping routes, as they declare them (src/server/response-serializer.ts).
 */

/** A column mapping in the list: presets ship with Rasd and cannot be changed or deleted. */
export const mappingSummarySchema = z.object({ name: z.string(), label: z.string().nullable(), preset: z.boolean(), updatedAt: z.string().nullable() });
export const mappingListSchema = z.object({ items: z.array(mappingSummarySchema) });
/**
 * One column mapping with its fields. The mapping is declared as any JSON, as the request side takes it: its value
 * specs are recursive (compose, firstOf), which the OpenAPI document cannot carry here; it is a ColumnMapping
 * (src/imports/generic-mapping.ts), validated by columnMappingSchema whenever it is saved.
 */
export const mappingDetailSchema = mappingSummarySchema.extend({ mapping: z.unknown().describe('A ColumnMapping (see src/imports/generic-mapping.ts)') });

/** A csv/xlsx sample's header and first rows (cells cut to 200 characters), for the mapping editor. */
export const sampleTableSchema = z.object({
  format: z.enum(['csv', 'xlsx']),
  /** the file's column names, in order */
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), z.string())),
  /** data rows in the file */
  rowCount: z.number(),
  encoding: z.string().nullable(),
});
