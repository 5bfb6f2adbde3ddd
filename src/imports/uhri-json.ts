/**
 * UHRI (Universal Human Rights Index) JSON export: one JSON array of annotation records, one file
 * per language (export-full-en.json, -ar, -fr…), ≈250,000 records / 400 MB for the full index.
 *
 * Streams with bounded memory: a byte scanner cuts the input at top-level commas and each run of
 * complete elements is parsed with JSON.parse (see parseUhriJson). Nothing but the current chunk,
 * the unfinished element and the records of that chunk is held.
 *
 * Errors (ImportParseError):
 *   - empty_file     the input is empty or whitespace only
 *   - invalid_json   syntax error or truncation; the issue names the exact 1-based record number
 *                    (for any input: path, Buffer or stream)
 *   - missing_field  a record without AnnotationId, Text or Symbol (names record and field)
 *   - invalid_record an array element that is not an object
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { ImportParseError } from './types.ts';
import { MAX_ROW_BYTES, rowTooLarge } from './limits.ts';
import type { ImportRecord, Lang } from './types.ts';
import {
  bodyCode,
  cleanList,
  documentTypeOf,
  isoDate,
  kindOf,
  langFromFilename,
  makeFilter,
  parseIntLoose,
  parseSdgs,
  positionOf,
  splitParagraph,
  stripUprAttribution,
} from './uhri-shared.ts';
import type { UhriFilter } from './uhri-shared.ts';

export { langFromFilename } from './uhri-shared.ts';
export type { UhriFilter, Mechanism } from './uhri-shared.ts';

/** One record of the UHRI JSON export, as documented (all fields optional on the wire). */
export interface UhriJsonRecord {
  AnnotationId?: string;
  AnnotationType?: string;
  Body?: string;
  Symbol?: string;
  Text?: string;
  DocumentId?: string | number;
  PublicationDate?: string;
  PublicationDateOnUhri?: string;
  Countries?: string[];
  Regions?: string[];
  Themes?: string[];
  AffectedPersons?: string[];
  Sdgs?: string[];
  UprCycle?: string | number | null;
  UprSession?: (string | number)[] | string | number | null;
  UprPositions?: string[];
  UprRecommendingCountry?: string[];
  UprRecommendingRegions?: string[];
}

export interface UhriJsonOptions extends UhriFilter {
  /** Language of the texts. Default: inferred from `filename` (or the path), else 'en'. */
  lang?: Lang;
  /** Original file name, used to infer the language when the input is a Buffer or stream. */
  filename?: string;
  /** Called after each chunk read with the total bytes read so far. */
  onProgress?: (bytesRead: number) => void;
  /** Read chunk size for file inputs (default 256 KiB). */
  chunkSize?: number;
}

export type UhriJsonInput = string | Buffer | Uint8Array | Readable | AsyncIterable<Uint8Array | string>;

function issue(code: string, message: string, row?: number, field?: string): ImportParseError {
  return new ImportParseError([{ code, message, ...(row !== undefined ? { row } : {}), ...(field ? { field } : {}) }]);
}

/** Map one raw UHRI record (1-based `recordNo`) to an ImportRecord. Throws missing_field / invalid_record. */
export function mapUhriRecord(raw: unknown, recordNo: number, lang: Lang): { record: ImportRecord; countries: string[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw issue('invalid_record', `record ${recordNo} is not a JSON object`, recordNo);
  }
  const r = raw as UhriJsonRecord;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
  for (const field of ['AnnotationId', 'Text', 'Symbol'] as const) {
    if (!str(r[field])) throw issue('missing_field', `record ${recordNo} has no ${field}`, recordNo, field);
  }
  const body = bodyCode(str(r.Body) || 'UNKNOWN');
  const symbol = str(r.Symbol);
  const { paragraph, text } = splitParagraph(String(r.Text));
  const countries = cleanList(r.Countries);
  const states = cleanList(r.UprRecommendingCountry);
  const document: ImportRecord['document'] = { symbol, body };
  const type = documentTypeOf(body, symbol);
  if (type) document.type = type;
  const date = isoDate(r.PublicationDate);
  if (date) document.date = date;
  const cycle = parseIntLoose(r.UprCycle);
  if (cycle !== undefined) document.uprCycle = cycle;
  const session = parseIntLoose(r.UprSession);
  if (session !== undefined) document.uprSession = session;
  if (countries[0]) document.country = countries[0];
  const docId = str(r.DocumentId);
  if (docId) document.externalId = docId;

  const record: ImportRecord = {
    sourceRow: recordNo,
    externalId: str(r.AnnotationId),
    document,
    texts: { [lang]: body === 'UPR' ? stripUprAttribution(text, states) : text },
    kind: kindOf(str(r.AnnotationType)),
  };
  if (paragraph) record.paragraph = paragraph;
  if (states.length) record.recommendingStates = states;
  const position = positionOf(r.UprPositions);
  if (position) record.position = position;
  const themes = cleanList(r.Themes);
  if (themes.length) record.themes = themes;
  const persons = cleanList(r.AffectedPersons);
  if (persons.length) record.affectedPersons = persons;
  const sdgs = parseSdgs(r.Sdgs);
  if (sdgs.length) record.sdgs = sdgs;
  return { record, countries };
}

