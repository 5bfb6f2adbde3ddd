/**
 * Seeded fuzzing of the importers through the HTTP app (issue 18): a few hundred files made at test time from the
 * real files in ../shared/data (never copied into the repository) by truncation, byte flips, huge cells and
 * headers, broken zips and damaged XML inside .xlsx/.docx, each previewed (a dry run) through POST /api/imports.
 * Every one must end as a success or a coded 4xx error (never internal_error, never a 5xx), the server must keep
 * answering, and the database must not change.
 *
 * Reproducible: the PRNG is seeded (RASD_FUZZ_SEED, default 18); a failure names the sample and its mutations.
 * The loop runs mostly on SQLite (FUZZ_SQLITE samples) and a smaller sample on PostgreSQL (FUZZ_POSTGRES), which
 * exercises the same parsers: the database only sees the (rolled back) dry runs of the files that parse.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUhriJson, buildUhriXlsx, makeZip, mulberry32 } from '../../bench/gen-uhri.ts';
import { readZipEntries } from '../../src/imports/zip-guard.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';
import { describeWithSharedData, sharedDataPath } from '../helpers/shared-data.ts';

const SEED = Number(process.env.RASD_FUZZ_SEED ?? 18);
const SAMPLES = { sqlite: Number(process.env.FUZZ_SQLITE ?? 240), postgres: Number(process.env.FUZZ_POSTGRES ?? 60) };

interface Base {
  format: string;
  filename: string;
  bytes: Buffer;
  query?: Record<string, string>;
  /** zip-based: the inflated parts, to re-zip with damaged XML */
  parts?: Map<string, Buffer>;
}

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** Text that compresses like text (a run of one letter would be refused as a zip bomb before anything else). */
function words(rng: Rng, bytes: number): string {
  const out: string[] = [];
  for (let n = 0; n < bytes; ) {
    const w = Math.floor(rng() * 2 ** 31).toString(36).slice(0, int(rng, 2, 9));
    out.push(w);
    n += w.length + 1;
  }
  return out.join(' ');
}

