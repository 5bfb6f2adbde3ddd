import { describe, expect, it } from 'vitest';
import { TaggerModel, type TrainDoc } from './model.ts';
import { LinearTagger } from './linear.ts';
import { blendLinear, inVocabulary, labelSimilarity, ListVotes, mapSuggestions, tuneVocabulary, vocabularyOf } from './vocabulary.ts';

const variants = ['Take measures to', 'Continue efforts to', 'Strengthen policies to', 'Redouble efforts to', 'Adopt a plan to', 'Further'];
const topics: [string, string][] = [
  ['prevent torture and ill-treatment in places of detention and investigate allegations of torture by police', 'prohibition of torture'],
  ['ensure free primary education for all children and improve school enrolment of girls', 'right to education'],
  ['combat gender-based violence and domestic violence against women and protect victims', 'violence against women'],
];
// an older generation names its themes one way, a newer one another way
const NEWER: Record<string, string> = { 'prohibition of torture': 'prohibition of torture and cruel inhuman or degrading treatment', 'right to education': 'right to education', 'violence against women': 'sexual and gender based violence' };
const list = (gen: 'old' | 'new', group: string): TrainDoc[] =>
  topics.flatMap(([text, theme]) => variants.map((v) => ({ text: `${v} ${text}`, group, labels: { theme: [gen === 'old' ? theme : NEWER[theme]!] } })));

