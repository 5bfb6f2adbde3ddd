/**
 * The tagger: a per-label TF-IDF centroid classifier (Rocchio), one per kind (SDG goals, SDG targets, themes,
 * affected persons), trained offline from labelled recommendations plus "seed" texts (the SDG goal and target titles
 * in Arabic and English, the bilingual names of themes and affected persons), so that a recommendation in a language
 * no labelled recommendation is written in still meets the labels through their seed texts.
 *
 * Scoring: a text's unit TF-IDF vector (src/text stems, stopwords removed, sublinear tf) against each label's centroid
 * (cosine). Confidence is not the raw cosine: during training every labelled recommendation is scored leave-one-out
 * (its own vector, and those of the other recommendations of its source document, taken out of the centroids) and the share of right answers is recorded per score band,
 * separately for a text's best label (by how close the runner-up came) and for the others (by their cosine relative
 * to the best). The
 * confidence of a suggestion is that measured precision; a label is suggested when it is the best or its confidence
 * reaches `threshold`. That precision is measured per band of the text's similarity to its nearest labelled
 * recommendation, copies held out to measure the lower bands (see `Calibrations`). SDG goals also take evidence from
 * the suggested themes (the SDG labels of newer OHCHR lists follow their themes): P(goal | theme) counted over the
 * recommendations that carry both; and from an SDG prior that needs no label (the best cosine with the goal's target
 * titles and the phrases of src/tagging/sdg-lexicon.ts).
 *
 * Pure: no database, no clock except `trainedAt` passed in. Serialisable to JSON (toJSON/fromJSON).
 */
import { contentTerms } from '../text/index.ts';
import { TAG_KINDS, type TagKind } from './labels.ts';
import { SDG_LEXICON } from './sdg-lexicon.ts';

export interface TrainDoc {
  text: string;
  /** the source document: confidence is measured with the whole group held out (default: the record alone) */
  group?: string;
  labels: Partial<Record<TagKind, readonly string[]>>;
}

export interface Seed {
  kind: TagKind;
  key: string;
  text: string;
}

export interface TrainOptions {
  trainedAt?: string;
  /** weight of a seed text in its label's centroid, relative to one recommendation */
  seedWeight?: number;
  /** suggest a non-best label from this measured precision on */
  threshold?: number;
  /** weight of the themes' evidence in an SDG goal's score (0..1); default: chosen on held-out training scores */
  themeEvidence?: number;
  /**
   * weight of the SDG prior (zero-shot similarity to the goals' target titles and lexicon phrases, learned from no
   * label) in an SDG goal's score (0..1); default: chosen on held-out training scores
   */
  sdgPrior?: number;
  /** false: the SDG prior reads the target titles only, not the hand-written lexicon (src/tagging/sdg-lexicon.ts) */
  lexicon?: boolean;
  /** at most this many labelled recommendations are scored held-out to tune the blend and calibrate (default 3000) */
  tuneSample?: number;
  /** false: centroids only, no nearest-neighbour part (the model before the blend; for comparisons) */
  neighbours?: boolean;
  /** fixed blend settings instead of those tuned on the training data (for tests and studies) */
  blend?: Partial<Record<TagKind, BlendParams>>;
  onProgress?: (done: number, total: number) => void;
}

export interface Suggestion {
  key: string;
  /** 0..1: the precision measured (leave-one-out on the training data) for suggestions scored like this one */
  confidence: number;
  /** the raw score (cosine, blended with theme evidence for SDG goals) */
  score: number;
  /** true when the model would tag it (the best label, or confidence ≥ threshold) */
  chosen: boolean;
}

export type Prediction = Record<TagKind, Suggestion[]>;

/**
 * How a kind's two scorers are blended and which labels are chosen, tuned per kind on the training data with every
 * source document held out (see `tune`): score = (1 − alpha)·cosine / best cosine + alpha·neighbour vote, the vote being
 * the share of the similarity of the k nearest labelled recommendations that carry the label. A label is chosen when
 * it is the best or its score reaches `tau`.
 */
export interface BlendParams {
  alpha: number;
  k: number;
  tau: number;
  /**
   * (sixth tagger session) a label is also chosen when its score reaches this share of the best score; absent: not
   * used. Both thresholds are lowered by lengthSlope · min(words, 45) / 15 for longer texts (absent: 0).
   */
  relative?: number;
  lengthSlope?: number;
  /** micro-F1 of these settings on the held-out training scores (null when not tuned) */
  heldOutF1: number | null;
}

const DEFAULT_BLEND: BlendParams = { alpha: 0.5, k: 10, tau: 0.6, heldOutF1: null };
const ALPHAS = [0, 0.2, 0.4, 0.5, 0.6, 0.8, 1];
const KS = [5, 10, 20, 30];
const TAUS = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 1.01];
const MAX_K = 30;
/** relative thresholds (2: none) and length slopes tried once alpha, k and tau are chosen */
const RELATIVES = [2, 0.6, 0.7, 0.8, 0.9];
const LENGTH_SLOPES = [0, 0.05, 0.1, 0.15, 0.2];

/** Words of a recommendation: the longest of its language versions (joined one per line). */
export function wordsOf(text: string): number {
  let most = 0;
  for (const part of text.split('\n')) most = Math.max(most, part.split(/\s+/).filter(Boolean).length);
  return most;
}

/** Whether the i-th label of a text (best first, best score `top`) is chosen under a kind's blend settings. */
function chosenBy(b: Pick<BlendParams, 'tau' | 'relative' | 'lengthSlope'>, i: number, score: number, top: number, words: number): boolean {
  if (i === 0) return true;
  const adj = (b.lengthSlope ?? 0) * (Math.min(words, 45) / 15);
  return score >= b.tau - adj || (b.relative !== undefined && top > 0 && score / top >= b.relative - adj);
}
/** weights of the themes' evidence in SDG goal scores tried on the held-out training scores */
const EVIDENCE_WEIGHTS = [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8];
/** weights of the SDG prior tried on the held-out training scores */
const PRIOR_WEIGHTS = [0, 0.2, 0.4, 0.5, 0.6, 0.8, 1];
/** postings longer than this (or 5% of the recommendations, if more) are not walked by the neighbour search */
const KNN_POSTING_CAP = 2000;

const BANDS = 10;

interface Calibration {
  /** best label: precision per band of (second best score / best score): a clear winner is more often right */
  topPrecision: number[];
  /** other labels: precision per band of score / best score (band i covers [i/BANDS, (i+1)/BANDS)) */
  ratioPrecision: number[];
}

/**
 * Besides `calibration` (every held-out recommendation, as scored with its source document out), a kind's confidence
 * per band of a text's similarity to its nearest labelled recommendation (NEAREST_BANDS; the last band: copies): the
 * nearer, the more often right, and a template repeated across documents, answered by its copies, made every
 * suggestion for a new wording look certain. Each band is measured on the held-out recommendations as near to theirs;
 * a recommendation with copies is also scored with its copies held out, which measures it in a lower band. A band
 * with fewer than MIN_BAND of them takes the calibration of all those below the copies together (then `calibration`).
 * Absent in models stored before.
 */
