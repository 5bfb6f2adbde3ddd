/**
 * Column mappings for the generic CSV/XLSX importer: which source column (or constant) feeds which
 * ImportRecord field. A mapping is plain JSON (it can be stored, sent by the web app, or shipped as a
 * named preset such as `morocco-didh`). Pure: rows in, ImportRecords out.
 */
import { ImportParseError, type ImportIssue, type ImportRecord, type Lang, type Position, type RecommendationKind } from './types.ts';

/** A single value: a column (optionally mapped / transformed), a constant, or a combination. */
export type ValueSpec =
  | string // shorthand for { column }
  | {
      column: string;
      /** exact-value map (after trimming); see `mapCaseInsensitive` */
      map?: Record<string, string>;
      /** when a non-empty value is missing from `map`: keep it (default for free fields), or report an error */
      unmapped?: 'keep' | 'error' | 'empty';
      transform?: 'trim' | 'upper' | 'lower' | 'slug' | 'integer';
    }
  | { constant: string }
  /** non-empty parts joined with `joiner` (default "/") */
  | { compose: ValueSpec[]; joiner?: string }
  /** the first non-empty of several */
  | { firstOf: ValueSpec[] };

/** A list value: one or more columns, each split on separators, trimmed, de-duplicated. */
export interface ListSpec {
  columns: string[];
  /** separators splitting a cell into items; default ["|", ";", newline]. Use [] to keep cells whole. */
  separators?: string[];
  /** strip leading "- " / "• " bullets from items (UHRI-style lists); default true */
  stripBullets?: boolean;
  map?: Record<string, string>;
}

export interface ColumnMapping {
  /** Free label, shown in the UI */
  label?: string;
  document: {
    symbol: ValueSpec;
    body: ValueSpec;
    type?: ValueSpec;
    date?: ValueSpec;
    uprCycle?: ValueSpec;
    uprSession?: ValueSpec;
    url?: ValueSpec;
    country?: ValueSpec;
  };
  paragraph?: ValueSpec;
  externalId?: ValueSpec;
  /** text column per language; at least one must be non-empty in every row */
  texts: Partial<Record<Lang, string>>;
  originalLang?: Lang;
  /** default: constant "recommendation" */
  kind?: ValueSpec;
  position?: ValueSpec;
  positionSource?: ValueSpec;
  recommendingStates?: ListSpec;
  themes?: ListSpec;
  affectedPersons?: ListSpec;
  /** codes like "16" or "16.2"; a "16.2 - label" item keeps its label */
  sdgs?: ListSpec;
  tags?: ListSpec;
  entities?: ListSpec;
  status?: ValueSpec;
  /** cell values that mean "empty" (e.g. "null", "N/A"); compared after trimming, case-insensitive */
  nullValues?: string[];
  /** match `map` keys ignoring case and accents; default true */
  mapCaseInsensitive?: boolean;
}

const KINDS: RecommendationKind[] = ['recommendation', 'observation', 'pledge'];
const POSITIONS: Position[] = ['supported', 'noted', 'partially_supported'];
const STATUSES = ['not_started', 'in_progress', 'partially_implemented', 'fully_implemented', 'no_action'];

