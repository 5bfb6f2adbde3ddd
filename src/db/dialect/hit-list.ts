/** Full-text hits as the engines return them (PostgreSQL: one string aggregated by the engine, parsed here). */

/** Row ids of `recommendation_search` (search_rowid), and the relevance of each when ranked (higher is better). */
export interface HitList {
  rowids: Int32Array;
  scores: Float64Array | null;
}

/** Parses "rowid score rowid score …" (ranked) or "rowid rowid …" (integers, space-separated). */
export function parseHitList(list: string, ranked: boolean): HitList {
  const cap = (list.length >> 1) + 1;
  const rowids = new Int32Array(ranked ? (cap >> 1) + 1 : cap);
  const scores = ranked ? new Float64Array((cap >> 1) + 1) : null;
  let n = 0;
  let m = 0;
  let num = 0;
  let neg = false;
  let second = false;
  for (let k = 0; k <= list.length; k++) {
    const ch = k < list.length ? list.charCodeAt(k) : 32;
    if (ch === 32) {
      if (k === 0) continue;
      const value = neg ? -num : num;
      if (ranked && second) scores![m++] = value;
      else rowids[n++] = value;
      if (ranked) second = !second;
      num = 0;
      neg = false;
    } else if (ch === 45) neg = true;
    else num = num * 10 + (ch - 48);
  }
  return { rowids: rowids.subarray(0, n), scores: scores ? scores.subarray(0, m) : null };
}

/** Several hit lists (parts of one query) as one. */
export function concatHitLists(parts: HitList[]): HitList {
  const rowids = new Int32Array(parts.reduce((a, p) => a + p.rowids.length, 0));
  const scores = parts[0]?.scores ? new Float64Array(rowids.length) : null;
  let at = 0;
  for (const p of parts) {
    rowids.set(p.rowids, at);
    if (scores && p.scores) scores.set(p.scores, at);
    at += p.rowids.length;
  }
  return { rowids, scores };
}