interface Calibrations {
  nearest?: (Calibration | null)[];
}

interface KindModel extends Calibrations {
  labels: string[];
  blend: BlendParams | null;
  /** positives per label (recommendations, not seeds) */
  support: number[];
  /** term → [labelIndex, weight of the unit centroid] */
  index: Map<string, [number, number][]>;
  calibration: Calibration;
}

/**
 * The SDG prior: texts that speak of a goal without any labelled recommendation (each target's title in each
 * language, each lexicon phrase) as unit vectors; a goal's prior score for a text is its best cosine with them.
 */
interface PriorIndex {
  /** goal of each prior text */
  goals: string[];
  /** term → [prior text index, weight of its unit vector] */
  index: Map<string, [number, number][]>;
}

/** The labelled recommendations kept for the nearest-neighbour part: term indices (into idf, repeated as counted). */
interface KnnJson {
  docs: number[][];
  labels: Record<TagKind, number[][]>;
}

export interface ModelJson {
  format: 1 | 2;
  trainedAt: string;
  docs: number;
  threshold: number;
  themeEvidence: number;
  idf: [string, number][];
  kinds: Record<TagKind, { labels: string[]; support: number[]; centroids: [string, [number, number][]][]; calibration: Calibration; blend?: BlendParams | null } & Calibrations>;
  knn?: KnnJson;
  /** theme key → [goal key, P(goal | theme)] */
  goalGivenTheme: [string, [string, number][]][];
  /** the SDG prior and its weight (models stored before it have none) */
  prior?: { weight: number; goals: string[]; index: [string, [number, number][]][] };
}

/** A labelled recommendation at least this similar to a text (cosine, as the neighbours are found) is its copy. */
export const COPY_SIM = 0.8;
/** Lower bounds of the bands of a text's similarity to its nearest labelled recommendation (Calibrations). */
const NEAREST_BANDS = [0, 0.4, 0.6, COPY_SIM];
/** Held-out recommendations needed for a band's own calibration. */
const MIN_BAND = 30;
const nearestBand = (sim: number) => NEAREST_BANDS.findLastIndex((b) => sim >= b);

const termsOf = (text: string): string[] => contentTerms(text).filter((t) => t.length > 1 && !/^\d+$/.test(t));

function counts(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of termsOf(text)) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

function unit(c: Map<string, number>, idf: Map<string, number>): Map<string, number> {
  const v = new Map<string, number>();
  let norm = 0;
  for (const [t, n] of c) {
    const w = idf.get(t);
    if (w === undefined) continue;
    const x = (1 + Math.log(n)) * w;
    v.set(t, x);
    norm += x * x;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [t, x] of v) v.set(t, x / norm);
  return v;
}

export class TaggerModel {
  private constructor(
    readonly trainedAt: string,
    readonly docs: number,
    readonly threshold: number,
    private evidenceWeight: number,
    private readonly idf: Map<string, number>,
    private readonly kinds: Record<TagKind, KindModel>,
    private readonly goalGivenTheme: Map<string, [string, number][]>,
    private readonly knn: KnnIndex | null,
    private priorWeight = 0,
    private readonly prior: PriorIndex | null = null,
  ) {}

  /** weight of the SDG prior (target titles and lexicon, no labels) in an SDG goal's score (0..1) */
  get sdgPrior(): number {
    return this.priorWeight;
  }

  /** weight of the themes' evidence in an SDG goal's score (0..1) */
  get themeEvidence(): number {
    return this.evidenceWeight;
  }

  labels(kind: TagKind): readonly string[] {
    return this.kinds[kind].labels;
  }

  support(kind: TagKind): number {
    return this.kinds[kind].support.reduce((a, b) => a + b, 0);
  }

