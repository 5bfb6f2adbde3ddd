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

/** Where a kind's errors lie: per label how often it was missed (gold, not chosen) and wrongly chosen. */
export interface ErrorSummary {
  n: number;
  /** mean number of gold labels per record, and of chosen labels */
  gold_per_record: number;
  chosen_per_record: number;
  /** the labels most often missed: [label, times missed, times in the gold] */
  missed: [string, number, number][];
  /** the labels most often chosen wrongly: [label, times wrong, times chosen] */
  wrong: [string, number, number][];
  /** the commonest (gold label missed → label chosen instead) pairs on records with no right choice */
  confused: [string, string, number][];
}

const top = <T extends unknown[]>(xs: T[], by: (x: T) => number, k: number) => [...xs].sort((a, b) => by(b) - by(a) || String(a[0]).localeCompare(String(b[0]))).slice(0, k);

export function errorSummary(cases: readonly EvalCase[], k = 8): ErrorSummary {
  let n = 0;
  let gold = 0;
  let chosenN = 0;
  const missed = new Map<string, [number, number]>();
  const wrong = new Map<string, [number, number]>();
  const confused = new Map<string, number>();
  for (const c of cases) {
    const g = new Set(c.gold);
    if (g.size === 0) continue;
    n += 1;
    const chosen = new Set(c.ranked.filter((r) => r.chosen).map((r) => r.key));
    gold += g.size;
    chosenN += chosen.size;
    for (const l of g) {
      const m = missed.get(l) ?? [0, 0];
      m[1] += 1;
      if (!chosen.has(l)) m[0] += 1;
      missed.set(l, m);
    }
    for (const l of chosen) {
      const w = wrong.get(l) ?? [0, 0];
      w[1] += 1;
      if (!g.has(l)) w[0] += 1;
      wrong.set(l, w);
    }
    if (![...chosen].some((l) => g.has(l))) for (const a of g) for (const b of chosen) confused.set(`${a}\u0000${b}`, (confused.get(`${a}\u0000${b}`) ?? 0) + 1);
  }
  return {
    n,
    gold_per_record: round(n ? gold / n : 0),
    chosen_per_record: round(n ? chosenN / n : 0),
    missed: top([...missed].map(([l, [m, t]]) => [l, m, t] as [string, number, number]), (x) => x[1], k).filter((x) => x[1] > 0),
    wrong: top([...wrong].map(([l, [w, t]]) => [l, w, t] as [string, number, number]), (x) => x[1], k).filter((x) => x[1] > 0),
    confused: top([...confused].map(([key, c]) => [...(key.split('\u0000') as [string, string]), c] as [string, string, number]), (x) => x[2], k),
  };
}
