/**
 * One-vs-rest logistic regression trained by stochastic gradient descent on sparse TF-IDF features (stemmed words
 * and character 4-grams inside them), for one kind of label. Studied against the centroid + neighbour model in
 * `npm run bench -- tagger --only linear` (blend weight chosen by cross-validation inside the training lists; no gain
 * in the model's own names). Since the eighth tagger session it is blended into the ranking that is mapped onto a
 * list's own names (`vocabulary.ts`, `rasd tagger eval --list-names`, the bench), when that cross-validation chooses
 * it; the app's suggestions do not use it (see docs/TAGGING.md).
 */
import { contentTerms } from '../text/index.ts';
import type { TagKind } from './labels.ts';
import type { TrainDoc } from './model.ts';

export interface LinearOptions {
  epochs?: number;
  /** L2 regularisation per example */
  l2?: number;
  /** initial learning rate */
  rate?: number;
  seed?: number;
}

function features(text: string): Map<string, number> {
  const c = new Map<string, number>();
  for (const w of contentTerms(text)) {
    if (w.length < 2 || /^\d+$/.test(w)) continue;
    c.set(`w:${w}`, (c.get(`w:${w}`) ?? 0) + 1);
    const padded = `^${w}$`;
    for (let i = 0; i + 4 <= padded.length; i += 1) {
      const g = `c:${padded.slice(i, i + 4)}`;
      c.set(g, (c.get(g) ?? 0) + 1);
    }
  }
  return c;
}

export class LinearTagger {
  private constructor(
    private readonly labels: string[],
    private readonly featureId: Map<string, number>,
    private readonly idf: Float64Array,
    /** labels × features, row-major */
    private readonly w: Float64Array,
    private readonly bias: Float64Array,
  ) {}

  static train(docs: readonly TrainDoc[], kind: TagKind, opts: LinearOptions = {}): LinearTagger {
    const labelled = docs.filter((d) => (d.labels[kind]?.length ?? 0) > 0);
    const labels = [...new Set(labelled.flatMap((d) => d.labels[kind] ?? []))].sort();
    const labelId = new Map(labels.map((l, i) => [l, i]));
    const counts = labelled.map((d) => features(d.text));
    const df = new Map<string, number>();
    for (const c of counts) for (const f of c.keys()) df.set(f, (df.get(f) ?? 0) + 1);
    const featureId = new Map<string, number>();
    for (const [f, n] of df) if (n >= 2) featureId.set(f, featureId.size);
    const idf = new Float64Array(featureId.size);
    for (const [f, i] of featureId) idf[i] = Math.log((counts.length + 1) / (df.get(f)! + 1)) + 1;
    const lt = new LinearTagger(labels, featureId, idf, new Float64Array(labels.length * featureId.size), new Float64Array(labels.length));
    const xs = counts.map((c) => lt.vector(c));
    const ys = labelled.map((d) => new Set((d.labels[kind] ?? []).map((l) => labelId.get(l)!)));
    const epochs = opts.epochs ?? 15;
    const l2 = opts.l2 ?? 1e-4;
    const rate0 = opts.rate ?? 0.5;
    const nf = featureId.size;
    // a fixed shuffled order per epoch (deterministic)
    let seed = opts.seed ?? 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const order = xs.map((_, i) => i);
    let t = 0;
    for (let e = 0; e < epochs; e += 1) {
      for (let i = order.length - 1; i > 0; i -= 1) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const di of order) {
        const rate = rate0 / (1 + rate0 * l2 * t);
        t += 1;
        const { ids, vals } = xs[di]!;
        const y = ys[di]!;
        for (let l = 0; l < labels.length; l += 1) {
          const row = l * nf;
          let z = lt.bias[l]!;
          for (let k = 0; k < ids.length; k += 1) z += lt.w[row + ids[k]!]! * vals[k]!;
          const p = 1 / (1 + Math.exp(-z));
          const g = p - (y.has(l) ? 1 : 0);
          // L2 on the touched weights only (sparse update), the bias unregularised
          for (let k = 0; k < ids.length; k += 1) {
            const at = row + ids[k]!;
            lt.w[at] = lt.w[at]! - rate * (g * vals[k]! + l2 * lt.w[at]!);
          }
          lt.bias[l] = lt.bias[l]! - rate * g;
        }
      }
    }
    return lt;
  }

  private vector(c: Map<string, number>): { ids: Int32Array; vals: Float64Array } {
    const ids: number[] = [];
    const vals: number[] = [];
    let norm = 0;
    for (const [f, n] of c) {
      const i = this.featureId.get(f);
      if (i === undefined) continue;
      const x = (1 + Math.log(n)) * this.idf[i]!;
      ids.push(i);
      vals.push(x);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    return { ids: Int32Array.from(ids), vals: Float64Array.from(vals, (v) => v / norm) };
  }

  /** Probability of each label for a text. */
  scores(text: string): Map<string, number> {
    const { ids, vals } = this.vector(features(text));
    const nf = this.featureId.size;
    const out = new Map<string, number>();
    for (let l = 0; l < this.labels.length; l += 1) {
      let z = this.bias[l]!;
      for (let k = 0; k < ids.length; k += 1) z += this.w[l * nf + ids[k]!]! * vals[k]!;
      out.set(this.labels[l]!, 1 / (1 + Math.exp(-z)));
    }
    return out;
  }
}
