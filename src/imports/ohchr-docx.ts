/**
 * OHCHR "thematic list" / "matrix" of UPR recommendations (.docx), as published right after a
 * review. Pure parser: .docx bytes (or a path) in, ImportRecord[] out.
 *
 * The document is one Word table: a header row (Recommendation | [Recommending state/s] | Position |
 * Full list of themes …), theme-heading rows spanning the whole table ("Theme: A12 …",
 * "Right or area: 2.1. …") and one row per recommendation:
 *   - recommendation cell: "186.28. Text … (Mongolia);" then "Source of position: A/HRC/25/5/Add.1 - Para. 186.28."
 *   - position cell: Supported | Noted | Supported/Noted
 *   - themes cell: theme lines (coded "A12 Acceptance of international norms" in older lists,
 *     "- Acceptance of international norms" in newer ones, "S16 SDG 16 - …" lines in China 2018),
 *     an optional "SDGs:" block ("- 16 - PEACE, JUSTICE …") and an "Affected persons:" block.
 * The review heading ("UPR of China (2nd Cycle – 17th session)") sits in the page header.
 */
import { XMLParser } from 'fast-xml-parser';
import { ImportParseError } from './types.ts';
import type { ImportRecord, Lang, Position } from './types.ts';
import { readZipEntries } from './zip-guard.ts';
import { checkDocxParts } from './ooxml-guard.ts';
import { splitRecommendingStates } from './recommending-states.ts';
import type { ZipLimits } from './zip-guard.ts';

export { looksLikeStateName, splitRecommendingStates } from './recommending-states.ts';

export interface OhchrDocxOptions {
  /** Language of the texts (the thematic lists are published in English). Default 'en'. */
  lang?: Lang;
  /** Override / supply what the document does not say. */
  country?: string;
  uprCycle?: number;
  uprSession?: number;
  /** Document symbol to use instead of the one found in (or derived from) the document. */
  symbol?: string;
  zipLimits?: ZipLimits;
}

export interface DocxHeading {
  country?: string;
  uprCycle?: number;
  uprSession?: number;
  raw: string;
}

/* ------------------------------------------------------------------ XML → cell grid */

type XNode = Record<string, unknown>;

/** A table cell: its paragraphs' lines (w:br / w:cr split a paragraph into lines). */
interface Cell {
  lines: string[];
  gridSpan: number;
  vMerge?: 'restart' | 'continue';
}

export interface DocxTable {
  /** rows of cells laid on the table grid: a cell spanning n grid columns fills n slots */
  rows: { cells: (string[] | undefined)[]; spans: number[]; raw: Cell[] }[];
}

function tagOf(node: XNode): string | undefined {
  for (const k of Object.keys(node)) if (k !== ':@') return k;
  return undefined;
}

function childrenOf(node: XNode): XNode[] {
  const tag = tagOf(node);
  const c = tag ? node[tag] : undefined;
  return Array.isArray(c) ? (c as XNode[]) : [];
}

function attr(node: XNode, name: string): string | undefined {
  const attrs = node[':@'] as Record<string, unknown> | undefined;
  const v = attrs?.[`@_${name}`];
  return v === undefined ? undefined : String(v);
}

/** Text of a paragraph-ish subtree: w:t text, w:tab → tab, w:br/w:cr → newline. */
function collectText(nodes: XNode[], out: string[]): void {
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === 'w:t') {
      for (const c of childrenOf(n)) if ('#text' in c) out.push(String(c['#text']));
    } else if (tag === 'w:tab') out.push('\t');
    else if (tag === 'w:br' || tag === 'w:cr') out.push('\n');
    else if (tag === 'w:delText' || tag === 'w:instrText' || tag === 'w:tbl') continue; // deleted / field codes / nested tables
    else if (tag && tag !== '#text') collectText(childrenOf(n), out);
  }
}

function paragraphLines(p: XNode): string[] {
  const parts: string[] = [];
  collectText(childrenOf(p), parts);
  return parts.join('').split('\n');
}

