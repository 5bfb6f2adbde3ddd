import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildUhriJson, generateUhriRecords, loadSentences, makeUhriRecord, writeUhriJson } from '../../bench/gen-uhri.ts';
import type { UhriJsonRecord } from '../../bench/gen-uhri.ts';
import { describeWithSharedData } from '../../test/helpers/shared-data.ts';
import { ImportParseError } from './types.ts';
import { langFromFilename, mapUhriRecord, parseUhriJson, parseUhriJsonToArray } from './uhri-json.ts';
import { parseSdg, splitParagraph } from './uhri-shared.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-uhri-json-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sample: UhriJsonRecord[] = [
  {
    AnnotationId: '0b1c2d3e-0000-4000-8000-000000000001',
    AnnotationType: '- Recommendations',
    Body: '- UPR',
    Symbol: 'A/HRC/44/17',
    Text: '156.23 Ratify the Optional Protocol to the Convention against Torture (Mexico, Chile);',
    DocumentId: 'doc-1',
    PublicationDate: '2020-03-27T00:00:00',
    PublicationDateOnUhri: '2020-06-01T00:00:00',
    Countries: ['Kuwait'],
    Regions: ['Asia-Pacific States'],
    Themes: ['- Acceptance of international norms', '- Prohibition of torture and cruel, inhuman or degrading treatment'],
    AffectedPersons: ['- persons deprived of their liberty'],
    Sdgs: ['16.2 - Protect children from abuse, exploitation, trafficking and violence', '16.a - Strengthen relevant national institutions'],
    UprCycle: '3',
    UprSession: ['35'],
    UprPositions: ['Supported'],
    UprRecommendingCountry: ['Mexico', 'Chile'],
    UprRecommendingRegions: ['- Latin American and Caribbean States'],
  },
  {
    AnnotationId: '0b1c2d3e-0000-4000-8000-000000000002',
    AnnotationType: '- Concerns/Observations',
    Body: '- CRC',
    Symbol: 'CRC/C/PER/CO/6-7',
    Text: '4.The Committee is concerned about the situation of children in street situations.',
    DocumentId: 'doc-2',
    PublicationDate: '2016-03-02T00:00:00',
    Countries: ['Peru'],
    Themes: ['- Children: protection against exploitation'],
    AffectedPersons: ['- children in street situations'],
    Sdgs: [],
    UprCycle: null,
    UprSession: [],
    UprPositions: [],
    UprRecommendingCountry: [],
  },
];

