/**
 * The register fields a user can map in the column-mapping editor, and how the editor's choices become a
 * ColumnMapping (src/imports/generic-mapping.ts) for the API.
 */

/** Single-value fields; `fixed`: a constant may stand in for a column (a file from one body, one country…). */
export const VALUE_FIELDS = [
  { key: 'symbol', group: 'document', required: true, fixed: true },
  { key: 'body', group: 'document', required: true, fixed: true },
  { key: 'date', group: 'document', required: false, fixed: false },
  { key: 'country', group: 'document', required: false, fixed: true },
  { key: 'uprCycle', group: 'document', required: false, fixed: false },
  { key: 'uprSession', group: 'document', required: false, fixed: false },
  { key: 'paragraph', group: 'recommendation', required: false, fixed: false },
  { key: 'externalId', group: 'recommendation', required: false, fixed: false },
  { key: 'text_ar', group: 'recommendation', required: false, fixed: false },
  { key: 'text_en', group: 'recommendation', required: false, fixed: false },
  { key: 'text_fr', group: 'recommendation', required: false, fixed: false },
  { key: 'position', group: 'recommendation', required: false, fixed: false },
  { key: 'positionSource', group: 'recommendation', required: false, fixed: false },
] as const;

/** List fields: one or more columns, each cell split on | ; or new lines. */
export const LIST_FIELDS = ['recommendingStates', 'themes', 'affectedPersons', 'sdgs', 'tags', 'entities'] as const;

export const FIELD_GROUPS = ['document', 'recommendation', 'lists'] as const;

export type ValueField = (typeof VALUE_FIELDS)[number]['key'];
export type ListField = (typeof LIST_FIELDS)[number];

export interface MappingDraft {
  columns: Partial<Record<ValueField, string>>;
  fixed: Partial<Record<ValueField, string>>;
  lists: Partial<Record<ListField, string[]>>;
}

export const emptyDraft = (): MappingDraft => ({ columns: {}, fixed: {}, lists: {} });

/** Common wordings of a State's position, read case- and accent-insensitively by the importer. */
const POSITION_WORDS: Record<string, string> = {
  supported: 'supported',
  noted: 'noted',
  partially_supported: 'partially_supported',
  accepted: 'supported',
  'partially supported': 'partially_supported',
  'partially accepted': 'partially_supported',
  acceptee: 'supported',
  soutenue: 'supported',
  'prise en note': 'noted',
  notee: 'noted',
  'partiellement acceptee': 'partially_supported',
  مقبولة: 'supported',
  مؤيدة: 'supported',
  'أحيط بها علما': 'noted',
  'أحيط بها علماً': 'noted',
  'مقبولة جزئيا': 'partially_supported',
  'مقبولة جزئياً': 'partially_supported',
};

export const MAPPING_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export type DraftProblem = 'needSymbol' | 'needBody' | 'needText' | 'needKey';

/** What is missing before the draft can be saved (the server checks again). */
export function draftProblems(d: MappingDraft): DraftProblem[] {
  const has = (f: ValueField) => Boolean(d.columns[f] || d.fixed[f]?.trim());
  const out: DraftProblem[] = [];
  if (!has('symbol')) out.push('needSymbol');
  if (!has('body')) out.push('needBody');
  if (!d.columns.text_ar && !d.columns.text_en && !d.columns.text_fr) out.push('needText');
  if (!d.columns.paragraph && !d.columns.externalId) out.push('needKey');
  return out;
}

type ValueSpec = string | { constant: string } | { column: string; map: Record<string, string>; unmapped: 'error' };

/** The ColumnMapping the API stores. */
export function toColumnMapping(d: MappingDraft, label: string): Record<string, unknown> {
  const value = (f: ValueField): ValueSpec | undefined => {
    const col = d.columns[f];
    if (col) return col;
    const fixed = d.fixed[f]?.trim();
    return fixed ? { constant: fixed } : undefined;
  };
  const texts: Record<string, string> = {};
  for (const lang of ['ar', 'en', 'fr'] as const) {
    const col = d.columns[`text_${lang}`];
    if (col) texts[lang] = col;
  }
  const document: Record<string, ValueSpec> = {};
  for (const f of ['symbol', 'body', 'date', 'country', 'uprCycle', 'uprSession'] as const) {
    const v = value(f);
    if (v !== undefined) document[f] = v;
  }
  const mapping: Record<string, unknown> = { document, texts };
  if (label.trim()) mapping.label = label.trim();
  for (const f of ['paragraph', 'externalId', 'positionSource'] as const) {
    const v = value(f);
    if (v !== undefined) mapping[f] = v;
  }
  if (d.columns.position) mapping.position = { column: d.columns.position, map: POSITION_WORDS, unmapped: 'error' };
  for (const f of LIST_FIELDS) {
    const cols = d.lists[f];
    if (cols?.length) mapping[f] = { columns: cols };
  }
  return mapping;
}