  static train(docs: readonly TrainDoc[], seeds: readonly Seed[], opts: TrainOptions = {}): TaggerModel {
    const seedWeight = opts.seedWeight ?? 1;
    const threshold = opts.threshold ?? 0.3;
    const themeEvidence = opts.themeEvidence ?? 0;
    const tuneEvidence = opts.themeEvidence === undefined;
    const progress = opts.onProgress ?? (() => undefined);
    let total = docs.length * 2 + seeds.length;
    let done = 0;
    const tick = () => {
      done += 1;
      if (done % 2000 === 0) progress(done, total);
    };

    // Document frequencies over recommendations and seeds; terms seen once are dropped (they cannot recur).
    let docCounts: Map<string, number>[] | null = docs.map((d) => counts(d.text));
    const seedCounts = seeds.map((s) => counts(s.text));
    const df = new Map<string, number>();
    for (const c of [...docCounts, ...seedCounts]) for (const t of c.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    const n = docCounts.length + seedCounts.length;
    const idf = new Map<string, number>();
    for (const [t, f] of df) if (f >= 2 || n < 50) idf.set(t, Math.log((n + 1) / (f + 1)) + 1);
    const docVecs = docCounts.map((c) => {
      tick();
      return unit(c, idf);
    });
    const prior = priorIndexOf(seeds, idf, opts.lexicon ?? true);
    // the terms of each recommendation as indices (for the nearest-neighbour part); the counts are let go
    const terms = [...idf.keys()];
    const docTerms = (opts.neighbours ?? true) ? termIndices(docCounts, terms) : null;
    docCounts = null;

    const groups = new Map<string, number[]>();
    docs.forEach((d, di) => {
      const key = d.group ?? `#${di}`;
      let xs = groups.get(key);
      if (!xs) groups.set(key, (xs = []));
      xs.push(di);
    });
    // The nearest-neighbour part: every labelled recommendation, as term indices and label indices (each kind's labels
    // in the order the centroids below number them: first seen in the recommendations, then in the seeds).
    const labelOrder = {} as Record<TagKind, string[]>;
    for (const kind of TAG_KINDS) {
      const seen = new Set<string>();
      for (const d of docs) for (const key of d.labels[kind] ?? []) seen.add(key);
      for (const sd of seeds) if (sd.kind === kind) seen.add(sd.key);
      labelOrder[kind] = [...seen];
    }
    const knn = docTerms ? knnIndexOf(docs, docTerms, terms, idf, labelOrder) : null;
    /** each recommendation's source document, as the number of its group above */
    const groupOf = new Int32Array(docs.length);
    [...groups.values()].forEach((members, g) => {
      for (const di of members) groupOf[di] = g;
    });
    // the labelled recommendations scored held-out (to tune the blend and calibrate): a sample of each kind
    const tuneSample = opts.tuneSample ?? 3000;
    const sampleOf = {} as Record<TagKind, number[]>;
    for (const kind of TAG_KINDS) {
      const all = docs.flatMap((d, di) => ((d.labels[kind]?.length ?? 0) > 0 ? [di] : []));
      const step = all.length / tuneSample;
      sampleOf[kind] = all.length <= tuneSample ? all : Array.from({ length: tuneSample }, (_, i) => all[Math.floor(i * step)]!);
    }
    // progress: vectors, seeds, held-out centroid scores, held-out neighbours
    const sampled = TAG_KINDS.reduce((a, k) => a + sampleOf[k].length, 0);
    total = docs.length + seeds.length + sampled + ((opts.neighbours ?? true) ? new Set(TAG_KINDS.flatMap((k) => sampleOf[k])).size : 0);
    // Held-out neighbours of the sampled recommendations: from other source documents only. For one with copies
    // (COPY_SIM or more similar, however many: found in the same search), its neighbours with them left out too.
    const heldOut = new Map<number, Record<TagKind, { ids: number[]; sims: number[] }>>();
    const heldOutNovel = new Map<number, Record<TagKind, { ids: number[]; sims: number[] }>>();
    const copiesFound = new Map<number, number[]>();
    for (const kind of TAG_KINDS) {
      for (const di of sampleOf[kind]) {
        if (!knn || heldOut.has(di)) continue;
        const own = (j: number) => groupOf[j] === groupOf[di];
        const found = { above: COPY_SIM, ids: [] as number[] };
        heldOut.set(di, knn.neighbours(docVecs[di]!, own, found));
        copiesFound.set(di, found.ids);
        if (found.ids.length) {
          const copies = new Set(found.ids);
          heldOutNovel.set(di, knn.neighbours(docVecs[di]!, (j) => own(j) || copies.has(j)));
        }
        tick();
      }
    }
    /** the copies of a sampled recommendation in other source documents that carry labels of a kind */
    const copiesOf = (di: number, kind: TagKind): number[] => (copiesFound.get(di) ?? []).filter((j) => (docs[j]!.labels[kind]?.length ?? 0) > 0);
    const kinds = {} as Record<TagKind, KindModel>;
    const looScores = new Map<number, Map<number, Map<string, number>>>();
    /** held-out scores with the recommendation's copies out too, for those that have copies */
    const novelScores = new Map<number, Map<number, Map<string, number>>>();
    /** kinds whose held-out scores hold out each recommendation alone (not its whole source document) */
    const heldOutAlone = new Set<TagKind>();
    for (const [ki, kind] of TAG_KINDS.entries()) {
      const labelIdx = new Map<string, number>();
      const labels: string[] = [];
      const support: number[] = [];
      const idx = (key: string) => {
        let i = labelIdx.get(key);
        if (i === undefined) {
          i = labels.length;
          labelIdx.set(key, i);
          labels.push(key);
          support.push(0);
        }
        return i;
      };
      const sums: Map<string, number>[] = [];
      const add = (i: number, v: Map<string, number>, w: number) => {
        while (sums.length <= i) sums.push(new Map());
        const s = sums[i]!;
        for (const [t, x] of v) s.set(t, (s.get(t) ?? 0) + x * w);
      };
      docs.forEach((d, di) => {
        for (const key of new Set(d.labels[kind] ?? [])) {
          const i = idx(key);
          support[i]! += 1;
          add(i, docVecs[di]!, 1);
        }
      });
      seeds.forEach((s, si) => {
        if (s.kind !== kind) return;
        add(idx(s.key), unit(seedCounts[si]!, idf), seedWeight);
        if (ki === 0) tick();
      });
      while (sums.length < labels.length) sums.push(new Map());
      const sqNorms = sums.map((s) => [...s.values()].reduce((a, x) => a + x * x, 0));
      // inverted index of the unnormalised sums (for leave-one-out), then of the unit centroids
      const rawIndex = new Map<string, [number, number][]>();
      sums.forEach((s, i) => {
        for (const [t, x] of s) {
          let l = rawIndex.get(t);
          if (!l) rawIndex.set(t, (l = []));
          l.push([i, x]);
        }
      });
      // held-out scores of the sampled recommendations: their whole group (source document) taken out of the
      // centroids, so that near-copies within a document do not vouch for each other. With S a label's sum and G the
      // sum of the group's recommendations carrying it, the held-out cosine of x is (S − G)·x / |S − G|.
      // A held-out recommendation with copies in other documents is also scored with them out of the centroids
      // (`novel`): the same sums less the copies' vectors.
      const sampled = new Set(sampleOf[kind]);
      const heldOutScores = (groupLists: Iterable<number[]>) => {
        const scoresPerDoc = new Map<number, Map<string, number>>();
        const novel = new Map<number, Map<string, number>>();
        for (const all of groupLists) {
          const members = all.filter((di) => sampled.has(di));
          if (!members.length) continue;
          const gsum = new Map<number, Map<string, number>>();
          for (const di of all) {
            for (const key of new Set(docs[di]!.labels[kind] ?? [])) {
              const i = labelIdx.get(key)!;
              let m = gsum.get(i);
              if (!m) gsum.set(i, (m = new Map()));
              for (const [t, x] of docVecs[di]!) m.set(t, (m.get(t) ?? 0) + x);
            }
          }
          const sq = new Map<number, number>();
          for (const [i, g] of gsum) sq.set(i, sqNorms[i]! - 2 * sparseDot(sums[i]!, g) + sparseDot(g, g));
          for (const di of members) {
            const x = docVecs[di]!;
            const dots = new Map<number, number>();
            for (const [t, v] of x) for (const [i, w] of rawIndex.get(t) ?? []) dots.set(i, (dots.get(i) ?? 0) + v * w);
            const out = new Map<string, number>();
            for (const [i, dot] of dots) {
              const g = gsum.get(i);
              let sc: number;
              if (g) {
                const q = sq.get(i)!;
                sc = q > 1e-9 ? (dot - sparseDot(x, g)) / Math.sqrt(q) : 0;
              } else sc = dot / Math.sqrt(sqNorms[i]!);
              if (sc > 1e-9) out.set(labels[i]!, sc);
            }
            scoresPerDoc.set(di, out);
            const copies = copiesOf(di, kind);
            if (copies.length) {
              const csum = new Map<number, Map<string, number>>();
              for (const j of copies) {
                for (const key of new Set(docs[j]!.labels[kind] ?? [])) {
                  const i = labelIdx.get(key)!;
                  let m = csum.get(i);
                  if (!m) csum.set(i, (m = new Map(gsum.get(i) ?? [])));
                  for (const [t, v] of docVecs[j]!) m.set(t, (m.get(t) ?? 0) + v);
                }
              }
              const without = new Map(out);
              for (const [i, g] of csum) {
                const q = sqNorms[i]! - 2 * sparseDot(sums[i]!, g) + sparseDot(g, g);
                const sc = q > 1e-9 ? ((dots.get(i) ?? 0) - sparseDot(x, g)) / Math.sqrt(q) : 0;
                if (sc > 1e-9) without.set(labels[i]!, sc);
                else without.delete(labels[i]!);
              }
              novel.set(di, without);
            }
            tick();
          }
        }
        return { scoresPerDoc, novel };
      };
      let held = heldOutScores(groups.values());
      // every label of the kind comes from the held-out recommendation's own source document: nothing can be measured
      // with the document out, so the recommendations are held out one by one instead (more optimistic)
      if (sampleOf[kind].length > 0 && [...held.scoresPerDoc.values()].every((m) => m.size === 0)) {
        held = heldOutScores(sampleOf[kind].map((di) => [di]));
        heldOutAlone.add(kind);
      }
      looScores.set(ki, held.scoresPerDoc);
      novelScores.set(ki, held.novel);
      const index = new Map<string, [number, number][]>();
      for (const [t, l] of rawIndex) index.set(t, l.map(([i, x]) => [i, x / Math.sqrt(sqNorms[i]!)]));
      kinds[kind] = { labels, support, index, blend: null, calibration: { topPrecision: [], ratioPrecision: [] } };
    }

    // P(goal | theme) over recommendations carrying both
    const pair = new Map<string, Map<string, number>>();
    const themeN = new Map<string, number>();
    const withBoth: number[] = [];
    docs.forEach((d, di) => {
      const goals = d.labels.sdg_goal ?? [];
      if (!goals.length || !(d.labels.theme ?? []).length) return;
      withBoth.push(di);
      for (const t of new Set(d.labels.theme ?? [])) {
        themeN.set(t, (themeN.get(t) ?? 0) + 1);
        let m = pair.get(t);
        if (!m) pair.set(t, (m = new Map()));
        for (const g of new Set(goals)) m.set(g, (m.get(g) ?? 0) + 1);
      }
    });
    const goalGivenTheme = new Map<string, [string, number][]>();
    for (const [t, m] of pair) goalGivenTheme.set(t, [...m].map(([g, c]) => [g, c / themeN.get(t)!] as [string, number]));
    /** P(goal | theme) without some recommendations' own labels (held-out scoring) */
    const goalGivenThemeWithout = (out: readonly number[]) => {
      const p = new Map([...pair].map(([t, m]) => [t, new Map(m)]));
      const n = new Map(themeN);
      for (const di of out) {
        const goals = new Set(docs[di]!.labels.sdg_goal ?? []);
        if (!goals.size) continue;
        for (const t of new Set(docs[di]!.labels.theme ?? [])) {
          n.set(t, n.get(t)! - 1);
          for (const g of goals) p.get(t)!.set(g, p.get(t)!.get(g)! - 1);
        }
      }
      const res = new Map<string, [string, number][]>();
      for (const [t, m] of p) {
        const nt = n.get(t)!;
        if (nt > 0) res.set(t, [...m].flatMap(([g, c]) => (c > 0 ? [[g, c / nt] as [string, number]] : [])));
      }
      return res;
    };

    const model = new TaggerModel(opts.trainedAt ?? new Date().toISOString(), docs.length, threshold, themeEvidence, idf, kinds, goalGivenTheme, knn, opts.sdgPrior ?? 0, prior);
    const priorOfDoc = new Map<number, Map<string, number>>();
    const priorOf = (di: number) => {
      let m = priorOfDoc.get(di);
      if (!m) priorOfDoc.set(di, (m = model.priorScores(docVecs[di]!)));
      return m;
    };

    // Blend settings tuned, then confidence calibrated, on those held-out scores (themes first: SDG goals may use
    // the themes' confidences).
    const themeLoo = looScores.get(TAG_KINDS.indexOf('theme'))!;
    const order: TagKind[] = ['theme', ...TAG_KINDS.filter((k) => k !== 'theme')];
    const blendedTheme = new Map<number, Map<string, number>>();
    const blendedThemeNovel = new Map<number, Map<string, number>>();
    for (const kind of order) {
      const km = kinds[kind];
      // SDG goals: the themes' evidence with P(goal | theme) counted without the held-out recommendation's own
      const pgtCache = new Map<string, Map<string, [string, number][]>>();
      // source document (or without itself, when its goals were held out alone). When that leaves nothing (every
      // recommendation with both comes from that document) the evidence's worth cannot be measured: it gets no weight.
      const pgtOf = (di: number) => {
        const key = heldOutAlone.has('sdg_goal') ? `#${di}` : (docs[di]!.group ?? `#${di}`);
        let m = pgtCache.get(key);
        if (!m) pgtCache.set(key, (m = goalGivenThemeWithout(heldOutAlone.has('sdg_goal') ? [di] : (groups.get(key) ?? [di]))));
        return m;
      };
      // `novel`: with the recommendation's copies held out too (where it has any)
      const cosOf = (di: number, weight: number, priorWeight: number, novel = false): Map<string, number> => {
        let s = (novel ? novelScores.get(TAG_KINDS.indexOf(kind))!.get(di) : undefined) ?? looScores.get(TAG_KINDS.indexOf(kind))!.get(di) ?? new Map<string, number>();
        if (kind !== 'sdg_goal') return s;
        if (weight > 0 && goalGivenTheme.size > 0 && s.size) {
          const themes = (novel ? blendedThemeNovel.get(di) : undefined) ?? blendedTheme.get(di) ?? themeLoo.get(di) ?? new Map<string, number>();
          s = model.blendGoals(s, model.rank('theme', themes), weight, pgtOf(di));
        }
        return priorWeight > 0 ? blendPrior(s, priorOf(di), priorWeight) : s;
      };
      const votesOf = (di: number, k: number, novel = false) => {
        const out = new Map<string, number>();
        const nb = (novel ? heldOutNovel.get(di) : undefined) ?? heldOut.get(di)!;
        if (knn) for (const [l, v] of knn.votes(kind, nb[kind], k)) out.set(km.labels[l]!, v);
        return out;
      };
      const sample = sampleOf[kind];
      const casesAt = (weight: number, priorWeight: number) => sample.map((di) => ({ gold: new Set(docs[di]!.labels[kind] ?? []), cos: cosOf(di, weight, priorWeight), votes: (k: number) => votesOf(di, k), words: wordsOf(docs[di]!.text) }));
      let cases = casesAt(themeEvidence, model.priorWeight);
      let blend = knn ? (opts.blend?.[kind] ?? tune(cases)) : null;
      const evidenceMeasurable = () => sample.filter((di) => pgtOf(di).size > 0).length >= 30;
      if (kind === 'sdg_goal' && knn && !opts.blend?.sdg_goal && sample.length >= 30) {
        // the weights of the themes' evidence and of the SDG prior, chosen with the blend on the same held-out scores
        // (ties: the lower weights). The prior comes from no label, so its worth can always be measured; the themes'
        // evidence only when P(goal | theme) can be counted without the held-out recommendation's source document.
        const evidenceGrid = tuneEvidence && goalGivenTheme.size > 0 && withBoth.length >= 30 && evidenceMeasurable() ? EVIDENCE_WEIGHTS : [themeEvidence];
        const priorGrid = opts.sdgPrior === undefined && prior ? PRIOR_WEIGHTS : [model.priorWeight];
        // one weight at a time (the prior's, then the themes' given it): 14 tunings at most instead of 49
        const tryWeights = (weight: number, priorWeight: number) => {
          if (weight === model.evidenceWeight && priorWeight === model.priorWeight) return;
          const c = casesAt(weight, priorWeight);
          const b = tune(c);
          if ((b.heldOutF1 ?? 0) > (blend?.heldOutF1 ?? 0) + 1e-9) {
            blend = b;
            cases = c;
            model.evidenceWeight = weight;
            model.priorWeight = priorWeight;
          }
        };
        for (const priorWeight of priorGrid) tryWeights(model.evidenceWeight, priorWeight);
        for (const weight of evidenceGrid) tryWeights(weight, model.priorWeight);
      }
      km.blend = blend;
      const scores = cases.map((c) => (blend ? blendScores(c.cos, c.votes(blend.k), blend.alpha) : c.cos));
      if (kind === 'theme') sample.forEach((di, i) => blendedTheme.set(di, scores[i]!));
      const gold = sample.map((di) => docs[di]!.labels[kind] ?? []);
      km.calibration = calibrate(gold, scores);
      // confidence per band of the similarity to the nearest labelled recommendation (Calibrations)
      if (knn) {
        const inBand = NEAREST_BANDS.map(() => ({ gold: [] as (readonly string[])[], scores: [] as Map<string, number>[] }));
        const put = (sim: number, g: readonly string[], sc: Map<string, number>) => {
          const b = inBand[Math.max(0, nearestBand(sim))]!;
          b.gold.push(g);
          b.scores.push(sc);
        };
        sample.forEach((di, i) => {
          const sim = heldOut.get(di)![kind].sims[0] ?? 0;
          put(sim, gold[i]!, scores[i]!);
          const novel = heldOutNovel.get(di);
          if (sim >= COPY_SIM && novel) {
            const cos = cosOf(di, model.evidenceWeight, model.priorWeight, true);
            const sc = blend ? blendScores(cos, votesOf(di, blend.k, true), blend.alpha) : cos;
            put(novel[kind].sims[0] ?? 0, gold[i]!, sc);
            if (kind === 'theme') blendedThemeNovel.set(di, sc);
          }
        });
        const below = inBand.slice(0, -1);
        const belowAll = below.flatMap((b) => b.gold).length ? calibrate(below.flatMap((b) => b.gold), below.flatMap((b) => b.scores)) : null;
        km.nearest = inBand.map((b, bi) => (b.gold.length >= MIN_BAND ? calibrate(b.gold, b.scores) : bi < inBand.length - 1 ? belowAll : null));
      }
    }
    progress(total, total);
    return model;
  }

  /** SDG goal scores blended with the evidence of the (already ranked) themes. */
  private blendGoals(text: Map<string, number>, themes: Suggestion[], b = this.evidenceWeight, goalGivenTheme = this.goalGivenTheme): Map<string, number> {
    const evidence = new Map<string, number>();
    let weight = 0;
    for (const t of themes.slice(0, 3)) {
      const pg = goalGivenTheme.get(t.key);
      if (!pg) continue;
      weight += t.confidence;
      for (const [g, p] of pg) evidence.set(g, (evidence.get(g) ?? 0) + t.confidence * p);
    }
    if (weight === 0) return text;
    const topText = Math.max(0, ...text.values()) || 1;
    const out = new Map<string, number>();
    for (const key of new Set([...text.keys(), ...evidence.keys()])) {
      // text cosine scaled to the best one, so both parts lie in 0..1
      const s = (1 - b) * ((text.get(key) ?? 0) / topText) + b * ((evidence.get(key) ?? 0) / weight);
      if (s > 0) out.set(key, s);
    }
    return out;
  }

  /** Ranked, calibrated suggestions of one kind from raw scores. */
  private rank(kind: TagKind, scores: Map<string, number>, limit = 10, words = 0, cal = this.kinds[kind].calibration): Suggestion[] {
    const sorted = [...scores].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
    const top = sorted[0]?.[1] ?? 0;
    return sorted.map(([key, score], i) => {
      const second = sorted[1]?.[1] ?? 0;
      const confidence = i === 0 ? (cal.topPrecision[band(second / top)] ?? 0) : (cal.ratioPrecision[band(score / top)] ?? 0);
      const blend = this.kinds[kind].blend;
      const chosen = i === 0 || (blend ? chosenBy(blend, i, score, top, words) : confidence >= this.threshold);
      return { key, score, confidence: Math.round(confidence * 1000) / 1000, chosen };
    });
  }

  /** per kind: the centroids' postings in typed arrays and an accumulator, built on first use (suggesting is hot) */
  private readonly packed = new Map<TagKind, { postings: Map<string, { ids: Int32Array; w: Float64Array }>; acc: Float64Array; seen: Uint8Array }>();

  private rawScores(kind: TagKind, vec: Map<string, number>): Map<string, number> {
    const km = this.kinds[kind];
    let p = this.packed.get(kind);
    if (!p) {
      const postings = new Map<string, { ids: Int32Array; w: Float64Array }>();
      for (const [t, l] of km.index) postings.set(t, { ids: Int32Array.from(l, ([i]) => i), w: Float64Array.from(l, ([, w]) => w) });
      this.packed.set(kind, (p = { postings, acc: new Float64Array(km.labels.length), seen: new Uint8Array(km.labels.length) }));
    }
    const { acc, seen } = p;
    const touched: number[] = [];
    for (const [t, x] of vec) {
      const post = p.postings.get(t);
      if (!post) continue;
      const { ids, w } = post;
      for (let j = 0; j < ids.length; j += 1) {
        const i = ids[j]!;
        if (seen[i] === 0) {
          seen[i] = 1;
          touched.push(i);
        }
        acc[i]! += x * w[j]!;
      }
    }
    const out = new Map<string, number>();
    for (const i of touched) {
      if (acc[i]! > 0) out.set(km.labels[i]!, acc[i]!);
      acc[i] = 0;
      seen[i] = 0;
    }
    return out;
  }

  /** The SDG prior of a text's unit vector: per goal, its best cosine with the goal's prior texts. */
  priorScores(vec: ReadonlyMap<string, number>): Map<string, number> {
    const out = new Map<string, number>();
    if (!this.prior) return out;
    const dots = new Map<number, number>();
    for (const [t, x] of vec) for (const [i, w] of this.prior.index.get(t) ?? []) dots.set(i, (dots.get(i) ?? 0) + x * w);
    for (const [i, d] of dots) {
      const g = this.prior.goals[i]!;
      if (d > (out.get(g) ?? 0)) out.set(g, d);
    }
    return out;
  }

  /** A text's unit TF-IDF vector over the model's terms (as every score of the model reads it). */
  vector(text: string): Map<string, number> {
    return unit(counts(text), this.idf);
  }

  /** Cosine of two texts as the model reads them (e.g. a recommendation against a label's name). */
  static cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
    return sparseDot(a, b);
  }

