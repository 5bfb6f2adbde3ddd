import { describe, expect, it } from 'vitest';
import { suggestClusters, type ClusterInput } from './cluster-algorithm.ts';

const TOPICS = ['torture prevention detention', 'freedom of expression journalists', 'domestic workers labour protection', 'statelessness nationality children', 'death penalty moratorium abolition', 'women discrimination personal status'];

/** `n` English texts: each topic's demand in a few wordings, with a running number so that no two are the same. */
function texts(n: number): ClusterInput[] {
  return Array.from({ length: n }, (_, k) => {
    const topic = TOPICS[k % TOPICS.length]!;
    return { id: `r${String(k).padStart(5, '0')}`, text_en: `Take measures on ${topic} and ensure ${topic.split(' ')[k % 3]} in law and practice, item ${k}`, text_ar: null, text_fr: null };
  });
}

describe('suggestClusters', () => {
  it('groups texts of one demand, and lets the event loop turn before its first comparison', async () => {
    // the steps before the comparisons (terms, frequencies, vectors, index) ran in one stretch: at 250,000 about 20 s
    // during which the server answered no one; here, the loop must turn during them (it did not before)
    let turns = 0;
    let counting = true;
    const spin = () => {
      if (!counting) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    let turnsAtFirstProgress = -1;
    const clusters = await suggestClusters(texts(6000), {
      onProgress: () => {
        if (turnsAtFirstProgress < 0) turnsAtFirstProgress = turns;
      },
    });
    counting = false;
    expect(turnsAtFirstProgress).toBeGreaterThan(1);
    expect(clusters.length).toBeGreaterThan(0);
    // every cluster holds one topic's texts only
    for (const c of clusters) expect(new Set(c.members.map((id) => Number(id.slice(1)) % TOPICS.length)).size).toBe(1);
  });
});