function toReadable(input: UhriJsonInput, chunkSize: number): Readable {
  if (typeof input === 'string') return createReadStream(input, { highWaterMark: chunkSize });
  if (input instanceof Readable) return input;
  if (input instanceof Uint8Array) {
    const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    // hand the buffer over in slices so that progress and back-pressure behave as for a file
    return Readable.from(
      (function* () {
        for (let i = 0; i < buf.length; i += chunkSize) yield buf.subarray(i, i + chunkSize);
      })(),
    );
  }
  return Readable.from(input);
}

function isWs(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

const isBom = (b: number) => b === 0xef || b === 0xbb || b === 0xbf;

function invalidJson(record: number, detail: string): ImportParseError {
  return issue('invalid_json', `invalid JSON at record ${record}: ${detail}`, record);
}

/**
 * Splits a JSON text holding several array elements ("{…}, {…}, 3") at its top-level commas
 * (strings and nesting respected). Error path only.
 */
function splitElements(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * Stream the records of a UHRI JSON export. `input`: a file path, a Buffer, or a byte stream.
 * Records come in file order; filtered-out records are validated but not yielded.
 *
 * A byte scanner follows the top level of the array (string, escape and nesting state carried
 * across chunks) and cuts each chunk after its last top-level comma; the complete elements before
 * that cut are parsed with one JSON.parse. Only the unfinished element is carried to the next chunk.
 */
export async function* parseUhriJson(input: UhriJsonInput, options: UhriJsonOptions = {}): AsyncGenerator<ImportRecord> {
  const chunkSize = options.chunkSize ?? 256 * 1024;
  const lang: Lang =
    options.lang ?? langFromFilename(options.filename) ?? (typeof input === 'string' ? langFromFilename(input) : undefined) ?? 'en';
  const keep = makeFilter(options);
  const source = toReadable(input, chunkSize);

  let recordNo = 0; // elements parsed so far
  let separators = 0; // top-level commas consumed so far
  /** Parses the elements in `text` (between two top-level commas, or the last ones), maps and filters them. */
  function* elements(text: string, final: boolean): Generator<ImportRecord> {
    if (!/\S/.test(text)) {
      if (!final) throw invalidJson(recordNo + 1, 'an empty element (two commas in a row, or a comma right after [)');
      if (separators > 0) throw invalidJson(recordNo + 1, 'a comma before the closing ]');
      return;
    }
    let values: unknown[];
    try {
      values = JSON.parse(`[${text}]`) as unknown[];
    } catch {
      // name the bad element exactly: parse them one by one
      for (const one of splitElements(text)) {
        let value: unknown;
        try {
          value = JSON.parse(one);
        } catch (e) {
          throw invalidJson(recordNo + 1, /\S/.test(one) ? (e as Error).message : 'an empty element');
        }
        recordNo += 1;
        const { record, countries } = mapUhriRecord(value, recordNo, lang);
        if (keep(record, countries)) yield record;
      }
      throw invalidJson(recordNo + 1, 'syntax error between records'); // not reached: `[text]` parses when each part does
    }
    for (const value of values) {
      recordNo += 1;
      const { record, countries } = mapUhriRecord(value, recordNo, lang);
      if (keep(record, countries)) yield record;
    }
  }

  let bytesRead = 0;
  let state: 'before' | 'array' | 'after' = 'before';
  let depth = 0; // nesting inside the top-level array (elements are at depth 0)
  let inString = false;
  let escape = false;
  let pending: Buffer[] = []; // bytes after the last top-level comma, not yet parsed
  let pendingBytes = 0;
  /**
   * Inside a string from `i`: returns the index of its closing quote (and leaves the string), or
   * the last index of `buf` when the string goes on in the next chunk. Jumps from quote to quote;
   * a quote preceded by an odd run of backslashes is escaped.
   */
  const skipString = (buf: Buffer, i: number): number => {
    let from = i;
    if (escape) {
      escape = false;
      from += 1;
    }
    for (let q = buf.indexOf(0x22, from); ; q = buf.indexOf(0x22, q + 1)) {
      const stop = q < 0 ? buf.length : q;
      let k = stop - 1;
      while (k >= from && buf[k] === 0x5c) k--;
      const backslashes = stop - 1 - k;
      if (q < 0) {
        escape = backslashes % 2 === 1;
        return buf.length - 1;
      }
      if (backslashes % 2 === 0) {
        inString = false;
        return q;
      }
    }
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer | string>) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytesRead += buf.length;
      options.onProgress?.(bytesRead);
      let from = 0; // start of the unparsed bytes in buf
      let cut = -1; // last top-level comma in buf
      let end = -1; // closing ] of the array
      let trailing = false; // bytes other than white space after it
      for (let i = 0; i < buf.length; i++) {
        if (inString) {
          i = skipString(buf, i);
          continue;
        }
        const b = buf[i] as number;
        if (state === 'array') {
          if (b === 0x22) {
            inString = true;
            i = skipString(buf, i + 1);
          } else if (b === 0x7b || b === 0x5b) depth++;
          else if (b === 0x7d || b === 0x5d) {
            if (depth > 0) depth--;
            else if (b === 0x5d) {
              end = i;
              state = 'after';
            } else throw invalidJson(recordNo + 1, 'unbalanced brackets');
          } else if (b === 0x2c && depth === 0) {
            cut = i;
            separators += 1;
          }
        } else if (state === 'before') {
          if (isWs(b) || (bytesRead - buf.length + i < 3 && isBom(b))) continue;
          if (b !== 0x5b) throw issue('invalid_json', 'the file is not a JSON array of UHRI records (its top level is not an array)', 1);
          state = 'array';
          from = i + 1;
        } else if (!isWs(b)) {
          trailing = true;
          break;
        }
      }
      if (cut >= 0) {
        pending.push(buf.subarray(from, cut));
        yield* elements(Buffer.concat(pending).toString('utf8'), false);
        pending = [];
        pendingBytes = 0;
        from = cut + 1;
      }
      if (end >= 0) {
        pending.push(buf.subarray(from, end));
        yield* elements(Buffer.concat(pending).toString('utf8'), true);
        pending = [];
      } else if (state === 'array' && from < buf.length) {
        pending.push(buf.subarray(from));
        pendingBytes += buf.length - from;
        // one record may not hold more than MAX_ROW_BYTES: refused before it is parsed
        if (pendingBytes > MAX_ROW_BYTES) rowTooLarge(recordNo + 1, 'Record');
      }
      if (trailing) throw invalidJson(recordNo + 1, 'unexpected characters after the closing ]');
    }
    if (state === 'before') throw issue('empty_file', 'the file is empty: expected a JSON array of UHRI records');
    if (state === 'array') {
      if (depth > 0 || inString) throw invalidJson(recordNo + 1, 'the file ends inside this record (truncated)');
      const rest = Buffer.concat(pending).toString('utf8');
      if (/\S/.test(rest)) yield* elements(rest, false);
      throw invalidJson(recordNo + 1, 'the file ends before the closing ] (truncated)');
    }
  } finally {
    source.destroy();
  }
}

/** Collect everything (small files / tests). */
export async function parseUhriJsonToArray(input: UhriJsonInput, options: UhriJsonOptions = {}): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  for await (const r of parseUhriJson(input, options)) out.push(r);
  return out;
}