  /** Blend settings of a kind (tuned on held-out training data), null for a model without neighbours. */
  blendOf(kind: TagKind): BlendParams | null {
    return this.kinds[kind].blend;
  }

  /** A text's similarity to the nearest recommendation labelled with a kind (COPY_SIM and over: a copy); null without neighbours. */
  nearestSimilarity(kind: TagKind, text: string): number | null {
    if (!this.knn || this.knn.size === 0) return null;
    return this.knn.neighbours(unit(counts(text), this.idf))[kind].sims[0] ?? 0;
  }

  /**
   * Suggestions for a text (any language the model has seen, through recommendations or seed texts). `pooled`: every
   * confidence from the calibration of all held-out recommendations, however near (the model before the bands of
   * Calibrations; for comparisons).
   */
  predict(text: string, limit = 10, pooled = false): Prediction {
    const vec = unit(counts(text), this.idf);
    const words = wordsOf(text);
    const nb = this.knn && this.knn.size > 0 ? this.knn.neighbours(vec) : null;
    const scored = (kind: TagKind, cos: Map<string, number>): Map<string, number> => {
      const km = this.kinds[kind];
      if (!nb || !km.blend) return cos;
      const votes = new Map<string, number>();
      for (const [l, v] of this.knn!.votes(kind, nb[kind], km.blend.k)) votes.set(km.labels[l]!, v);
      return blendScores(cos, votes, km.blend.alpha);
    };
    // the confidence measured for texts as near to their nearest labelled recommendation (Calibrations)
    const cal = (kind: TagKind) => {
      const km = this.kinds[kind];
      if (pooled || !nb) return km.calibration;
      return km.nearest?.[nearestBand(nb[kind].sims[0] ?? 0)] ?? km.calibration;
    };
    const out = {} as Prediction;
    const themes = scored('theme', this.rawScores('theme', vec));
    out.theme = this.rank('theme', themes, limit, words, cal('theme'));
    out.affected_person = this.rank('affected_person', scored('affected_person', this.rawScores('affected_person', vec)), limit, words, cal('affected_person'));
    out.sdg_target = this.rank('sdg_target', scored('sdg_target', this.rawScores('sdg_target', vec)), limit, words, cal('sdg_target'));
    let goals = this.rawScores('sdg_goal', vec);
    // the themes' evidence weighs their confidences as the training tuned it: the pooled calibration's
    if (this.themeEvidence > 0 && this.goalGivenTheme.size > 0 && goals.size > 0) goals = this.blendGoals(goals, this.rank('theme', themes, limit, words));
    if (this.priorWeight > 0) goals = blendPrior(goals, this.priorScores(vec), this.priorWeight);
    out.sdg_goal = this.rank('sdg_goal', scored('sdg_goal', goals), limit, words, cal('sdg_goal'));
    return out;
  }

