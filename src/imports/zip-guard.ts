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
  /** Refuse an entry over 1 MB whose declared size is more than this many times its compressed size. Default 500. */
  maxEntryRatio?: number;
}

export const DEFAULT_ZIP_LIMITS: Required<ZipLimits> = {
  maxTotalUncompressed: 200 * 1024 * 1024,
  maxEntries: 2000,
  maxEntryRatio: 500,
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
            `the archive would expand to more than ${Math.round(limits.maxTotalUncompressed / 1048576)} MB ` +
              `(${summary.totalUncompressed} bytes declared so far, from ${summary.totalCompressed} compressed)`,
          ),
        );
        return;
      }
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > 1024 * 1024 && ratio > limits.maxEntryRatio) {
        fail(bomb(`entry "${entry.fileName}" has a compression ratio of ${Math.round(ratio)}:1`));
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
  keep = true,
  /** called with each wanted entry as soon as it is inflated (it is then not kept in the map); may throw */
  onEntry?: (name: string, data: Buffer) => void,
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
          if (keep) chunks.push(chunk);
        });
        stream.on('error', (e) =>
          reject(/too many bytes|uncompressed size/i.test(e.message) ? bomb(`entry "${entry.fileName}" inflates beyond its declared size`) : notZip(e)),
        );
        stream.on('end', () => {
          if (!keep) return resolveEntry();
          const data = Buffer.concat(chunks);
          chunks.length = 0;
          if (!onEntry) {
            out.set(entry.fileName, data);
            return resolveEntry();
          }
          try {
            onEntry(entry.fileName, data);
            resolveEntry();
          } catch (e) {
            reject(e);
          }
        });
      });
    });
  });
  return out;
}

/**
 * The full check before a library that unzips by itself (exceljs) sees the archive: the central
 * directory against the limits, then every entry inflated once and counted, so sizes that lie are caught.
 */
export async function assertInflatesSafely(input: Buffer | string, limits?: ZipLimits): Promise<void> {
  await assertSafeZip(input, limits);
  await readZipEntries(input, () => true, limits, false);
}
