import { PassThrough } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { pickLang, type MatrixRow } from './matrix.service.ts';
import { csvField, matrixCsv, neutraliseFormula, writeMatrixXlsx, XLSX_ROWS_PER_TURN } from './matrix.writers.ts';

async function* batches(rows: MatrixRow[][]) {
  for (const b of rows) yield b;
}

const row = (over: Partial<MatrixRow>): MatrixRow => ({
  symbol: 'A/HRC/1/1',
  paragraph: '1.1',
  text: 'x',
  body: 'UPR',
  states: [],
  position: '',
  themes: [],
  sdgs: [],
  cluster: '',
  lead: [],
  supporting: [],
  status: 'Not started',
  measures: [],
  latestUpdate: '',
  ...over,
});

describe('matrix CSV', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const v of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(v)).toBe(`'${v}`);
    for (const v of ['1-2', 'a=b', 'توصية', '']) expect(neutraliseFormula(v)).toBe(v);
  });

  it('quotes fields per RFC 4180 only when needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "yes"')).toBe('"say ""yes"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=cmd|"/c calc"')).toBe(`"'=cmd|""/c calc"""`);
  });

  it('starts with a BOM, ends lines with CRLF and round-trips Arabic, lists and quotes', async () => {
    let text = '';
    const counter = { rows: 0 };
    const rows = [[row({ text: 'إلغاء نظام الكفالة، فوراً', states: ['France', 'Chile'], themes: ['العمال', 'الهجرة'] })], [row({ paragraph: '1.2', text: '"quoted", and, commas' })]];
    for await (const chunk of matrixCsv(batches(rows), 'ar', counter)) text += chunk;
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(4); // header, two rows, and the empty rest after the last CRLF
    expect(counter.rows).toBe(2);
    const parsed = parseCsv(text, { bom: true }) as string[][];
    expect(parsed[0]![0]).toBe('رمز الوثيقة');
    expect(parsed[1]![2]).toBe('إلغاء نظام الكفالة، فوراً');
    expect(parsed[1]![4]).toBe('France, Chile');
    expect(parsed[1]![6]).toBe('العمال; الهجرة');
    expect(parsed[2]![2]).toBe('"quoted", and, commas');
  });
});

describe('pickLang', () => {
  it('takes the wanted language, else another one with a marker naming it', () => {
    expect(pickLang({ ar: 'نص', en: 'text' }, 'ar')).toBe('نص');
    expect(pickLang({ ar: null, en: 'text' }, 'ar')).toBe('[بالإنجليزية] text');
    expect(pickLang({ ar: 'نص', en: '  ' }, 'en')).toBe('[in Arabic] نص');
    expect(pickLang({ ar: null, en: null, fr: 'texte' }, 'en')).toBe('[in French] texte');
    expect(pickLang({ ar: null, en: null }, 'en')).toBe('');
  });
});

describe('matrix XLSX', () => {
  it("lets the server's event loop turn while it adds rows, even when the rows arrive without waiting", async () => {
    // a loop of immediates counts the turns; the batches are ready at once, as SQLite's reads are
    let turns = 0;
    let counting = true;
    const tick = () => {
      if (!counting) return;
      turns += 1;
      setImmediate(tick);
    };
    setImmediate(tick);
    const seen: number[] = [];
    async function* ready() {
      for (let b = 0; b < 4; b++) {
        seen.push(turns);
        yield Array.from({ length: 500 }, (_, i) => row({ paragraph: `${b}.${i}`, text: `Recommendation ${b}.${i}` }));
      }
    }
    const out = new PassThrough();
    out.resume();
    const count = await writeMatrixXlsx(out, ready(), 'ar');
    counting = false;
    expect(count).toBe(2000);
    // written in one stretch (as before), the loop would not have turned once between the first batch and the last
    expect(seen[3]! - seen[0]!).toBeGreaterThanOrEqual((3 * 500) / XLSX_ROWS_PER_TURN);
  });
});
