/** Test-only helpers for src/text tests: the real Moroccan DIDH data from ../shared/data. */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sharedDataPath } from '../../test/helpers/shared-data.ts';

export const DIDH_CSV = sharedDataPath('morocco-didh', 'recommendations-fr-ar.csv');
export const IS_CI = process.env.CI === 'true';

export interface DidhRow {
  readonly id: string;
  readonly text_ar: string;
  readonly text_fr: string;
}

/** Rows of the DIDH CSV, or null when ../shared/data is absent. */
export function loadDidh(): DidhRow[] | null {
  if (!existsSync(DIDH_CSV)) return null;
  const rows = parse(readFileSync(DIDH_CSV), { columns: true, bom: true, skip_empty_lines: true }) as Array<
    Record<string, string | undefined>
  >;
  return rows.map((r) => ({ id: r.Id ?? '', text_ar: r.text_ar ?? '', text_fr: r.text_fr ?? '' }));
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function nastyQueries(count: number, seed = 42): string[] {
  const fixed = [
    '',
    ' ',
    '"',
    '""',
    '"""',
    '" "',
    '*',
    '**',
    '"*"',
    'a*b*c',
    '^',
    ':',
    '()',
    '{}',
    '-',
    '--',
    'NOT',
    'AND OR NOT NEAR',
    'NEAR(a b, 3)',
    'a NEAR/3 b',
    'terms:secret',
    '{terms words}: x',
    '- terms : x',
    "'; drop table recommendations; --",
    "' OR '1'='1",
    'x\'); DELETE FROM t; --',
    '\\',
    '\\\\"\'',
    "a:*A & b | !c <-> d",
    "'a':* & !'b'",
    '\u0000\u0001\u001f',
    '\uD800',
    '\uDC00abc',
    '😀 🇲🇦',
    'ـــ',
    'ًٌٍَُِّْ',
    'ء',
    '"حقوق الإنسان',
    'حقوق" "الإنسان"',
    '«المرأة» “women”',
    '١٢٨٫٢٦*',
    '*prefix',
    'pre*fix*',
    'x'.repeat(5000),
    'word '.repeat(500),
    '"a b c d e f g h i j k l m n o p q r s t u v w x y z"',
    '<script>alert(1)</script>',
    '%_%',
    '$1 $$ ${x}',
    '\u202Eevil\u202C',
  ];
  const alphabet = [
    ...'"\'*^:(){}[]-+~|&!<>=\\/.,;%_$#@?`',
    ' ',
    '  ',
    '\t',
    '\n',
    'AND',
    'OR',
    'NOT',
    'NEAR',
    'a',
    'ab',
    'rights',
    'ratif',
    'ح',
    'حقوق',
    'الإنسان',
    'ـ',
    'ً',
    'ء',
    'ؤ',
    '٣',
    '۴',
    '\u0000',
    '\u200F',
    '😀',
    '\uD83D',
    'É',
    'ß',
  ];
  const r = rng(seed);
  const out = [...fixed];
  while (out.length < count) {
    const len = Math.floor(r() * 12);
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(r() * alphabet.length)] ?? '';
    out.push(s);
  }
  return out;
}

