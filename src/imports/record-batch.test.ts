import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { RecordPacker, unpackRecords, type RecordBatch } from './record-batch.ts';

/** what a batch becomes on the other side of postMessage (the same serialiser) */
const sent = (b: RecordBatch): RecordBatch => v8.deserialize(v8.serialize(b)) as RecordBatch;

describe('RecordPacker', () => {
  it('gives back the records sent: keys in order, undefined values, nested objects, lists, and values left to the clone', () => {
    const when = new Date('2026-12-06T00:00:00Z');
    const records: object[] = [
      { sourceRow: 1, externalId: 'a', document: { symbol: 'A/1', body: 'UPR', uprCycle: 3 }, texts: { en: 'x', ar: 'ي' }, kind: 'recommendation', themes: ['t1', 't2'], sdgs: [{ code: '16' }, { code: '16.2', label: 'L' }] },
      // the same keys in another order, one holding undefined, one holding null; texts in the other order
      { externalId: 'b', sourceRow: 2, document: { body: 'UPR', symbol: 'A/2' }, texts: { ar: 'ي', en: 'y' }, kind: 'pledge', position: undefined, paragraph: null },
      // an empty object and an empty list, numbers of every kind, a list mixing objects and other values
      { sourceRow: 3, document: {}, texts: {}, themes: [], n: [-0, NaN, Infinity, -1, 1.5], mixed: [{ a: 1 }, 'b'], nested: { deeper: { deepest: [{ x: [{ y: 1 }] }] } } },
      // values the clone carries as they were (a date, a map, a typed array), and an own __proto__ key
      { sourceRow: 4, when, map: new Map([['k', 1]]), bytes: new Uint8Array([1, 2]), odd: JSON.parse('{"__proto__": {"polluted": true}, "k": 1}') as object },
      // a record that is not a plain object
      new Map([['sourceRow', 5]]),
    ];
    const packer = new RecordPacker();
    for (const r of records) packer.add(r);
    const batch = packer.take();
    expect(batch.count).toBe(5);
    const back = unpackRecords<Record<string, unknown>>(sent(batch));
    expect(back).toStrictEqual(v8.deserialize(v8.serialize(records)));
    for (let i = 0; i < records.length; i++) expect(Reflect.ownKeys(back[i]!)).toEqual(Reflect.ownKeys(records[i]!));
    expect(Object.keys(back[1]!.texts as object)).toEqual(['ar', 'en']);
    expect(Object.hasOwn(back[1]!, 'position')).toBe(true);
    expect(Object.hasOwn(back[3]!.odd as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // the packer starts afresh after take: a second batch with its own shapes
    packer.add({ sourceRow: 6 });
    const second = packer.take();
    expect(second.shapes).toEqual([{ keys: ['sourceRow'], kinds: 'v' }]);
    expect(unpackRecords(sent(second))).toStrictEqual([{ sourceRow: 6 }]);
  });
});
