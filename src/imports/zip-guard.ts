/**
 * Zip-bomb guard for the zip-based import formats (.docx, .xlsx).
 *
 * `assertSafeZip` reads only the central directory (no decompression) and refuses archives whose
 * declared total uncompressed size or entry count is over the limits. `readZipEntries` actually
 * inflates the entries it is asked for and counts the real bytes as they come, so an archive that
 * lies about its sizes in the central directory is refused too.
 */
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { ImportParseError } from './types.ts';

export interface ZipLimits {
  /** Refuse when the sum of the entries' uncompressed sizes is above this. Default 200 MB. */
  maxTotalUncompressed?: number;
  /** Refuse when the archive holds more entries than this. Default 2000. */
  maxEntries?: number;
}

export const DEFAULT_ZIP_LIMITS: Required<ZipLimits> = {
  maxTotalUncompressed: 200 * 1024 * 1024,
  maxEntries: 2000,
};

export interface ZipSummary {
  entries: number;
  totalUncompressed: number;
  totalCompressed: number;
  names: string[];
}

function limitsOf(limits?: ZipLimits): Required<ZipLimits> {
  return { ...DEFAULT_ZIP_LIMITS, ...limits };
}

function bomb(message: string): ImportParseError {
  return new ImportParseError([{ code: 'zip_bomb', message }]);
}

function notZip(err: unknown): ImportParseError {
  const msg = err instanceof Error ? err.message : String(err);
  return new ImportParseError([{ code: 'invalid_zip', message: `not a readable zip archive (${msg})` }]);
}

function openZip(input: Buffer | string): Promise<ZipFile> {
  return new Promise((resolveZip, reject) => {
    const cb = (err: Error | null, zip: ZipFile) => (err ? reject(notZip(err)) : resolveZip(zip));
    const opts = { lazyEntries: true, autoClose: true, validateEntrySizes: true, decodeStrings: true };
    if (typeof input === 'string') yauzl.open(input, opts, cb);
    else yauzl.fromBuffer(input, opts, cb);
  });
}

/** Walk the central directory; `onEntry` may return a promise (the walk waits for it). */
async function walk(
  zip: ZipFile,
  limits: Required<ZipLimits>,
  onEntry?: (entry: Entry) => Promise<void> | void,
): Promise<ZipSummary> {
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw bomb(`the archive holds ${zip.entryCount} entries (limit ${limits.maxEntries})`);
  }
  const summary: ZipSummary = { entries: 0, totalUncompressed: 0, totalCompressed: 0, names: [] };
  return new Promise((resolveWalk, reject) => {
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      try {
        zip.close();
      } catch {
        /* already closed */
      }
      reject(err instanceof ImportParseError ? err : notZip(err));
    };
    zip.on('error', fail);
    zip.on('end', () => {
      if (!failed) resolveWalk(summary);
    });
    zip.on('entry', (entry: Entry) => {
      summary.entries += 1;
      summary.totalUncompressed += entry.uncompressedSize;
      summary.totalCompressed += entry.compressedSize;
      summary.names.push(entry.fileName);
      if (summary.entries > limits.maxEntries) {
        fail(bomb(`the archive holds more than ${limits.maxEntries} entries`));
        return;
      }
      if (summary.totalUncompressed > limits.maxTotalUncompressed) {
        fail(
          bomb(
            `the archive would expand to more than ${limits.maxTotalUncompressed} bytes ` +
              `(${summary.totalUncompressed} declared so far, from ${summary.totalCompressed} compressed)`,
          ),
        );
        return;
      }
      Promise.resolve(onEntry?.(entry)).then(
        () => {
          if (!failed) zip.readEntry();
        },
        fail,
      );
    });
    zip.readEntry();
  });
}

/**
 * Throw ImportParseError code 'zip_bomb' when the archive (a Buffer or a file path) is over the
 * limits, 'invalid_zip' when it is not a zip at all. Reads the central directory only.
 */
export async function assertSafeZip(input: Buffer | string, limits?: ZipLimits): Promise<ZipSummary> {
  const zip = await openZip(input);
  return walk(zip, limitsOf(limits));
}

/**
 * Inflate the entries whose names `want` accepts and return them by name, counting the real
 * inflated bytes against the limits (an archive lying about its sizes is refused as 'zip_bomb').
 */
export async function readZipEntries(
  input: Buffer | string,
  want: (name: string) => boolean,
  limits?: ZipLimits,
): Promise<Map<string, Buffer>> {
  const lim = limitsOf(limits);
  const zip = await openZip(input);
  const out = new Map<string, Buffer>();
  let inflated = 0;
  await walk(zip, lim, (entry) => {
    if (entry.fileName.endsWith('/') || !want(entry.fileName)) return;
    return new Promise<void>((resolveEntry, reject) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(notZip(err));
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => {
          inflated += chunk.length;
          if (inflated > lim.maxTotalUncompressed) {
            stream.destroy();
            reject(bomb(`the archive expands to more than ${lim.maxTotalUncompressed} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        stream.on('error', (e) => reject(notZip(e)));
        stream.on('end', () => {
          out.set(entry.fileName, Buffer.concat(chunks));
          resolveEntry();
        });
      });
    });
  });
  return out;
}
