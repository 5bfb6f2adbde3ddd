import { describe, expect, it } from 'vitest';
import { copyLine, searchRowsCopy } from './postgres-postings-copy.ts';

describe('searchRowsCopy', () => {
  it('writes the index rows exactly as COPY text lines of their fields would be, escapes and UTF-8 included', () => {
    const rows = [
      ['0190a0b0-0000-7000-8000-000000000001', 'women educ right', 'education rights'],
      ['id\\with\tspecials\n\r', 'back\\slash tab\tin new\nline\r', '\\N'],
      ['r3', 'حقوق المرأة حقوق', 'الحقوق'],
      // ASCII, then other characters, then characters to escape after them; a 4-byte character
      ['r4', 'abcحقوق\tx\\y\nz', '𝒜 é\r'],
      ['r5', '', ''],
      ['r6', `${'long'.repeat(40)} ${'ب'.repeat(50)}`, 'w'],
    ];
    const at = rows.map((_, i) => `2026-12-06T14:00:0${i}.000Z`);
    const bytes = searchRowsCopy(41, rows.map((r) => r[0]!), rows.map((r) => r[1]!), rows.map((r) => r[2]!), at);
    const expected = rows.map((r, i) => copyLine([41 + i, r[0], r[1], r[2], at[i]])).join('');
    expect(bytes.toString('utf8')).toBe(expected);
    expect(bytes.equals(Buffer.from(expected, 'utf8'))).toBe(true);
    expect(searchRowsCopy(1, [], [], [], []).length).toBe(0);
  });
});
