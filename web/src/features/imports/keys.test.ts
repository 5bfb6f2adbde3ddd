import { describe, expect, it } from 'vitest';
import ar from '../../i18n/ar.json';
import en from '../../i18n/en.json';
import { BULK_ACTIONS } from '../../components/BulkBar.tsx';
import { ENCODINGS, FORMAT_KEYS, UPLOAD_FORMATS } from './formats.ts';
import { FIELD_GROUPS, LIST_FIELDS, VALUE_FIELDS } from './mapping-fields.ts';

type Tree = { [k: string]: string | Tree };
const get = (tree: Tree, key: string): unknown => key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Tree)[part] : undefined), tree);

/** Keys the register pages build from codes at run time. */
const KEYS = [
  ...FORMAT_KEYS.flatMap((f) => [`imports.format.${f}.name`, `imports.format.${f}.hint`]),
  ...ENCODINGS.map((e) => `imports.encoding.${e}`),
  ...[...new Set(UPLOAD_FORMATS.flatMap((f) => f.options))].filter((o) => o !== 'uprCycle' && o !== 'uprSession').map((o) => `imports.options.${o}`),
  'imports.options.uprCycle',
  'imports.options.uprSession',
  ...['running', 'succeeded', 'failed'].map((s) => `imports.status.${s}`),
  ...['new', 'updated', 'unchanged', 'invalid', 'documentsCreated', 'termsCreated'].map((c) => `imports.counts.${c}`),
  ...BULK_ACTIONS.flatMap((a) => [`bulk.action.${a}`, `bulk.confirm.${a}`, `auditActions.recommendation.bulk.${a}`]),
  ...[...VALUE_FIELDS.map((f) => f.key), ...LIST_FIELDS].map((f) => `imports.mapping.field.${f}`),
  ...FIELD_GROUPS.map((g) => `imports.mapping.group.${g}`),
  ...['needSample', 'needSymbol', 'needBody', 'needText', 'needKey', 'needName'].map((p) => `imports.mapping.problem.${p}`),
  ...['save', 'delete'].map((a) => `auditActions.import_mapping.${a}`),
  'entities.archiveNamed',
  'entities.restoreNamed',
  ...[
    'empty_file', 'invalid_json', 'missing_field', 'missing_column', 'bad_encoding', 'cell_too_large', 'no_table', 'zip_bomb', 'invalid_zip', 'mapping_required',
    'import_invalid', 'duplicate_key', 'missing_symbol', 'download_failed', 'not_committable', 'term_in_use', 'version_conflict', 'duplicate', 'unknown_term',
    'too_many_columns', 'header_too_large', 'row_too_large', 'file_too_complex', 'bad_xml', 'bad_docx', 'unreadable_file', 'not_docx',
    'octet_stream_required', 'invalid_mapping', 'invalid_mapping_name', 'unknown_column', 'mapping_exists', 'mapping_preset_readonly', 'bad_xlsx', 'bad_csv', 'email_taken', 'entity_required', 'weak_password', 'invalid_email', 'unknown_parent', 'label_required',
  ].map((c) => `errors.${c}`),
];

describe('register translations', () => {
  it('has every key built from a code, in both languages', () => {
    const missing = KEYS.flatMap((k) => (['ar', 'en'] as const).filter((l) => typeof get((l === 'ar' ? ar : en) as Tree, k) !== 'string').map((l) => `${l}: ${k}`));
    expect(missing).toEqual([]);
  });
});
