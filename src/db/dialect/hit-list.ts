/** Full-text hits as the engines return them. */

/** Row ids of `recommendation_search` (search_rowid), and the relevance of each when ranked (higher is better). */
export interface HitList {
  rowids: Int32Array;
  scores: Float64Array | null;
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
