/**
 * UHRI (Universal Human Rights Index) JSON export: one JSON array of annotation records, one file
 * per language (export-full-en.json, -ar, -fr…), ≈250,000 records / 400 MB for the full index.
 *
 * Streams with bounded memory: bytes → stream-json parser → streamArray (one record assembled at a
 * time) → ImportRecord. Nothing but the current record (and the stream buffers) is held.
 *
 * Errors (ImportParseError):
 *   - empty_file     the input is empty or whitespace only
 *   - invalid_json   syntax error or truncation; the issue names the 1-based record number (exact for
 *                    a file path or Buffer input, re-scanned on the error path; "after record N"
 *                    for a one-shot stream)
 *   - missing_field  a record without AnnotationId, Text or Symbol (names record and field)
 *   - invalid_record an array element that is not an object
 */
import { createReadStream } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import streamArray from 'stream-json/streamers/stream-array.js';
import { ImportParseError } from './types.ts';
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

/**
 * Stream the records of a UHRI JSON export. `input`: a file path, a Buffer, or a byte stream.
 * Records come in file order; filtered-out records are validated but not yielded.
 */
export async function* parseUhriJson(input: UhriJsonInput, options: UhriJsonOptions = {}): AsyncGenerator<ImportRecord> {
  const chunkSize = options.chunkSize ?? 256 * 1024;
  const lang: Lang =
    options.lang ?? langFromFilename(options.filename) ?? (typeof input === 'string' ? langFromFilename(input) : undefined) ?? 'en';
  const keep = makeFilter(options);
  let bytesRead = 0;
  let sawContent = false;
  const source = toReadable(input, chunkSize);
  const parser = streamArray.withParserAsStream({ streamValues: false });

  pipeline(
    source,
    async function* count(chunks: AsyncIterable<Buffer | string>) {
      for await (const chunk of chunks) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        if (!sawContent) {
          for (let i = 0; i < buf.length; i++) {
            const b = buf[i] as number;
            if (!isWs(b) && !(i < 3 && bytesRead === 0 && (b === 0xef || b === 0xbb || b === 0xbf))) {
              sawContent = true;
              break;
            }
          }
        }
        bytesRead += buf.length;
        options.onProgress?.(bytesRead);
        yield buf;
      }
    },
    parser,
    () => {
      /* errors surface through the iteration below */
    },
  );

  let recordNo = 0;
  try {
    for await (const item of parser as AsyncIterable<{ key: number; value: unknown }>) {
      recordNo = item.key + 1;
      const { record, countries } = mapUhriRecord(item.value, recordNo, lang);
      if (keep(record, countries)) yield record;
    }
  } catch (err) {
    if (err instanceof ImportParseError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    if (!sawContent) throw issue('empty_file', 'the file is empty: expected a JSON array of UHRI records');
    if (/top-level object should be an array/i.test(msg)) {
      throw issue('invalid_json', 'the file is not a JSON array of UHRI records (its top level is not an array)', 1);
    }
    const where =
      typeof input === 'string' || input instanceof Uint8Array
        ? await locateJsonError(input, recordNo)
        : { record: recordNo + 1, detail: `after record ${recordNo}` };
    throw issue(
      'invalid_json',
      `invalid JSON at record ${where.record} (${where.detail}): ${msg.replace(/^Parser (cannot parse input: |has )/, '')}`,
      where.record,
    );
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

/**
 * Error path only: re-read the input, split the top-level array into elements with a byte scanner
 * (strings and escapes respected) and JSON.parse the elements from `fromRecord` on, to name the
 * first bad or unfinished record exactly.
 */
async function locateJsonError(input: string | Uint8Array, fromRecord: number): Promise<{ record: number; detail: string }> {
  const chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> =
    typeof input === 'string' ? createReadStream(input, { highWaterMark: 1 << 20 }) : [input];
  let depth = 0;
  let inString = false;
  let escape = false;
  let elements = 0; // elements started so far
  let topOpened = false;
  let topClosed = false;
  let capturing = false;
  let cur: Buffer[] = [];
  for await (const chunk of chunks) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = capturing ? 0 : -1;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i] as number;
      if (inString) {
        if (escape) escape = false;
        else if (b === 0x5c) escape = true;
        else if (b === 0x22) inString = false;
        continue;
      }
      if (topClosed) {
        if (!isWs(b)) return { record: elements + 1, detail: 'unexpected characters after the closing ]' };
        continue;
      }
      if (!topOpened) {
        if (isWs(b) || b === 0xef || b === 0xbb || b === 0xbf) continue;
        if (b !== 0x5b) return { record: 1, detail: 'the file does not start with [' };
        topOpened = true;
        depth = 1;
        continue;
      }
      if (depth === 1) {
        if (isWs(b) || b === 0x2c) continue;
        if (b === 0x5d) {
          topClosed = true;
          continue;
        }
        elements++; // an element starts here
        capturing = elements >= fromRecord && (b === 0x7b || b === 0x5b);
        start = capturing ? i : -1;
        cur = [];
      }
      if (b === 0x22) inString = true;
      else if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        depth--;
        if (depth === 0) return { record: Math.max(elements, 1), detail: 'unbalanced brackets' };
        if (depth === 1 && capturing) {
          cur.push(buf.subarray(start, i + 1));
          const text = Buffer.concat(cur).toString('utf8');
          cur = [];
          capturing = false;
          start = -1;
          try {
            JSON.parse(text);
          } catch (e) {
            return { record: elements, detail: (e as Error).message };
          }
        }
      }
    }
    if (capturing && start >= 0) cur.push(buf.subarray(start));
  }
  if (!topOpened) return { record: 1, detail: 'no JSON array' };
  if (!topClosed) {
    return depth > 1 || inString
      ? { record: elements, detail: 'the file ends inside this record: truncated' }
      : { record: elements + 1, detail: 'the file ends before the closing ]: truncated' };
  }
  return { record: Math.max(fromRecord + 1, 1), detail: 'syntax error between records' };
}