  toJSON(): ModelJson {
    const kinds = {} as ModelJson['kinds'];
    for (const kind of TAG_KINDS) {
      const km = this.kinds[kind];
      kinds[kind] = {
        labels: km.labels,
        support: km.support,
        centroids: [...km.index].map(([t, l]) => [t, l.map(([i, w]) => [i, Math.round(w * 1e6) / 1e6] as [number, number])]),
        calibration: km.calibration,
        blend: km.blend,
        ...(km.nearest ? { nearest: km.nearest } : {}),
      };
    }
    const knn = this.knn;
    return {
      format: 2,
      trainedAt: this.trainedAt,
      docs: this.docs,
      threshold: this.threshold,
      themeEvidence: this.themeEvidence,
      idf: [...this.idf].map(([t, w]) => [t, Math.round(w * 1e6) / 1e6]),
      kinds,
      goalGivenTheme: [...this.goalGivenTheme],
      ...(this.prior ? { prior: { weight: this.priorWeight, goals: this.prior.goals, index: [...this.prior.index].map(([t, l]) => [t, l.map(([i, w]) => [i, Math.round(w * 1e6) / 1e6] as [number, number])] as [string, [number, number][]]) } } : {}),
      ...(knn ? { knn: { docs: knn.docTerms.map((d) => Array.from(d)), labels: Object.fromEntries(TAG_KINDS.map((k) => [k, knn.labels[k].map((l) => Array.from(l))])) as KnnJson['labels'] } } : {}),
    };
  }

