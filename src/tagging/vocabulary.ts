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
 *
 * Seventh tagger session, chosen by the same cross-validation: a per-list neighbour vote (`ListVotes`: each training
 * list votes in its own names, so a name only some lists use is not diluted by the others) blended into the mapped
 * scores, and the mapped scores of a name summed instead of their maximum taken (`aggregate: 'sum'`).
 *
 * Eighth tagger session, chosen by the same cross-validation after those: a one-vs-rest logistic regression
 * (`LinearTagger`: stemmed words and character 4-grams) trained on the same documents, its probabilities blended into
 * the model's ranking before the mapping (`linear`, `linearRaw`).
 *
 * Ninth tagger session, chosen by the same cross-validation after the list vote: the other kind's labels may reach a
 * target name through their similarity to it (`crossKind`: a theme one list names as another list's affected
 * persons, "persons living in rural areas", "members of minorities", and the reverse).
 */
import { contentTerms } from '../text/index.ts';
import type { TagKind } from './labels.ts';
import { LinearTagger } from './linear.ts';
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
  /**
   * (seventh tagger session) weight of the per-list neighbour vote (`ListVotes`): score(T) becomes
   * (1 − listVote)·score(T) / best score + listVote·vote(T). 0 or absent: not used.
   */
  listVote?: number;
  /**
   * (seventh tagger session) how the mapped scores of one target name are combined: 'max' (absent) the best single
   * mapped score; 'sum' their sum (a name related to several suggested labels collects from each).
   */
  aggregate?: 'max' | 'sum';
  /**
   * (eighth tagger session) weight of a one-vs-rest logistic regression (`LinearTagger`, trained on the same
   * documents) in the ranking that is mapped: each training label's score becomes
   * (1 − linear)·score / best score + linear·probability / best probability (with `linearRaw`: + linear·probability).
   * 0 or absent: not used. Needs the training documents beside the model (`inVocabulary(…, trainDocs)`).
   */
  linear?: number;
  /** with `linear`: the probabilities blended as they are (calibrated, 0..1), not relative to the text's best one */
  linearRaw?: boolean;
  /**
   * (ninth tagger session) weight of the other kind's labels in the mapping: a list may use as a theme a name the
   * other lists use for affected persons ("members of minorities", "persons living in rural areas", "girls") and the
   * reverse. The other kind's ranked labels S' reach a target name T like the kind's own (lambda · sim(S', T) when
   * sim ≥ cutoff), their scores multiplied by this weight. 0 or absent: not used.
   */
  crossKind?: number;
}

/** Kinds whose names change between generations (SDG numbers do not). */
export const MAPPED_KINDS = ['theme', 'affected_person'] as const satisfies readonly TagKind[];
type MappedKind = (typeof MAPPED_KINDS)[number];

const LAMBDAS = [0.5, 0.75, 1];
const CUTOFFS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01];
const TAUS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1.01, 1.1, 1.2];
const NAME_WEIGHTS = [0, 0.5, 1, 1.5, 2];
/** 2: no absolute threshold (scores stay below it) */
const ABSOLUTES = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 2];
const LENGTH_SLOPES = [0, 0.05, 0.1, 0.15, 0.2, 0.25];
const LIST_VOTES = [0, 0.25, 0.5, 0.75];
const LINEAR_WEIGHTS = [0, 0.25, 0.5, 0.75];
const CROSS_KIND_WEIGHTS = [0, 0.25, 0.5, 1];
/** the other mapped kind, whose labels may reach a kind's target names (`VocabularyParams.crossKind`) */
const OTHER_KIND: Record<MappedKind, MappedKind> = { theme: 'affected_person', affected_person: 'theme' };
/** nearest neighbours per training list in the per-list vote */
const LIST_VOTE_K = 10;
/** postings longer than this (or 5% of the recommendations, if more) are not walked by the per-list vote */
const LIST_VOTE_POSTING_CAP = 2000;

/**
 * Seventh tagger session. Each training source document (an OHCHR list) votes in its own names: its LIST_VOTE_K
 * recommendations most similar to the text (cosine of the model's unit vectors) give each name the share of their
 * similarity that carries it. A target name's vote is the mean of the votes of the documents that use that name,
 * weighted by their neighbours' total similarity. Unlike the model's own neighbour vote (one k over all documents),
 * a name used by one list only is not diluted by the neighbours from lists that could never have carried it (a
 * recommendation of an older list is no evidence against a name only the newer lists use).
 */
