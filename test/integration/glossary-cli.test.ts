/** `rasd glossary export|import` (issue 13) on a SQLite file: the shipped glossary out, a refused file changes nothing. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/rasd.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-glossary-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function rasd(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'g.db')}`, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('rasd glossary', () => {
  it('exports the glossary, refuses a file with an empty side or a repeated pair, imports a good one', () => {
    const out = path.join(dir, 'glossary.csv');
    const exported = rasd(['glossary', 'export', out]);
    expect(exported.code, exported.err).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('\uFEFFterm_ar,term_en,note');
    expect(lines.length - 1).toBeGreaterThanOrEqual(500);
    expect(lines).toContain('البدون,Bidoon,');
    expect(exported.out).toContain(`${lines.length - 1} pairs`);

    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'term_ar,term_en\nالمسرد التجريبي,test glossary\n,orphan\n');
    const refused = rasd(['glossary', 'import', bad]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^rasd: glossary_empty_side: Row 3/);
    fs.writeFileSync(bad, 'term_ar,term_en\nالمسرد التجريبي,test glossary\nالمسرد التجريبي,Test Glossary\n');
    const dup = rasd(['glossary', 'import', bad]);
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/glossary_duplicate_key: Row 3 repeats row 2/);

    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, 'term_ar,term_en\nالمسرد التجريبي,test glossary\nالبدون,Bidoon\n');
    const dry = rasd(['glossary', 'import', good, '--dry-run']);
    expect(dry.out).toContain('Dry run: would add 1 pair(s); 1 already held.');
    const ok = rasd(['glossary', 'import', good]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('Added 1 pair(s); 1 already held.');
    rasd(['glossary', 'export', out]);
    const after = fs.readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(after.length).toBe(lines.length + 1);
    expect(after).toContain('المسرد التجريبي,test glossary,');
  }, 120_000);
});