  static fromJSON(j: ModelJson): TaggerModel {
    if (j.format !== 1 && j.format !== 2) throw new Error(`Unknown tagger model format ${String(j.format)}`);
    const kinds = {} as Record<TagKind, KindModel>;
    for (const kind of TAG_KINDS) {
      const k = j.kinds[kind];
      kinds[kind] = {
        labels: k.labels,
        support: k.support,
        index: new Map(k.centroids),
        calibration: k.calibration,
        blend: k.blend ?? null,
        ...(k.nearest ? { nearest: k.nearest } : {}),
      };
    }
    const idf = new Map(j.idf);
    const knn = j.knn
      ? KnnIndex.build(
          j.knn.docs.map((d) => Int32Array.from(d)),
          Object.fromEntries(TAG_KINDS.map((k) => [k, j.knn!.labels[k].map((l) => Int32Array.from(l))])) as Record<TagKind, Int32Array[]>,
          j.idf.map(([t]) => t),
          idf,
        )
      : null;
    const prior = j.prior ? { goals: j.prior.goals, index: new Map(j.prior.index) } : null;
    return new TaggerModel(j.trainedAt, j.docs, j.threshold, j.themeEvidence, idf, kinds, new Map(j.goalGivenTheme), knn, j.prior?.weight ?? 0, prior);
  }
}

function sparseDot(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, x] of small) {
    const y = big.get(t);
    if (y !== undefined) s += x * y;
  }
  return s;
}

const band = (ratio: number) => Math.min(BANDS - 1, Math.max(0, Math.floor(ratio * BANDS)));

/**
 * Precision per band from leave-one-out scores: best labels by how close the runner-up came (second / best score),
 * other labels by their score relative to the best. Bands with few examples borrow from their neighbours (pooled),
 * and precision is made monotone (a clearer winner, or a label closer to the best, never gets a lower confidence).
 */
export function calibrate(gold: readonly (readonly string[])[], scores: readonly Map<string, number>[]): Calibration {
  const topHit = new Array<number>(BANDS).fill(0);
  const topAll = new Array<number>(BANDS).fill(0);
  const ratioHit = new Array<number>(BANDS).fill(0);
  const ratioAll = new Array<number>(BANDS).fill(0);
  scores.forEach((s, di) => {
    const g = new Set(gold[di] ?? []);
    if (!g.size || !s.size) return;
    const sorted = [...s].sort((a, b) => b[1] - a[1]).slice(0, 10);
    const top = sorted[0]![1];
    const b0 = band((sorted[1]?.[1] ?? 0) / top);
    topAll[b0]! += 1;
    if (g.has(sorted[0]![0])) topHit[b0]! += 1;
    for (const [key, sc] of sorted.slice(1)) {
      const b = band(sc / top);
      ratioAll[b]! += 1;
      if (g.has(key)) ratioHit[b]! += 1;
    }
  });
  // precision falls as the runner-up comes closer: made non-increasing over the bands
  const topPrecision = monotone(pooledPrecision(topHit, topAll).reverse()).reverse();
  return { topPrecision, ratioPrecision: monotone(pooledPrecision(ratioHit, ratioAll)) };
}