export class ListVotes {
  private readonly postings = new Map<string, { ids: number[]; w: number[] }>();
  private readonly groupOf: Int32Array;
  private readonly groups: number;
  /** per kind: per document its labels; per group the names it uses */
  private readonly labels: Record<MappedKind, (readonly string[])[]>;
  private readonly vocab: Record<MappedKind, Set<string>[]>;
  private readonly acc: Float64Array;
  private readonly cap: number;

  constructor(model: TaggerModel, docs: readonly TrainDoc[]) {
    const groupIds = new Map<string, number>();
    this.groupOf = Int32Array.from(docs, (d, i) => {
      const key = d.group ?? `#${i}`;
      let g = groupIds.get(key);
      if (g === undefined) groupIds.set(key, (g = groupIds.size));
      return g;
    });
    this.groups = groupIds.size;
    this.labels = { theme: docs.map((d) => d.labels.theme ?? []), affected_person: docs.map((d) => d.labels.affected_person ?? []) };
    this.vocab = { theme: [], affected_person: [] };
    for (const kind of MAPPED_KINDS) {
      const v = Array.from({ length: this.groups }, () => new Set<string>());
      docs.forEach((d, i) => {
        for (const l of d.labels[kind] ?? []) v[this.groupOf[i]!]!.add(l);
      });
      this.vocab[kind] = v;
    }
    docs.forEach((d, i) => {
      if (!MAPPED_KINDS.some((k) => (d.labels[k]?.length ?? 0) > 0)) return;
      for (const [t, x] of model.vector(d.text)) {
        let p = this.postings.get(t);
        if (!p) this.postings.set(t, (p = { ids: [], w: [] }));
        p.ids.push(i);
        p.w.push(x);
      }
    });
    this.acc = new Float64Array(docs.length);
    this.cap = Math.max(LIST_VOTE_POSTING_CAP, Math.floor(docs.length * 0.05));
  }

  /** The per-list vote of every name a text's neighbours carry (kind), from the text's unit vector. */
  votes(kind: MappedKind, vec: ReadonlyMap<string, number>): Map<string, number> {
    const acc = this.acc;
    const touched: number[] = [];
    for (const [t, x] of vec) {
      const p = this.postings.get(t);
      if (!p || p.ids.length > this.cap) continue;
      for (let j = 0; j < p.ids.length; j += 1) {
        const di = p.ids[j]!;
        if (acc[di] === 0) touched.push(di);
        acc[di]! += x * p.w[j]!;
      }
    }
    const byGroup = new Map<number, [number, number][]>();
    for (const di of touched) {
      const s = acc[di]!;
      acc[di] = 0;
      if (s <= 1e-9 || this.labels[kind][di]!.length === 0) continue;
      const g = this.groupOf[di]!;
      let l = byGroup.get(g);
      if (!l) byGroup.set(g, (l = []));
      l.push([di, s]);
    }
    const num = new Map<string, number>();
    const den = new Map<string, number>();
    for (const [g, l] of byGroup) {
      l.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      const top = l.slice(0, LIST_VOTE_K);
      const mass = top.reduce((a, [, s]) => a + s, 0);
      if (mass <= 0) continue;
      const share = new Map<string, number>();
      for (const [di, s] of top) for (const name of new Set(this.labels[kind][di]!)) share.set(name, (share.get(name) ?? 0) + s);
      // every name the list uses takes part (a name none of its neighbours carries gets 0 from it)
      for (const name of this.vocab[kind][g]!) {
        num.set(name, (num.get(name) ?? 0) + (share.get(name) ?? 0));
        den.set(name, (den.get(name) ?? 0) + mass);
      }
    }
    const out = new Map<string, number>();
    for (const [name, n] of num) if (n > 0) out.set(name, n / den.get(name)!);
    return out;
  }
}

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

/**
 * sim(S, T) for every training label S and target label T with a non-zero similarity. `from`: the kind of the training
 * labels S (default: the targets' own kind; the other kind for `VocabularyParams.crossKind`).
 */
