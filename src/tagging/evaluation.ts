/**
 * Shared by `rasd tagger eval` and `bench/tagger.ts`: imported records → training/test documents with canonical
 * labels, the SDG seed texts read from the SDG YAML files, the baselines, and the per-kind metrics.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { contentTerms } from '../text/index.ts';
import { canonicalName, parseSdgRef, TAG_KINDS, type TagKind } from './labels.ts';
import { errorSummary, evaluate, type ErrorSummary, type EvalCase, type KindMetrics } from './metrics.ts';
import type { Prediction, Seed, TrainDoc } from './model.ts';

export interface LabelledRecord {
  texts: Partial<Record<string, string>>;
  document?: { symbol: string };
  themes?: string[];
  affectedPersons?: string[];
  sdgs?: { code: string; label?: string }[];
}

export class SdgReferenceError extends Error {}

/** Texts joined, labels canonical; SDG targets also give their goal. Unknown SDG numbers throw SdgReferenceError. */
export function docFromRecord(r: LabelledRecord, knownGoals?: ReadonlySet<string>): TrainDoc {
  const goals = new Set<string>();
  const targets = new Set<string>();
  for (const s of r.sdgs ?? []) {
    const ref = parseSdgRef(s.code) ?? (s.label ? parseSdgRef(s.label) : null);
    if (!ref || (knownGoals && !knownGoals.has(ref.goal)) || Number(ref.goal) < 1 || Number(ref.goal) > 17) {
      throw new SdgReferenceError(`unknown SDG "${s.code}"`);
    }
    goals.add(ref.goal);
    if (ref.target) targets.add(ref.target);
  }
  const clean = (kind: 'theme' | 'affected_person', xs: string[] | undefined) => [...new Set((xs ?? []).map((x) => canonicalName(kind, x)).filter(Boolean))];
  return {
    text: Object.values(r.texts).filter(Boolean).join('\n'),
    ...(r.document?.symbol ? { group: r.document.symbol } : {}),
    labels: { sdg_goal: [...goals], sdg_target: [...targets], theme: clean('theme', r.themes), affected_person: clean('affected_person', r.affectedPersons) },
  };
}

const hasLabels = (d: TrainDoc) => TAG_KINDS.some((k) => (d.labels[k]?.length ?? 0) > 0);
export { hasLabels };

/** SDG goal and target titles in Arabic and English as seed texts (goal seeds also hold their targets' titles). */
export function sdgSeedsFromYaml(dir: string): Seed[] {
  const read = (f: string) => parseYaml(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>;
  const seeds: Seed[] = [];
  const goalText = new Map<string, string[]>();
  for (const lang of ['en', 'ar']) {
    const goals = read(`${lang}-global-goals.yml`);
    const targets = read(`${lang}-global-targets.yml`);
    for (const [k, v] of Object.entries(goals)) {
      const m = /^(\d+)-title$/.exec(k);
      if (m) goalText.set(m[1]!, [...(goalText.get(m[1]!) ?? []), String(v)]);
    }
    for (const [k, v] of Object.entries(targets)) {
      const m = /^(\d+)-(\w+)-title$/.exec(k);
      if (!m) continue;
      seeds.push({ kind: 'sdg_target', key: `${m[1]}.${m[2]}`, text: String(v) });
      goalText.set(m[1]!, [...(goalText.get(m[1]!) ?? []), String(v)]);
    }
  }
  for (const [g, texts] of goalText) seeds.push({ kind: 'sdg_goal', key: g, text: texts.join('\n') });
  return seeds;
}

export type EvalReport = Record<'sdg_goal' | 'sdg_target' | 'theme' | 'affected', KindMetrics> & { n: number };

const REPORT_KEY: Record<TagKind, 'sdg_goal' | 'sdg_target' | 'theme' | 'affected'> = { sdg_goal: 'sdg_goal', sdg_target: 'sdg_target', theme: 'theme', affected_person: 'affected' };

/** Metrics of a predictor over test documents, per kind. */
export function evaluateDocs(test: readonly TrainDoc[], predict: (text: string) => Prediction): EvalReport {
  const cases = casesOf(test, predict);
  const out = { n: test.length } as EvalReport;
  for (const k of TAG_KINDS) out[REPORT_KEY[k]] = evaluate(cases[k]);
  return out;
}

function casesOf(test: readonly TrainDoc[], predict: (text: string) => Prediction): Record<TagKind, EvalCase[]> {
  const cases: Record<TagKind, EvalCase[]> = { sdg_goal: [], sdg_target: [], theme: [], affected_person: [] };
  for (const d of test) {
    const p = predict(d.text);
    for (const k of TAG_KINDS) cases[k].push({ gold: d.labels[k] ?? [], ranked: p[k] });
  }
  return cases;
}

export interface Reliability {
  /** suggestions counted */
  n: number;
  mean_confidence: number;
  /** the share of them that is a gold label */
  precision: number;
  /** expected calibration error: per tenth of confidence, |mean confidence − precision|, weighted by its share */
  ece: number;
}

/**
 * How well a predictor's confidences tell how often its suggestions are right: the suggestions the app keeps (the
 * first three of a kind with a confidence of at least 10%) of the test documents carrying gold labels of the kind,
 * in all and per group of documents (`groupOf`, e.g. by how near the text is to the training data).
 */
export function reliabilityOf(test: readonly TrainDoc[], predict: (text: string) => Prediction, kind: TagKind, groupOf: (text: string) => string = () => 'all'): Record<string, Reliability> {
  const per = new Map<string, { conf: number; hit: number }[]>();
  for (const d of test) {
    const gold = new Set(d.labels[kind] ?? []);
    if (!gold.size) continue;
    const items = predict(d.text)[kind].filter((s) => s.confidence >= 0.1).slice(0, 3).map((s) => ({ conf: s.confidence, hit: gold.has(s.key) ? 1 : 0 }));
    for (const g of new Set(['all', groupOf(d.text)])) {
      let list = per.get(g);
      if (!list) per.set(g, (list = []));
      list.push(...items);
    }
  }
  const out: Record<string, Reliability> = {};
  for (const [g, items] of per) {
    const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, hit: 0 }));
    for (const it of items) {
      const b = bins[Math.min(9, Math.floor(it.conf * 10))]!;
      b.n += 1;
      b.conf += it.conf;
      b.hit += it.hit;
    }
    const n = items.length;
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    out[g] = {
      n,
      mean_confidence: r3(n ? items.reduce((a, it) => a + it.conf, 0) / n : 0),
      precision: r3(n ? items.reduce((a, it) => a + it.hit, 0) / n : 0),
      ece: r3(n ? bins.reduce((a, b) => a + (b.n ? (b.n / n) * Math.abs(b.conf / b.n - b.hit / b.n) : 0), 0) : 0),
    };
  }
  return out;
}

