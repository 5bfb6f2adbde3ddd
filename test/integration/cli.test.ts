import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgSkipReason } from '../helpers/engines.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/rasd.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function rasd(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}`, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function serveAndGet(env: Record<string, string>, urlPath: string) {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: dir,
    env: { ...process.env, LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: String(port), ...env },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  try {
    for (let i = 0; i < 100 && !output.includes('Rasd is running'); i++) await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain('Rasd is running');
    const res = await fetch(`http://127.0.0.1:${port}${urlPath}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, output };
  } finally {
    child.kill('SIGTERM');
  }
}

describe('rasd CLI', () => {
  it('prints help for every command and exits 0', () => {
    for (const args of [['--help'], ['serve', '--help'], ['migrate', '--help'], ['demo', '--help'], ['users', 'add', '--help'], ['users', 'reset-password', '--help'], ['matrix', '--help']]) {
      const r = rasd(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out).toContain('Usage: rasd');
    }
  });

  it('migrates, then adds, lists, disables and re-enables users', () => {
    expect(rasd(['migrate']).out).toMatch(/0 pending/);
    const add = rasd(['users', 'add', '--email', 'Head@Mofa.example', '--password', 'a-long-password', '--role', 'admin']);
    expect(add.code).toBe(0);
    expect(add.out).toContain('head@mofa.example');
    expect(rasd(['users', 'list']).out).toMatch(/head@mofa\.example\s+admin\s+-\s+active/);
    expect(rasd(['users', 'disable', 'head@mofa.example']).code).toBe(0);
    expect(rasd(['users', 'list']).out).toContain('DISABLED');
    expect(rasd(['users', 'enable', 'head@mofa.example']).code).toBe(0);
    expect(rasd(['users', 'reset-password', 'head@mofa.example', '--password', 'another-long-one']).code).toBe(0);
  });

  it('fails with a one-line reason and a non-zero exit on bad input', () => {
    const dup = rasd(['users', 'add', '--email', 'head@mofa.example', '--password', 'a-long-password', '--role', 'viewer']);
    expect(dup.code).toBe(1);
    expect(dup.err.trim().split('\n')).toHaveLength(1);
    expect(dup.err).toContain('already exists');
    const noEntity = rasd(['users', 'add', '--email', 'fp@x.example', '--password', 'a-long-password', '--role', 'focal-point']);
    expect(noEntity.code).toBe(1);
    expect(noEntity.err).toMatch(/must belong to an entity/);
    const weak = rasd(['users', 'add', '--email', 'w@x.example', '--password', 'short', '--role', 'viewer']);
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/at least 10 characters/);
    const role = rasd(['users', 'add', '--email', 'r@x.example', '--password', 'a-long-password', '--role', 'king']);
    expect(role.code).not.toBe(0);
    expect(role.err).toMatch(/king/);
    const unknown = rasd(['users', 'disable', 'nobody@x.example']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/not found/);
  });

  it('saves a column mapping from the command line, refusing a preset name or an invalid mapping', () => {
    fs.writeFileSync(path.join(dir, 'recs.csv'), 'Symbol,Para,Text\nA/HRC/1/1,5,Ratify the convention\n');
    const mapping = { document: { symbol: { column: 'Symbol' }, body: { constant: 'UPR' } }, paragraph: { column: 'Para' }, texts: { en: 'Text' } };
    fs.writeFileSync(path.join(dir, 'map.json'), JSON.stringify(mapping));
    fs.writeFileSync(path.join(dir, 'bad-map.json'), JSON.stringify({ ...mapping, texts: 'Text' }));
    const preset = rasd(['import', 'csv', 'recs.csv', '--mapping-file', 'map.json', '--save-mapping', 'morocco-didh', '--dry-run']);
    expect(preset.code).toBe(1);
    expect(preset.err).toMatch(/preset/);
    const bad = rasd(['import', 'csv', 'recs.csv', '--mapping-file', 'bad-map.json', '--save-mapping', 'mine', '--dry-run']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/texts/);
    expect(rasd(['import', 'csv', 'recs.csv', '--mapping-file', 'map.json', '--save-mapping', 'mine', '--dry-run']).code).toBe(0);
    const reuse = rasd(['import', 'csv', 'recs.csv', '--mapping', 'mine', '--dry-run']);
    expect(reuse.code, reuse.err).toBe(0);
    expect(reuse.out).toMatch(/1 new/);
  });

  it('refuses invalid configuration at start, naming the variable', () => {
    const db = rasd(['serve'], { DATABASE_URL: 'nonsense' });
    expect(db.code).toBe(1);
    expect(db.err).toMatch(/DATABASE_URL/);
    const port = rasd(['serve'], { PORT: '70000' });
    expect(port.code).toBe(1);
    expect(port.err).toMatch(/PORT/);
  });

  it('creates the demo only in an empty database', () => {
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'demo.db')}` };
    const first = rasd(['demo'], env);
    expect(first.code).toBe(0);
    expect(first.out).toContain('coordinator@rasd.example');
    const again = rasd(['demo'], env);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/not empty/);

    // the demo's mid-term report draft, exported to DOCX from the command line
    const list = rasd(['report', 'list'], env);
    expect(list.code).toBe(0);
    const id = /^([0-9a-f-]{36})\s+upr_midterm\s+draft/m.exec(list.out)?.[1];
    expect(id).toBeDefined();
    const out = path.join(dir, 'midterm-ar.docx');
    const exported = rasd(['report', 'export', id!, '--format', 'docx', '--lang', 'ar', '--out', out], env);
    expect(exported.code).toBe(0);
    expect(fs.readFileSync(out).subarray(0, 2).toString('latin1')).toBe('PK');
    const missing = rasd(['report', 'export', 'no-such-report', '--out', path.join(dir, 'x.docx')], env);
    expect(missing.code).toBe(1);
    expect(missing.err.trim()).toBe('rasd: Report not found.');
  });

  it('exports the matrix of the demo as XLSX and CSV, one row per recommendation after a header row; an empty selection fails', async () => {
    const file = path.join(dir, 'matrix.db');
    const env = { DATABASE_URL: `sqlite:${file}` };
    expect(rasd(['demo'], env).code).toBe(0);
    const xlsx = rasd(['matrix', '--format', 'xlsx', '--lang', 'ar', '--out', 'matrix.xlsx'], env);
    expect(xlsx.code, xlsx.err).toBe(0);
    const total = Number(/Wrote (\d+) recommendations/.exec(xlsx.out)?.[1]);
    const db = new Database(file, { readonly: true });
    const counts = db.prepare("select count(*) as n from recommendations").get() as { n: number };
    const doc = db
      .prepare("select d.symbol, count(*) as n from recommendations r join documents d on d.id = r.document_id group by d.symbol order by n desc limit 1")
      .get() as { symbol: string; n: number };
    db.close();
    expect(total).toBe(counts.n);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'matrix.xlsx'));
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(1 + counts.n);
    expect(sheet.getRow(1).getCell(3).value).toBe('التوصية');
    expect(sheet.views[0]).toMatchObject({ rightToLeft: true, state: 'frozen', ySplit: 1 });

    const csv = rasd(['matrix', '--format', 'csv', '--lang', 'en', '--document', doc.symbol, '--out', 'doc.csv'], env);
    expect(csv.code, csv.err).toBe(0);
    const rows = parseCsv(fs.readFileSync(path.join(dir, 'doc.csv'), 'utf8'), { bom: true }) as string[][];
    expect(rows[0]![0]).toBe('Document symbol');
    expect(rows).toHaveLength(1 + doc.n);
    expect(rows.slice(1).every((r) => r[0] === doc.symbol)).toBe(true);

    const searched = rasd(['matrix', '--format', 'csv', '--lang', 'ar', '--q', 'التعذيب', '--out', 'q.csv'], env);
    expect(searched.code, searched.err).toBe(0);
    const qrows = parseCsv(fs.readFileSync(path.join(dir, 'q.csv'), 'utf8'), { bom: true }) as string[][];
    expect(qrows.length).toBeGreaterThan(1);
    expect(qrows.length).toBeLessThan(1 + counts.n);
    // the list's search, glossary included: torture, or what the glossary pairs with it (CAT, OPCAT, ill-treatment…)
    const off = qrows.slice(1).filter((r) => !/تعذيب|tortur|\bCAT\b|OPCAT|مناهضة|ill-treatment|المعاملة/i.test(r.join(' ')));
    expect(off.map((r) => r.slice(0, 3).join(' | '))).toEqual([]);

    const empty = rasd(['matrix', '--format', 'csv', '--document', 'NO/SUCH/1', '--out', 'empty.csv'], env);
    expect(empty.code).toBe(1);
    expect(empty.err.trim().split('\n')).toHaveLength(1);
    expect(empty.err).toMatch(/nothing to export/);
    expect(fs.existsSync(path.join(dir, 'empty.csv'))).toBe(false);
    const badFormat = rasd(['matrix', '--format', 'pdf', '--out', 'x.pdf'], env);
    expect(badFormat.code).not.toBe(0);
    expect(badFormat.err).toMatch(/pdf/);
  });

  it('a first import from the command line notes the text pipeline, so the next serve does not rebuild the search index', async () => {
    fs.writeFileSync(path.join(dir, 'first.csv'), 'Symbol,Para,Text\nA/HRC/1/1,5,Ratify the convention\nA/HRC/1/1,6,Protect migrant workers\n');
    const mapping = { document: { symbol: { column: 'Symbol' }, body: { constant: 'UPR' } }, paragraph: { column: 'Para' }, texts: { en: 'Text' } };
    fs.writeFileSync(path.join(dir, 'first-map.json'), JSON.stringify(mapping));
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'first-import.db')}` };
    const imported = rasd(['import', 'csv', 'first.csv', '--mapping-file', 'first-map.json'], env);
    expect(imported.code, imported.err).toBe(0);
    const db = new Database(path.join(dir, 'first-import.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT value FROM settings WHERE key = 'search_pipeline_version'").get()).toBeTruthy();
    } finally {
      db.close();
    }
    const r = await serveAndGet(env, '/api/health');
    expect(r.status).toBe(200);
    expect(r.output).not.toContain('Rebuilt the search index');
  });

  it('serve never seeds a demo', async () => {
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'serve.db')}` };
    const r = await serveAndGet(env, '/api/settings/public');
    expect(r.status).toBe(200);
    expect(r.body.demo).toBe(false);
    expect(r.output).not.toContain('DEMO WORKSPACE');
  });

  it.skipIf(Boolean(pgSkipReason))('serves the same app on PostgreSQL and /api/health says so', async () => {
    const t = await createTestDatabase('postgres', { migrate: false });
    try {
      const r = await serveAndGet({ DATABASE_URL: (t.target as { url: string }).url }, '/api/health');
      expect(r.status).toBe(200);
      expect(r.body.engine).toBe('postgres');
      expect(r.body.status).toBe('ok');
    } finally {
      await t.drop();
    }
  });
});
