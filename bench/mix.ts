/**
 * The mix of what signed-in people do, shared by the load benchmark (bench/load.ts, on the demo workspace) and the
 * scale benchmark (bench/scale.ts, on a generated register of 10k–250k): N users at once, each looping without pause
 * over
 * - list (a page of the register, sometimes with a facet or another sort), search (a query in Arabic or English),
 *   detail (one recommendation);
 * - curators: curation writes (PATCH a recommendation's notes with the version last read; the writers share a small
 *   set of recommendations, so some writes meet a newer version and get 409 `version_conflict`, as they should);
 * - contributors: evidence uploads (a small PDF) to their own draft update.
 * Every request has a client timeout (default 10 s): one that has not answered by then counts as a timeout, apart
 * from other network errors. Reported: requests, requests per second, answers by status, 5xx, timeouts, other
 * network errors, latency p50/p90/p99/max overall and per kind of request (a timeout counts in them at the time it was
 * given up on, a lower bound).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { createUser } from '../src/users/index.ts';
import { signIn } from './server.ts';

export type Kind = 'list' | 'search' | 'detail' | 'curate' | 'upload';
const SEARCHES = ['torture', 'التعذيب', 'women', 'المرأة', 'education', 'الأطفال', 'detention', 'حرية التعبير', 'migrant workers', 'الاتجار بالبشر'];
const LISTS = ['pageSize=25', 'pageSize=25&page=2', 'pageSize=50&sort=date', 'pageSize=25&status=not_started', 'pageSize=25&position=supported', 'pageSize=10&page=3'];
/** a minimal PDF: what the evidence check accepts */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

export interface MixUsers {
  curators: string[];
  contributors: string[];
  readers: string[];
}

/** The mix's users: a fifth coordinators, two fifths contributors of `entityId`, the rest viewers. */
export async function createMixUsers(db: Kysely<DB>, count: number, password: string, entityId: string, prefix = 'load'): Promise<MixUsers> {
  const out: MixUsers = { curators: [], contributors: [], readers: [] };
  for (let i = 0; i < count; i++) {
    const role = i % 5 === 0 ? 'coordinator' : i % 5 <= 2 ? 'contributor' : 'viewer';
    const email = `${prefix}.${i}@bench.example`;
    await createUser(db, { email, password, role, entityId: role === 'contributor' ? entityId : null });
    (role === 'coordinator' ? out.curators : role === 'contributor' ? out.contributors : out.readers).push(email);
  }
  return out;
}

interface Session {
  email: string;
  kind: 'curator' | 'contributor' | 'reader';
  headers: Record<string, string>;
  draftUpdateId?: string;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);
const round = (n: number) => Math.round(n * 10) / 10;
export function latencySummary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: round(percentile(s, 50)), p90: round(percentile(s, 90)), p99: round(percentile(s, 99)), max: round(s[s.length - 1] ?? 0) };
}

export interface MixOptions {
  base: string;
  users: MixUsers;
  password: string;
  /** recommendations a detail request picks from; the first 20 are the writers' shared ones */
  recommendationIds: string[];
  /** assignments of the contributors' entity: each contributor drafts an update on one, to upload evidence to */
  assignmentIds: string[];
  durationS: number;
  /** a request unanswered after this long is a timeout (default 10,000 ms) */
  timeoutMs?: number;
  log?: (msg: string) => void;
}