function cellOf(tc: XNode): Cell {
  const lines: string[] = [];
  let gridSpan = 1;
  let vMerge: Cell['vMerge'];
  const walkCell = (nodes: XNode[]) => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === 'w:tcPr') {
        for (const pr of childrenOf(n)) {
          const pt = tagOf(pr);
          if (pt === 'w:gridSpan') gridSpan = Math.max(1, Number(attr(pr, 'w:val') ?? 1) || 1);
          else if (pt === 'w:vMerge') vMerge = attr(pr, 'w:val') === 'restart' ? 'restart' : 'continue';
        }
      } else if (tag === 'w:p') lines.push(...paragraphLines(n));
      else if (tag === 'w:tbl') {
        // a table nested in a cell: flatten its text into the cell
        const inner: string[] = [];
        collectNestedText(n, inner);
        lines.push(...inner);
      } else if (tag === 'w:sdt' || tag === 'w:sdtContent' || tag === 'w:customXml') walkCell(childrenOf(n));
    }
  };
  walkCell(childrenOf(tc));
  return { lines, gridSpan, vMerge };
}

function collectNestedText(node: XNode, out: string[]): void {
  for (const n of childrenOf(node)) {
    if (tagOf(n) === 'w:p') out.push(...paragraphLines(n));
    else collectNestedText(n, out);
  }
}

function tableOf(tbl: XNode): DocxTable {
  const rows: DocxTable['rows'] = [];
  const rowNodes: XNode[] = [];
  const findRows = (nodes: XNode[]) => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === 'w:tr') rowNodes.push(n);
      else if (tag === 'w:sdt' || tag === 'w:sdtContent' || tag === 'w:customXml') findRows(childrenOf(n));
    }
  };
  findRows(childrenOf(tbl));
  for (const tr of rowNodes) {
    const raw: Cell[] = [];
    const findCells = (nodes: XNode[]) => {
      for (const n of nodes) {
        const tag = tagOf(n);
        if (tag === 'w:tc') raw.push(cellOf(n));
        else if (tag === 'w:sdt' || tag === 'w:sdtContent' || tag === 'w:customXml') findCells(childrenOf(n));
      }
    };
    findCells(childrenOf(tr));
    const cells: (string[] | undefined)[] = [];
    const spans: number[] = [];
    for (const c of raw) {
      const col = cells.length;
      let lines = c.lines;
      if (c.vMerge === 'continue') {
        // vertically merged: the content lives in the first cell of the merge, above
        for (let r = rows.length - 1; r >= 0; r--) {
          const above = rows[r]?.cells[col];
          if (above) {
            lines = above;
            break;
          }
        }
      }
      cells.push(lines);
      spans.push(c.gridSpan);
      for (let i = 1; i < c.gridSpan; i++) {
        cells.push(undefined);
        spans.push(0);
      }
    }
    rows.push({ cells, spans, raw });
  }
  return { rows };
}

const xmlParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

function parseXml(xml: string): XNode[] {
  return xmlParser.parse(xml) as XNode[];
}

/** Every w:tbl of a WordprocessingML part, in document order (top-level ones; nested are flattened). */
export function tablesOfDocumentXml(xml: string): { tables: DocxTable[]; textBeforeFirstTable: string[] } {
  const tables: DocxTable[] = [];
  const textBefore: string[] = [];
  const visit = (nodes: XNode[]) => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === 'w:tbl') tables.push(tableOf(n));
      else if (tag === 'w:p') {
        if (tables.length === 0) textBefore.push(...paragraphLines(n));
      } else if (tag && tag !== '#text' && tag !== '?xml') visit(childrenOf(n));
    }
  };
  visit(parseXml(xml));
  return { tables, textBeforeFirstTable: textBefore.map((s) => s.trim()).filter(Boolean) };
}

function plainTextOfPart(xml: string): string[] {
  const out: string[] = [];
  const visit = (nodes: XNode[]) => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === 'w:p') out.push(paragraphLines(n).join(' '));
      else if (tag && tag !== '#text' && tag !== '?xml') visit(childrenOf(n));
    }
  };
  visit(parseXml(xml));
  return out.map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/* ------------------------------------------------------------------ text helpers */

const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
};

function numberish(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const m = /^(\d+)/.exec(s);
  if (m) return Number(m[1]);
  return ORDINALS[s.toLowerCase()];
}

/**
 * "UPR of China (2nd Cycle – 17th session)", "UPR of Slovenia (3rd Cycle - 34th Session)",
 * "UPR of Egypt - Second Cycle", "Universal Periodic Review of X – third cycle", "… 20th session …".
 */
