/**
 * Generator of UHRI-shaped exports (JSON array as documented in SPEC §3.1; and the Excel export),
 * for benchmarks and tests. Deterministic for a given seed; the same seed gives the same
 * AnnotationIds and structure in every language, as the real per-language files do.
 *
 *   npx tsx bench/gen-uhri.ts --count 1000 --lang en --out /tmp/x.json [--seed 42] [--no-shared-data]
 *   npx tsx bench/gen-uhri.ts --measure /tmp/x.json      # parse it with src/imports/uhri-json.ts: records/s, peak RSS
 *
 * Texts: real recommendation sentences read at run time from ../shared/data when it is there
 * (UPR Info export for English, the Morocco DIDH file for French and Arabic), else a small built-in
 * vocabulary. Streams to the file with back-pressure: memory stays bounded whatever --count.
 */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { deflateRawSync } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Lang } from '../src/imports/types.ts';
import type { UhriJsonRecord } from '../src/imports/uhri-json.ts';
import { isoDateToExcelSerial } from '../src/imports/uhri-shared.ts';

export type { UhriJsonRecord };

/* ------------------------------------------------------------------ deterministic randomness */

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash2(a: number, b: number): number {
  let h = (a ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (b + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
function pickSome<T>(rng: () => number, xs: readonly T[], min: number, max: number): T[] {
  const n = min + Math.floor(rng() * (max - min + 1));
  const out: T[] = [];
  for (let i = 0; i < n * 3 && out.length < n; i++) {
    const x = pick(rng, xs);
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

function uuid(rng: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/* ------------------------------------------------------------------ vocabulary */

const COUNTRIES: [string, string, string][] = [
  // name, ISO3, region
  ['Kuwait', 'KWT', 'Asia-Pacific States'],
  ['Qatar', 'QAT', 'Asia-Pacific States'],
  ['Bahrain', 'BHR', 'Asia-Pacific States'],
  ['Oman', 'OMN', 'Asia-Pacific States'],
  ['Saudi Arabia', 'SAU', 'Asia-Pacific States'],
  ['United Arab Emirates', 'ARE', 'Asia-Pacific States'],
  ['Jordan', 'JOR', 'Asia-Pacific States'],
  ['Iraq', 'IRQ', 'Asia-Pacific States'],
  ['Yemen', 'YEM', 'Asia-Pacific States'],
  ['Egypt', 'EGY', 'African States'],
  ['Morocco', 'MAR', 'African States'],
  ['Tunisia', 'TUN', 'African States'],
  ['Peru', 'PER', 'Latin American and Caribbean States'],
  ['Chile', 'CHL', 'Latin American and Caribbean States'],
  ['Slovenia', 'SVN', 'Eastern European States'],
  ['Norway', 'NOR', 'Western European and other States'],
  ['China', 'CHN', 'Asia-Pacific States'],
];
const RECOMMENDING = [
  'Mexico', 'France', 'Brazil', 'Germany', 'Tunisia', 'Chile', 'Japan', 'Norway', 'Sierra Leone', 'Uruguay', 'Portugal',
  'Iran (Islamic Republic of)', 'United Kingdom of Great Britain and Northern Ireland', 'Bolivarian Republic of Venezuela',
  'Republic of Korea', 'Indonesia', 'Philippines', 'Ghana', 'Estonia', 'Spain', 'Canada', 'Australia', 'Senegal',
];
const TREATY = ['CRC', 'CEDAW', 'CAT', 'CCPR', 'CESCR', 'CERD', 'CRPD', 'CMW', 'CED'];
const THEMES = [
  'Acceptance of international norms', 'Cooperation with treaty bodies', 'National Human Rights Institution (NHRI)',
  'Death penalty', 'Prohibition of torture and cruel, inhuman or degrading treatment', 'Freedom of opinion and expression',
  'Right to education', 'Right to health', 'Discrimination against women', 'Violence against women',
  'Children: protection against exploitation', 'Migrants', 'Human trafficking', 'Right to just and favourable conditions of work',
  'Administration of justice & fair trial', 'Rights related to name, identity & nationality', 'Freedom of association',
];
const PERSONS = ['general', 'women', 'children', 'girls', 'migrants', 'migrant workers', 'persons with disabilities',
  'stateless persons', 'human rights defenders', 'persons deprived of their liberty', 'refugees & asylum seekers', 'media'];
const SDGS = [
  '1.3 - Implement nationally appropriate social protection systems',
  '4.1 - Ensure that all girls and boys complete free, equitable and quality primary and secondary education',
  '5.1 - End all forms of discrimination against all women and girls everywhere',
  '5.2 - Eliminate all forms of violence against all women and girls',
  '8.7 - Take immediate and effective measures to eradicate forced labour',
  '8.8 - Protect labour rights and promote safe and secure working environments for all workers',
  '10.3 - Ensure equal opportunity and reduce inequalities of outcome',
  '16.1 - Significantly reduce all forms of violence and related death rates everywhere',
  '16.2 - Protect children from abuse, exploitation, trafficking and violence',
  '16.3 - Promote the rule of law at the national and international levels',
  '16.10 - Ensure public access to information and protect fundamental freedoms',
  '16.a - Strengthen relevant national institutions',
];

const BUILTIN: Record<'en' | 'fr' | 'ar', { verbs: string[]; objects: string[]; tails: string[] }> = {
  en: {
    verbs: ['Ratify', 'Consider ratifying', 'Strengthen', 'Adopt', 'Ensure the implementation of', 'Continue its efforts to promote', 'Take measures to guarantee', 'Establish'],
    objects: ['the Optional Protocol to the Convention against Torture', 'a national human rights institution in line with the Paris Principles',
      'legislation criminalizing domestic violence', 'the rights of migrant domestic workers', 'access to inclusive education for children with disabilities',
      'a moratorium on the death penalty', 'the independence of the judiciary', 'measures to combat trafficking in persons'],
    tails: ['', ' in accordance with its international obligations', ' and allocate adequate resources to that end', ', in consultation with civil society'],
  },
  fr: {
    verbs: ['Ratifier', 'Envisager de ratifier', 'Renforcer', 'Adopter', 'Veiller à la mise en œuvre de', 'Poursuivre ses efforts pour promouvoir', 'Garantir', 'Mettre en place'],
    objects: ['le Protocole facultatif se rapportant à la Convention contre la torture', 'une institution nationale des droits de l’homme conforme aux Principes de Paris',
      'une loi incriminant la violence domestique', 'les droits des travailleurs domestiques migrants', 'l’accès à une éducation inclusive pour les enfants handicapés',
      'un moratoire sur la peine de mort', 'l’indépendance du pouvoir judiciaire', 'des mesures de lutte contre la traite des personnes'],
    tails: ['', ' conformément à ses obligations internationales', ' et y consacrer des ressources suffisantes', ', en concertation avec la société civile'],
  },
  ar: {
    verbs: ['التصديق على', 'النظر في التصديق على', 'تعزيز', 'اعتماد', 'ضمان تنفيذ', 'مواصلة جهودها لتعزيز', 'اتخاذ تدابير لضمان', 'إنشاء'],
    objects: ['البروتوكول الاختياري لاتفاقية مناهضة التعذيب', 'مؤسسة وطنية لحقوق الإنسان وفقاً لمبادئ باريس', 'تشريع يجرم العنف المنزلي',
      'حقوق العمال المنزليين المهاجرين', 'حصول الأطفال ذوي الإعاقة على التعليم الجامع', 'وقف اختياري لتنفيذ عقوبة الإعدام', 'استقلال القضاء', 'تدابير مكافحة الاتجار بالأشخاص'],
    tails: ['', ' وفقاً لالتزاماتها الدولية', ' وتخصيص الموارد الكافية لذلك', '، بالتشاور مع المجتمع المدني'],
  },
};

function builtinSentences(lang: Lang): string[] {
  const v = BUILTIN[lang === 'ar' || lang === 'fr' ? lang : 'en'];
  const out: string[] = [];
  for (const verb of v.verbs) for (const obj of v.objects) for (const tail of v.tails) out.push(`${verb} ${obj}${tail}.`);
  return out;
}

function defaultSharedDataDir(): string {
  return process.env.RASD_SHARED_DATA ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data');
}

/**
 * Real sentences for a language from the shared data folder (at most `max`), or the built-in
 * vocabulary when the folder or the language is not there.
 */
export function loadSentences(lang: Lang, opts: { dataDir?: string; max?: number } = {}): string[] {
  const dir = opts.dataDir ?? defaultSharedDataDir();
  const max = opts.max ?? 20_000;
  try {
    let texts: string[] = [];
    if (lang === 'en') {
      const f = resolve(dir, 'upr-info', 'upr-info-sessions-1-20.csv');
      if (existsSync(f)) {
        const rows = parseCsv(readFileSync(f), { columns: true, relax_quotes: true, skip_records_with_error: true }) as Record<string, string>[];
        texts = rows.map((r) => r.Text ?? '');
      }
    } else if (lang === 'fr' || lang === 'ar') {
      const f = resolve(dir, 'morocco-didh', 'recommendations-fr-ar.csv');
      if (existsSync(f)) {
        const rows = parseCsv(readFileSync(f), { columns: true, relax_quotes: true, skip_records_with_error: true }) as Record<string, string>[];
        texts = rows.map((r) => (lang === 'fr' ? r.text_fr : r.text_ar) ?? '');
      }
    }
    texts = texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t.length >= 30 && t.length <= 1500 && !t.includes('\uFFFD'));
    if (texts.length >= 50) return texts.slice(0, max);
  } catch {
    /* fall back to the built-in vocabulary */
  }
  return builtinSentences(lang);
}

/* ------------------------------------------------------------------ records */

export interface GenOptions {
  count?: number;
  lang?: Lang;
  seed?: number;
  /** Sentences to draw texts from; default loadSentences(lang) (or the built-in set if useSharedData is false). */
  sentences?: string[];
  useSharedData?: boolean;
  /** Restrict the countries concerned (English names from the built-in list, or any names). */
  countries?: string[];
}

/** One deterministic UHRI record; structure and AnnotationId depend on seed and index only, not on lang. */
export function makeUhriRecord(index: number, seed: number, lang: Lang, sentences: readonly string[], countries?: string[]): UhriJsonRecord {
  const rng = mulberry32(hash2(seed, index));
  const id = uuid(rng);
  const [country, iso, region] = countries?.length
    ? (() => {
        const name = pick(rng, countries);
        const known = COUNTRIES.find((c) => c[0] === name);
        return known ?? [name, name.slice(0, 3).toUpperCase(), 'Asia-Pacific States'];
      })()
    : pick(rng, COUNTRIES);
  const roll = rng();
  const isUpr = roll < 0.45;
  const isSp = !isUpr && roll > 0.93;
  const body = isUpr ? 'UPR' : isSp ? 'Special Procedures' : pick(rng, TREATY);
  const isRec = isUpr || rng() < 0.6;
  const sentence = pick(rng, sentences);
  const year = 2008 + Math.floor(rng() * 17);
  const month = 1 + Math.floor(rng() * 12);
  const day = 1 + Math.floor(rng() * 28);
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T00:00:00`;
  const rec: UhriJsonRecord = {
    AnnotationId: id,
    AnnotationType: isRec ? '- Recommendations' : '- Concerns/Observations',
    Body: `- ${body}`,
    Symbol: '',
    Text: '',
    DocumentId: String(100000 + Math.floor(rng() * 900000)),
    PublicationDate: date,
    PublicationDateOnUhri: `${Math.min(year + 1, 2025)}-${String(month).padStart(2, '0')}-01T00:00:00`,
    Countries: [country],
    Regions: [region],
    Themes: pickSome(rng, THEMES, 1, 3).map((t) => `- ${t}`),
    AffectedPersons: pickSome(rng, PERSONS, 0, 2).map((t) => `- ${t}`),
    Sdgs: pickSome(rng, SDGS, 0, 2),
    UprCycle: null,
    UprSession: [],
    UprPositions: [],
    UprRecommendingCountry: [],
    UprRecommendingRegions: [],
  };
  if (isUpr) {
    const cycle = 1 + Math.floor(rng() * 4);
    const session = cycle * 12 - 10 + Math.floor(rng() * 12);
    const hrc = session + 6;
    const sec = 100 + Math.floor(rng() * 70);
    const para = `${sec}.${1 + Math.floor(rng() * 290)}`;
    const states = pickSome(rng, RECOMMENDING, 1, 3);
    rec.Symbol = `A/HRC/${hrc}/${1 + Math.floor(rng() * 16)}`;
    rec.Text = `${para} ${sentence.replace(/[.;]\s*$/, '')} (${states.join(', ')});`;
    rec.UprCycle = String(cycle);
    rec.UprSession = [String(session)];
    rec.UprPositions = [rng() < 0.75 ? 'Supported' : 'Noted'];
    rec.UprRecommendingCountry = states;
    rec.UprRecommendingRegions = ['- Latin American and Caribbean States'];
  } else if (isSp) {
    rec.Symbol = `A/HRC/${10 + Math.floor(rng() * 48)}/${20 + Math.floor(rng() * 50)}/Add.${1 + Math.floor(rng() * 3)}`;
    rec.Text = `${5 + Math.floor(rng() * 90)}. ${sentence}`;
  } else {
    rec.Symbol = `${body}/C/${iso}/CO/${1 + Math.floor(rng() * 6)}`;
    rec.Text = `${1 + Math.floor(rng() * 60)}.${rng() < 0.5 ? '' : ' '}${isRec ? '' : ''}${sentence}`;
  }
  void lang;
  return rec;
}

export function* generateUhriRecords(opts: GenOptions = {}): Generator<UhriJsonRecord> {
  const count = opts.count ?? 250_000;
  const lang = opts.lang ?? 'en';
  const seed = opts.seed ?? 42;
  const sentences = opts.sentences ?? (opts.useSharedData === false ? builtinSentences(lang) : loadSentences(lang));
  for (let i = 0; i < count; i++) yield makeUhriRecord(i, seed, lang, sentences, opts.countries);
}

/** A small UHRI JSON export in memory (tests). Pretty-printed like the real export when `pretty`. */
export function buildUhriJson(opts: GenOptions & { pretty?: boolean; records?: UhriJsonRecord[] } = {}): Buffer {
  const recs = opts.records ?? [...generateUhriRecords({ count: 20, useSharedData: false, ...opts })];
  return Buffer.from(opts.pretty ? JSON.stringify(recs, null, 2) : JSON.stringify(recs), 'utf8');
}

/** Stream `count` records to a file as one JSON array, with back-pressure (bounded memory). */
export async function writeUhriJson(
  path: string,
  opts: GenOptions = {},
  onProgress?: (records: number) => void,
): Promise<{ records: number; bytes: number }> {
  const out = createWriteStream(path);
  let records = 0;
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('[');
  for (const rec of generateUhriRecords(opts)) {
    await write((records === 0 ? '\n' : ',\n') + JSON.stringify(rec));
    records++;
    if (onProgress && records % 10_000 === 0) onProgress(records);
  }
  await write('\n]\n');
  out.end();
  await once(out, 'finish');
  return { records, bytes: out.bytesWritten };
}

/* ------------------------------------------------------------------ Excel export */

export const UHRI_XLSX_COLUMNS = [
  'Text',
  'Countries Concerned',
  'Reccomending Body',
  'UPR Session',
  'Document Symbol',
  'UPR Reccomending States',
  'UPR Position',
  'Themes',
  'Affected Persons',
  'Sdgs',
  'Document Publication Date',
  'OHCHR Annotation Id',
] as const;

const bullets = (xs: string[] | undefined) => (xs ?? []).map((x) => (x.startsWith('- ') ? x : `- ${x}`)).join('\n');

/** The Excel row of a UHRI record (as the UHRI "Export to Excel" lays it out). */
export function uhriRecordToXlsxRow(r: UhriJsonRecord): (string | number | null)[] {
  const session = Array.isArray(r.UprSession) ? r.UprSession[0] : r.UprSession;
  return [
    r.Text ?? '',
    bullets(r.Countries),
    r.Body ?? '',
    session === undefined || session === null ? null : String(session),
    r.Symbol ?? '',
    bullets(r.UprRecommendingCountry),
    bullets(r.UprPositions),
    bullets(r.Themes),
    bullets(r.AffectedPersons),
    bullets(r.Sdgs),
    r.PublicationDate ? isoDateToExcelSerial(r.PublicationDate.slice(0, 10)) : null,
    r.AnnotationId ?? '',
  ];
}

/** A UHRI Excel export in memory (tests). `omitColumns` drops columns to test missing-column errors. */
export async function buildUhriXlsx(
  opts: GenOptions & { records?: UhriJsonRecord[]; omitColumns?: string[]; sheetName?: string } = {},
): Promise<Buffer> {
  const recs = opts.records ?? [...generateUhriRecords({ count: 20, useSharedData: false, ...opts })];
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(opts.sheetName ?? 'Export');
  const keep = UHRI_XLSX_COLUMNS.map((c, i) => [c, i] as const).filter(([c]) => !opts.omitColumns?.includes(c));
  ws.addRow(keep.map(([c]) => c));
  for (const r of recs) {
    const row = uhriRecordToXlsxRow(r);
    ws.addRow(keep.map(([, i]) => row[i] ?? null));
  }
  const buf = await wb.xlsx.writeBuffer();
  return Buffer.from(buf as ArrayBuffer);
}

/* ------------------------------------------------------------------ a tiny zip writer (test fixtures: .docx, zip bombs) */

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** Minimal zip (deflate) writer: enough to build .docx fixtures in memory. */
export function makeZip(files: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const comp = deflateRawSync(data);
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    locals.push(local, nameBuf, comp);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/* ------------------------------------------------------------------ CLI */

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function measure(file: string, lang?: Lang): Promise<void> {
  const { parseUhriJson } = await import('../src/imports/uhri-json.ts');
  const { statSync } = await import('node:fs');
  const size = statSync(file).size;
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const t0 = performance.now();
  let n = 0;
  for await (const rec of parseUhriJson(file, { lang })) {
    if (rec.sourceRow > 0) n++;
    if ((n & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const secs = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(
    JSON.stringify({
      file,
      bytes: size,
      records: n,
      seconds: Number(secs.toFixed(2)),
      recordsPerSecond: Math.round(n / secs),
      mbPerSecond: Number((size / 1048576 / secs).toFixed(1)),
      peakRssMb: Math.round(peak / 1048576),
    }),
  );
}

async function main(argv: string[]): Promise<void> {
  const m = arg(argv, '--measure');
  if (m) return measure(m, arg(argv, '--lang') as Lang | undefined);
  const out = arg(argv, '--out');
  if (!out) {
    console.error('usage: npx tsx bench/gen-uhri.ts --out FILE [--count 250000] [--lang en|ar|fr] [--seed 42] [--no-shared-data]\n' +
      '       npx tsx bench/gen-uhri.ts --measure FILE [--lang en]');
    process.exit(2);
  }
  const count = Number(arg(argv, '--count') ?? 250_000);
  const lang = (arg(argv, '--lang') ?? 'en') as Lang;
  const seed = Number(arg(argv, '--seed') ?? 42);
  if (!Number.isInteger(count) || count < 0) throw new Error('--count must be a non-negative integer');
  const t0 = performance.now();
  const res = await writeUhriJson(out, { count, lang, seed, useSharedData: !argv.includes('--no-shared-data') }, (n) => {
    if (n % 50_000 === 0) process.stderr.write(`  ${n} records\n`);
  });
  console.log(JSON.stringify({ out, ...res, seconds: Number(((performance.now() - t0) / 1000).toFixed(2)) }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
