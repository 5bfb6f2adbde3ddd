/**
 * Duplicate matching in process (issue 15): the CPU time of `bestMatches` for N new generated UHRI records against M
 * older ones, as an import into a filled register runs it (matchesForNew), and of `duplicatePairs` over the older
 * ones (the duplicates page). The records are made by the benches' generator (bench/gen-uhri.ts: the older ones with
 * seed 42, the new ones with the scale bench's during-import seed), read by the UHRI JSON mapping, and given the
 * register's shape: one document per symbol, its state the first record's (as the import stores them).
 *
 *   npm run bench -- dup-match [--olds 100000] [--news 20000] [--countries Kuwait|all] [--sample 0] [--pages]
 *     [--module ../src/recommendations/merge.service.ts]
 *
 * --pages also times the duplicates page's pairs over the older records (with a module that has no `duplicatePairs`,
 * the way listDuplicateCandidates made them before it: bestMatches once per document).
 * --sample K matches only the first K new records (to time a slow implementation on part of the set; the cost per new
 * record does not depend on how many others there are). --module times another module exporting the same functions
 * (e.g. an earlier version kept aside). Prints one JSON line: CPU and wall seconds, the pairs found, and a SHA-1 of
 * them (equal hashes: equal results).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { mapUhriRecord } from '../src/imports/uhri-json.ts';
import type { Candidate, CandidatePair } from '../src/recommendations/duplicate-matching.ts';
import { generateUhriRecords, loadSentences } from './gen-uhri.ts';

const { values: args } = parseArgs({
  options: {
    olds: { type: 'string', default: '100000' },
    news: { type: 'string', default: '20000' },
    countries: { type: 'string', default: 'Kuwait' },
    sample: { type: 'string', default: '0' },
    pages: { type: 'boolean', default: false },
    module: { type: 'string', default: '../src/recommendations/merge.service.ts' },
  },
});

const impl = (await import(args.module)) as {
  bestMatches: (news: Candidate[], olds: Candidate[], apart: Set<string>) => Promise<CandidatePair[]>;
  duplicatePairs?: (all: Candidate[], apart: Set<string>) => Promise<CandidatePair[]>;
};
const countries = args.countries === 'all' ? undefined : args.countries.split(',');
const sentences = loadSentences('en');
const documents = new Map<string, { id: string; country: string | null; cycle: number | null }>();

// ids the same every run (so that two implementations' outputs compare by hash), in no particular order (as uuids)
let made = 0;
const newId = () => createHash('md5').update(String(made++)).digest('hex').slice(0, 16);

function candidates(count: number, seed: number): Candidate[] {
  const out: Candidate[] = [];
  let i = 0;
  for (const raw of generateUhriRecords({ count, seed, sentences, ...(countries ? { countries } : {}) })) {
    const { record } = mapUhriRecord(raw, ++i, 'en');
    const symbol = record.document.symbol;
    let d = documents.get(symbol);
    if (!d) documents.set(symbol, (d = { id: newId(), country: record.document.country ?? null, cycle: record.document.uprCycle ?? null }));
    out.push({
      id: newId(),
      document_id: d.id,
      country: d.country,
      upr_cycle: d.cycle,
      kind: record.kind,
      paragraph: record.paragraph ?? null,
      states: record.recommendingStates ?? [],
      text: record.texts.en ?? '',
    });
  }
  return out;
}

const olds = candidates(Number(args.olds), 42);
let news = candidates(Number(args.news), 42 ^ 0x40000000);
if (Number(args.sample) > 0) news = news.slice(0, Number(args.sample));
const hash = (pairs: CandidatePair[]) => createHash('sha1').update(JSON.stringify(pairs)).digest('hex');
const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function timed<T>(f: () => Promise<T>) {
  global.gc?.();
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const d = process.cpuUsage(c);
  return { value, cpuSeconds: Math.round((d.user + d.system) / 1e4) / 100, wallSeconds: Math.round(performance.now() - t) / 1000 };
}

const result: Record<string, unknown> = { module: args.module, olds: olds.length, news: news.length, countries: args.countries, documents: documents.size, loadavgStart: loadavg() };
const m = await timed(() => impl.bestMatches(news, olds, new Set()));
result.bestMatches = { cpuSeconds: m.cpuSeconds, wallSeconds: m.wallSeconds, pairs: m.value.length, sha1: hash(m.value), cpuMsPerNew: Math.round((m.cpuSeconds * 1e6) / news.length) / 1000 };
/** The duplicates page's pairs as listDuplicateCandidates made them before duplicatePairs: bestMatches per document. */
async function perDocument(all: Candidate[], apart: Set<string>): Promise<CandidatePair[]> {
  const docs = new Map<string, Candidate[]>();
  for (const c of all) docs.set(c.document_id, [...(docs.get(c.document_id) ?? []), c]);
  const order = [...docs.keys()];
  const pairs: CandidatePair[] = [];
  for (let i = 0; i < order.length; i++) pairs.push(...(await impl.bestMatches(docs.get(order[i]!)!, order.slice(0, i + 1).flatMap((d) => docs.get(d)!), apart)));
  return pairs;
}
if (args.pages) {
  const pairsOf = impl.duplicatePairs ?? perDocument;
  const p = await timed(() => pairsOf(olds, new Set()));
  result.duplicatePairs = { cpuSeconds: p.cpuSeconds, wallSeconds: p.wallSeconds, pairs: p.value.length, sha1: hash(p.value) };
}
result.loadavgEnd = loadavg();
result.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(result));
