import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '../shared/errors.ts';

export const corrupt = (message: string, details?: unknown) => new AppError(422, 'backup_corrupt', message, details);

/** A backup archive opened for reading: its entries by name, each readable as a stream (several times). */
export interface Archive {
  names: string[];
  size(name: string): number;
  open(name: string): Promise<Readable>;
  close(): void;
}

export async function openArchive(file: string): Promise<Archive> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true }, (err, z) =>
      err ? reject(corrupt(`The backup is not a readable archive (${err.message}).`)) : resolve(z),
    ),
  );
  const entries = new Map<string, Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: Entry) => {
      if (entries.has(e.fileName)) return reject(corrupt(`The archive holds ${e.fileName} twice.`));
      entries.set(e.fileName, e);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (err: Error) => reject(corrupt(`The backup archive is damaged (${err.message}).`)));
    zip.readEntry();
  });
  return {
    names: [...entries.keys()],
    size: (name) => entries.get(name)?.uncompressedSize ?? 0,
    open(name) {
      const entry = entries.get(name);
      if (!entry) return Promise.reject(corrupt(`The archive has no ${name}.`));
      return new Promise((resolve, reject) =>
        zip.openReadStream(entry, (err, stream) => (err ? reject(corrupt(`Cannot read ${name} in the archive (${err.message}).`)) : resolve(stream))),
      );
    },
    close: () => zip.close(),
  };
}

/** Reads a whole (small) member as text, refusing more than `max` bytes. */
export async function readText(archive: Archive, name: string, max: number): Promise<string> {
  if (archive.size(name) > max) throw corrupt(`${name} is larger than expected.`);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of (await archive.open(name)) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) throw corrupt(`${name} is larger than expected.`);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw corrupt(`Cannot read ${name} in the archive (${(err as Error).message}).`);
  }
  return Buffer.concat(chunks).toString('utf8');
}
