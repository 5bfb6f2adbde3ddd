/**
 * Column mappings for generic csv/xlsx imports: the read-only presets of generic-mapping.ts and the ones
 * users save (settings rows `import_mapping:<name>`, written by the web editor or `rasd import --save-mapping`).
 * Also reads a sample file's header and first rows for the mapping editor.
 */
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { getSetting, putSetting } from '../settings/index.ts';
import { getMappingPreset, mappingPresets, type ColumnMapping, type ListSpec, type ValueSpec } from './generic-mapping.ts';
import { columnMappingSchema, MAPPING_NAME } from './mappings.schema.ts';
import { parseErrorToAppError } from './import-errors.ts';
import { sampleInWorker } from './parse-worker.ts';
import type { SampleTable } from './sample.ts';
import type { TextEncodingName } from './tabular.ts';
import { ImportParseError } from './types.ts';

const PREFIX = 'import_mapping:';
const key = (name: string) => `${PREFIX}${name}`;

export const getSavedMapping = (db: Kysely<DB>, name: string) => getSetting<ColumnMapping>(db, key(name));

export async function listSavedMappings(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('settings').select('key').where('key', 'like', `${PREFIX}%`).orderBy('key').execute();
  return rows.map((r) => r.key.slice(PREFIX.length));
}

// ---------------------------------------------------------------------------------------------
// Listing and reading

export interface MappingSummary {
  name: string;
  label: string | null;
  /** presets ship with Rasd and cannot be changed or deleted */
  preset: boolean;
  updatedAt: string | null;
}

export interface MappingDetail extends MappingSummary {
  mapping: ColumnMapping;
}

const isPreset = (name: string) => getMappingPreset(name) !== undefined;

/** Presets first, then saved mappings by name. */
export async function listMappings(db: Kysely<DB>): Promise<MappingSummary[]> {
  const presets = Object.entries(mappingPresets).map(([name, m]) => ({ name, label: m.label ?? null, preset: true, updatedAt: null }));
  const rows = await db.selectFrom('settings').select(['key', 'value', 'updated_at']).where('key', 'like', `${PREFIX}%`).orderBy('key').execute();
  const saved = rows
    .map((r) => ({ name: r.key.slice(PREFIX.length), label: labelOf(r.value), preset: false, updatedAt: r.updated_at }))
    .filter((s) => !isPreset(s.name));
  return [...presets, ...saved];
}

function labelOf(json: string): string | null {
  try {
    const label = (JSON.parse(json) as { label?: unknown }).label;
    return typeof label === 'string' && label ? label : null;
  } catch {
    return null;
  }
}

export async function getMapping(db: Kysely<DB>, name: string): Promise<MappingDetail> {
  const preset = getMappingPreset(name);
  if (preset) return { name, label: preset.label ?? null, preset: true, updatedAt: null, mapping: preset };
  const row = await db.selectFrom('settings').select(['value', 'updated_at']).where('key', '=', key(name)).executeTakeFirst();
  if (!row) throw notFound('Column mapping');
  const mapping = JSON.parse(row.value) as ColumnMapping;
  return { name, label: mapping.label ?? null, preset: false, updatedAt: row.updated_at, mapping };
}

// ---------------------------------------------------------------------------------------------
// Saving and deleting

/** Every column a mapping names, with the path of the field that names it ("document.symbol", "themes.columns.0"). */
export function mappingColumnPaths(mapping: ColumnMapping): { path: string; column: string }[] {
  const out: { path: string; column: string }[] = [];
  const value = (spec: ValueSpec | undefined, path: string): void => {
    if (spec === undefined) return;
    if (typeof spec === 'string') out.push({ path, column: spec });
    else if ('column' in spec) out.push({ path: `${path}.column`, column: spec.column });
    else if ('compose' in spec) spec.compose.forEach((s, i) => value(s, `${path}.compose.${i}`));
    else if ('firstOf' in spec) spec.firstOf.forEach((s, i) => value(s, `${path}.firstOf.${i}`));
  };
  const list = (spec: ListSpec | undefined, path: string) => spec?.columns.forEach((c, i) => out.push({ path: `${path}.columns.${i}`, column: c }));
  for (const [k, spec] of Object.entries(mapping.document)) value(spec as ValueSpec | undefined, `document.${k}`);
  for (const k of ['paragraph', 'externalId', 'kind', 'position', 'positionSource', 'status'] as const) value(mapping[k], k);
  for (const [lang, col] of Object.entries(mapping.texts)) if (col) out.push({ path: `texts.${lang}`, column: col });
  for (const k of ['recommendingStates', 'themes', 'affectedPersons', 'sdgs', 'tags', 'entities'] as const) list(mapping[k], k);
  return out;
}