describe('tagger: labels mapped onto a list of another generation', () => {
  const model = TaggerModel.train([...list('old', 'A'), ...list('old', 'B')], []);
  const targets = Object.values(NEWER);

  it('relates differently named labels through their words and through the model', () => {
    const sim = labelSimilarity(model, 'theme', targets);
    const best = (s: string) => [...(sim.get(s) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1])[0]![0];
    expect(best('prohibition of torture')).toBe(NEWER['prohibition of torture']);
    expect(best('violence against women')).toBe(NEWER['violence against women']);
    expect(sim.get('right to education')!.get('right to education')).toBeGreaterThan(0.9);
  });

  it('suggests only the target names, the nearest first', () => {
    const predict = inVocabulary(model, { theme: targets }, { theme: { lambda: 1, cutoff: 0.3, tau: 0.9 } });
    const p = predict('Investigate every allegation of torture in police detention').theme;
    expect(p[0]!.key).toBe(NEWER['prohibition of torture']);
    expect(p[0]!.chosen).toBe(true);
    for (const s of p) expect(targets).toContain(s.key);
    // with the mapping cut off, only labels named alike in both remain
    const strict = mapSuggestions(model.predict('Investigate every allegation of torture in police detention', 30).theme, new Set(targets), labelSimilarity(model, 'theme', targets), { lambda: 1, cutoff: 1.01, tau: 0.9 });
    expect(strict.map((s) => s.key)).not.toContain(NEWER['prohibition of torture']);
  });

  it('reads a target name against the text, so a name no training label maps to is still reached', () => {
    // "police custody" is used by no training list and, with the mapping cut off, reached from no trained label
    const extra = [...targets, 'police custody'];
    const sim = labelSimilarity(model, 'theme', extra);
    const text = 'Prevent torture in police detention';
    const ranked = model.predict(text, 30).theme;
    const p = { lambda: 1, cutoff: 1.01, tau: 0.3 };
    const names = new Map([['police custody', 0.6]]);
    expect(mapSuggestions(ranked, new Set(extra), sim, p, 10, { names }).map((s) => s.key)).not.toContain('police custody');
    expect(mapSuggestions(ranked, new Set(extra), sim, { ...p, nameWeight: 1 }, 10, { names }).map((s) => s.key)).toContain('police custody');
    // through the predictor, the cosine is the model's own reading of the name (its word "police" is a trained term)
    const predict = inVocabulary(model, { theme: extra }, { theme: { ...p, nameWeight: 1 } });
    expect(predict(text).theme.filter((s) => s.chosen).map((s) => s.key)).toContain('police custody');
    expect(inVocabulary(model, { theme: extra }, { theme: p })(text).theme.map((s) => s.key)).not.toContain('police custody');
  });

  it("reaches a target name through the other kind's labels, with crossKind, never as the name itself", () => {
    const ranked = [{ key: 'equality', score: 0.9, confidence: 0.9, chosen: true }];
    const cross = { ranked: [{ key: 'minorities', score: 0.8, confidence: 0.8, chosen: true }], sim: new Map([['minorities', new Map([['members of minorities', 0.7]])]]) };
    const t = new Set(['equality', 'members of minorities', 'minorities']);
    const own = new Map<string, Map<string, number>>();
    const p = { lambda: 1, cutoff: 0.5, tau: 0.5 };
    const keys = (q: object) => mapSuggestions(ranked, t, own, { ...p, ...q }, 10, { cross }).map((s) => [s.key, s.score, s.chosen]);
    expect(keys({})).toEqual([['equality', 0.9, true]]);
    // 0.8 · 0.7 = 0.56, at 0.62 of the best: chosen; the other kind's "minorities" is not offered as the theme of that name
    expect(keys({ crossKind: 1 })).toEqual([['equality', 0.9, true], ['members of minorities', expect.closeTo(0.56, 9), true]]);
    expect(keys({ crossKind: 0.5 })).toEqual([['equality', 0.9, true], ['members of minorities', expect.closeTo(0.28, 9), false]]);
    expect(keys({ crossKind: 1, cutoff: 0.8 })).toEqual([['equality', 0.9, true]]);
  });

  it('maps the other kind through the predictor, with their similarity to the names measured from that kind', () => {
    const affected: Record<string, string> = { 'prohibition of torture': 'persons deprived of their liberty', 'right to education': 'children', 'violence against women': 'women' };
    const docs = [...list('old', 'A'), ...list('old', 'B')].map((d) => ({ ...d, labels: { ...d.labels, affected_person: [affected[d.labels.theme![0]!]!] } }));
    const m = TaggerModel.train(docs, []);
    // a list that uses "children" as a theme (as China 2013 uses "girls"): no theme of the training lists is near enough
    const extra = [...targets, 'children'];
    const crossSim = labelSimilarity(m, 'theme', extra, 'affected_person');
    expect(crossSim.get('children')!.get('children')).toBeGreaterThan(0.9);
    const text = 'Ensure free primary education for all children';
    const p = { lambda: 1, cutoff: 0.6, tau: 0.3 };
    expect(inVocabulary(m, { theme: extra }, { theme: p })(text).theme.map((s) => s.key)).not.toContain('children');
    const withCross = inVocabulary(m, { theme: extra }, { theme: { ...p, crossKind: 1 } })(text).theme;
    expect(withCross.filter((s) => s.chosen).map((s) => s.key)).toContain('children');
    const pred = m.predict(text, 30);
    expect(withCross).toEqual(mapSuggestions(pred.theme, new Set(extra), labelSimilarity(m, 'theme', extra), { ...p, crossKind: 1 }, 10, { names: new Map(), words: 7, cross: { ranked: pred.affected_person, sim: crossSim } }));
  });

  it('chooses by an absolute score too, and more names for a longer text', () => {
    const ranked = [
      { key: 'a', score: 0.9, confidence: 0.9, chosen: true },
      { key: 'b', score: 0.5, confidence: 0.5, chosen: false },
    ];
    const t = new Set(['a', 'b']);
    const sim = new Map<string, Map<string, number>>();
    const chosen = (p: object, words = 0) => mapSuggestions(ranked, t, sim, { lambda: 1, cutoff: 1.01, tau: 0.9, ...p }, 10, { words }).filter((s) => s.chosen).map((s) => s.key);
    expect(chosen({})).toEqual(['a']);
    expect(chosen({ absolute: 0.5 })).toEqual(['a', 'b']);
    expect(chosen({ lengthSlope: 0.1 }, 30)).toEqual(['a']);
    // b is at 0.556 of the best: tau 0.9 lowered to 0.7 (30 words, slope 0.1) misses it, to 0.45 (45 words or more, 0.15) reaches it
    expect(chosen({ lengthSlope: 0.15 }, 60)).toEqual(['a', 'b']);
    expect(chosen({ lengthSlope: 0.15 }, 15)).toEqual(['a']);
  });

  it('chooses its settings by holding out each training list in its own names', () => {
    const docs = [...list('old', 'A'), ...list('new', 'B'), ...list('old', 'C')];
    const tuning = tuneVocabulary(docs, (d) => TaggerModel.train(d, []))!;
    expect(tuning.folds).toBe(3);
    const t = tuning.params.theme!;
    expect(t.cutoff).toBeLessThanOrEqual(1);
    expect(t.heldOutF1).toBeGreaterThan(0.9);
    expect(t.n).toBe(docs.length);
    expect(vocabularyOf(list('new', 'B')).theme.sort()).toEqual([...targets].sort());
    // one source document: nothing to hold out
    expect(tuneVocabulary(list('old', 'A'), (d) => TaggerModel.train(d, []))).toBeNull();
  });

  it('lets each training list vote in its own names, so a name only one list uses is not diluted by the others', () => {
    const docs = [...list('old', 'A'), ...list('old', 'B'), ...list('new', 'C')];
    const m = TaggerModel.train(docs, []);
    const text = 'Prevent torture in police detention and investigate every allegation';
    const votes = new ListVotes(m, docs).votes('theme', m.vector(text));
    // every list's nearest recommendations carry their own name for torture: each name gets the whole vote of the
    // lists that use it (one list for the newer name, two for the older one)
    expect(votes.get(NEWER['prohibition of torture']!)).toBeCloseTo(votes.get('prohibition of torture')!, 6);
    expect(votes.get(NEWER['prohibition of torture']!)!).toBeGreaterThan(0.5);
    // a model's own neighbour vote over all three lists gives the newer name only C's share
    const own = m.predict(text, 30).theme;
    expect(own.find((s) => s.key === NEWER['prohibition of torture'])!.score).toBeLessThan(own.find((s) => s.key === 'prohibition of torture')!.score);
    // blended into the mapped scores, the vote lifts the newer name; without the training documents it is not used
    const targets = Object.values(NEWER);
    const p = { lambda: 0.5, cutoff: 1.01, tau: 0.95, listVote: 0.75 };
    const withVotes = inVocabulary(m, { theme: targets }, { theme: p }, docs)(text).theme;
    expect(withVotes[0]!.key).toBe(NEWER['prohibition of torture']);
    expect(withVotes[0]!.score).toBeGreaterThan(0.75 * 0.5);
    const without = inVocabulary(m, { theme: targets }, { theme: p })(text).theme;
    expect(without[0]!.score).toBeLessThan(withVotes[0]!.score);
  });

  it('sums the mapped scores of a name when told to, so a name related to several suggested labels collects from each', () => {
    const ranked = [
      { key: 'racial discrimination', score: 0.6, confidence: 0.6, chosen: true },
      { key: 'discrimination against women', score: 0.5, confidence: 0.5, chosen: false },
      { key: 'right to education', score: 0.55, confidence: 0.5, chosen: false },
    ];
    const t = new Set(['equality and non discrimination', 'right to education']);
    const sim = new Map([
      ['racial discrimination', new Map([['equality and non discrimination', 0.8]])],
      ['discrimination against women', new Map([['equality and non discrimination', 0.8]])],
    ]);
    const p = { lambda: 1, cutoff: 0.5, tau: 0.9 };
    const max = mapSuggestions(ranked, t, sim, p);
    expect(max[0]).toMatchObject({ key: 'right to education', score: 0.55 });
    expect(max[1]!.score).toBeCloseTo(0.48, 6);
    const sum = mapSuggestions(ranked, t, sim, { ...p, aggregate: 'sum' });
    expect(sum[0]!.key).toBe('equality and non discrimination');
    expect(sum[0]!.score).toBeCloseTo(0.6 * 0.8 + 0.5 * 0.8, 6);
  });
  it('blends a regression\'s probabilities into the ranking that is mapped, when its weight says so', () => {
    const ranked = [
      { key: 'a', score: 0.8, confidence: 0.7, chosen: true },
      { key: 'b', score: 0.4, confidence: 0.3, chosen: false },
    ];
    const probs = new Map([
      ['a', 0.1],
      ['b', 0.5],
      ['c', 0.25],
    ]);
    expect(blendLinear(ranked, probs, 0)).toEqual(ranked);
    const half = blendLinear(ranked, probs, 0.5);
    // a: 0.5·0.8/0.8 + 0.5·0.1/0.5 = 0.6; b: 0.5·0.4/0.8 + 0.5·1 = 0.75; c (regression only): 0.5·0.5 = 0.25
    expect(half.map((s) => s.key)).toEqual(['b', 'a', 'c']);
    expect(half.map((s) => s.score)).toEqual([0.75, 0.6, 0.25].map((x) => expect.closeTo(x, 9) as unknown as number));
    expect(half.find((s) => s.key === 'a')!.confidence).toBe(0.7);
    expect(half.find((s) => s.key === 'c')!.confidence).toBe(0);
    expect(blendLinear(ranked, probs, 0.5, 2)).toHaveLength(2);
    // raw: the probabilities as they are (a: 0.5 + 0.05, b: 0.25 + 0.25, c: 0.125)
    const raw = blendLinear(ranked, probs, 0.5, 30, true);
    expect(raw.map((s) => s.key)).toEqual(['a', 'b', 'c']);
    expect(raw.map((s) => s.score)).toEqual([0.55, 0.5, 0.125].map((x) => expect.closeTo(x, 9) as unknown as number));
  });

  it('ranks by the regression trained on the training documents when the settings give it all the weight', () => {
    const docs = [...list('old', 'A'), ...list('old', 'B')];
    const m = TaggerModel.train(docs, []);
    const targets = [...new Set(topics.map(([, t]) => t))];
    const text = 'Ensure that girls enrol in primary school and are not subjected to violence at home';
    const lr = LinearTagger.train(docs, 'theme').scores(text);
    const lrBest = [...lr].sort((a, b) => b[1] - a[1])[0]![0];
    const p = { lambda: 1, cutoff: 1.01, tau: 0.9 };
    const only = inVocabulary(m, { theme: targets }, { theme: { ...p, linear: 1 } }, docs)(text).theme;
    expect(only[0]!.key).toBe(lrBest);
    expect(only[0]!.score).toBeCloseTo(1, 9);
    for (const s of only) expect(s.score).toBeCloseTo(lr.get(s.key)! / lr.get(lrBest)!, 9);
    // without the training documents there is no regression: the model's own ranking
    const plain = inVocabulary(m, { theme: targets }, { theme: { ...p, linear: 1 } })(text).theme;
    expect(plain.map((s) => s.score)).toEqual(m.predict(text, 30).theme.filter((s) => targets.includes(s.key)).map((s) => s.score));
  });
});