export function parseHeading(lines: string[]): DocxHeading | undefined {
  for (const raw of lines) {
    const line = raw.replace(/\s+/g, ' ');
    const m = /\b(?:UPR|Universal Periodic Review)\s+of\s+(?:the\s+)?(.+?)(?=\s*[(\-–—:,]|\s+(?:\d|first|second|third|fourth|fifth)\b|\s*Thematic\b|$)/i.exec(line);
    if (!m?.[1]) continue;
    const country = m[1].trim();
    const rest = line.slice(m.index + m[0].length);
    const cyc = /(\d+)(?:st|nd|rd|th)?\s+cycle|\b(first|second|third|fourth|fifth|sixth)\s+cycle|cycle\s+(\d+)/i.exec(rest);
    const ses = /(\d+)(?:st|nd|rd|th)?\s+session|session\s+(\d+)/i.exec(rest);
    return {
      country,
      uprCycle: numberish(cyc?.[1] ?? cyc?.[2] ?? cyc?.[3]),
      uprSession: numberish(ses?.[1] ?? ses?.[2]),
      raw: line,
    };
  }
  return undefined;
}

export function positionOf(raw: string): Position | undefined {
  const s = raw.trim().toLowerCase();
  if (!s) return undefined;
  if (/partial|supported\s*\/\s*noted|noted\s*\/\s*supported|supported in part/.test(s)) return 'partially_supported';
  if (/^(supported|accepted|accept)/.test(s)) return 'supported';
  if (/^(noted|rejected|not supported|not accepted)/.test(s)) return 'noted';
  return undefined;
}

function stripBullet(s: string): string {
  return s.replace(/^\s*[-–•·*]\s*/, '').replace(/\s+/g, ' ').trim();
}

export interface ThemesCell {
  themes: string[];
  affectedPersons: string[];
  sdgs: { code: string; label?: string }[];
}

/** Themes cell: theme lines, "SDGs:" block, "Affected persons:" block. */
export function parseThemesCell(lines: string[]): ThemesCell {
  const out: ThemesCell = { themes: [], affectedPersons: [], sdgs: [] };
  let mode: 'themes' | 'sdgs' | 'affected' = 'themes';
  const addSdg = (code: string, label?: string) => {
    const c = code.replace(/^0+(?=\d)/, '');
    if (!out.sdgs.some((x) => x.code === c)) out.sdgs.push(label ? { code: c, label } : { code: c });
  };
  for (const rawLine of lines) {
    const line = rawLine.replace(/\s+/g, ' ').trim();
    if (!line) continue;
    const head = /^(SDGs?|Sustainable Development Goals?|Affected persons|Affected groups|Groups(?: or affected persons)?|Persons affected)\s*:\s*(.*)$/i.exec(line);
    if (head) {
      mode = /^(SDG|Sustainable)/i.test(head[1] ?? '') ? 'sdgs' : 'affected';
      const rest = head[2]?.trim();
      if (rest) handle(rest);
      continue;
    }
    handle(line);
  }
  function handle(line: string) {
    const item = stripBullet(line);
    if (!item) return;
    if (mode === 'themes') {
      // China 2018: "S16 SDG 16 - peace, justice and strong institutions"
      const sdgTheme = /^S\d{1,2}\s+SDG\s*(\d{1,2}(?:\.[0-9a-z]+)?)\s*[-–:]?\s*(.*)$/i.exec(item);
      if (sdgTheme?.[1]) addSdg(sdgTheme[1], sdgTheme[2]?.trim() || undefined);
      else if (!out.themes.includes(item)) out.themes.push(item);
    } else if (mode === 'sdgs') {
      const m = /^(?:SDG|Goal)?\s*(\d{1,2}(?:\.[0-9a-z]+)?)\s*(?:[-–:]\s*(.*))?$/i.exec(item);
      if (m?.[1]) addSdg(m[1], m[2]?.trim() || undefined);
    } else if (!out.affectedPersons.includes(item)) out.affectedPersons.push(item);
  }
  return out;
}

/* ------------------------------------------------------------------ the table → records */

interface Columns {
  rec: number;
  pos: number;
  themes: number;
  states?: number;
}

function findColumns(cells: (string[] | undefined)[]): Columns | undefined {
  const heads = cells.map((c) => (c ?? []).join(' ').replace(/\s+/g, ' ').trim().toLowerCase());
  const rec = heads.findIndex((h) => /^recommendations?\b/.test(h));
  const pos = heads.findIndex((h) => /^(position|response)\b/.test(h));
  if (rec < 0 || pos < 0) return undefined;
  let themes = heads.findIndex((h) => /themes|rights|issues|affected/.test(h) && !/^recommend/.test(h));
  if (themes < 0) themes = -1;
  const states = heads.findIndex((h) => /recommending\s+state/.test(h));
  return { rec, pos, themes, states: states >= 0 ? states : undefined };
}

const PARA_RE = /^(\d{1,3}(?:\.\d{1,3})+|\d{1,3})\.?\s+(?=\S)/;

export function wgReportSymbolOf(positionSource: string): string | undefined {
  const m = /\b(A\/HRC\/\d+\/\d+)(?:\/Add\.\d+)?/i.exec(positionSource);
  return m?.[1]?.toUpperCase().replace('A/HRC', 'A/HRC');
}

function isHeadingRow(row: DocxTable['rows'][number]): string | undefined {
  const filled = row.cells.filter((c) => c && c.join('').trim());
  if (filled.length !== 1) return undefined;
  const text = (filled[0] ?? []).join(' ').replace(/\s+/g, ' ').trim();
  const spansAll = row.raw.length === 1 || (row.spans[0] ?? 1) > 1;
  const m = /^(?:Theme|Right or area|Thematic area|Cluster|Issue)s?\s*:\s*(.+)$/i.exec(text);
  if (m?.[1]) return m[1].trim();
  if (spansAll && !PARA_RE.test(text)) return text;
  return undefined;
}

export interface OhchrDocxParse {
  heading?: DocxHeading;
  symbol: string;
  /** how `symbol` was obtained */
  symbolSource: 'option' | 'position_source' | 'derived';
  records: ImportRecord[];
}

/** Parse the already-extracted XML parts (exported for tests and for callers that unzip themselves). */
export function parseOhchrDocumentXml(
  documentXml: string,
  headerXmls: string[],
  options: OhchrDocxOptions = {},
): OhchrDocxParse {
  const lang = options.lang ?? 'en';
  const { tables, textBeforeFirstTable } = tablesOfDocumentXml(documentXml);
  const headingLines = [...textBeforeFirstTable, ...headerXmls.flatMap(plainTextOfPart)];
  const heading = parseHeading(headingLines);

  // the recommendations table: the first one whose header row names Recommendation and Position
  let table: DocxTable | undefined;
  let cols: Columns | undefined;
  let headerRow = -1;
  for (const t of tables) {
    for (let r = 0; r < Math.min(t.rows.length, 5); r++) {
      const c = findColumns(t.rows[r]?.cells ?? []);
      if (c) {
        table = t;
        cols = c;
        headerRow = r;
        break;
      }
    }
    if (table) break;
  }
  if (!table || !cols) {
    throw new ImportParseError([
      {
        code: 'no_table',
        message:
          tables.length === 0
            ? 'the document holds no table: not an OHCHR thematic list of recommendations'
            : 'no table with "Recommendation" and "Position" columns: not an OHCHR thematic list of recommendations',
      },
    ]);
  }

  const country = options.country ?? heading?.country;
  const uprCycle = options.uprCycle ?? heading?.uprCycle;
  const uprSession = options.uprSession ?? heading?.uprSession;

  interface Draft extends ImportRecord {
    _symbolHint?: string;
  }
  const drafts: Draft[] = [];
  let themeHeading: string | undefined;
  for (let r = headerRow + 1; r < table.rows.length; r++) {
    const row = table.rows[r];
    if (!row) continue;
    const h = isHeadingRow(row);
    if (h !== undefined) {
      themeHeading = h;
      continue;
    }
    const recLines = (row.cells[cols.rec] ?? []).map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
    const first = recLines[0];
    if (!first) continue;
    const pm = PARA_RE.exec(first);
    if (!pm?.[1]) continue; // not a recommendation row (e.g. a repeated header)
    const paragraph = pm[1];
    const textLines: string[] = [first.slice(pm[0].length)];
    let positionSource: string | undefined;
    for (const l of recLines.slice(1)) {
      const sp = /^Source\s+of\s+position\s*:?\s*(.*)$/i.exec(l);
      if (sp) positionSource = (sp[1] ?? '').trim() || undefined;
      else if (!positionSource) textLines.push(l);
    }
    const fullText = textLines.join(' ').replace(/\s+/g, ' ').trim();
    const split = splitRecommendingStates(fullText);
    let states = split.states;
    if (cols.states !== undefined) {
      const colStates = (row.cells[cols.states] ?? []).map(stripBullet).filter(Boolean);
      if (colStates.length) states = colStates;
    }
    const posText = (row.cells[cols.pos] ?? []).join(' ').replace(/\s+/g, ' ').trim();
    const tc = cols.themes >= 0 ? parseThemesCell(row.cells[cols.themes] ?? []) : { themes: [], affectedPersons: [], sdgs: [] };
    if (tc.themes.length === 0 && themeHeading) tc.themes.push(themeHeading);
    const position = positionOf(posText);
    const rec: Draft = {
      sourceRow: r + 1,
      document: { symbol: '', body: 'UPR', type: 'upr_wg_report' },
      paragraph,
      texts: { [lang]: split.text },
      originalLang: lang,
      kind: 'recommendation',
      _symbolHint: positionSource ? wgReportSymbolOf(positionSource) : undefined,
    };
    if (states.length) rec.recommendingStates = states;
    if (position) rec.position = position;
    if (positionSource) rec.positionSource = positionSource;
    if (tc.themes.length) rec.themes = tc.themes;
    if (tc.affectedPersons.length) rec.affectedPersons = tc.affectedPersons;
    if (tc.sdgs.length) rec.sdgs = tc.sdgs;
    drafts.push(rec);
  }

  // Document symbol: the Working Group report the positions cite (A/HRC/25/5/Add.1 → A/HRC/25/5),
  // the most frequent one; else a stable synthetic key from the heading.
  let symbol = options.symbol;
  let symbolSource: OhchrDocxParse['symbolSource'] = 'option';
  if (!symbol) {
    const counts = new Map<string, number>();
    for (const d of drafts) if (d._symbolHint) counts.set(d._symbolHint, (counts.get(d._symbolHint) ?? 0) + 1);
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    if (best) {
      symbol = best[0];
      symbolSource = 'position_source';
    } else {
      symbol = deriveSymbol(country, uprCycle, uprSession);
      symbolSource = 'derived';
    }
  }
  const records: ImportRecord[] = drafts.map(({ _symbolHint, ...rec }) => {
    void _symbolHint;
    const document: ImportRecord['document'] = { symbol: symbol as string, body: 'UPR', type: 'upr_wg_report' };
    if (uprCycle !== undefined) document.uprCycle = uprCycle;
    if (uprSession !== undefined) document.uprSession = uprSession;
    if (country) document.country = country;
    return { ...rec, document };
  });
  return { heading, symbol: symbol as string, symbolSource, records };
}

/**
 * Synthetic document key when the list cites no report symbol: "UPR/<Country>/C<cycle>[/S<session>]",
 * e.g. "UPR/Egypt/C2". It is stable (a re-import of the same list updates the same document) and
 * plainly not a UN symbol, so a coordinator can replace it by the real WG report symbol later.
 */
export function deriveSymbol(country?: string, cycle?: number, session?: number): string {
  const parts = ['UPR', (country ?? 'Unknown').replace(/\s+/g, '-')];
  if (cycle !== undefined) parts.push(`C${cycle}`);
  if (session !== undefined) parts.push(`S${session}`);
  return parts.join('/');
}

/** Parse an OHCHR thematic-list .docx (Buffer or file path). Throws ImportParseError: zip_bomb, invalid_zip, not_docx, no_table. */
export async function parseOhchrDocx(input: Buffer | string, options: OhchrDocxOptions = {}): Promise<OhchrDocxParse> {
  const parts = await readZipEntries(
    input,
    (name) => name === 'word/document.xml' || /^word\/header\d*\.xml$/.test(name),
    options.zipLimits,
  );
  const doc = parts.get('word/document.xml');
  if (!doc) {
    throw new ImportParseError([{ code: 'not_docx', message: 'the archive has no word/document.xml: not a Word .docx file' }]);
  }
  // well-formed, no DOCTYPE, no undefined entity: else bad_xml naming the part
  const xml = checkDocxParts(parts);
  const headers = [...xml.entries()]
    .filter(([n]) => n !== 'word/document.xml')
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([, text]) => text);
  try {
    return parseOhchrDocumentXml(xml.get('word/document.xml')!, headers, options);
  } catch (err) {
    if (err instanceof ImportParseError) throw err;
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
    throw new ImportParseError([{ field: 'word/document.xml', code: 'bad_xml', message: `The part word/document.xml could not be read: ${message}` }]);
  }
}

/** ParserResult-style entry point: the records only. */
export async function* ohchrDocxRecords(input: Buffer | string, options: OhchrDocxOptions = {}): AsyncGenerator<ImportRecord> {
  const { records } = await parseOhchrDocx(input, options);
  yield* records;
}