/** Error analysis of a predictor over test documents, per kind (kinds without gold labels left out). */
export function errorsOfDocs(test: readonly TrainDoc[], predict: (text: string) => Prediction, k = 8): Partial<Record<'sdg_goal' | 'sdg_target' | 'theme' | 'affected', ErrorSummary>> {
  const cases = casesOf(test, predict);
  const out: Partial<Record<'sdg_goal' | 'sdg_target' | 'theme' | 'affected', ErrorSummary>> = {};
  for (const kind of TAG_KINDS) {
    const e = errorSummary(cases[kind], k);
    if (e.n > 0) out[REPORT_KEY[kind]] = e;
  }
  return out;
}

/** Baseline 1: always the two most frequent labels of each kind in the training data. */
export function mostFrequentBaseline(train: readonly TrainDoc[]): (text: string) => Prediction {
  const out = {} as Prediction;
  for (const k of TAG_KINDS) {
    const c = new Map<string, number>();
    for (const d of train) for (const l of d.labels[k] ?? []) c.set(l, (c.get(l) ?? 0) + 1);
    out[k] = [...c]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 2)
      .map(([key, n]) => ({ key, score: n, confidence: 0, chosen: true }));
  }
  return () => out;
}

/**
 * Baseline 2: TF-IDF nearest neighbours: the 10 most similar training recommendations (cosine) vote with their
 * similarity; a label is chosen when it is the best or holds at least half of the votes.
 */
export function knnBaseline(train: readonly TrainDoc[], k = 10): (text: string) => Prediction {
  const tf = (text: string) => {
    const m = new Map<string, number>();
    for (const t of contentTerms(text)) if (t.length > 1 && !/^\d+$/.test(t)) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  };
  const counts = train.map((d) => tf(d.text));
  const df = new Map<string, number>();
  for (const c of counts) for (const t of c.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = counts.length;
  const vec = (c: Map<string, number>) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, x] of c) {
      const f = df.get(t);
      if (!f) continue;
      const w = (1 + Math.log(x)) * (Math.log((n + 1) / (f + 1)) + 1);
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  };
  const postings = new Map<string, [number, number][]>();
  counts.forEach((c, i) => {
    for (const [t, w] of vec(c)) {
      let l = postings.get(t);
      if (!l) postings.set(t, (l = []));
      l.push([i, w]);
    }
  });
  return (text) => {
    const sims = new Map<number, number>();
    for (const [t, x] of vec(tf(text))) for (const [i, w] of postings.get(t) ?? []) sims.set(i, (sims.get(i) ?? 0) + x * w);
    const nn = [...sims].sort((a, b) => b[1] - a[1]).slice(0, k);
    const out = {} as Prediction;
    for (const kind of TAG_KINDS) {
      const votes = new Map<string, number>();
      let total = 0;
      for (const [i, s] of nn) {
        const labels = train[i]!.labels[kind] ?? [];
        if (!labels.length) continue;
        total += s;
        for (const l of labels) votes.set(l, (votes.get(l) ?? 0) + s);
      }
      out[kind] = [...votes]
        .sort((a, b) => b[1] - a[1])
        .map(([key, v], idx) => ({ key, score: v / total, confidence: v / total, chosen: idx === 0 || v / total >= 0.5 }));
    }
    return out;
  };
}

/** Seeds from the names of the themes and affected persons the training data uses (what the instance's terms hold). */
export function labelNameSeeds(train: readonly TrainDoc[]): Seed[] {
  const seen = new Set<string>();
  const out: Seed[] = [];
  for (const d of train) {
    for (const kind of ['theme', 'affected_person'] as const) {
      for (const key of d.labels[kind] ?? []) {
        if (seen.has(`${kind}:${key}`)) continue;
        seen.add(`${kind}:${key}`);
        out.push({ kind, key, text: key });
      }
    }
  }
  return out;
}