export function labelSimilarity(model: TaggerModel, kind: MappedKind, targets: readonly string[], from: MappedKind = kind): Map<string, Map<string, number>> {
  const sources = model.labels(from);
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
    const byModel = model.predict(t, MAP_DEPTH)[from];
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
 * target name (used with p.nameWeight), its length in words (used with p.lengthSlope), the per-list vote of each
 * name (used with p.listVote) and the other kind's ranked suggestions with their similarity to the target names
 * (used with p.crossKind).
 */
export function mapSuggestions(ranked: readonly Suggestion[], targets: ReadonlySet<string>, sim: ReadonlyMap<string, ReadonlyMap<string, number>>, p: VocabularyParams, limit = 10, text: { names?: ReadonlyMap<string, number>; words?: number; votes?: ReadonlyMap<string, number>; cross?: { ranked: readonly Suggestion[]; sim: ReadonlyMap<string, ReadonlyMap<string, number>> } } = {}): Suggestion[] {
  const best = new Map<string, { score: number; confidence: number }>();
  const sum = p.aggregate === 'sum';
  const offer = (t: string, score: number, confidence: number) => {
    const b = best.get(t);
    if (!b) best.set(t, { score, confidence });
    else if (sum) {
      b.score += score;
      b.confidence = Math.max(b.confidence, confidence);
    } else if (score > b.score) best.set(t, { score, confidence });
  };
  for (const s of ranked) {
    if (targets.has(s.key)) offer(s.key, s.score, s.confidence);
    for (const [t, x] of sim.get(s.key) ?? []) {
      if (t !== s.key && x >= p.cutoff) offer(t, s.score * p.lambda * x, s.confidence * p.lambda * x);
    }
  }
  if (p.crossKind && text.cross) {
    // the other kind's labels: only through their similarity to a target name (never as the name itself)
    const w = p.crossKind * p.lambda;
    for (const s of text.cross.ranked) {
      for (const [t, x] of text.cross.sim.get(s.key) ?? []) {
        if (x >= p.cutoff) offer(t, s.score * w * x, s.confidence * w * x);
      }
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
  if (p.listVote && text.votes?.size) {
    // (1 − listVote)·score / best score + listVote·vote, for the target names only
    const top = Math.max(0, ...[...best.values()].map((v) => v.score)) || 1;
    for (const v of best.values()) v.score = (1 - p.listVote) * (v.score / top);
    for (const [t, vote] of text.votes) {
      if (!targets.has(t)) continue;
      const b = best.get(t);
      if (b) b.score += p.listVote * vote;
      else best.set(t, { score: p.listVote * vote, confidence: 0 });
    }
  }
  const sorted = [...best].sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
  const top = sorted[0]?.[1].score ?? 0;
  const words = text.words ?? 0;
  return sorted.map(([key, v], i) => ({ key, score: v.score, confidence: Math.round(v.confidence * 1000) / 1000, chosen: isChosen(i, v.score, top, words, p) }));
}

/**
 * A kind's ranked suggestions blended with a regression's probabilities (p.linear, see `VocabularyParams.linear`):
 * every label either ranks, best first, at most `limit`. The probabilities are taken relative to the text's best one,
 * or as they are (`raw`). The model's confidence is kept (0 for a label only the regression offers).
 */
export function blendLinear(ranked: readonly Suggestion[], probs: ReadonlyMap<string, number>, weight: number, limit = MAP_DEPTH, raw = false): Suggestion[] {
  if (!weight || !probs.size) return [...ranked];
  const top = ranked[0]?.score || 1;
  let topP = 0;
  for (const v of probs.values()) if (v > topP) topP = v;
  topP = raw ? 1 : topP || 1;
  const out = new Map<string, Suggestion>();
  for (const s of ranked) out.set(s.key, { ...s, score: (1 - weight) * (s.score / top) });
  for (const [key, v] of probs) {
    const add = weight * (v / topP);
    const o = out.get(key);
    if (o) o.score += add;
    else out.set(key, { key, score: add, confidence: 0, chosen: false });
  }
  return [...out.values()].sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1)).slice(0, limit);
}

/** A predictor whose themes and affected persons are given in the target label sets' names. */
export function inVocabulary(model: TaggerModel, vocab: Partial<Record<MappedKind, readonly string[]>>, params: Partial<Record<MappedKind, VocabularyParams>>, train?: readonly TrainDoc[]): (text: string) => Prediction {
  // the per-list vote needs the training documents (with their source documents); without them it is not used
  const lists = train && MAPPED_KINDS.some((k) => params[k]?.listVote) ? new ListVotes(model, train) : null;
  const maps = MAPPED_KINDS.flatMap((kind) => {
    const targets = vocab[kind];
    const p = params[kind];
    // the regression is trained here, on the same documents, when the settings use it
    const linear = train && p?.linear ? LinearTagger.train(train, kind) : null;
    const crossSim = targets?.length && p?.crossKind ? labelSimilarity(model, kind, targets, OTHER_KIND[kind]) : null;
    return targets?.length && p ? [{ kind, targets: new Set(targets), sim: labelSimilarity(model, kind, targets), names: nameVectors(model, targets), p, linear, crossSim }] : [];
  });
  return (text) => {
    const pred = model.predict(text, MAP_DEPTH);
    // the model's own rankings, before either kind is mapped (the other kind's are read with crossKind)
    const own = { ...pred };
    const vec = model.vector(text);
    const words = wordsOf(text);
    for (const m of maps) {
      const p = lists ? m.p : { ...m.p, listVote: 0 };
      const ranked = m.linear ? blendLinear(pred[m.kind], m.linear.scores(text), m.p.linear ?? 0, MAP_DEPTH, m.p.linearRaw) : pred[m.kind];
      pred[m.kind] = mapSuggestions(ranked, m.targets, m.sim, p, 10, { names: p.nameWeight ? nameScores(vec, m.names) : new Map(), words, ...(lists && p.listVote ? { votes: lists.votes(m.kind, vec) } : {}), ...(m.crossSim ? { cross: { ranked: own[OTHER_KIND[m.kind]], sim: m.crossSim } } : {}) });
    }
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
  type Case = { gold: Set<string>; ranked: Suggestion[]; probs: Map<string, number>; targets: Set<string>; sim: Map<string, Map<string, number>>; names: Map<string, number>; words: number; votes: Map<string, number>; cross: Suggestion[]; crossSim: Map<string, Map<string, number>> };
  const cases: Record<MappedKind, Case[]> = { theme: [], affected_person: [] };
  for (let f = 0; f < nFolds; f += 1) {
    const inFold = (d: TrainDoc, i: number) => foldOfGroup.get(d.group ?? `#${i}`) === f;
    const held = docs.filter(inFold);
    const rest = docs.filter((d, i) => !inFold(d, i));
    if (!held.length || !rest.length) continue;
    const model = train(rest);
    const lists = new ListVotes(model, rest);
    for (const kind of MAPPED_KINDS) {
      const targets = new Set(held.flatMap((d) => d.labels[kind] ?? []));
      if (!targets.size || !model.labels(kind).length) continue;
      const sim = labelSimilarity(model, kind, [...targets]);
      const crossSim = labelSimilarity(model, kind, [...targets], OTHER_KIND[kind]);
      const names = nameVectors(model, targets);
      const lr = LinearTagger.train(rest, kind);
      for (const d of held) {
        const gold = new Set(d.labels[kind] ?? []);
        if (!gold.size) continue;
        const vec = model.vector(d.text);
        const pred = model.predict(d.text, MAP_DEPTH);
        cases[kind].push({ gold, ranked: pred[kind], cross: pred[OTHER_KIND[kind]], crossSim, probs: lr.scores(d.text), targets, sim, names: nameScores(vec, names), words: wordsOf(d.text), votes: lists.votes(kind, vec) });
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
    /** every choosing rule over the texts' mapped suggestions under one mapping */
    let rankedOf = cs.map((c) => c.ranked);
    const tryMapping = (lambda: number, cutoff: number, nameWeight: number, listVote: number, aggregate: 'max' | 'sum' = 'max', linearWeight = 0, linearRaw = false, crossKind = 0) => {
      // each text's mapped suggestions (best first) as scores and hits, flat: text j's are at [from[j], from[j + 1])
      const scores: number[] = [];
      const hits: number[] = [];
      const from = [0];
      const length: number[] = [];
      for (const [j, c] of cs.entries()) {
        for (const m of mapSuggestions(rankedOf[j]!, c.targets, c.sim, { lambda, cutoff, tau: 2, nameWeight, listVote, aggregate, crossKind }, MAP_DEPTH, { names: c.names, votes: c.votes, cross: { ranked: c.cross, sim: c.crossSim } })) {
          scores.push(m.score);
          hits.push(c.gold.has(m.key) ? 1 : 0);
        }
        from.push(scores.length);
        length.push(Math.min(c.words, 45) / 15);
      }
      const sc = Float64Array.from(scores);
      const hit = Uint8Array.from(hits);
      for (const tau of TAUS) {
        for (const absolute of ABSOLUTES) {
          const abs = absolute <= 1 ? absolute : Infinity;
          for (const lengthSlope of LENGTH_SLOPES) {
            // isChosen, inlined (this loop runs some 40,000 times per kind and mapping)
            let tp = 0;
            let chosen = 0;
            for (let j = 0; j < length.length; j += 1) {
              const a = from[j]!;
              const b = from[j + 1]!;
              if (a === b) continue;
              const top = sc[a]!;
              const adj = lengthSlope * length[j]!;
              chosen += 1;
              tp += hit[a]!;
              // scores fall along the list and both tests rise with the score: the first name not chosen ends it
              for (let i = a + 1; i < b; i += 1) {
                const x = sc[i]!;
                if (!((top > 0 && x / top >= tau - adj) || x >= abs - adj / 2)) break;
                chosen += 1;
                tp += hit[i]!;
              }
            }
            const f1 = tp ? (2 * tp) / (chosen + goldN) : 0;
            if (f1 > bestF1 + 1e-9) {
              bestF1 = f1;
              best = { lambda, cutoff, tau, nameWeight, lengthSlope, ...(absolute <= 1 ? { absolute } : {}), ...(listVote > 0 ? { listVote } : {}), ...(aggregate === 'sum' ? { aggregate } : {}), ...(crossKind > 0 ? { crossKind } : {}), ...(linearWeight > 0 ? { linear: linearWeight, ...(linearRaw ? { linearRaw } : {}) } : {}), heldOutF1: Math.round(f1 * 1000) / 1000, n: cs.length };
            }
          }
        }
      }
    };
    for (const aggregate of ['max', 'sum'] as const) for (const cutoff of CUTOFFS) for (const lambda of cutoff > 1 ? [1] : LAMBDAS) for (const nameWeight of NAME_WEIGHTS) tryMapping(lambda, cutoff, nameWeight, 0, aggregate);
    // then the per-list vote's weight, the mapping kept (one knob at a time, as for the SDG prior: 3 more mappings
    // instead of 4 times as many)
    const chosenMapping = best as VocabularyParams | null;
    if (chosenMapping) for (const listVote of LIST_VOTES.filter((w) => w > 0)) tryMapping(chosenMapping.lambda, chosenMapping.cutoff, chosenMapping.nameWeight ?? 0, listVote, chosenMapping.aggregate ?? 'max');
    // then the other kind's weight (ninth session), the mapping and the list vote kept
    const chosenVote = best as VocabularyParams | null;
    if (chosenVote) for (const crossKind of CROSS_KIND_WEIGHTS.filter((w) => w > 0)) tryMapping(chosenVote.lambda, chosenVote.cutoff, chosenVote.nameWeight ?? 0, chosenVote.listVote ?? 0, chosenVote.aggregate ?? 'max', 0, false, crossKind);
    // then the regression's weight in the ranking, the mapping, the list vote and the other kind's weight kept
    const chosenCross = best as VocabularyParams | null;
    if (chosenCross) {
      for (const raw of [false, true]) {
        for (const w of LINEAR_WEIGHTS.filter((x) => x > 0)) {
          rankedOf = cs.map((c) => blendLinear(c.ranked, c.probs, w, MAP_DEPTH, raw));
          tryMapping(chosenCross.lambda, chosenCross.cutoff, chosenCross.nameWeight ?? 0, chosenCross.listVote ?? 0, chosenCross.aggregate ?? 'max', w, raw, chosenCross.crossKind ?? 0);
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