function csvLine(cells: string[]): string {
  return cells.map((c) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}

async function bases(): Promise<Base[]> {
  const out: Base[] = [];
  // UPR Info: the first 60 rows of the UTF-8 export, and the Mac Roman pledges file (CR line ends) cut to 60 lines
  const sessions = fs.readFileSync(sharedDataPath('upr-info', 'upr-info-sessions-1-20.csv')).subarray(0, 400_000);
  const upr = (parseCsv(sessions, { relax_quotes: true, relax_column_count: true, to: 61 }) as string[][]).map(csvLine).join('\n');
  out.push({ format: 'upr-info-csv', filename: 'upr-info.csv', bytes: Buffer.from(upr) });
  const pledges = fs.readFileSync(sharedDataPath('upr-info', 'upr-info-voluntary-pledges-macroman.csv'));
  let cr = 0;
  let end = 0;
  while (cr < 60 && end < pledges.length) if (pledges[end++] === 0x0d) cr++;
  out.push({ format: 'upr-info-csv', filename: 'pledges.csv', bytes: pledges.subarray(0, end) });
  // Morocco DIDH: 30 rows (Arabic and French, multi-line cells) as CSV and as XLSX, through the preset mapping
  const morocco = parseCsv(fs.readFileSync(sharedDataPath('morocco-didh', 'recommendations-fr-ar.csv')), { to: 31, relax_quotes: true }) as string[][];
  out.push({ format: 'csv', filename: 'morocco.csv', bytes: Buffer.from(morocco.map(csvLine).join('\n')), query: { mapping: 'morocco-didh' } });
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('DIDH');
  for (const r of morocco) ws.addRow(r);
  const moroccoXlsx = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  out.push({ format: 'xlsx', filename: 'morocco.xlsx', bytes: moroccoXlsx, query: { mapping: 'morocco-didh' } });
  // UHRI-shaped exports from the real recommendation texts (the UHRI export itself is not in shared/data)
  const uhriJson = buildUhriJson({ count: 30, seed: SEED, lang: 'en' });
  out.push({ format: 'uhri-json', filename: 'export-full-en.json', bytes: uhriJson });
  out.push({ format: 'uhri-xlsx', filename: 'export-en.xlsx', bytes: await buildUhriXlsx({ records: JSON.parse(uhriJson.toString('utf8')) }) });
  // OHCHR thematic lists as published, and a Working Group report's text (Mac Roman, CR line ends)
  for (const f of ['slovenia-cycle3-UPR34.docx', 'china-cycle3-2018-matrix.docx']) {
    out.push({ format: 'ohchr-docx', filename: f, bytes: fs.readFileSync(sharedDataPath('ohchr-thematic-lists', f)) });
  }
  out.push({ format: 'report-text', filename: 'kuwait2010.txt', bytes: fs.readFileSync(sharedDataPath('wg-reports', 'kuwait2010-A_HRC_15_15.txt')), query: { symbol: 'A/HRC/15/15', country: 'Kuwait' } });
  for (const b of out) if (b.bytes[0] === 0x50 && b.bytes[1] === 0x4b) b.parts = await readZipEntries(b.bytes, () => true);
  return out;
}

const truncate = (rng: Rng, b: Buffer) => b.subarray(0, int(rng, 0, Math.max(0, b.length - 1)));

function flip(rng: Rng, b: Buffer, n = int(rng, 1, 16)): Buffer {
  const c = Buffer.from(b);
  for (let i = 0; i < n && c.length; i++) {
    const at = int(rng, 0, c.length - 1);
    c[at] = c[at]! ^ (1 << int(rng, 0, 7));
  }
  return c;
}

function insert(b: Buffer, at: number, what: string | Buffer): Buffer {
  return Buffer.concat([b.subarray(0, at), Buffer.isBuffer(what) ? what : Buffer.from(what), b.subarray(at)]);
}

/** A huge cell: quoted into a CSV row, a JSON string value, or plain text, at a line start of the file. */
function hugeCell(rng: Rng, base: Base): Buffer {
  const size = pick(rng, [1.2, 3, 10]) * 1024 * 1024;
  const text = words(rng, size);
  const b = base.bytes;
  if (base.format === 'uhri-json') {
    const at = b.indexOf('"Text":"', int(rng, 0, b.length - 1));
    return at < 0 ? insert(b, 1, `{"Text":"${text}"},`) : insert(b, at + 8, text);
  }
  const nl = b.indexOf(0x0a, int(rng, 0, b.length - 1));
  const at = nl < 0 ? b.length : nl + 1;
  return insert(b, at, base.format === 'report-text' ? `79.99. ${text} (France);\n` : `Kuwait,"${text}",France,Accepted,Women,8\n`);
}

/** A header of hundreds to 100,000 columns. */
function hugeHeader(rng: Rng, base: Base): Buffer {
  const n = pick(rng, [501, 2000, 100_000]);
  const extra = Array.from({ length: n }, (_, i) => `Column ${i}`).join(',');
  const nl = base.bytes.findIndex((x) => x === 0x0a || x === 0x0d);
  return insert(base.bytes, nl < 0 ? base.bytes.length : nl, `,${extra}`);
}

/** Re-zips an Office file with one XML part damaged (or removed). */
function damagePart(rng: Rng, base: Base): { bytes: Buffer; how: string } {
  const parts = base.parts!;
  const names = [...parts.keys()].filter((n) => !n.endsWith('/'));
  const xmlNames = names.filter((n) => /\.(xml|rels)$/.test(n));
  const target = rng() < 0.6 ? (xmlNames.find((n) => /sheet1\.xml$|document\.xml$/.test(n)) ?? pick(rng, xmlNames)) : pick(rng, xmlNames);
  const kind = pick(rng, ['flip', 'truncate', 'entity', 'doctype', 'remove', 'huge-text', 'wide-row'] as const);
  const files: Record<string, Buffer> = {};
  for (const n of names) {
    const data = parts.get(n)!;
    if (n !== target) {
      files[n] = data;
      continue;
    }
    const xml = data.toString('utf8');
    switch (kind) {
      case 'flip':
        files[n] = flip(rng, data, int(rng, 1, 4));
        break;
      case 'truncate':
        files[n] = truncate(rng, data);
        break;
      case 'entity': {
        const at = xml.indexOf('>', int(rng, 0, xml.length - 1));
        files[n] = Buffer.from(at < 0 ? xml : `${xml.slice(0, at + 1)}&undefinedEntity;${xml.slice(at + 1)}`);
        break;
      }
      case 'doctype':
        files[n] = Buffer.from(xml.replace(/^(<\?xml[^>]*\?>)?/, '$1<!DOCTYPE x [<!ENTITY lol "lol">]>'));
        break;
      case 'remove':
        break;
      case 'huge-text': {
        const at = xml.search(/<(w:)?t[ >]/);
        files[n] = Buffer.from(at < 0 ? xml : `${xml.slice(0, xml.indexOf('>', at) + 1)}${words(rng, 3 * 1024 * 1024)}${xml.slice(xml.indexOf('>', at) + 1)}`);
        break;
      }
      case 'wide-row': {
        const cells = Array.from({ length: int(rng, 501, 3000) }, (_, i) => `<c r="${String.fromCharCode(65 + (i % 26))}${i}"><v>${i}</v></c>`).join('');
        files[n] = Buffer.from(xml.replace(/(<row\b[^>]*>)/, `$1${cells}`));
        break;
      }
    }
  }
  return { bytes: makeZip(files), how: `${kind} ${target}` };
}

/** One mutated file: the base, then 1–2 mutations chosen by the seeded PRNG. */
function mutate(rng: Rng, base: Base): { bytes: Buffer; how: string[] } {
  let bytes = base.bytes;
  const how: string[] = [];
  const zip = Boolean(base.parts);
  const rounds = rng() < 0.8 ? 1 : 2;
  for (let r = 0; r < rounds; r++) {
    const choices = zip
      ? (['truncate', 'flip', 'xml', 'xml', 'xml', 'central-directory', 'junk'] as const)
      : (['truncate', 'flip', 'flip', 'huge-cell', 'huge-header', 'junk'] as const);
    const m = pick(rng, choices);
    const current = { ...base, bytes };
    switch (m) {
      case 'truncate':
        bytes = truncate(rng, bytes);
        how.push(`truncate to ${bytes.length}`);
        break;
      case 'flip':
        bytes = flip(rng, bytes);
        how.push('flip bytes');
        break;
      case 'huge-cell':
        bytes = hugeCell(rng, current);
        how.push(`huge cell (${bytes.length - base.bytes.length} bytes)`);
        break;
      case 'huge-header':
        bytes = hugeHeader(rng, current);
        how.push('huge header');
        break;
      case 'xml': {
        const d = damagePart(rng, base);
        bytes = d.bytes;
        how.push(d.how);
        break;
      }
      case 'central-directory': {
        const cd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
        const c = Buffer.from(bytes);
        for (let i = 0; i < int(rng, 1, 8); i++) {
          const at = int(rng, Math.max(0, cd), c.length - 1);
          c[at] = c[at]! ^ 0xff;
        }
        bytes = c;
        how.push('damage central directory');
        break;
      }
      case 'junk':
        bytes = Buffer.from(Array.from({ length: int(rng, 1, 4096) }, () => int(rng, 0, 255)));
        how.push('random bytes');
        break;
    }
  }
  return { bytes, how };
}

const TABLES = ['recommendations', 'documents', 'terms', 'recommendation_terms', 'recommendation_search', 'bodies', 'audit_log'] as const;

async function counts(h: Harness): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await h.database.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return out;
}