describe('uhri-json: mapping', () => {
  it('maps every documented field', async () => {
    const recs = await parseUhriJsonToArray(Buffer.from(JSON.stringify(sample, null, 2)), { lang: 'en' });
    expect(recs).toHaveLength(2);
    expect(recs[0]).toEqual({
      sourceRow: 1,
      externalId: '0b1c2d3e-0000-4000-8000-000000000001',
      document: {
        symbol: 'A/HRC/44/17',
        body: 'UPR',
        type: 'upr_wg_report',
        date: '2020-03-27',
        uprCycle: 3,
        uprSession: 35,
        country: 'Kuwait',
        externalId: 'doc-1',
      },
      paragraph: '156.23',
      texts: { en: 'Ratify the Optional Protocol to the Convention against Torture' },
      kind: 'recommendation',
      recommendingStates: ['Mexico', 'Chile'],
      position: 'supported',
      themes: ['Acceptance of international norms', 'Prohibition of torture and cruel, inhuman or degrading treatment'],
      affectedPersons: ['persons deprived of their liberty'],
      sdgs: [
        { code: '16.2', label: 'Protect children from abuse, exploitation, trafficking and violence' },
        { code: '16.a', label: 'Strengthen relevant national institutions' },
      ],
    });
    expect(recs[1]).toMatchObject({
      sourceRow: 2,
      kind: 'observation',
      paragraph: '4',
      texts: { en: 'The Committee is concerned about the situation of children in street situations.' },
      document: { symbol: 'CRC/C/PER/CO/6-7', body: 'CRC', type: 'concluding_observations', date: '2016-03-02', country: 'Peru' },
    });
    expect(recs[1]?.position).toBeUndefined();
    expect(recs[1]?.document.uprCycle).toBeUndefined();
  });

  it('reads paragraphs, SDGs, positions and languages', () => {
    expect(splitParagraph('4.The Committee')).toEqual({ paragraph: '4', text: 'The Committee' });
    expect(splitParagraph('128.26 Ratify')).toEqual({ paragraph: '128.26', text: 'Ratify' });
    expect(splitParagraph('١٢٨.٢٦ التصديق')).toEqual({ paragraph: '128.26', text: 'التصديق' });
    expect(splitParagraph('The Committee notes')).toEqual({ text: 'The Committee notes' });
    expect(parseSdg('16.2 - Protect children from abuse')).toEqual({ code: '16.2', label: 'Protect children from abuse' });
    expect(parseSdg('5')).toEqual({ code: '5' });
    const both = { ...sample[0], UprPositions: ['Supported', 'Noted'] };
    expect(mapUhriRecord(both, 1, 'en').record.position).toBe('partially_supported');
    expect(langFromFilename('/data/export-full-ar.json')).toBe('ar');
    expect(langFromFilename('export-full-fr.json')).toBe('fr');
    expect(langFromFilename('export.json')).toBeUndefined();
  });

  it('infers the language from the file name and filters by country and body', async () => {
    const file = join(tmp, 'export-full-fr.json');
    writeFileSync(file, JSON.stringify(sample));
    const fr = await parseUhriJsonToArray(file);
    expect(Object.keys(fr[0]?.texts ?? {})).toEqual(['fr']);
    expect((await parseUhriJsonToArray(file, { country: 'kuwait' })).map((r) => r.sourceRow)).toEqual([1]);
    expect((await parseUhriJsonToArray(file, { body: 'CRC' })).map((r) => r.sourceRow)).toEqual([2]);
    expect((await parseUhriJsonToArray(file, { mechanism: 'treaty' })).map((r) => r.sourceRow)).toEqual([2]);
    expect(await parseUhriJsonToArray(file, { country: 'Kuwait', body: 'CRC' })).toEqual([]);
  });

  it('generated files: same AnnotationIds across languages, progress reported, streams in', async () => {
    const en = join(tmp, 'export-full-en.json');
    const ar = join(tmp, 'export-full-ar.json');
    await writeUhriJson(en, { count: 500, lang: 'en', seed: 7, useSharedData: false });
    await writeUhriJson(ar, { count: 500, lang: 'ar', seed: 7, useSharedData: false });
    const progress: number[] = [];
    const a = await parseUhriJsonToArray(en, { onProgress: (b) => progress.push(b), chunkSize: 16 * 1024 });
    const b = await parseUhriJsonToArray(ar);
    expect(a).toHaveLength(500);
    expect(b.map((r) => r.externalId)).toEqual(a.map((r) => r.externalId));
    expect(b[0]?.texts.ar).toBeTruthy();
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    // a one-shot stream works too
    const viaStream = await parseUhriJsonToArray(Readable.from([buildUhriJson({ count: 5, seed: 7 })]));
    expect(viaStream.map((r) => r.externalId)).toEqual(a.slice(0, 5).map((r) => r.externalId));
    expect(makeUhriRecord(3, 7, 'en', ['x'.repeat(40)]).AnnotationId).toBe(a[3]?.externalId);
  });

  it('consumes lazily (records come before the end of a large input)', async () => {
    const file = join(tmp, 'lazy.json');
    await writeUhriJson(file, { count: 3000, seed: 1, useSharedData: false });
    let bytesAtFirst = -1;
    let bytes = 0;
    for await (const rec of parseUhriJson(file, { onProgress: (n) => (bytes = n), chunkSize: 8 * 1024 })) {
      if (bytesAtFirst < 0) bytesAtFirst = bytes;
      void rec;
    }
    expect(bytesAtFirst).toBeGreaterThan(0);
    expect(bytesAtFirst).toBeLessThan(bytes / 4);
  });
});

function expectIssue(e: unknown, code: string, row?: number, field?: string): true {
  expect(e).toBeInstanceOf(ImportParseError);
  const issue = (e as ImportParseError).issues[0];
  expect(issue?.code).toBe(code);
  if (row !== undefined) expect(issue?.row).toBe(row);
  if (field !== undefined) expect(issue?.field).toBe(field);
  return true;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the import to fail');
}

