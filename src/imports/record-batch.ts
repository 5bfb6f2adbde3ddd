/**
 * A batch of records as the parse worker sends it to the importing thread (parse-worker.ts): laid out flat instead of
 * as objects. A structured clone is read on the receiving thread object by object and key by key (each key's string
 * read and looked up again for every object): at 250,000 records that was about 1.4 s of the import's thread, its
 * critical path on SQLite (docs/PERFORMANCE.md, "A lead for it, measured"). Here each plain object is sent as the
 * number of its shape (its keys in order, and what each value is), then its values; the shapes go once per batch. The
 * records read back are the records sent: the same keys in the same order (a key holding `undefined` included), the
 * same values; anything but a plain object, a primitive, a list of primitives or a list of plain objects (a date, a
 * map, a list mixing objects and other values) is left to the structured clone as before.
 */

/** The shape of a plain object: its keys, and per key how its value is laid out (`KIND_*`). */
export interface RecordShape {
  keys: string[];
  kinds: string;
}

export interface RecordBatch {
  shapes: RecordShape[];
  /** per record: its shape's number, then its values (nested objects likewise, in place) */
  values: unknown[];
  count: number;
}

/** a primitive (or anything the structured clone carries as it is) */
const KIND_VALUE = 'v';
/** a plain object: its shape's number, then its values */
const KIND_OBJECT = 'o';
/** a list of plain objects: its length, then each object */
const KIND_OBJECTS = 'l';

/** a plain object whose keys can be given back by assignment (an own `__proto__` key could not: left to the clone) */
const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && !Object.hasOwn(v, '__proto__');
};
/** in a record's place: the record follows as it is (not a plain object) */
const AS_IS = -1;

function kindOf(v: unknown): string {
  if (isPlain(v)) return KIND_OBJECT;
  if (Array.isArray(v) && v.length > 0 && v.every(isPlain)) return KIND_OBJECTS;
  return KIND_VALUE;
}

/** Lays out records (plain objects) flat; `unpackRecords` gives them back. */
export class RecordPacker {
  private shapes: RecordShape[] = [];
  private readonly shapeIds = new Map<string, number>();
  private values: unknown[] = [];
  private count = 0;

  add(record: object): void {
    if (isPlain(record)) this.object(record);
    else this.values.push(AS_IS, record);
    this.count += 1;
  }

  /** The batch so far; the packer starts a new one. */
  take(): RecordBatch {
    const batch = { shapes: this.shapes, values: this.values, count: this.count };
    this.shapes = [];
    this.shapeIds.clear();
    this.values = [];
    this.count = 0;
    return batch;
  }

  private object(o: Record<string, unknown>): void {
    const keys = Object.keys(o);
    let kinds = '';
    for (const k of keys) kinds += kindOf(o[k]);
    const key = `${kinds}\u0000${keys.join('\u0000')}`;
    let id = this.shapeIds.get(key);
    if (id === undefined) {
      id = this.shapes.length;
      this.shapes.push({ keys, kinds });
      this.shapeIds.set(key, id);
    }
    this.values.push(id);
    for (let i = 0; i < keys.length; i++) {
      const v = o[keys[i]!];
      const kind = kinds[i];
      if (kind === KIND_OBJECT) this.object(v as Record<string, unknown>);
      else if (kind === KIND_OBJECTS) {
        const list = v as Record<string, unknown>[];
        this.values.push(list.length);
        for (const item of list) this.object(item);
      } else this.values.push(v);
    }
  }
}

/** The records of a batch, as they were given to `RecordPacker.add`. */
export function unpackRecords<T>(batch: RecordBatch): T[] {
  const { shapes, values } = batch;
  let at = 0;
  const object = (): Record<string, unknown> => {
    const shape = shapes[values[at++] as number]!;
    const o: Record<string, unknown> = {};
    const { keys, kinds } = shape;
    for (let i = 0; i < keys.length; i++) {
      const kind = kinds[i];
      if (kind === KIND_VALUE) o[keys[i]!] = values[at++];
      else if (kind === KIND_OBJECT) o[keys[i]!] = object();
      else {
        const list: Record<string, unknown>[] = new Array(values[at++] as number);
        for (let j = 0; j < list.length; j++) list[j] = object();
        o[keys[i]!] = list;
      }
    }
    return o;
  };
  const out: T[] = new Array(batch.count);
  for (let r = 0; r < batch.count; r++) {
    if (values[at] === AS_IS) {
      out[r] = values[at + 1] as T;
      at += 2;
    } else out[r] = object() as T;
  }
  return out;
}