/** Precision per band; a band with fewer than 20 examples is pooled with its neighbours until it has them. */
function pooledPrecision(hit: readonly number[], all: readonly number[]): number[] {
  return all.map((n, i) => {
    let h = hit[i]!;
    let a = n;
    for (let d = 1; a < 20 && d < BANDS; d += 1) {
      for (const j of [i - d, i + d]) {
        if (j >= 0 && j < BANDS) {
          h += hit[j]!;
          a += all[j]!;
        }
      }
    }
    return a ? h / a : 0;
  });
}

/** Pool-adjacent-violators: the non-decreasing sequence closest to `xs` (equal weights). */
export function monotone(xs: readonly number[]): number[] {
  const blocks: { sum: number; n: number }[] = [];
  for (const x of xs) {
    blocks.push({ sum: x, n: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2]!.sum / blocks[blocks.length - 2]!.n > blocks[blocks.length - 1]!.sum / blocks[blocks.length - 1]!.n) {
      const b = blocks.pop()!;
      blocks[blocks.length - 1]!.sum += b.sum;
      blocks[blocks.length - 1]!.n += b.n;
    }
  }
  return blocks.flatMap((b) => new Array<number>(b.n).fill(b.sum / b.n));
}

/** Nearest neighbours among the labelled recommendations: one posting list per term in typed arrays. */
class KnnIndex {
  private readonly acc: Float32Array;
  /** per recommendation: bit i set when it carries labels of TAG_KINDS[i] */
  private readonly kindsOf: Uint8Array;
  private constructor(
    /** per recommendation: its term indices (into `terms`), repeated as counted */
    readonly docTerms: Int32Array[],
    /** per kind, per recommendation: its labels' indices in that kind's label list */
    readonly labels: Record<TagKind, Int32Array[]>,
    private readonly postings: Map<string, { ids: Int32Array; w: Float32Array }>,
  ) {
    this.acc = new Float32Array(docTerms.length);
    this.kindsOf = Uint8Array.from(docTerms, (_, di) => TAG_KINDS.reduce((bits, kind, ki) => (labels[kind][di]!.length > 0 ? bits | (1 << ki) : bits), 0));
  }

  get size(): number {
    return this.docTerms.length;
  }

  static build(docTerms: Int32Array[], labels: Record<TagKind, Int32Array[]>, terms: readonly string[], idf: ReadonlyMap<string, number>): KnnIndex {
    const idfOf = Float64Array.from(terms, (t) => idf.get(t) ?? 0);
    const len = new Int32Array(terms.length);
    // unit vectors of the recommendations as (term index, weight) pairs, as `unit` computes them
    const vecs = docTerms.map((ts) => {
      const c = new Map<number, number>();
      for (const t of ts) c.set(t, (c.get(t) ?? 0) + 1);
      const tids = new Int32Array(c.size);
      const ws = new Float32Array(c.size);
      let norm = 0;
      let j = 0;
      for (const [t, n] of c) {
        const x = (1 + Math.log(n)) * idfOf[t]!;
        tids[j] = t;
        ws[j] = x;
        norm += x * x;
        j += 1;
      }
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < ws.length; i += 1) {
        ws[i] = ws[i]! / norm;
        len[tids[i]!]! += 1;
      }
      return { tids, ws };
    });
    const ids = terms.map((_, i) => new Int32Array(len[i]!));
    const w = terms.map((_, i) => new Float32Array(len[i]!));
    const fill = new Int32Array(terms.length);
    vecs.forEach(({ tids, ws }, di) => {
      for (let i = 0; i < tids.length; i += 1) {
        const t = tids[i]!;
        ids[t]![fill[t]!] = di;
        w[t]![fill[t]!] = ws[i]!;
        fill[t]! += 1;
      }
    });
    const postings = new Map<string, { ids: Int32Array; w: Float32Array }>();
    terms.forEach((t, i) => {
      if (len[i]! > 0) postings.set(t, { ids: ids[i]!, w: w[i]! });
    });
    return new KnnIndex(docTerms, labels, postings);
  }

  /**
   * The MAX_K most similar recommendations carrying labels of each kind (cosine of unit vectors), best first;
   * `skip` leaves some out (held-out scoring: the recommendation's own source document). `copies` collects, besides,
   * every one at least `above` similar (however many).
   */
  neighbours(vec: ReadonlyMap<string, number>, skip?: (di: number) => boolean, copies?: { above: number; ids: number[] }): Record<TagKind, { ids: number[]; sims: number[] }> {
    const acc = this.acc;
    const touched: number[] = [];
    // terms held by very many recommendations are left out of the search (their IDF is low, and walking their
    // postings would make every search cost as much as the whole collection): the neighbours are then those
    // sharing the rarer terms; the same search is used for the held-out tuning, so the blend is tuned for it
    const cap = Math.max(KNN_POSTING_CAP, Math.floor(this.docTerms.length * 0.05));
    for (const [t, x] of vec) {
      const p = this.postings.get(t);
      if (!p || p.ids.length > cap) continue;
      const { ids, w } = p;
      for (let j = 0; j < ids.length; j += 1) {
        const di = ids[j]!;
        if (acc[di] === 0) touched.push(di);
        acc[di]! += x * w[j]!;
      }
    }
    const out = {} as Record<TagKind, { ids: number[]; sims: number[] }>;
    for (const kind of TAG_KINDS) out[kind] = { ids: [], sims: [] };
    const tops = TAG_KINDS.map((k) => out[k]);
    for (const di of touched) {
      const s = acc[di]!;
      acc[di] = 0;
      const bits = this.kindsOf[di]!;
      if (s <= 1e-9 || bits === 0 || (skip && skip(di))) continue;
      if (copies && s >= copies.above) copies.ids.push(di);
      for (let ki = 0; ki < tops.length; ki += 1) {
        if ((bits & (1 << ki)) === 0) continue;
        const top = tops[ki]!;
        if (top.sims.length === MAX_K && s <= top.sims[MAX_K - 1]!) continue;
        let at = top.sims.length;
        while (at > 0 && top.sims[at - 1]! < s) at -= 1;
        top.sims.splice(at, 0, s);
        top.ids.splice(at, 0, di);
        if (top.sims.length > MAX_K) {
          top.sims.pop();
          top.ids.pop();
        }
      }
    }
    return out;
  }

  /** Share of the similarity of the k nearest (of a kind) that carries each label (label index → share). */
  votes(kind: TagKind, nb: { ids: number[]; sims: number[] }, k: number): Map<number, number> {
    const votes = new Map<number, number>();
    let total = 0;
    const n = Math.min(k, nb.ids.length);
    for (let j = 0; j < n; j += 1) {
      const s = nb.sims[j]!;
      total += s;
      for (const l of this.labels[kind][nb.ids[j]!]!) votes.set(l, (votes.get(l) ?? 0) + s);
    }
    if (total > 0) for (const [l, v] of votes) votes.set(l, v / total);
    return votes;
  }
}

