/**
 * Multi-label evaluation: micro- and macro-F1 of the chosen labels, precision@3 of the ranking, and coverage. Only
 * records that carry at least one gold label of the kind are counted (a record without labels tells nothing).
 */
export interface EvalCase {
  gold: readonly string[];
  /** labels ranked best first, with whether the tagger chose each */
  ranked: readonly { key: string; chosen: boolean }[];
}

export interface KindMetrics {
  /** records with gold labels of this kind */
  n: number;
  micro_f1: number;
  macro_f1: number;
  micro_precision: number;
  micro_recall: number;
  /** mean over records of |top 3 ∩ gold| / min(3, |gold|) */
  p_at_3: number;
  /** share of records given at least one suggestion */
  coverage: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const f1 = (tp: number, fp: number, fn: number) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn));

export function evaluate(cases: readonly EvalCase[]): KindMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let p3 = 0;
  let covered = 0;
  let n = 0;
  const perLabel = new Map<string, { tp: number; fp: number; fn: number }>();
  const lab = (k: string) => {
    let x = perLabel.get(k);
    if (!x) perLabel.set(k, (x = { tp: 0, fp: 0, fn: 0 }));
    return x;
  };
  for (const c of cases) {
    const gold = new Set(c.gold);
    if (gold.size === 0) continue;
    n += 1;
    const chosen = new Set(c.ranked.filter((r) => r.chosen).map((r) => r.key));
    if (c.ranked.length > 0) covered += 1;
    for (const k of chosen) {
      if (gold.has(k)) {
        tp += 1;
        lab(k).tp += 1;
      } else {
        fp += 1;
        lab(k).fp += 1;
      }
    }
    for (const k of gold) {
      if (!chosen.has(k)) {
        fn += 1;
        lab(k).fn += 1;
      }
    }
    const top3 = c.ranked.slice(0, 3).filter((r) => gold.has(r.key)).length;
    p3 += top3 / Math.min(3, gold.size);
  }
  const macro = perLabel.size ? [...perLabel.values()].reduce((a, x) => a + f1(x.tp, x.fp, x.fn), 0) / perLabel.size : 0;
  return {
    n,
    micro_f1: round(f1(tp, fp, fn)),
    macro_f1: round(macro),
    micro_precision: round(tp + fp ? tp / (tp + fp) : 0),
    micro_recall: round(tp + fn ? tp / (tp + fn) : 0),
    p_at_3: round(n ? p3 / n : 0),
    coverage: round(n ? covered / n : 0),
  };
}
