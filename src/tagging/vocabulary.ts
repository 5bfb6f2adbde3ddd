/**
 * Theme names change between list generations ("legal, institutional and policy framework" in one OHCHR list,
 * "institutions and policies" and "constitutional and legislative framework" in others; "sexual and other forms of
 * gender-based violence" against "gender-based violence"). A model trained on older lists suggests the older names;
 * a list of the newer generation is labelled with its own names. This maps the model's labels onto a target label set
 * (the vocabulary of the list being labelled: the names it uses, not which recommendation carries which):
 *
 *   score(T) = max over training labels S of score(S) · M(S, T),  M(S, T) = 1 when S is T, otherwise
 *   lambda · sim(S, T) when sim(S, T) ≥ cutoff (else 0), and labels outside the target set are never suggested.
 *
 * sim(S, T) is the mean of two similarities, both from the data at hand: the cosine of the two names' stemmed,
 * IDF-weighted words (over all the names of both sets), and how the model itself scores S for T's name as a text
 * (relative to its best label for that name): so "gender based violence" reaches "violence against women" through
 * the recommendations that carry it, not only through shared words. lambda, cutoff and the choosing threshold tau are
 * chosen by cross-validation inside the training data (`tuneVocabulary`): each training list in turn is held out and
 * labelled in its own names by a model trained on the others, never by looking at the list under test.
 */
import { contentTerms } from '../text/index.ts';
import type { TagKind } from './labels.ts';
import type { Prediction, Suggestion, TaggerModel, TrainDoc } from './model.ts';

export interface VocabularyParams {
  lambda: number;
  cutoff: number;
  tau: number;
}

/** Kinds whose names change between generations (SDG numbers do not). */
export const MAPPED_KINDS = ['theme', 'affected_person'] as const satisfies readonly TagKind[];
type MappedKind = (typeof MAPPED_KINDS)[number];

const LAMBDAS = [0.5, 0.75, 1];
const CUTOFFS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01];
const TAUS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1.01];
/** labels ranked per text before mapping */
export const MAP_DEPTH = 30;

const words = (name: string) => [...new Set(contentTerms(name).filter((t) => t.length > 1))];

/** sim(S, T) for every training label S and target label T with a non-zero similarity. */
export function labelSimilarity(model: TaggerModel, kind: MappedKind, targets: readonly string[]): Map<string, Map<string, number>> {
  const sources = model.labels(kind);
  const all = [...new Set([...sources, ...targets])];
  const df = new Map<string, number>();
  const bag = new Map(all.map((n) => [n, words(n)]));
  for (const ws of bag.values()) for (const w of ws) df.set(w, (df.get(w) ?? 0) + 1);
  const vec = (n: string) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const w of bag.get(n) ?? []) {
      const x = Math.log((all.length + 1) / ((df.get(w) ?? 0) + 1)) + 1;
      v.set(w, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [w, x] of v) v.set(w, x / norm);
    return v;
  };
  const vecs = new Map(all.map((n) => [n, vec(n)]));
  const out = new Map<string, Map<string, number>>();
  for (const t of targets) {
    const tv = vecs.get(t)!;
    const byModel = model.predict(t, MAP_DEPTH)[kind];
    const best = byModel[0]?.score ?? 0;
    const modelSim = new Map(byModel.map((s) => [s.key, best > 0 ? s.score / best : 0]));
    for (const s of sources) {
      const sv = vecs.get(s)!;
      let cos = 0;
      for (const [w, x] of tv) cos += x * (sv.get(w) ?? 0);
      const sim = (cos + (modelSim.get(s) ?? 0)) / 2;
      if (sim <= 0) continue;
      let m = out.get(s);
      if (!m) out.set(s, (m = new Map()));
      m.set(t, sim);
    }
  }
  return out;
}

/** A kind's ranked suggestions (training labels) mapped onto the target labels. */
export function mapSuggestions(ranked: readonly Suggestion[], targets: ReadonlySet<string>, sim: ReadonlyMap<string, ReadonlyMap<string, number>>, p: VocabularyParams, limit = 10): Suggestion[] {
  const best = new Map<string, { score: number; confidence: number }>();
  const offer = (t: string, score: number, confidence: number) => {
    const b = best.get(t);
    if (!b || score > b.score) best.set(t, { score, confidence });
  };
  for (const s of ranked) {
    if (targets.has(s.key)) offer(s.key, s.score, s.confidence);
    for (const [t, x] of sim.get(s.key) ?? []) {
      if (t !== s.key && x >= p.cutoff) offer(t, s.score * p.lambda * x, s.confidence * p.lambda * x);
    }
  }
  const sorted = [...best].sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
  const top = sorted[0]?.[1].score ?? 0;
  return sorted.map(([key, v], i) => ({ key, score: v.score, confidence: Math.round(v.confidence * 1000) / 1000, chosen: i === 0 || (top > 0 && v.score / top >= p.tau) }));
}