describe('uhri-json: bad input', () => {
  const good = buildUhriJson({ count: 40, seed: 3, pretty: true });

  it('empty file → empty_file', async () => {
    const f = join(tmp, 'empty.json');
    writeFileSync(f, '');
    expectIssue(await failure(parseUhriJsonToArray(f)), 'empty_file');
    expectIssue(await failure(parseUhriJsonToArray(Buffer.from(' \n\t '))), 'empty_file');
  });

  it('truncated JSON → invalid_json naming the record', async () => {
    // cut inside record 21
    const records = JSON.parse(good.toString()) as UhriJsonRecord[];
    const upTo20 = Buffer.byteLength(JSON.stringify(records.slice(0, 20), null, 2).slice(0, -2)); // without "\n]"
    const cut = good.subarray(0, upTo20 + 60);
    const f = join(tmp, 'truncated.json');
    writeFileSync(f, cut);
    const e = await failure(parseUhriJsonToArray(f));
    expectIssue(e, 'invalid_json', 21);
    expect((e as Error).message).toMatch(/record 21/);
    expect((e as Error).message).toMatch(/truncated/);
    // cut after the last record, before the closing bracket
    expectIssue(await failure(parseUhriJsonToArray(good.subarray(0, good.lastIndexOf(']')))), 'invalid_json', 41);
  });

  it('invalid JSON → invalid_json naming the record', async () => {
    const text = good.toString();
    const at = text.indexOf('"AnnotationId"', text.indexOf('"AnnotationId"') + 1 + 0); // 2nd record
    const bad = Buffer.from(`${text.slice(0, at)}"AnnotationId": nope, ${text.slice(at)}`);
    const e = await failure(parseUhriJsonToArray(bad));
    expectIssue(e, 'invalid_json', 2);
    expect((e as Error).message).toMatch(/record 2\b/);
    expectIssue(await failure(parseUhriJsonToArray(Buffer.from('{"not":"an array"}'))), 'invalid_json');
    // from a one-shot stream the record number is the next unparsed one (approximate)
    const es = await failure(parseUhriJsonToArray(Readable.from([bad])));
    expectIssue(es, 'invalid_json');
  });

  it('names the exact record from a one-shot stream, and rejects empty elements and trailing bytes', async () => {
    const text = good.toString();
    const at = text.indexOf('"AnnotationId"', text.indexOf('"AnnotationId"') + 1);
    const bad = Buffer.from(`${text.slice(0, at)}"AnnotationId": nope, ${text.slice(at)}`);
    expectIssue(await failure(parseUhriJsonToArray(Readable.from([bad]))), 'invalid_json', 2);
    const two = JSON.stringify(JSON.parse(text).slice(0, 2));
    expectIssue(await failure(parseUhriJsonToArray(Buffer.from(two.replace('},{', '},,{')))), 'invalid_json', 2);
    expectIssue(await failure(parseUhriJsonToArray(Buffer.from(`${two.slice(0, -1)},]`))), 'invalid_json', 3);
    expectIssue(await failure(parseUhriJsonToArray(Buffer.from(`${two} x`))), 'invalid_json', 3);
    expectIssue(await failure(parseUhriJsonToArray(Buffer.from(`${two}\n\n x`), { chunkSize: two.length + 1 })), 'invalid_json', 3);
    expectIssue(await failure(parseUhriJsonToArray(Buffer.from(two.replace('},{', '} {')))), 'invalid_json', 1);
    expectIssue(await failure(parseUhriJsonToArray(Buffer.from('[{"a":1},3]'))), 'missing_field', 1);
    expect(await parseUhriJsonToArray(Buffer.from(' [ ] '))).toEqual([]);
  });

  it('splits the input anywhere: quotes, escapes, brackets and multi-byte characters across chunk edges', async () => {
    const texts = ['say \\"no\\" [to] {this}, ok', 'back\\slash\\\\', 'حقوق الإنسان, "quoted"', 'tab\there \\u00e9 ]}', 'x'];
    const recs = [...generateUhriRecords({ count: 5, useSharedData: false })].map((r, i) => ({ ...r, Text: `${i + 1}. ${texts[i]}` }));
    const bytes = Buffer.from(`\ufeff${JSON.stringify(recs, null, 1)}`);
    const expected = recs.map((r, i) => mapUhriRecord(r, i + 1, 'en').record);
    for (const chunkSize of [1, 2, 3, 5, 7, 64]) {
      expect(await parseUhriJsonToArray(bytes, { chunkSize }), String(chunkSize)).toEqual(expected);
    }
  });

  it('missing AnnotationId / Text / Symbol → missing_field naming record and field', async () => {
    for (const field of ['AnnotationId', 'Text', 'Symbol'] as const) {
      const recs = [...generateUhriRecords({ count: 5, useSharedData: false })];
      const third = recs[2];
      if (third) delete third[field];
      const e = await failure(parseUhriJsonToArray(Buffer.from(JSON.stringify(recs))));
      expectIssue(e, 'missing_field', 3, field);
      expect((e as Error).message).toContain(`record 3 has no ${field}`);
    }
  });
});

describeWithSharedData('uhri-json: generated from the real sentences', () => {
  it('builds and reads back files from real English, French and Arabic texts', async () => {
    for (const lang of ['en', 'fr', 'ar'] as const) {
      const sentences = loadSentences(lang);
      expect(sentences.length, lang).toBeGreaterThan(500);
      const recs = await parseUhriJsonToArray(buildUhriJson({ count: 50, lang, sentences }), { lang });
      expect(recs).toHaveLength(50);
      for (const r of recs) expect(r.texts[lang]?.length).toBeGreaterThan(10);
    }
  });
});