/** Every column a mapping reads, with what it is used for (for 'missing_column' errors). */
export function mappingColumns(mapping: ColumnMapping): { column: string; usedFor: string }[] {
  const out: { column: string; usedFor: string }[] = [];
  const seen = new Set<string>();
  const add = (column: string, usedFor: string) => {
    if (seen.has(column)) return;
    seen.add(column);
    out.push({ column, usedFor });
  };
  const value = (spec: ValueSpec | undefined, usedFor: string): void => {
    if (spec === undefined) return;
    if (typeof spec === 'string') add(spec, usedFor);
    else if ('column' in spec) add(spec.column, usedFor);
    else if ('compose' in spec) spec.compose.forEach((s) => value(s, usedFor));
    else if ('firstOf' in spec) spec.firstOf.forEach((s) => value(s, usedFor));
  };
  const list = (spec: ListSpec | undefined, usedFor: string) => spec?.columns.forEach((c) => add(c, usedFor));
  const d = mapping.document;
  value(d.symbol, 'document symbol');
  value(d.body, 'body');
  value(d.type, 'document type');
  value(d.date, 'document date');
  value(d.uprCycle, 'UPR cycle');
  value(d.uprSession, 'UPR session');
  value(d.url, 'document link');
  value(d.country, 'country');
  value(mapping.paragraph, 'paragraph');
  value(mapping.externalId, 'external id');
  for (const [lang, col] of Object.entries(mapping.texts)) if (col) add(col, `text (${lang})`);
  value(mapping.kind, 'kind');
  value(mapping.position, 'position');
  value(mapping.positionSource, 'position source');
  list(mapping.recommendingStates, 'recommending states');
  list(mapping.themes, 'themes');
  list(mapping.affectedPersons, 'affected persons');
  list(mapping.sdgs, 'SDGs');
  list(mapping.tags, 'tags');
  list(mapping.entities, 'entities');
  value(mapping.status, 'status');
  return out;
}

/** Lower-case, accent-free, single-spaced key for map lookups ("Réalisé" ≡ "realise"). */
export function foldKey(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2019']/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** ASCII slug: "Côte d'Ivoire" → "cote-d-ivoire". */
export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

interface RowContext {
  row: number;
  cells: Record<string, string>;
  mapping: ColumnMapping;
  nulls: Set<string>;
  issues: ImportIssue[];
}

function cell(ctx: RowContext, column: string): string {
  const raw = (ctx.cells[column] ?? '').trim();
  return ctx.nulls.has(raw.toLowerCase()) ? '' : raw;
}

function lookup(map: Record<string, string>, value: string, fold: boolean): string | undefined {
  if (Object.hasOwn(map, value)) return map[value];
  if (!fold) return undefined;
  const k = foldKey(value);
  for (const [key, v] of Object.entries(map)) if (foldKey(key) === k) return v;
  return undefined;
}

function evalValue(ctx: RowContext, spec: ValueSpec | undefined, field: string): string {
  if (spec === undefined) return '';
  if (typeof spec === 'string') return cell(ctx, spec);
  if ('constant' in spec) return spec.constant;
  if ('compose' in spec) {
    return spec.compose
      .map((s) => evalValue(ctx, s, field))
      .filter((v) => v !== '')
      .join(spec.joiner ?? '/');
  }
  if ('firstOf' in spec) {
    for (const s of spec.firstOf) {
      const v = evalValue(ctx, s, field);
      if (v !== '') return v;
    }
    return '';
  }
  let v = cell(ctx, spec.column);
  if (v === '') return '';
  if (spec.map) {
    const mapped = lookup(spec.map, v, ctx.mapping.mapCaseInsensitive !== false);
    if (mapped !== undefined) v = mapped;
    else if (spec.unmapped === 'error') {
      ctx.issues.push({
        row: ctx.row,
        field: spec.column,
        code: 'bad_value',
        message: `Row ${ctx.row}, column "${spec.column}": value "${v}" is not one of ${Object.keys(spec.map)
          .map((k) => `"${k}"`)
          .join(', ')} (${field})`,
      });
      return '';
    } else if (spec.unmapped === 'empty') return '';
  }
  switch (spec.transform) {
    case 'upper':
      return v.toUpperCase();
    case 'lower':
      return v.toLowerCase();
    case 'slug':
      return slugify(v);
    case 'integer': {
      const m = /^-?\d+(?:\.0+)?$/.test(v) ? String(parseInt(v, 10)) : (/\d+/.exec(v)?.[0] ?? '');
      return m;
    }
    default:
      return v;
  }
}

const DEFAULT_SEPARATORS = ['|', ';', '\n'];

function splitList(value: string, separators: string[], stripBullets: boolean): string[] {
  let parts = [value.replace(/\r\n?/g, '\n')];
  for (const sep of separators) parts = parts.flatMap((p) => p.split(sep));
  return parts
    .map((p) => (stripBullets ? p.replace(/^\s*(?:[-•·*]\s+)/, '') : p).trim())
    .filter((p) => p !== '');
}

function evalList(ctx: RowContext, spec: ListSpec | undefined): string[] | undefined {
  if (!spec) return undefined;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const col of spec.columns) {
    const v = cell(ctx, col);
    if (!v) continue;
    for (let item of splitList(v, spec.separators ?? DEFAULT_SEPARATORS, spec.stripBullets !== false)) {
      if (ctx.nulls.has(item.toLowerCase())) continue;
      if (spec.map) item = lookup(spec.map, item, ctx.mapping.mapCaseInsensitive !== false) ?? item;
      if (!seen.has(item)) {
        seen.add(item);
        out.push(item);
      }
    }
  }
  return out.length ? out : undefined;
}