/** A predictor whose themes and affected persons are given in the target label sets' names. */
export function inVocabulary(model: TaggerModel, vocab: Partial<Record<MappedKind, readonly string[]>>, params: Partial<Record<MappedKind, VocabularyParams>>): (text: string) => Prediction {
  const maps = MAPPED_KINDS.flatMap((kind) => {
    const targets = vocab[kind];
    const p = params[kind];
    return targets?.length && p ? [{ kind, targets: new Set(targets), sim: labelSimilarity(model, kind, targets), p }] : [];
  });
  return (text) => {
    const pred = model.predict(text, MAP_DEPTH);
    for (const m of maps) pred[m.kind] = mapSuggestions(pred[m.kind], m.targets, m.sim, m.p);
    return pred;
  };
}

export interface VocabularyTuning {
  params: Partial<Record<MappedKind, VocabularyParams & { heldOutF1: number; n: number }>>;
  folds: number;
}

/**
 * lambda, cutoff and tau per kind by cross-validation inside the training data: the source documents are split into
 * at most `maxFolds` folds (one per document when there are few), each fold is labelled in its own names by a model
 * trained on the other folds (`train`), and the settings with the best pooled micro-F1 are kept. Null when the
 * training data has fewer than two source documents.
 */
export function tuneVocabulary(docs: readonly TrainDoc[], train: (docs: TrainDoc[]) => TaggerModel, maxFolds = 5): VocabularyTuning | null {
  const groups = [...new Set(docs.map((d, i) => d.group ?? `#${i}`))];
  if (groups.length < 2) return null;
  const nFolds = Math.min(maxFolds, groups.length);
  const foldOfGroup = new Map(groups.map((g, i) => [g, i % nFolds]));
  const cases: Record<MappedKind, { gold: Set<string>; ranked: Suggestion[]; targets: Set<string>; sim: Map<string, Map<string, number>> }[]> = { theme: [], affected_person: [] };
  for (let f = 0; f < nFolds; f += 1) {
    const inFold = (d: TrainDoc, i: number) => foldOfGroup.get(d.group ?? `#${i}`) === f;
    const held = docs.filter(inFold);
    const rest = docs.filter((d, i) => !inFold(d, i));
    if (!held.length || !rest.length) continue;
    const model = train(rest);
    for (const kind of MAPPED_KINDS) {
      const targets = new Set(held.flatMap((d) => d.labels[kind] ?? []));
      if (!targets.size || !model.labels(kind).length) continue;
      const sim = labelSimilarity(model, kind, [...targets]);
      for (const d of held) {
        const gold = new Set(d.labels[kind] ?? []);
        if (gold.size) cases[kind].push({ gold, ranked: model.predict(d.text, MAP_DEPTH)[kind], targets, sim });
      }
    }
  }
  const params: VocabularyTuning['params'] = {};
  for (const kind of MAPPED_KINDS) {
    const cs = cases[kind];
    if (cs.length < 30) continue;
    let best: (VocabularyParams & { heldOutF1: number; n: number }) | null = null;
    for (const cutoff of CUTOFFS) {
      for (const lambda of cutoff > 1 ? [1] : LAMBDAS) {
        const mapped = cs.map((c) => mapSuggestions(c.ranked, c.targets, c.sim, { lambda, cutoff, tau: 2 }, MAP_DEPTH));
        for (const tau of TAUS) {
          let tp = 0;
          let chosen = 0;
          let gold = 0;
          mapped.forEach((m, ci) => {
            const top = m[0]?.score ?? 0;
            gold += cs[ci]!.gold.size;
            m.forEach((s, i) => {
              if (i === 0 || (top > 0 && s.score / top >= tau)) {
                chosen += 1;
                if (cs[ci]!.gold.has(s.key)) tp += 1;
              }
            });
          });
          const f1 = tp ? (2 * tp) / (chosen + gold) : 0;
          if (!best || f1 > best.heldOutF1 + 1e-9) best = { lambda, cutoff, tau, heldOutF1: Math.round(f1 * 1000) / 1000, n: cs.length };
        }
      }
    }
    if (best) params[kind] = best;
  }
  return { params, folds: nFolds };
}

/**
 * A predictor's themes and affected persons kept to the target names only (no mapping): what a baseline gets from
 * knowing the list's names, for a fair comparison.
 */
export function restrictedTo(predict: (text: string) => Prediction, vocab: Partial<Record<MappedKind, readonly string[]>>): (text: string) => Prediction {
  const sets = MAPPED_KINDS.flatMap((kind) => (vocab[kind]?.length ? [{ kind, targets: new Set(vocab[kind]) }] : []));
  return (text) => {
    const pred = predict(text);
    for (const { kind, targets } of sets) {
      const kept = pred[kind].filter((s) => targets.has(s.key));
      pred[kind] = kept.map((s, i) => ({ ...s, chosen: i === 0 || s.chosen }));
    }
    return pred;
  };
}

/** The names a set of labelled documents uses, per mapped kind (the vocabulary of a list). */
export function vocabularyOf(docs: readonly TrainDoc[]): Record<MappedKind, string[]> {
  return { theme: [...new Set(docs.flatMap((d) => d.labels.theme ?? []))], affected_person: [...new Set(docs.flatMap((d) => d.labels.affected_person ?? []))] };
}
