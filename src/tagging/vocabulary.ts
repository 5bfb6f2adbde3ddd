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
 *
 * Sixth tagger session, also chosen by that cross-validation (each may be switched off by it):
 * - the target name read against the text: score(T) += nameWeight · cos(text, name of T) · best mapped score, so that
 *   a name no training list uses ("sustainable development goal implementation", "right to development") is still
 *   met by recommendations using its words;
 * - the choosing rule: a name is chosen when it is the best, or its score reaches tau times the best, or its score
 *   reaches `absolute` (the model's blended scores lie in 0..1, so a high score is meaningful even beside a higher
 *   one); both thresholds are lowered for longer recommendations by lengthSlope · min(words, 45) / 15 (the second
 *   by half that), since every list gives longer recommendations more themes (about +0.5 per 15 words).
 */
import { contentTerms } from '../text/index.ts';
import type { TagKind } from './labels.ts';
import { TaggerModel, wordsOf, type Prediction, type Suggestion, type TrainDoc } from './model.ts';

export interface VocabularyParams {
  lambda: number;
  cutoff: number;
  tau: number;
  /** weight of the cosine between the text and a target name (0 or absent: not used) */
  nameWeight?: number;
  /** a name is also chosen when its score reaches this (absent: no absolute threshold) */
  absolute?: number;
  /** both thresholds lowered by lengthSlope · min(words, 45) / 15 (the absolute one by half that) */
  lengthSlope?: number;
}

/** Kinds whose names change between generations (SDG numbers do not). */
export const MAPPED_KINDS = ['theme', 'affected_person'] as const satisfies readonly TagKind[];
type MappedKind = (typeof MAPPED_KINDS)[number];

const LAMBDAS = [0.5, 0.75, 1];
const CUTOFFS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01];
const TAUS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1.01, 1.1, 1.2];
const NAME_WEIGHTS = [0, 0.5, 1];
/** 2: no absolute threshold (scores stay below it) */
const ABSOLUTES = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 2];
const LENGTH_SLOPES = [0, 0.05, 0.1, 0.15, 0.2, 0.25];

/** Whether the i-th of a text's mapped suggestions (best first, best score `top`) is chosen. */
function isChosen(i: number, score: number, top: number, words: number, p: VocabularyParams): boolean {
  if (i === 0) return true;
  const adj = (p.lengthSlope ?? 0) * (Math.min(words, 45) / 15);
  return (top > 0 && score / top >= p.tau - adj) || (p.absolute !== undefined && score >= p.absolute - adj / 2);
}

/** The target names as unit vectors of the model's terms (for reading them against a text). */
export function nameVectors(model: TaggerModel, targets: Iterable<string>): Map<string, Map<string, number>> {
  return new Map([...targets].map((t) => [t, model.vector(t)]));
}

/** Cosine of a text's vector with each target name (names sharing no term left out). */
function nameScores(vec: ReadonlyMap<string, number>, names: ReadonlyMap<string, ReadonlyMap<string, number>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [t, nv] of names) {
    const c = TaggerModel.cosine(vec, nv);
    if (c > 0) out.set(t, c);
  }
  return out;
}
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

/**
 * A kind's ranked suggestions (training labels) mapped onto the target labels. `text`: the text's cosine with each
 * target name (used with p.nameWeight) and its length in words (used with p.lengthSlope).
 */
export function mapSuggestions(ranked: readonly Suggestion[], targets: ReadonlySet<string>, sim: ReadonlyMap<string, ReadonlyMap<string, number>>, p: VocabularyParams, limit = 10, text: { names?: ReadonlyMap<string, number>; words?: number } = {}): Suggestion[] {
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
  if (p.nameWeight && text.names?.size) {
    // scaled to the best mapped score (1 when nothing is mapped)
    const top = Math.max(0, ...[...best.values()].map((v) => v.score)) || 1;
    for (const [t, c] of text.names) {
      if (!targets.has(t)) continue;
      const b = best.get(t);
      const add = p.nameWeight * c * top;
      if (b) b.score += add;
      else if (add > 0) best.set(t, { score: add, confidence: 0 });
    }
  }
  const sorted = [...best].sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
  const top = sorted[0]?.[1].score ?? 0;
  const words = text.words ?? 0;
  return sorted.map(([key, v], i) => ({ key, score: v.score, confidence: Math.round(v.confidence * 1000) / 1000, chosen: isChosen(i, v.score, top, words, p) }));
}

