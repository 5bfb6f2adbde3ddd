/** The parse worker's side (see parse-worker.ts). */
import { parentPort } from 'node:worker_threads';
// search.text.ts directly: the search capability's index.ts would load its routes and database code into the worker
import { analyseSource } from '../search/search.text.ts';
import { parseInThread, type ParseFormat } from './formats.ts';
import { tooComplex, type Job, type ToMain, type ToWorker } from './parse-worker.ts';
import { RecordPacker } from './record-batch.ts';
import { rowTexts } from './row-texts.ts';
import { ImportParseError } from './types.ts';

const BATCH = 500;
/** batches sent and not yet taken by the main thread */
const WINDOW = 4;

/** The coded error for an exception a parser did not expect: the input is damaged in a way no check caught. */
const UNREADABLE: Record<ParseFormat, string> = {
  'uhri-json': 'invalid_json',
  'uhri-xlsx': 'bad_xlsx',
  xlsx: 'bad_xlsx',
  'ohchr-docx': 'bad_docx',
  'upr-info-csv': 'bad_csv',
  csv: 'bad_csv',
  'report-text': 'unreadable_file',
};

function asParseError(e: unknown, format: ParseFormat): ImportParseError {
  if (e instanceof ImportParseError) return e;
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
  if (e instanceof RangeError) return tooComplex(message);
  return new ImportParseError([{ code: UNREADABLE[format], message: `The file could not be read: ${message}` }]);
}

/** The job in progress: its batches' credit (see parse-worker.ts). */
let credit = 0;
let resume: (() => void) | undefined;

async function records(port: NonNullable<typeof parentPort>, job: Extract<Job, { kind: 'records' }>): Promise<void> {
  credit = WINDOW;
  const post = (m: ToMain) => port.postMessage(m);
  // laid out flat as they come (record-batch.ts): the importing thread reads them back for less than a clone of objects
  const batch = new RecordPacker();
  let size = 0;
  const send = async () => {
    while (credit === 0) await new Promise<void>((r) => (resume = r));
    credit -= 1;
    post({ type: 'records', batch: batch.take() });
    size = 0;
  };
  const parsed = await parseInThread(job.format, job.file, {
    ...job.options,
    onBytes: (bytesRead) => post({ type: 'bytes', bytesRead }),
    onReport: (report) => post({ type: 'report', report }),
  });
  for await (const r of parsed) {
    r.analysed = analyseSource(rowTexts(r));
    batch.add(r);
    if (++size === BATCH) await send();
  }
  if (size) await send();
  post({ type: 'end' });
}

async function run(port: NonNullable<typeof parentPort>, job: Job): Promise<void> {
  try {
    if (job.kind === 'sample') {
      // loaded on first use: a worker that parses a JSON file never needs ExcelJS and the CSV reader (formats.ts)
      const { sampleTable } = await import('./sample.ts');
      port.postMessage({ type: 'sample', table: await sampleTable(job.bytes, job.format, job.encoding) } satisfies ToMain);
    }
    else await records(port, job);
  } catch (e) {
    const err = asParseError(e, job.format);
    port.postMessage({ type: 'error', message: err.message, issues: err.issues, total: err.total } satisfies ToMain);
  }
}

// One job at a time: the pool (parse-worker.ts) sends the next only after this one's last message.
if (parentPort) {
  const port = parentPort;
  port.on('message', (m: ToWorker) => {
    if (m.type === 'more') {
      credit += 1;
      resume?.();
    } else void run(port, m.job);
  });
}