function toInt(ctx: RowContext, spec: ValueSpec | undefined, field: string): number | undefined {
  const v = evalValue(ctx, spec, field);
  if (v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) {
    ctx.issues.push({ row: ctx.row, field, code: 'bad_value', message: `Row ${ctx.row}: ${field} "${v}" is not a whole number` });
    return undefined;
  }
  return n;
}

function toIsoDate(ctx: RowContext, spec: ValueSpec | undefined): string | undefined {
  const v = evalValue(ctx, spec, 'document date');
  if (v === '') return undefined;
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(v); // dd/mm/yyyy (UN usage)
  if (m) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  if (/^\d{5}(\.\d+)?$/.test(v)) {
    // Excel date serial (1900 system)
    const d = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(v)) * 86_400_000);
    return d.toISOString().slice(0, 10);
  }
  if (/^\d{4}$/.test(v)) return undefined; // a bare year is not a date
  ctx.issues.push({ row: ctx.row, field: 'document date', code: 'bad_value', message: `Row ${ctx.row}: date "${v}" is not yyyy-mm-dd, dd/mm/yyyy or an Excel date` });
  return undefined;
}

function parseSdgs(items: string[] | undefined): { code: string; label?: string }[] | undefined {
  if (!items) return undefined;
  const out: { code: string; label?: string }[] = [];
  for (const item of items) {
    const m = /^(?:SDG\s*|Goal\s*)?(\d{1,2}(?:\.[0-9a-z]{1,2})?)\s*(?:[-–:]\s*(.+))?$/i.exec(item);
    if (m) out.push(m[2] ? { code: m[1]!, label: m[2].trim() } : { code: m[1]! });
    else out.push({ code: item });
  }
  return out.length ? out : undefined;
}

const MAX_ISSUES = 100;