/** A predictor whose themes and affected persons are given in the target label sets' names. */
export function inVocabulary(model: TaggerModel, vocab: Partial<Record<MappedKind, readonly string[]>>, params: Partial<Record<MappedKind, VocabularyParams>>): (text: string) => Prediction {
  const maps = MAPPED_KINDS.flatMap((kind) => {
    const targets = vocab[kind];
    const p = params[kind];
    return targets?.length && p ? [{ kind, targets: new Set(targets), sim: labelSimilarity(model, kind, targets), names: nameVectors(model, targets), p }] : [];
  });
  return (text) => {
    const pred = model.predict(text, MAP_DEPTH);
    const vec = model.vector(text);
    const words = wordsOf(text);
    for (const m of maps) pred[m.kind] = mapSuggestions(pred[m.kind], m.targets, m.sim, m.p, 10, { names: m.p.nameWeight ? nameScores(vec, m.names) : new Map(), words });
    return pred;
  };
}

export interface VocabularyTuning {
  params: Partial<Record<MappedKind, VocabularyParams & { heldOutF1: number; n: number }>>;
  folds: number;
}

/**
 * lambda, cutoff, tau, nameWeight, absolute and lengthSlope per kind by cross-validation inside the training data: the
 * source documents are split into at most `maxFolds` folds (one per document when there are few), each fold is
 * labelled in its own names by a model trained on the other folds (`train`), and the settings with the best pooled
 * micro-F1 are kept (ties: the earlier setting of the grids, i.e. the simpler one). Null when the training data has
 * fewer than two source documents.
 */
export function tuneVocabulary(docs: readonly TrainDoc[], train: (docs: TrainDoc[]) => TaggerModel, maxFolds = 5): VocabularyTuning | null {
  const groups = [...new Set(docs.map((d, i) => d.group ?? `#${i}`))];
  if (groups.length < 2) return null;
  const nFolds = Math.min(maxFolds, groups.length);
  const foldOfGroup = new Map(groups.map((g, i) => [g, i % nFolds]));
  type Case = { gold: Set<string>; ranked: Suggestion[]; targets: Set<string>; sim: Map<string, Map<string, number>>; names: Map<string, number>; words: number };
  const cases: Record<MappedKind, Case[]> = { theme: [], affected_person: [] };
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
      const names = nameVectors(model, targets);
      for (const d of held) {
        const gold = new Set(d.labels[kind] ?? []);
        if (gold.size) cases[kind].push({ gold, ranked: model.predict(d.text, MAP_DEPTH)[kind], targets, sim, names: nameScores(model.vector(d.text), names), words: wordsOf(d.text) });
      }
    }
  }
  const params: VocabularyTuning['params'] = {};
  for (const kind of MAPPED_KINDS) {
    const cs = cases[kind];
    if (cs.length < 30) continue;
    const goldN = cs.reduce((a, c) => a + c.gold.size, 0);
    let best: (VocabularyParams & { heldOutF1: number; n: number }) | null = null;
    let bestF1 = -1;
    for (const cutoff of CUTOFFS) {
      for (const lambda of cutoff > 1 ? [1] : LAMBDAS) {
        for (const nameWeight of NAME_WEIGHTS) {
          // each text's mapped suggestions (best first) as scores and hits, then every choosing rule over them
          const mapped = cs.map((c) => {
            const m = mapSuggestions(c.ranked, c.targets, c.sim, { lambda, cutoff, tau: 2, nameWeight }, MAP_DEPTH, { names: c.names });
            return { scores: Float64Array.from(m, (s) => s.score), hits: Uint8Array.from(m, (s) => (c.gold.has(s.key) ? 1 : 0)), words: c.words };
          });
          for (const tau of TAUS) {
            for (const absolute of ABSOLUTES) {
              for (const lengthSlope of LENGTH_SLOPES) {
                const p: VocabularyParams = { lambda, cutoff, tau, nameWeight, lengthSlope, ...(absolute <= 1 ? { absolute } : {}) };
                let tp = 0;
                let chosen = 0;
                for (const m of mapped) {
                  const top = m.scores[0] ?? 0;
                  for (let i = 0; i < m.scores.length; i += 1) {
                    if (isChosen(i, m.scores[i]!, top, m.words, p)) {
                      chosen += 1;
                      tp += m.hits[i]!;
                    }
                  }
                }
                const f1 = tp ? (2 * tp) / (chosen + goldN) : 0;
                if (f1 > bestF1 + 1e-9) {
                  bestF1 = f1;
                  best = { ...p, heldOutF1: Math.round(f1 * 1000) / 1000, n: cs.length };
                }
              }
            }
          }
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