/** Blended scores of one kind: (1 − alpha)·cosine / best cosine + alpha·vote. */
function blendScores(cos: ReadonlyMap<string, number>, votes: ReadonlyMap<string, number>, alpha: number): Map<string, number> {
  const top = Math.max(0, ...cos.values()) || 1;
  const out = new Map<string, number>();
  for (const [key, c] of cos) out.set(key, (1 - alpha) * (c / top));
  for (const [key, v] of votes) out.set(key, (out.get(key) ?? 0) + alpha * v);
  for (const [key, s] of out) if (s <= 1e-9) out.delete(key);
  return out;
}

/**
 * The blend settings with the best micro-F1 over held-out training scores: for each labelled recommendation of the
 * sample, its centroid cosines and its neighbours with its own source document taken out. Ties go to the earlier
 * setting of the grids (ALPHAS, KS, TAUS).
 */
function tune(cases: { gold: ReadonlySet<string>; cos: ReadonlyMap<string, number>; votes: (k: number) => ReadonlyMap<string, number>; words: number }[]): BlendParams {
  if (cases.length < 30) return DEFAULT_BLEND;
  // no held-out recommendation has a neighbour with labels of the kind (they all come from one source document):
  // the neighbours' worth cannot be measured, so they get no weight
  const measurable = cases.some((c) => c.votes(KS[KS.length - 1]!).size > 0);
  let best: BlendParams = DEFAULT_BLEND;
  let bestF1 = -1;
  for (const k of KS) {
    const votes = cases.map((c) => c.votes(k));
    for (const alpha of ALPHAS) {
      if ((alpha === 0 && k !== KS[0]) || (alpha > 0 && !measurable)) continue;
      const tp = new Array<number>(TAUS.length).fill(0);
      const fp = new Array<number>(TAUS.length).fill(0);
      let goldN = 0;
      cases.forEach((c, ci) => {
        goldN += c.gold.size;
        const sorted = [...blendScores(c.cos, votes[ci]!, alpha)].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
        sorted.forEach(([key, s], i) => {
          const hit = c.gold.has(key);
          TAUS.forEach((tau, ti) => {
            if (i === 0 || s >= tau) {
              if (hit) tp[ti]! += 1;
              else fp[ti]! += 1;
            }
          });
        });
      });
      TAUS.forEach((tau, ti) => {
        const f1 = goldN ? (2 * tp[ti]!) / (tp[ti]! + fp[ti]! + goldN) : 0;
        if (f1 > bestF1 + 1e-9) {
          bestF1 = f1;
          best = { alpha, k, tau, heldOutF1: Math.round(f1 * 1000) / 1000 };
        }
      });
    }
  }
  if (bestF1 < 0) return best;
  // then, for that alpha and k, the choosing rule refined (sixth tagger session): an absolute threshold alone (as
  // above) or with a relative one, both lowered for longer texts (every list gives longer recommendations more labels)
  const lists = cases.map((c) => {
    const sorted = [...blendScores(c.cos, c.votes(best.k), best.alpha)].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
    return { scores: Float64Array.from(sorted, ([, v]) => v), hits: Uint8Array.from(sorted, ([key]) => (c.gold.has(key) ? 1 : 0)), words: c.words };
  });
  const goldN = cases.reduce((a, c) => a + c.gold.size, 0);
  const refined = best;
  for (const tau of [...TAUS, 1.1, 1.2]) {
    for (const relative of RELATIVES) {
      for (const lengthSlope of LENGTH_SLOPES) {
        const b = { tau, lengthSlope, ...(relative <= 1 ? { relative } : {}) };
        let tp = 0;
        let chosen = 0;
        for (const l of lists) {
          const top = l.scores[0] ?? 0;
          for (let i = 0; i < l.scores.length; i += 1) {
            if (chosenBy(b, i, l.scores[i]!, top, l.words)) {
              chosen += 1;
              tp += l.hits[i]!;
            }
          }
        }
        const f1 = goldN ? (2 * tp) / (chosen + goldN) : 0;
        if (f1 > bestF1 + 1e-9) {
          bestF1 = f1;
          best = { alpha: refined.alpha, k: refined.k, ...b, heldOutF1: Math.round(f1 * 1000) / 1000 };
        }
      }
    }
  }
  return best;
}

function termIndices(docCounts: readonly Map<string, number>[], terms: readonly string[]): Int32Array[] {
  const termId = new Map(terms.map((t, i) => [t, i]));
  return docCounts.map((c) => {
    const out: number[] = [];
    for (const [t, k] of c) {
      const i = termId.get(t);
      if (i !== undefined) for (let r = 0; r < k; r += 1) out.push(i);
    }
    return Int32Array.from(out);
  });
}

function knnIndexOf(docs: readonly TrainDoc[], docTerms: Int32Array[], terms: readonly string[], idf: ReadonlyMap<string, number>, labelOrder: Record<TagKind, readonly string[]>): KnnIndex {
  const labels = {} as Record<TagKind, Int32Array[]>;
  for (const kind of TAG_KINDS) {
    const at = new Map(labelOrder[kind].map((l, i) => [l, i]));
    labels[kind] = docs.map((d) => Int32Array.from(new Set((d.labels[kind] ?? []).map((l) => at.get(l)!))));
  }
  return KnnIndex.build(docTerms, labels, terms, idf);
}

/** SDG goal scores blended with the SDG prior: (1 − w)·score / best score + w·prior / best prior. */
function blendPrior(scores: ReadonlyMap<string, number>, prior: ReadonlyMap<string, number>, w: number): Map<string, number> {
  if (w <= 0 || prior.size === 0) return new Map(scores);
  const top = Math.max(0, ...scores.values()) || 1;
  const topPrior = Math.max(0, ...prior.values()) || 1;
  const out = new Map<string, number>();
  for (const key of new Set([...scores.keys(), ...prior.keys()])) {
    const s = (1 - w) * ((scores.get(key) ?? 0) / top) + w * ((prior.get(key) ?? 0) / topPrior);
    if (s > 1e-9) out.set(key, s);
  }
  return out;
}

/**
 * The SDG prior's texts: every SDG target seed (its goal is the number before the dot) and, unless left out, every
 * lexicon phrase of src/tagging/sdg-lexicon.ts, as unit vectors over the model's terms. Null when there is none.
 */
function priorIndexOf(seeds: readonly Seed[], idf: Map<string, number>, lexicon: boolean): PriorIndex | null {
  const texts: { goal: string; text: string }[] = [];
  for (const s of seeds) if (s.kind === 'sdg_target') for (const line of s.text.split('\n')) texts.push({ goal: s.key.split('.')[0]!, text: line });
  if (!texts.length) return null;
  if (lexicon) for (const [goal, l] of Object.entries(SDG_LEXICON)) for (const text of [...l.en, ...l.ar]) texts.push({ goal, text });
  const goals: string[] = [];
  const index = new Map<string, [number, number][]>();
  for (const { goal, text } of texts) {
    const v = unit(counts(text), idf);
    if (!v.size) continue;
    const i = goals.length;
    goals.push(goal);
    for (const [t, w] of v) {
      let l = index.get(t);
      if (!l) index.set(t, (l = []));
      l.push([i, w]);
    }
  }
  return goals.length ? { goals, index } : null;
}