describeWithSharedData('importer fuzzing', () => {
  let all: Base[] = [];
  beforeAll(async () => {
    all = await bases();
  }, 60_000);

  describeEachEngine('mutated real files previewed over HTTP', (engine) => {
    let h: Harness;
    let c: TestClient;
    beforeAll(async () => {
      h = await createHarness(engine, { DATA_DIR: fs.mkdtempSync(path.join('/tmp', 'rasd-fuzz-')) });
      c = await h.loginAs('coordinator');
    });
    afterAll(async () => {
      const dataDir = h?.config.dataDir;
      await closeHarness(h);
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it(`finds no 5xx, no crash and no database change (seed ${SEED})`, async () => {
      // the untouched files preview cleanly: the mutations, not the bases, are what is refused
      for (const base of all) {
        const run = await preview(h, c, base, base.bytes);
        expect(run.status, `${base.filename}: ${JSON.stringify(run.error)}`).toBe('succeeded');
      }
      const before = await counts(h);
      const rng = mulberry32(SEED + (engine === 'postgres' ? 1 : 0));
      const outcomes = new Map<string, number>();
      const n = SAMPLES[engine];
      for (let i = 0; i < n; i++) {
        const base = all[i % all.length]!;
        const { bytes, how } = mutate(rng, base);
        const label = `sample ${i} (seed ${SEED}, ${engine}): ${base.filename} ← ${how.join(', ')}`;
        const run = await preview(h, c, base, bytes);
        if (run.status === 'http') {
          // refused before a run starts (an empty file): a coded 4xx
          expect(run.httpStatus, label).toBeGreaterThanOrEqual(400);
          expect(run.httpStatus, label).toBeLessThan(500);
        } else {
          expect(['succeeded', 'failed'], label).toContain(run.status);
          if (run.status === 'failed') {
            expect(run.error?.code, `${label}: ${run.error?.message}`).not.toBe('internal_error');
            expect(run.error?.status, `${label}: ${run.error?.code}`).toBeGreaterThanOrEqual(400);
            expect(run.error?.status, `${label}: ${run.error?.code}`).toBeLessThan(500);
            expect(run.bodyBytes, label).toBeLessThan(8192);
          }
        }
        const key = run.status === 'http' ? `http ${run.httpStatus}` : run.status === 'failed' ? (run.error?.code ?? '?') : run.status;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (i % 25 === 0) expect((await h.app.inject({ method: 'GET', url: '/api/health' })).statusCode, label).toBe(200);
      }
      expect(await counts(h)).toEqual(before);
      // the sample really exercised the checks: several distinct refusals, and some files still parse
      expect(outcomes.size).toBeGreaterThan(n >= 100 ? 6 : 3);
      console.log(`importer fuzzing [${engine}], seed ${SEED}: ${n} files →`, Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])));
    }, 300_000);
  });
});

/** status 'http': refused before a run started (httpStatus); else the run's status and error. */
interface Preview {
  status: string;
  httpStatus?: number;
  error?: { status?: number; code: string; message: string };
  bodyBytes: number;
}

async function preview(h: Harness, c: TestClient, base: Base, bytes: Buffer): Promise<Preview> {
  const qs = new URLSearchParams({ format: base.format, filename: base.filename, dryRun: 'true', ...base.query });
  const res = await c.request({ method: 'POST', url: `/api/imports?${qs}`, headers: { 'content-type': 'application/octet-stream' }, payload: bytes });
  if (res.statusCode !== 202) return { status: 'http', httpStatus: res.statusCode, bodyBytes: Buffer.byteLength(res.body) };
  const id = (res.json() as { id: string }).id;
  await h.app.importRuns.inFlight.get(id);
  const got = await c.request({ method: 'GET', url: `/api/imports/${id}` });
  expect(got.statusCode).toBe(200);
  return { ...(got.json() as { status: string; error?: { status?: number; code: string; message: string } }), bodyBytes: Buffer.byteLength(got.body) };
}
