import fs from 'node:fs';
import path from 'node:path';
import type { ColumnMapping } from './generic-mapping.ts';
import { getMappingPreset } from './generic-mapping.ts';
import type { TextEncodingName } from './tabular.ts';
import type { UhriFilter } from './uhri-shared.ts';
import { checkRecordSizes } from './limits.ts';
import { parseInWorker } from './parse-worker.ts';
import { parseUhriJson } from './uhri-json.ts';
import { ImportParseError, type ImportRecord, type Lang, type ParseReport, type ParserResult } from './types.ts';

export const FORMATS = ['uhri-json', 'uhri-xlsx', 'ohchr-docx', 'upr-info-csv', 'report-text', 'csv', 'xlsx', 'uhri-url'] as const;
export type ImportFormat = (typeof FORMATS)[number];

export const isFormat = (f: string): f is ImportFormat => (FORMATS as readonly string[]).includes(f);

/** Options a user can give on the CLI or the upload page; each format reads the ones it understands. */
export interface FormatOptions {
  /** original file name (language inference, messages) */
  filename?: string;
  lang?: Lang;
  encoding?: TextEncodingName;
  country?: string;
  body?: string;
  symbol?: string;
  uprCycle?: number;
  uprSession?: number;
  /** csv/xlsx: the column mapping, or the name of a preset / saved mapping resolved by the caller */
  mapping?: ColumnMapping;
  /** what the parser found beside its records (report-text: paragraph counts, gaps, duplicates, not imported) */
  onReport?: (report: ParseReport) => void;
  /** bytes read so far, for progress on streamed formats */
  onBytes?: (bytesRead: number) => void;
  /**
   * Parse in a worker thread with a heap limit (parse-worker.ts): the default, for every format, so that a hostile
   * file cannot take the server's memory. `false` parses in this thread (the worker itself; tests of the parsers).
   */
  worker?: boolean;
  /** the worker's heap limit in MB (default PARSE_WORKER_HEAP_MB) */
  heapMb?: number;
}

export type ParseFormat = Exclude<ImportFormat, 'uhri-url'>;

const readAll = (file: string) => fs.promises.readFile(file);

function uhriFilter(o: FormatOptions): UhriFilter {
  return { ...(o.country ? { country: o.country } : {}), ...(o.body ? { body: o.body } : {}) };
}

/**
 * Turns a stored file into parsed records: in a worker thread with a heap limit (parse-worker.ts) unless
 * `o.worker` is false. Either way each record is checked against the size caps (limits.ts).
 */
export async function parseFile(format: ParseFormat, file: string, o: FormatOptions = {}): Promise<ParserResult> {
  return o.worker === false ? parseInThread(format, file, o) : parseInWorker(format, file, o);
}

async function* checked(records: ParserResult): AsyncGenerator<ImportRecord> {
  for await (const r of records) {
    checkRecordSizes(r);
    yield r;
  }
}

/** The parsers themselves, in this thread. Streams where the format allows (UHRI JSON). */
export async function parseInThread(format: ParseFormat, file: string, o: FormatOptions = {}): Promise<ParserResult> {
  return checked(await parser(format, file, o));
}

/**
 * The parser of one format. The others are loaded on first use, not with this module: every parse worker loads this
 * module, and starting one before its first records (the first import's critical path) paid for every format's
 * libraries (ExcelJS alone about 0.3 s of processor time) whatever its file's format.
 */
async function parser(format: ParseFormat, file: string, o: FormatOptions): Promise<ParserResult> {
  const filename = o.filename ?? path.basename(file);
  switch (format) {
    case 'uhri-json':
      return parseUhriJson(file, { ...uhriFilter(o), filename, ...(o.lang ? { lang: o.lang } : {}), ...(o.onBytes ? { onProgress: o.onBytes } : {}) });
    case 'uhri-xlsx': {
      const { parseUhriXlsx } = await import('./uhri-xlsx.ts');
      return parseUhriXlsx(await readAll(file), { ...uhriFilter(o), filename, ...(o.lang ? { lang: o.lang } : {}) });
    }
    case 'ohchr-docx': {
      const { ohchrDocxRecords } = await import('./ohchr-docx.ts');
      return ohchrDocxRecords(await readAll(file), {
        ...(o.lang ? { lang: o.lang } : {}),
        ...(o.country ? { country: o.country } : {}),
        ...(o.symbol ? { symbol: o.symbol } : {}),
        ...(o.uprCycle ? { uprCycle: o.uprCycle } : {}),
        ...(o.uprSession ? { uprSession: o.uprSession } : {}),
      });
    }
    case 'upr-info-csv': {
      const { parseUprInfoCsv } = await import('./upr-info-csv.ts');
      return parseUprInfoCsv(await readAll(file), { ...(o.encoding ? { encoding: o.encoding } : {}), ...(o.country ? { country: o.country } : {}) });
    }
    case 'report-text': {
      const { reviewReportText } = await import('./report-text.ts');
      const r = reviewReportText(await readAll(file), {
        ...(o.encoding ? { encoding: o.encoding } : {}),
        ...(o.symbol ? { symbol: o.symbol } : {}),
        ...(o.body ? { body: o.body } : {}),
        ...(o.country ? { country: o.country } : {}),
        ...(o.lang ? { lang: o.lang } : {}),
        ...(o.uprCycle ? { uprCycle: o.uprCycle } : {}),
        ...(o.uprSession ? { uprSession: o.uprSession } : {}),
      });
      o.onReport?.({
        paragraphs: r.paragraphs,
        notImported: r.skipped.slice(0, 500).map((s) => ({ ...s, text: s.text.length > 300 ? `${s.text.slice(0, 300)}…` : s.text })),
        warnings: r.warnings.slice(0, 50),
      });
      return r.records;
    }
    case 'csv':
    case 'xlsx': {
      if (!o.mapping) {
        throw new ImportParseError([{ code: 'mapping_required', field: 'mapping', message: 'A column mapping is required for csv and xlsx imports (e.g. --mapping morocco-didh).' }]);
      }
      const { parseTabular } = await import('./tabular.ts');
      return parseTabular(await readAll(file), { format, mapping: o.mapping, ...(o.encoding ? { encoding: o.encoding } : {}) });
    }
  }
}

export function resolvePresetMapping(name: string): ColumnMapping | undefined {
  return getMappingPreset(name);
}

