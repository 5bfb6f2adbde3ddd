/**
 * Checks on the XML inside Office files (.xlsx, .docx) before a library reads them, so that a damaged or hostile
 * file is refused with a coded error naming the part (and, in a worksheet, the row) instead of a raw exception
 * from deep inside exceljs or the XML parser:
 *  - every XML part is well-formed, declares no DOCTYPE (no entity expansion) and uses only the predefined
 *    entities (`bad_xml`);
 *  - the parts a workbook needs are there (`bad_xlsx`);
 *  - worksheets are under the caps of limits.ts (`too_many_columns`, `cell_too_large` for inline cells), measured
 *    on the XML text itself, before exceljs builds a single cell.
 * The zip-bomb guard (zip-guard.ts) runs first and inflates each entry once; the checks run on each part as it
 * is inflated, so only one part is held at a time.
 */
import { XMLValidator } from 'fast-xml-parser';
import { MAX_CELL_BYTES, MAX_COLUMNS, cellTooLarge, tooManyColumns } from './limits.ts';
import { ImportParseError } from './types.ts';
import { assertSafeZip, readZipEntries, type ZipLimits } from './zip-guard.ts';

const isXmlPart = (name: string) => /\.(xml|rels)$/i.test(name);

function lineOf(xml: string, index: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = xml.indexOf('\n'); i >= 0 && i < index; i = xml.indexOf('\n', i + 1)) {
    line += 1;
    start = i + 1;
  }
  return { line, col: index - start + 1 };
}

function indexOfLine(xml: string, line: number, col: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = xml.indexOf('\n', start);
    if (nl < 0) break;
    start = nl + 1;
  }
  return start + Math.max(0, col - 1);
}

/** The worksheet row (its r attribute) around a position of a worksheet part, if any. */
function rowAt(xml: string, index: number): number | undefined {
  const at = xml.lastIndexOf('<row', index);
  if (at < 0) return undefined;
  const m = /^<row\b[^>]*?\br="(\d+)"/.exec(xml.slice(at, at + 300));
  return m ? Number(m[1]) : undefined;
}

function badXml(part: string, xml: string, index: number, what: string): never {
  const { line, col } = lineOf(xml, index);
  const row = /^xl\/worksheets\//.test(part) ? rowAt(xml, index) : undefined;
  throw new ImportParseError([
    {
      ...(row !== undefined ? { row } : {}),
      field: part,
      code: 'bad_xml',
      message: `The part ${part} of the file is not well-formed XML${row !== undefined ? ` (in row ${row})` : ''}: ${what.slice(0, 160)} at line ${line}, column ${col}`,
    },
  ]);
}

const XML_DECLARATION = /^<\?xml\s+version\s*=\s*(["'])1\.\d\1(\s+encoding\s*=\s*(["'])[A-Za-z][\w.-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*\?>/;
// eslint-disable-next-line no-control-regex -- the control characters XML 1.0 forbids are what this looks for
const CONTROL_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const ENTITY_RE = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)/g;

/** Throws bad_xml (naming the part, line and, in a worksheet, row) unless `xml` is well-formed plain XML. */
export function checkXmlPart(part: string, data: Buffer | string): string {
  const xml = typeof data === 'string' ? data : data.toString('utf8');
  if (xml.replace(/^\ufeff/, '').startsWith('<?xml') && !XML_DECLARATION.test(xml.replace(/^\ufeff/, ''))) badXml(part, xml, 0, 'a damaged XML declaration');
  const control = xml.search(CONTROL_CHAR);
  if (control >= 0) badXml(part, xml, control, `a character XML does not allow (U+${xml.charCodeAt(control).toString(16).padStart(4, '0').toUpperCase()})`);
  const doctype = xml.search(/<!DOCTYPE/i);
  if (doctype >= 0) badXml(part, xml, doctype, 'a DOCTYPE declaration (not allowed in an Office file)');
  const result = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (result !== true) {
    // the validator lists the unclosed elements as "Invalid '[ … ]' found": say what it means
    const what = /^Invalid '\[/.test(result.err.msg) ? 'it ends before its elements are closed (cut short)' : result.err.msg;
    badXml(part, xml, indexOfLine(xml, result.err.line, result.err.col), what);
  }
  ENTITY_RE.lastIndex = 0;
  for (let m = ENTITY_RE.exec(xml); m; m = ENTITY_RE.exec(xml)) {
    const i = m.index;
    const inCdata = xml.lastIndexOf('<![CDATA[', i) > xml.lastIndexOf(']]>', i);
    const inComment = xml.lastIndexOf('<!--', i) > xml.lastIndexOf('-->', i);
    if (!inCdata && !inComment) badXml(part, xml, i, `an undefined entity "${xml.slice(i, i + 20).split(/[;\s<]/)[0]}"`);
  }
  return xml;
}

/** Column number of a cell reference: "A1" → 1, "XFD1" → 16384. */
export function columnOfRef(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
    if (n > 1e6) break;
  }
  return n;
}