/** Map rows to ImportRecords. Row-level problems are collected (up to 100) and thrown together. */
export function applyMapping(rows: Iterable<{ rowNumber: number; cells: Record<string, string> }>, mapping: ColumnMapping): ImportRecord[] {
  const nulls = new Set((mapping.nullValues ?? []).map((n) => n.trim().toLowerCase()));
  nulls.add('');
  const issues: ImportIssue[] = [];
  const records: ImportRecord[] = [];
  for (const r of rows) {
    const ctx: RowContext = { row: r.rowNumber, cells: r.cells, mapping, nulls, issues };
    const before = issues.length;
    const texts: ImportRecord['texts'] = {};
    for (const [lang, col] of Object.entries(mapping.texts) as [Lang, string][]) {
      const t = cell(ctx, col);
      if (t) texts[lang] = t.replace(/\r\n?/g, '\n');
    }
    if (Object.keys(texts).length === 0) {
      issues.push({
        row: r.rowNumber,
        field: Object.values(mapping.texts).join(' / '),
        code: 'missing_text',
        message: `Row ${r.rowNumber} has no recommendation text (columns ${Object.values(mapping.texts).join(', ')} are all empty)`,
      });
    }
    const symbol = evalValue(ctx, mapping.document.symbol, 'document symbol');
    const body = evalValue(ctx, mapping.document.body, 'body');
    for (const [field, v, spec] of [
      ['document symbol', symbol, mapping.document.symbol],
      ['body', body, mapping.document.body],
    ] as const) {
      if (!v) {
        const col = typeof spec === 'string' ? spec : 'column' in spec ? spec.column : undefined;
        issues.push({ row: r.rowNumber, field: col ?? field, code: 'missing_value', message: `Row ${r.rowNumber}: ${field} is empty` });
      }
    }
    const kindRaw = mapping.kind ? evalValue(ctx, mapping.kind, 'kind') : 'recommendation';
    const kind = (kindRaw || 'recommendation') as RecommendationKind;
    if (!KINDS.includes(kind)) {
      issues.push({ row: r.rowNumber, field: 'kind', code: 'bad_value', message: `Row ${r.rowNumber}: kind "${kindRaw}" is not recommendation, observation or pledge` });
    }
    const positionRaw = evalValue(ctx, mapping.position, 'position');
    if (positionRaw && !POSITIONS.includes(positionRaw as Position)) {
      const col = typeof mapping.position === 'object' && 'column' in mapping.position ? mapping.position.column : 'position';
      issues.push({ row: r.rowNumber, field: col, code: 'bad_value', message: `Row ${r.rowNumber}: position "${positionRaw}" is not supported, noted or partially_supported (add it to the value map)` });
    }
    const status = evalValue(ctx, mapping.status, 'status');
    if (status && !STATUSES.includes(status)) {
      const col = typeof mapping.status === 'object' && 'column' in mapping.status ? mapping.status.column : 'status';
      issues.push({ row: r.rowNumber, field: col, code: 'bad_value', message: `Row ${r.rowNumber}: status "${status}" is not one of ${STATUSES.join(', ')} (add it to the value map)` });
    }
    const record: ImportRecord = {
      sourceRow: r.rowNumber,
      document: { symbol, body },
      texts,
      kind,
    };
    const d = mapping.document;
    const type = evalValue(ctx, d.type, 'document type');
    if (type) record.document.type = type;
    const date = toIsoDate(ctx, d.date);
    if (date) record.document.date = date;
    const cycle = toInt(ctx, d.uprCycle, 'UPR cycle');
    if (cycle !== undefined) record.document.uprCycle = cycle;
    const session = toInt(ctx, d.uprSession, 'UPR session');
    if (session !== undefined) record.document.uprSession = session;
    const url = evalValue(ctx, d.url, 'document link');
    if (url) record.document.url = url;
    const country = evalValue(ctx, d.country, 'country');
    if (country) record.document.country = country;
    const paragraph = evalValue(ctx, mapping.paragraph, 'paragraph');
    if (paragraph) record.paragraph = paragraph;
    const externalId = evalValue(ctx, mapping.externalId, 'external id');
    if (externalId) record.externalId = externalId;
    if (!paragraph && !externalId) {
      issues.push({ row: r.rowNumber, code: 'missing_key', field: 'paragraph', message: `Row ${r.rowNumber} has neither a paragraph nor an external id, so it cannot be keyed for re-import` });
    }
    if (mapping.originalLang && texts[mapping.originalLang]) record.originalLang = mapping.originalLang;
    if (positionRaw && POSITIONS.includes(positionRaw as Position)) record.position = positionRaw as Position;
    const positionSource = evalValue(ctx, mapping.positionSource, 'position source');
    if (positionSource) record.positionSource = positionSource;
    const lists = {
      recommendingStates: evalList(ctx, mapping.recommendingStates),
      themes: evalList(ctx, mapping.themes),
      affectedPersons: evalList(ctx, mapping.affectedPersons),
      tags: evalList(ctx, mapping.tags),
      entities: evalList(ctx, mapping.entities),
    };
    for (const [k, v] of Object.entries(lists)) if (v) (record as unknown as Record<string, unknown>)[k] = v;
    const sdgs = parseSdgs(evalList(ctx, mapping.sdgs));
    if (sdgs) record.sdgs = sdgs;
    if (status && STATUSES.includes(status)) record.status = status;
    if (issues.length === before) records.push(record);
    if (issues.length >= MAX_ISSUES) break;
  }
  if (issues.length) throw new ImportParseError(issues);
  return records;
}