export async function runMix(opts: MixOptions) {
  const { base, users, password, recommendationIds, assignmentIds, durationS, timeoutMs = 10_000 } = opts;
  const log = opts.log ?? (() => undefined);
  const signInAs = async (email: string, kind: Session['kind']): Promise<Session> => {
    const { cookie, csrf } = await signIn(base, email, password);
    return { email, kind, headers: { cookie, 'x-csrf-token': csrf } };
  };
  log(`signing in ${users.curators.length + users.contributors.length + users.readers.length} users`);
  const sessions: Session[] = [];
  for (const e of users.curators) sessions.push(await signInAs(e, 'curator'));
  for (const e of users.readers) sessions.push(await signInAs(e, 'reader'));
  for (const [i, e] of users.contributors.entries()) {
    const s = await signInAs(e, 'contributor');
    const assignment = assignmentIds[i % assignmentIds.length];
    if (assignment) {
      const res = await fetch(`${base}/api/assignments/${assignment}/updates`, { method: 'POST', headers: { ...s.headers, 'content-type': 'application/json' }, body: JSON.stringify({ text_en: `Load bench draft ${i}` }) });
      if (res.status === 201) s.draftUpdateId = ((await res.json()) as { id: string }).id;
      else log(`draft update for ${e}: ${res.status} ${await res.text()}`);
    }
    sessions.push(s);
  }
  // the writers share 20 recommendations, so that some writes race and meet a newer version
  const hot = recommendationIds.slice(0, 20);
  const versions = new Map<string, number>();
  for (const id of hot) {
    const res = await fetch(`${base}/api/recommendations/${id}`, { headers: sessions[0]!.headers });
    versions.set(id, ((await res.json()) as { version: number }).version);
  }

  const latencies: Record<Kind, number[]> = { list: [], search: [], detail: [], curate: [], upload: [] };
  const statuses: Record<Kind, Record<string, number>> = { list: {}, search: {}, detail: {}, curate: {}, upload: {} };
  const timeoutsByKind: Record<Kind, number> = { list: 0, search: 0, detail: 0, curate: 0, upload: 0 };
  const failures: string[] = [];
  /** the slowest requests: when they started (s after the mix began) and how long they took, to tell a stall of everything from one slow kind */
  const slowest: { kind: Kind; path: string; startS: number; ms: number }[] = [];
  let mixStart = 0;
  const noteSlow = (kind: Kind, url: string, t: number, ms: number) => {
    if (slowest.length >= 20 && ms <= slowest[slowest.length - 1]!.ms) return;
    slowest.push({ kind, path: url.slice(base.length), startS: round((t - mixStart) / 1000), ms: round(ms) });
    slowest.sort((a, b) => b.ms - a.ms);
    slowest.length = Math.min(slowest.length, 20);
  };
  let networkErrors = 0;
  let rand = 0x2f6b_3a1d;
  const random = () => {
    rand = (Math.imul(rand ^ (rand >>> 15), 1 | rand) + 0x6d2b79f5) | 0;
    return ((rand >>> 0) % 1_000_000) / 1_000_000;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

  async function once(s: Session): Promise<void> {
    const r = random();
    let kind: Kind;
    let url: string;
    let init: RequestInit = { headers: s.headers };
    let hotId: string | undefined;
    if (s.kind === 'curator' && r < 0.3) {
      kind = 'curate';
      hotId = pick(hot);
      url = `${base}/api/recommendations/${hotId}`;
      init = { method: 'PATCH', headers: { ...s.headers, 'content-type': 'application/json' }, body: JSON.stringify({ version: versions.get(hotId), notes: `load ${s.email} ${Date.now()}` }) };
    } else if (s.kind === 'contributor' && s.draftUpdateId && r < 0.15) {
      kind = 'upload';
      url = `${base}/api/updates/${s.draftUpdateId}/evidence`;
      init = { method: 'POST', headers: { ...s.headers, 'content-type': 'application/octet-stream', 'x-filename': encodeURIComponent('دليل-evidence.pdf') }, body: PDF };
    } else if (r < 0.55) {
      kind = 'list';
      url = `${base}/api/recommendations?${pick(LISTS)}`;
    } else if (r < 0.8) {
      kind = 'search';
      url = `${base}/api/recommendations?pageSize=25&q=${encodeURIComponent(pick(SEARCHES))}`;
    } else {
      kind = 'detail';
      hotId = random() < 0.3 ? pick(hot) : pick(recommendationIds);
      url = `${base}/api/recommendations/${hotId}`;
    }
    const t = performance.now();
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const body = await res.text();
      latencies[kind].push(performance.now() - t);
      noteSlow(kind, url, t, performance.now() - t);
      statuses[kind][res.status] = (statuses[kind][res.status] ?? 0) + 1;
      if (res.status >= 500 && failures.length < 20) failures.push(`${kind} ${url}: ${res.status} ${body.slice(0, 200)}`);
      if (hotId && versions.has(hotId) && (res.status === 200 || res.status === 409)) {
        const v = res.status === 200 ? (JSON.parse(body) as { version?: number }).version : (JSON.parse(body) as { error?: { details?: { currentVersion?: number } } }).error?.details?.currentVersion;
        if (typeof v === 'number' && v > (versions.get(hotId) ?? 0)) versions.set(hotId, v);
      }
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') {
        // counted in the latencies at the time it was given up on: a lower bound of its real latency
        timeoutsByKind[kind] += 1;
        latencies[kind].push(performance.now() - t);
        noteSlow(kind, url, t, performance.now() - t);
      } else networkErrors += 1;
      if (failures.length < 20) failures.push(`${kind} ${url}: ${(err as Error).name} ${(err as Error).message}`);
    }
  }

  log(`${sessions.length} users for ${durationS} s`);
  const started = performance.now();
  mixStart = started;
  const end = started + durationS * 1000;
  await Promise.all(
    sessions.map(async (s) => {
      while (performance.now() < end) await once(s);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const all = Object.values(latencies).flat();
  const byStatus: Record<string, number> = {};
  for (const k of Object.values(statuses)) for (const [st, n] of Object.entries(k)) byStatus[st] = (byStatus[st] ?? 0) + n;
  const fiveXx = Object.entries(byStatus)
    .filter(([st]) => Number(st) >= 500)
    .reduce((n, [, v]) => n + v, 0);
  const timeouts = Object.values(timeoutsByKind).reduce((a, b) => a + b, 0);
  return {
    users: sessions.length,
    seconds: round(seconds),
    recommendations: recommendationIds.length,
    requests: all.length,
    requestsPerSecond: round(all.length / seconds),
    statuses: byStatus,
    fiveXx,
    timeouts,
    timeoutMs,
    networkErrors,
    latencyMs: latencySummary(all),
    byKind: Object.fromEntries(
      (Object.keys(latencies) as Kind[]).map((k) => [k, { requests: latencies[k].length, statuses: statuses[k], timeouts: timeoutsByKind[k], latencyMs: latencySummary(latencies[k]) }]),
    ),
    failures,
    slowest,
  };
}