/** Checks a mapping's shape; 400 `invalid_mapping` with one `{ path, message }` per problem. */
export function validateMapping(input: unknown, columns?: readonly string[]): ColumnMapping {
  const parsed = columnMappingSchema.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.slice(0, 50).map((i) => ({ path: ['mapping', ...i.path.map(String)].join('.'), message: i.message }));
    throw badRequest('invalid_mapping', `The column mapping is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  }
  const mapping = parsed.data as ColumnMapping;
  if (columns) {
    const have = new Set(columns);
    const unknown = mappingColumnPaths(mapping).filter((c) => !have.has(c.column));
    if (unknown.length) {
      const details = unknown.map((u) => ({ path: `mapping.${u.path}`, column: u.column, message: `Column "${u.column}" is not in the sample file` }));
      throw badRequest('unknown_column', `The mapping names columns the sample file does not have: ${unknown.map((u) => `"${u.column}" (${u.path})`).join(', ')}`, details);
    }
  }
  return mapping;
}

function checkWritableName(name: string): void {
  if (isPreset(name)) throw conflict('mapping_preset_readonly', `"${name}" is a preset that ships with Rasd: it cannot be changed or deleted. Save your mapping under another name.`);
  if (!MAPPING_NAME.test(name)) {
    throw badRequest('invalid_mapping_name', 'A mapping name has 1 to 64 lower-case letters (a–z), digits, "-" or "_", and starts with a letter or digit.', [
      { path: 'name', message: 'Use a-z, 0-9, "-" and "_" (at most 64)' },
    ]);
  }
}

export interface SaveMappingInput {
  name: string;
  mapping: unknown;
  columns?: readonly string[];
  /** null: the command line */
  actorId: string | null;
  /** create: 409 `mapping_exists` if the name is taken; replace: create or overwrite */
  mode: 'create' | 'replace';
}

export async function saveNamedMapping(db: Kysely<DB>, input: SaveMappingInput): Promise<MappingDetail> {
  checkWritableName(input.name);
  const mapping = validateMapping(input.mapping, input.columns);
  await db.transaction().execute(async (trx) => {
    const before = await getSetting<ColumnMapping>(trx, key(input.name));
    if (before && input.mode === 'create') throw conflict('mapping_exists', `A mapping named "${input.name}" already exists: choose another name.`);
    await putSetting(trx, key(input.name), mapping);
    await recordAudit(trx, { actorId: input.actorId, action: 'import_mapping.save', subjectType: 'import_mapping', subjectId: input.name, before, after: mapping });
  });
  return getMapping(db, input.name);
}

export async function deleteNamedMapping(db: Kysely<DB>, name: string, actorId: string): Promise<void> {
  if (isPreset(name)) throw conflict('mapping_preset_readonly', `"${name}" is a preset that ships with Rasd: it cannot be deleted.`);
  await db.transaction().execute(async (trx) => {
    const before = await getSetting<ColumnMapping>(trx, key(name));
    if (!before) throw notFound('Column mapping');
    await trx.deleteFrom('settings').where('key', '=', key(name)).execute();
    await recordAudit(trx, { actorId, action: 'import_mapping.delete', subjectType: 'import_mapping', subjectId: name, before });
  });
}

// ---------------------------------------------------------------------------------------------
// Sample file

export const MAX_SAMPLE_BYTES = 20 * 1024 * 1024;

/**
 * Reads a sample's header and first rows with the importer's own readers, in a parse worker (so under the same caps
 * and heap limit as an import); a parse problem is a coded 4xx naming it.
 */
export async function readSample(bytes: Buffer, format: 'csv' | 'xlsx', encoding?: TextEncodingName, heapMb?: number): Promise<SampleTable> {
  try {
    return await sampleInWorker(bytes, format, encoding, heapMb);
  } catch (err) {
    if (err instanceof ImportParseError) throw parseErrorToAppError(err);
    throw err;
  }
}
