import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildUhriJson, writeUhriJson } from '../../bench/gen-uhri.ts';
import { analyseSource } from '../search/index.ts';
import { parseFile } from './formats.ts';
import { rowTexts } from './row-texts.ts';
import { ImportParseError, type ImportRecord } from './types.ts';
import { parseUhriJsonToArray } from './uhri-json.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-parse-worker-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function collect(records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

describe('uhri-json in a worker thread', () => {
  it('yields the same records as the in-thread parser, each with its search-index analysis, and reports progress', async () => {
    const file = join(tmp, 'export-full-en.json');
    await writeUhriJson(file, { count: 1200, seed: 5, useSharedData: false });
    const bytes: number[] = [];
    const inWorker = await collect(await parseFile('uhri-json', file, { worker: true, country: 'Kuwait', onBytes: (n) => bytes.push(n) }));
    const inThread = await parseUhriJsonToArray(file, { country: 'Kuwait' });
    expect(inWorker.length).toBeGreaterThan(0);
    // the same records, key for key (those holding undefined included) and in the same key order: the batches come
    // laid out flat (record-batch.ts), not as a clone of the objects
    expect(inWorker.map(({ analysed: _analysed, ...r }) => r)).toStrictEqual(inThread);
    const keyOrder = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(keyOrder) : v && typeof v === 'object' ? Object.entries(v).filter(([k]) => k !== 'analysed').map(([k, x]) => [k, keyOrder(x)]) : v;
    expect(inWorker.map(keyOrder)).toEqual(inThread.map(keyOrder));
    for (const r of inWorker) expect(r.analysed).toEqual(analyseSource(rowTexts(r)));
    expect(bytes.length).toBeGreaterThan(0);
  }, 30_000);

  it('rethrows parse errors with their code and record number', async () => {
    const good = buildUhriJson({ count: 30, seed: 3, pretty: true });
    const file = join(tmp, 'truncated-en.json');
    writeFileSync(file, good.subarray(0, Math.floor(good.length / 2)));
    const e = await collect(await parseFile('uhri-json', file, { worker: true })).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ImportParseError);
    const issue = (e as ImportParseError).issues[0];
    expect(issue?.code).toBe('invalid_json');
    expect(issue?.row).toBeGreaterThan(1);
    expect((e as Error).message).toMatch(/truncated/);
  }, 30_000);

  it('stops the worker when the consumer stops early', async () => {
    const file = join(tmp, 'export-full-fr.json');
    await writeUhriJson(file, { count: 3000, seed: 9, lang: 'fr', useSharedData: false });
    let n = 0;
    for await (const r of await parseFile('uhri-json', file, { worker: true })) {
      expect(r.texts.fr).toBeTruthy();
      if (++n === 10) break;
    }
    expect(n).toBe(10);
  }, 30_000);
});