function unescapedBytes(xmlSlice: string): number {
  const text = xmlSlice
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|apos);/g, 'x')
    .replace(/&#x?[0-9a-fA-F]+;/g, 'xx');
  return Buffer.byteLength(text, 'utf8');
}

/** Caps on a worksheet's XML: cells per row, column references, cell sizes. */
export function scanWorksheet(part: string, xml: string): void {
  const re = /<(\/?)(row|c)\b([^>]*)>/g;
  let row = 0;
  let cells = 0;
  let cellStart = -1;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const [, close, tag, attrs = ''] = m;
    if (tag === 'row') {
      if (close) continue;
      const r = /\br="(\d+)"/.exec(attrs);
      row = r ? Number(r[1]) : row + 1;
      cells = 0;
    } else if (tag === 'c') {
      if (close) {
        if (cellStart >= 0 && m.index - cellStart > MAX_CELL_BYTES) {
          const bytes = unescapedBytes(xml.slice(cellStart, m.index));
          if (bytes > MAX_CELL_BYTES) cellTooLarge(bytes, row, undefined, part);
        }
        cellStart = -1;
        continue;
      }
      cells += 1;
      if (cells > MAX_COLUMNS) tooManyColumns(`more than ${MAX_COLUMNS}`, row, part);
      const ref = /\br="([A-Z]+)\d*"/.exec(attrs);
      if (ref && columnOfRef(ref[1]!) > MAX_COLUMNS) tooManyColumns(`${columnOfRef(ref[1]!).toLocaleString('en')} (cell ${ref[1]})`, row, part);
      cellStart = attrs.endsWith('/') ? -1 : m.index + m[0].length;
    }
  }
}

/**
 * The full check of an .xlsx before exceljs sees it: zip bomb (central directory, then every entry inflated and
 * counted), every XML part well-formed, the workbook parts present, worksheets under the caps.
 */
export async function inspectXlsx(input: Buffer | string, limits?: ZipLimits): Promise<void> {
  const summary = await assertSafeZip(input, limits);
  const names = new Set(summary.names);
  for (const required of ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', '[Content_Types].xml']) {
    if (!names.has(required)) {
      throw new ImportParseError([
        { field: required, code: 'bad_xlsx', message: `The .xlsx has no part ${required}: it is not an Excel workbook, or it is damaged` },
      ]);
    }
  }
  await readZipEntries(input, () => true, limits, true, (name, data) => {
    if (!isXmlPart(name)) return;
    const xml = checkXmlPart(name, data);
    // (shared strings are checked cell by cell as the rows are read, where the row and column are known)
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(name)) scanWorksheet(name, xml);
    else if (name === 'xl/workbook.xml' && !(/<(?:\w+:)?workbook[\s>/]/.test(xml) && /<(?:\w+:)?sheets[\s>/]/.test(xml))) {
      throw new ImportParseError([{ field: name, code: 'bad_xlsx', message: `The part ${name} has no <workbook> and <sheets> elements: the file is damaged` }]);
    }
  });
}

/** Throws bad_xml naming the part for any of these .docx parts that is not well-formed. */
export function checkDocxParts(parts: ReadonlyMap<string, Buffer>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, data] of parts) out.set(name, checkXmlPart(name, data));
  return out;
}
