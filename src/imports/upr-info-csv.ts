/**
 * UPR Info database CSV export → ImportRecords. Pure, no database.
 *
 * Columns: To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org, Response, Action, Issue, Session,
 * and in the combined export also source_file and cycle. Pledges are the rows whose Response is
 * "Voluntary Pledge" (in the real export their From is the state itself and cycle is blank; a blank
 * From is treated as a pledge too). The voluntary-pledges file (Mac Roman, CR-only line ends) holds
 * exactly the same 947 pledge rows as the combined export, minus the last two columns.
 *
 * Document: UPR Info carries no UN symbol, so one is synthesised per state under review and session:
 * `UPR/<country-slug>/S<session>` (e.g. `UPR/kuwait/S8`) for recommendations, with `/VP` appended for
 * voluntary pledges. Body 'UPR'; type 'upr_wg_report' (pledges: 'pledge').
 *
 * Key: the source has no id and no paragraph. The external id is a content hash, `UPRINFO-<12 hex>`, of
 * (kind, state under review, session, recommending state, whitespace-normalised NFC text), plus
 * `-2`, `-3`… for exact duplicates in file order. So re-importing the same file, a re-ordered or
 * extended re-export, or the same pledges from the separate Mac Roman file, yields the same keys; a
 * running index would change whenever UPR Info inserted or re-sorted a row.
 */
import { createHash } from 'node:crypto';
import { ImportParseError, type ImportIssue, type ImportRecord, type Position } from './types.ts';
import { readCsv, type CsvReadOptions, type Table } from './tabular.ts';
import { someNames } from './limits.ts';
import { slugify } from './generic-mapping.ts';

export interface UprInfoParseOptions extends CsvReadOptions {
  /** Keep only the rows of this state under review (English name as UPR Info writes it, case-insensitive). */
  country?: string;
}

const REQUIRED = ['To', 'Text', 'From', 'Response', 'Issue', 'Session'] as const;

/**
 * The export's layouts, by the names of their columns. The older database export (and the combined sessions
 * 1–20 file): `To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org, Response, Action, Issue, Session[, source_file,
 * cycle]`, comma-separated. The newer search export: `SuR;Rgrp;Org;Recommendation;RS;RS-Rgrp;RS-Org;Response;
 * Action;Issue;Session[;Cycle]`, semicolon-separated, often with a BOM; some copies spell the columns out ("State
 * under Review", "Recommending State", "Issues"). Each name maps onto the older layout's column.
 */
const COLUMN_ALIASES: Record<string, (typeof REQUIRED)[number] | 'cycle'> = {
  to: 'To',
  sur: 'To',
  'state under review': 'To',
  text: 'Text',
  recommendation: 'Text',
  'recommendation text': 'Text',
  from: 'From',
  rs: 'From',
  'recommending state': 'From',
  response: 'Response',
  position: 'Response',
  issue: 'Issue',
  issues: 'Issue',
  session: 'Session',
  cycle: 'cycle',
};

/** The table with its columns renamed to the older layout's names (the first column of each kind wins). */
function canonicalTable(table: Table): Table {
  const rename = new Map<string, string>();
  const taken = new Set<string>();
  for (const h of table.header) {
    const target = COLUMN_ALIASES[h.replace(/\s+/g, ' ').trim().toLowerCase()];
    if (target && !taken.has(target)) {
      rename.set(h, target);
      taken.add(target);
    }
  }
  if ([...rename].every(([from, to]) => from === to)) return table;
  return {
    ...table,
    header: table.header.map((h) => rename.get(h) ?? h),
    rows: table.rows.map((r) => ({ ...r, cells: Object.fromEntries(Object.entries(r.cells).map(([k, v]) => [rename.get(k) ?? k, v])) })),
  };
}

/** UPR cycle from the session number (cycle 1: sessions 1–12, 2: 13–26, 3: 27–40, 4: 41–). */
export function uprCycleOfSession(session: number): number {
  if (session <= 12) return 1;
  if (session <= 26) return 2;
  if (session <= 40) return 3;
  return 4;
}

/** Synthesised document symbol, e.g. `UPR/cote-d-ivoire/S19`. */
export function uprInfoSymbol(country: string, session: number, pledge = false): string {
  return `UPR/${slugify(country)}/S${session}${pledge ? '/VP' : ''}`;
}

/**
 * Split UPR Info's comma-joined issue list. Issues are joined with a bare comma ("Justice,Women's
 * rights"); a comma followed by a space is kept inside an issue name, so a name like "Labour, work"
 * would survive. Whitespace is trimmed and duplicates dropped.
 */