// ---------------------------------------------------------------------------------------------
// Presets

const MOROCCO_MECHANISM: Record<string, string> = {
  'Organes de traités': 'TB',
  'Procédure spéciale': 'SP',
  'Examen périodique universal': 'UPR', // sic, as in the source
  'Examen périodique universel': 'UPR',
};

/**
 * The Moroccan DIDH national tracking database export (recommendations-fr-ar.csv).
 * - Document: the source has no UN symbol, so one is composed from the mechanism, the treaty body code
 *   (organe) or the special-procedure mandate (slug), and the year: e.g. `MAR-DIDH/TB/CERD/2020`,
 *   `MAR-DIDH/UPR/2020`, `MAR-DIDH/SP/rapporteur-special-sur-la-torture-.../2008`.
 * - Key: `Id` is the database's stable row id → externalId `MAR-DIDH-<Id>`; `CodeRecommendation`
 *   (R21, R20P2…) → paragraph (not unique on its own).
 * - Tags: national axes and sub-axes (French); entities: responsible bodies in French and Arabic.
 */
export const moroccoDidhMapping: ColumnMapping = {
  label: 'Morocco DIDH tracking database (FR/AR)',
  document: {
    symbol: {
      compose: [
        { constant: 'MAR-DIDH' },
        { column: 'Mecanisme', map: MOROCCO_MECHANISM },
        { column: 'organe', transform: 'upper' },
        { column: 'visite_mandat_fr', transform: 'slug' },
        { column: 'Annee' },
      ],
    },
    body: {
      firstOf: [
        { column: 'organe', transform: 'upper' },
        { column: 'Mecanisme', map: MOROCCO_MECHANISM, unmapped: 'error' },
      ],
    },
    type: {
      column: 'Mecanisme',
      map: {
        'Organes de traités': 'concluding_observations',
        'Procédure spéciale': 'sp_visit_report',
        'Examen périodique universal': 'upr_wg_report',
        'Examen périodique universel': 'upr_wg_report',
      },
      unmapped: 'empty',
    },
    uprCycle: { column: 'cycle_fr', transform: 'integer' },
    country: { constant: 'Morocco' },
  },
  paragraph: 'CodeRecommendation',
  externalId: { compose: [{ constant: 'MAR-DIDH' }, { column: 'Id' }], joiner: '-' },
  texts: { fr: 'text_fr', ar: 'text_ar' },
  kind: { constant: 'recommendation' },
  recommendingStates: { columns: ['pays_recommandant_fr'], separators: ['|', ';'] },
  tags: { columns: ['axe_fr', 'sous_axe_fr'], separators: [] },
  entities: { columns: ['organismes_fr', 'organismes_ar'], separators: ['|'] },
  status: {
    column: 'Etat',
    map: { Réalisé: 'fully_implemented', 'En cours': 'in_progress', 'Non réalisé': 'not_started' },
    unmapped: 'error',
  },
  nullValues: ['null'],
};

export const mappingPresets: Readonly<Record<string, ColumnMapping>> = {
  'morocco-didh': moroccoDidhMapping,
};

export function getMappingPreset(name: string): ColumnMapping | undefined {
  return Object.hasOwn(mappingPresets, name) ? mappingPresets[name] : undefined;
}