export function splitUprInfoIssues(cell: string): string[] {
  const out: string[] = [];
  for (const part of cell.split(/,(?!\s)|[;|]/)) {
    const t = part.replace(/\s+/g, ' ').trim();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

function mapResponse(raw: string): { position?: Position; pledge: boolean } | undefined {
  const r = raw.trim().toLowerCase();
  switch (r) {
    case 'accepted':
    case 'supported':
      return { position: 'supported', pledge: false };
    case 'noted':
    case 'rejected':
    case 'not accepted':
      return { position: 'noted', pledge: false };
    case 'partially accepted':
    case 'partially supported':
      return { position: 'partially_supported', pledge: false };
    case 'voluntary pledge':
      return { pledge: true };
    case '':
    case 'pending':
    case 'general response':
    case 'no response':
      return { pledge: false };
    default:
      return undefined;
  }
}

function keyHash(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u241f')).digest('hex').slice(0, 12);
}

function normText(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Map an already-read UPR Info table. */
export function mapUprInfoTable(source: Table, options: { country?: string } = {}): ImportRecord[] {
  const table = canonicalTable(source);
  const missing = REQUIRED.filter((c) => !table.header.includes(c));
  if (missing.length) {
    throw new ImportParseError(
      missing.map((c) => ({
        row: table.headerRow,
        field: c,
        code: 'missing_column',
        message: `Column "${c}" is missing: this does not look like a UPR Info export (found: ${someNames(table.header)})`,
      })),
    );
  }
  if (table.rows.length === 0) throw new ImportParseError([{ code: 'empty_file', message: 'The file has a header row but no data rows' }]);
  const hasCycle = table.header.includes('cycle');
  const issues: ImportIssue[] = [];
  const records: ImportRecord[] = [];
  const seen = new Map<string, number>();
  const only = options.country?.replace(/\s+/g, ' ').trim().toLowerCase();
  let kept = 0;
  for (const { rowNumber: row, cells } of table.rows) {
    const to = (cells.To ?? '').trim();
    if (only && to.replace(/\s+/g, ' ').toLowerCase() !== only) continue;
    kept += 1;
    const text = normText(cells.Text ?? '');
    const from = (cells.From ?? '').trim();
    const sessionRaw = (cells.Session ?? '').trim();
    const session = Number(sessionRaw);
    const rowIssues: ImportIssue[] = [];
    if (!to) rowIssues.push({ row, field: 'To', code: 'missing_value', message: `Row ${row}: the state under review ("To") is empty` });
    if (!text) rowIssues.push({ row, field: 'Text', code: 'missing_text', message: `Row ${row}: the recommendation text is empty` });
    if (!Number.isInteger(session) || session < 1) {
      rowIssues.push({ row, field: 'Session', code: 'bad_value', message: `Row ${row}: session "${sessionRaw}" is not a positive whole number` });
    }
    const response = mapResponse(cells.Response ?? '');
    if (!response) {
      rowIssues.push({
        row,
        field: 'Response',
        code: 'bad_value',
        message: `Row ${row}: response "${cells.Response}" is not Accepted, Noted, Voluntary Pledge or blank`,
      });
    }
    const cycleRaw = hasCycle ? (cells.cycle ?? '').trim() : '';
    let cycle: number | undefined;
    if (cycleRaw) {
      cycle = Number(cycleRaw);
      if (!Number.isInteger(cycle) || cycle < 1) {
        rowIssues.push({ row, field: 'cycle', code: 'bad_value', message: `Row ${row}: cycle "${cycleRaw}" is not a whole number` });
      }
    }
    if (rowIssues.length) {
      issues.push(...rowIssues);
      if (issues.length >= 100) break;
      continue;
    }
    const pledge = response!.pledge || from === '';
    const kind = pledge ? 'pledge' : 'recommendation';
    const base = keyHash([kind, to, String(session), pledge ? '' : from, text]);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const rec: ImportRecord = {
      sourceRow: row,
      document: {
        symbol: uprInfoSymbol(to, session, pledge),
        body: 'UPR',
        type: pledge ? 'pledge' : 'upr_wg_report',
        uprSession: session,
        uprCycle: cycle ?? uprCycleOfSession(session),
        country: to,
      },
      externalId: n === 1 ? `UPRINFO-${base}` : `UPRINFO-${base}-${n}`,
      texts: { en: text },
      originalLang: 'en',
      kind,
    };
    if (!pledge) rec.recommendingStates = [from];
    if (response!.position) {
      rec.position = response!.position;
      rec.positionSource = 'UPR Info';
    }
    const themes = splitUprInfoIssues(cells.Issue ?? '');
    if (themes.length) {
      rec.themes = themes;
      rec.themeSource = 'upr-info';
    }
    records.push(rec);
  }
  if (issues.length) throw new ImportParseError(issues);
  if (only && kept === 0) {
    throw new ImportParseError([
      { field: 'To', code: 'country_not_in_file', message: `No row of the file is about "${options.country}" (the state under review, as UPR Info writes its name in English)` },
    ]);
  }
  return records;
}

/**
 * Parse a UPR Info CSV export (bytes or text). Valid UTF-8 is read as such; otherwise pass
 * `encoding` ('macroman' | 'latin1') or let the heuristic choose. CR, LF and CRLF line ends all work.
 */
export function parseUprInfoCsv(input: Uint8Array | ArrayBuffer | string, options: UprInfoParseOptions = {}): ImportRecord[] {
  const { country, ...csv } = options;
  // the delimiter (, or ;) and a BOM are detected from the header line
  return mapUprInfoTable(readCsv(input, csv), country ? { country } : {});
}

export interface UprInfoCounts {
  recommendations: number;
  pledges: number;
  supported: number;
  noted: number;
  documents: number;
}

/** Counts for an import summary. */
export function countUprInfo(records: readonly ImportRecord[]): UprInfoCounts {
  const docs = new Set<string>();
  const c: UprInfoCounts = { recommendations: 0, pledges: 0, supported: 0, noted: 0, documents: 0 };
  for (const r of records) {
    docs.add(r.document.symbol);
    if (r.kind === 'pledge') c.pledges++;
    else c.recommendations++;
    if (r.position === 'supported') c.supported++;
    if (r.position === 'noted') c.noted++;
  }
  c.documents = docs.size;
  return c;
}
