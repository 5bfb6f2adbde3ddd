import { describe, expect, it } from 'vitest';
import { canonicalName, parseSdgRef } from './labels.ts';
import { TaggerModel, wordsOf, type BlendParams, type ModelJson, type Seed, type TrainDoc } from './model.ts';

const topics: [string, string[], string][] = [
  ['torture', ['prohibition of torture'], 'Prevent torture and ill-treatment in places of detention and investigate allegations of torture by police'],
  ['education', ['right to education'], 'Ensure free primary education for all children and improve school enrolment of girls'],
  ['women', ['discrimination against women'], 'Combat discrimination against women and adopt legislation on equal pay for women'],
];
const variants = ['Take measures to', 'Continue efforts to', 'Strengthen policies to', 'Redouble efforts to', 'Adopt a plan to', 'Further'];

function corpus(): TrainDoc[] {
  const docs: TrainDoc[] = [];
  for (const [, themes, text] of topics) {
    for (const v of variants) docs.push({ text: `${v} ${text.toLowerCase()}`, labels: { theme: themes, sdg_goal: themes[0] === 'right to education' ? ['4'] : themes[0] === 'discrimination against women' ? ['5'] : ['16'] } });
  }
  return docs;
}

const seeds: Seed[] = [
  { kind: 'sdg_goal', key: '4', text: 'Quality education ضمان التعليم الجيد المنصف والشامل للجميع' },
  { kind: 'sdg_goal', key: '5', text: 'Gender equality تحقيق المساواة بين الجنسين وتمكين كل النساء والفتيات' },
  { kind: 'sdg_goal', key: '16', text: 'Peace, justice and strong institutions السلام والعدل والمؤسسات القوية' },
  { kind: 'theme', key: 'right to education', text: 'Right to education الحق في التعليم' },
];

describe('tagger model', () => {
  const model = TaggerModel.train(corpus(), seeds, { trainedAt: '2026-12-05T00:00:00.000Z' });

  it('suggests the theme and SDG goal of an unseen English text first', () => {
    const p = model.predict('The State should investigate every allegation of torture in detention');
    expect(p.theme[0]!.key).toBe('prohibition of torture');
    expect(p.theme[0]!.chosen).toBe(true);
    expect(p.sdg_goal[0]!.key).toBe('16');
    const e = model.predict('Guarantee access to primary school education for girls');
    expect(e.theme[0]!.key).toBe('right to education');
    expect(e.sdg_goal[0]!.key).toBe('4');
  });

  it('reaches an Arabic text through the bilingual seed texts', () => {
    const p = model.predict('تعزيز المساواة بين الجنسين وتمكين النساء');
    expect(p.sdg_goal[0]!.key).toBe('5');
    const t = model.predict('ضمان الحق في التعليم للجميع');
    expect(t.theme[0]!.key).toBe('right to education');
  });

  it('gives confidences between 0 and 1, best first, and nothing for unknown words', () => {
    const p = model.predict('Prevent torture in police detention');
    for (const s of p.theme) {
      expect(s.confidence).toBeGreaterThanOrEqual(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
    }
    expect(p.theme.map((s) => s.score)).toEqual([...p.theme.map((s) => s.score)].sort((a, b) => b - a));
    expect(model.predict('zzzz qqqq').theme).toEqual([]);
  });

  it('round-trips through JSON with the same predictions', () => {
    const again = TaggerModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    const text = 'Combat discrimination against women in employment';
    expect(again.predict(text).theme.map((s) => [s.key, s.confidence])).toEqual(model.predict(text).theme.map((s) => [s.key, s.confidence]));
    expect(again.trainedAt).toBe('2026-12-05T00:00:00.000Z');
  });

  it('measures confidence leave-one-out: labels the training data confuses get a low confidence', () => {
    // every text about migrant workers is there twice, once as "migrants" and once as "labour": held out, each is
    // answered by the other label
    const places = ['in law', 'in practice', 'nationwide', 'without delay', 'as a priority'];
    const many = (xs: TrainDoc[]) => places.flatMap((p) => xs.map((d) => ({ ...d, text: `${d.text} ${p}` })));
    const ambiguous: TrainDoc[] = variants.flatMap((v) => ['migrants', 'labour'].map((theme) => ({ text: `${v} protect the rights of migrant workers`, labels: { theme: [theme] } })));
    const m = TaggerModel.train([...many(corpus()), ...many(ambiguous)], []);
    const clear = m.predict('Prevent torture in detention').theme[0]!;
    const unclear = m.predict('Protect migrant workers').theme[0]!;
    expect(clear.key).toBe('prohibition of torture');
    expect(['migrants', 'labour']).toContain(unclear.key);
    expect(clear.confidence).toBeGreaterThan(0.75);
    expect(unclear.confidence).toBeLessThan(0.6);
    expect(clear.confidence - unclear.confidence).toBeGreaterThan(0.25);
  });

  it('holds out a whole source document: copies within one document do not vouch for each other', () => {
    // each theme comes from one document only, as five copies of one text
    const places = ['in law', 'in practice', 'nationwide', 'without delay', 'as a priority'];
    const docs = (grouped: boolean): TrainDoc[] =>
      topics.flatMap(([name, themes, text]) => places.map((p) => ({ text: `${text} ${p}`, labels: { theme: themes }, ...(grouped ? { group: `A/HRC/${name}` } : {}) })));
    const query = 'Prevent torture and ill-treatment in places of detention';
    const aloneModel = TaggerModel.train(docs(false), []);
    const alone = aloneModel.predict(query).theme[0]!;
    const grouped = TaggerModel.train(docs(true), []).predict(query).theme[0]!;
    expect(alone.key).toBe('prohibition of torture');
    expect(grouped.key).toBe('prohibition of torture');
    // the document held out: never right
    expect(grouped.confidence).toBe(0);
    // one record held out, the four other copies (other documents now) answer for it: always right, which is what a
    // text that is a copy of them is told; a text that is not is told the precision measured with the copies held out
    // too: never right. Pooled as before copies were told apart, both were told "always".
    const copy = aloneModel.predict(`${topics[0]![2]} everywhere`).theme[0]!;
    expect(copy.key).toBe('prohibition of torture');
    expect(copy.confidence).toBe(1);
    expect(alone.confidence).toBe(0);
    expect(aloneModel.predict(query, 10, true).theme[0]!.confidence).toBe(1);
  });

  it('tells copies apart: a text without a copy in the training data is not vouched for by templates repeated across documents', () => {
    // each topic's text repeated in four documents (two openings each), one document per year: held out by document,
    // every recommendation is answered by its copies in the other documents
    const openings = ['', 'Consider taking steps to '];
    const years = ['2010', '2014', '2019', '2024'];
    const docs: TrainDoc[] = years.flatMap((y) =>
      topics.flatMap(([, themes, text]) => openings.map((o) => ({ text: `${o}${o ? text.charAt(0).toLowerCase() + text.slice(1) : text}`, labels: { theme: themes }, group: `A/HRC/${y}` }))),
    );
    // and enough of them for the copies' own precision (MIN_COPIES)
    const m = TaggerModel.train([...docs, ...docs.map((d) => ({ ...d, group: `${d.group}/Add.1` }))], []);
    const novel = m.predict('Protect detainees from ill-treatment by police').theme[0]!;
    const copy = m.predict(`Consider taking steps to ${topics[0]![2].toLowerCase()}`).theme[0]!;
    expect(novel.key).toBe('prohibition of torture');
    expect(copy.key).toBe('prohibition of torture');
    expect(copy.confidence).toBe(1);
    // with the copies held out, only the other topics' centroids remain: the held-out best label is never right
    expect(novel.confidence).toBe(0);
    expect(m.predict('Protect detainees from ill-treatment by police', 10, true).theme[0]!.confidence).toBe(1);
    // kept by the stored model
    expect(TaggerModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())) as ModelJson).predict('Protect detainees from ill-treatment by police').theme[0]!.confidence).toBe(0);
  });
});

describe('tagger model: the nearest-neighbour part and its blend', () => {
  // ten source documents, each holding every topic once, in a different wording
  const grouped = (): TrainDoc[] => corpus().map((d, i) => ({ ...d, group: `A/HRC/${i % variants.length}` }));

  it('tunes the blend on held-out source documents, from its grids', () => {
    const m = TaggerModel.train([...grouped(), ...grouped().map((d) => ({ ...d, text: `${d.text} without delay` }))], seeds);
    const b = m.blendOf('theme')!;
    expect([0, 0.2, 0.4, 0.5, 0.6, 0.8, 1]).toContain(b.alpha);
    expect([5, 10, 20, 30]).toContain(b.k);
    expect(b.heldOutF1).toBeGreaterThan(0.9);
    expect(m.predict('Investigate allegations of torture by the police').theme[0]!.key).toBe('prohibition of torture');
    // a kind no recommendation carries is not tuned
    expect(m.blendOf('sdg_target')!.heldOutF1).toBeNull();
  });

  it('chooses more labels for a longer text when its blend says so, and reads the relative threshold', () => {
    const docs: TrainDoc[] = [
      ...variants.map((v) => ({ text: `${v} prevent torture in places of detention`, labels: { theme: ['torture'] } })),
      ...variants.map((v) => ({ text: `${v} guarantee free primary education for girls`, labels: { theme: ['education'] } })),
    ];
    const short = 'Prevent torture in detention and guarantee education';
    const long = `${short} ${'and report on it to the committee in the next periodic report with data'.repeat(3)}`;
    expect(wordsOf(long)).toBeGreaterThanOrEqual(45);
    expect(wordsOf('one two\nthree four five')).toBe(3);
    const chosen = (blend: BlendParams, text: string) => TaggerModel.train(docs, [], { blend: { theme: blend } }).predict(text).theme.filter((s) => s.chosen).length;
    // an absolute threshold no second label reaches: one label, whatever the length
    const strict = { alpha: 0, k: 5, tau: 2, heldOutF1: null };
    expect(chosen(strict, short)).toBe(1);
    expect(chosen(strict, long)).toBe(1);
    // lowered by 0.5 per 15 words (up to 45): only the long text reaches its second label
    expect(chosen({ ...strict, tau: 1.01, lengthSlope: 0.3 }, long)).toBe(2);
    expect(chosen({ ...strict, tau: 1.01, lengthSlope: 0.3 }, 'Prevent torture and guarantee education')).toBe(1);
    // a relative threshold: the runner-up is chosen when close enough to the best
    expect(chosen({ ...strict, relative: 0.1 }, short)).toBe(2);
  });

  it('with the neighbours alone, a text votes for the labels of the recommendations most like it', () => {
    const docs: TrainDoc[] = [
      // the centroid of "detention" is pulled towards prisons; a near-copy of the one text about asylum seekers still finds it
      ...variants.map((v) => ({ text: `${v} improve conditions in prisons and reduce overcrowding`, labels: { theme: ['detention'] } })),
      { text: 'End the administrative detention of asylum seekers arriving by boat', labels: { theme: ['detention', 'asylum'] } },
      ...variants.map((v) => ({ text: `${v} protect asylum seekers and refugees at the border`, labels: { theme: ['asylum'] } })),
    ];
    const m = TaggerModel.train(docs, [], { blend: { theme: { alpha: 1, k: 1, tau: 0.5, heldOutF1: null } } });
    const p = m.predict('End the administrative detention of asylum seekers who arrive by boat').theme;
    expect(p.filter((s) => s.chosen).map((s) => s.key).sort()).toEqual(['asylum', 'detention']);
    expect(p[0]!.score).toBeCloseTo(1, 5);
    const centroids = TaggerModel.train(docs, [], { neighbours: false });
    expect(centroids.blendOf('theme')).toBeNull();
    expect(centroids.predict('End the administrative detention of asylum seekers who arrive by boat').theme.filter((s) => s.chosen).map((s) => s.key)).not.toEqual(['asylum', 'detention']);
  });

  it('still reads a model stored before the blend (format 1, centroids only)', () => {
    const m = TaggerModel.train(corpus(), seeds, { neighbours: false, trainedAt: '2026-12-05T00:00:00.000Z' });
    const j = m.toJSON();
    const { knn, ...rest } = j;
    expect(knn).toBeUndefined();
    const old = { ...rest, format: 1 as const, kinds: Object.fromEntries(Object.entries(rest.kinds).map(([k, v]) => [k, { labels: v.labels, support: v.support, centroids: v.centroids, calibration: v.calibration }])) } as typeof j;
    const again = TaggerModel.fromJSON(JSON.parse(JSON.stringify(old)));
    const text = 'Combat discrimination against women in employment';
    // the stored weights are rounded to 6 decimals: the same labels, confidences and choices
    const view = (p: ReturnType<TaggerModel['predict']>) => Object.fromEntries(Object.entries(p).map(([k, xs]) => [k, xs.map((x) => [x.key, x.confidence, x.chosen])]));
    expect(view(again.predict(text))).toEqual(view(m.predict(text)));
    expect(view(m.predict(text)).theme!.length).toBeGreaterThan(0);
  });
});

describe('tagger model: SDG goals through the themes', () => {
  const withGoals = (group: string, goals: boolean): TrainDoc[] =>
    corpus().map((d) => ({ ...d, group, labels: goals ? d.labels : { theme: d.labels.theme ?? [] } }));

  it('gives the themes no weight when no source document but the held-out one links themes to goals', () => {
    const m = TaggerModel.train([...withGoals('A', true), ...withGoals('B', false), ...withGoals('C', false)].flatMap((d) => [d, { ...d, text: `${d.text} without delay` }, { ...d, text: `${d.text} as a priority` }]), seeds);
    expect(m.themeEvidence).toBe(0);
  });

  it('chooses the weight of the themes on held-out source documents when several link them, or takes it as given', () => {
    const docs = ['A', 'B', 'C'].flatMap((g) => withGoals(g, true)).flatMap((d) => [d, { ...d, text: `${d.text} without delay` }]);
    const m = TaggerModel.train(docs, seeds);
    expect([0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8]).toContain(m.themeEvidence);
    expect(m.blendOf('sdg_goal')!.heldOutF1).toBeGreaterThan(0.9);
    expect(TaggerModel.train(docs, seeds, { themeEvidence: 0.5 }).themeEvidence).toBe(0.5);
    expect(TaggerModel.fromJSON(JSON.parse(JSON.stringify(TaggerModel.train(docs, seeds, { themeEvidence: 0.3 }).toJSON()))).themeEvidence).toBe(0.3);
  });
});

describe('tagger model: the SDG prior (target titles and lexicon, no labels)', () => {
  const targets: Seed[] = [
    { kind: 'sdg_target', key: '6.1', text: 'By 2030, achieve universal and equitable access to safe and affordable drinking water for all' },
    { kind: 'sdg_target', key: '16.3', text: 'Promote the rule of law at the national and international levels and ensure equal access to justice for all' },
    { kind: 'sdg_target', key: '4.1', text: 'By 2030, ensure that all girls and boys complete free, equitable and quality primary and secondary education' },
  ];
  // goals 4, 5 and 16 come from labelled recommendations in three source documents; goal 6 from none; two texts name
  // the death penalty and drinking water with a theme only (so that their words are known to the model, linked to no
  // goal: a word seen once is dropped)
  const docs = (): TrainDoc[] => [
    ...['A', 'B', 'C'].flatMap((g) => corpus().map((d) => ({ ...d, group: g }))),
    ...['A', 'B'].map((g) => ({ text: 'Abolish the death penalty and commute all death sentences', group: g, labels: { theme: ['death penalty'] } })),
    ...['A', 'B'].map((g) => ({ text: 'Improve access to safe and affordable drinking water in rural areas', group: g, labels: { theme: ['water'] } })),
  ];
  const fixed = { sdg_goal: { alpha: 0, k: 5, tau: 1.01, heldOutF1: null } };

  it('reaches a goal no recommendation carries through its target titles, only when the prior has weight', () => {
    const text = 'Ensure safe and affordable drinking water for all';
    const withPrior = TaggerModel.train(docs(), targets, { sdgPrior: 0.8, blend: fixed });
    const without = TaggerModel.train(docs(), targets, { sdgPrior: 0, blend: fixed });
    expect(withPrior.sdgPrior).toBe(0.8);
    expect(withPrior.predict(text).sdg_goal[0]!.key).toBe('6');
    expect(without.predict(text).sdg_goal.map((s) => s.key)).not.toContain('6');
    // kept through JSON, with the same suggestions
    const again = TaggerModel.fromJSON(JSON.parse(JSON.stringify(withPrior.toJSON())));
    expect(again.sdgPrior).toBe(0.8);
    expect(again.predict(text).sdg_goal.map((x) => [x.key, x.confidence])).toEqual(withPrior.predict(text).sdg_goal.map((x) => [x.key, x.confidence]));
  });

  it('reads the lexicon phrases of a goal beside its target titles, unless told not to', () => {
    const text = 'Abolish the death penalty';
    const lex = TaggerModel.train(docs(), targets, { sdgPrior: 1, blend: fixed });
    const titlesOnly = TaggerModel.train(docs(), targets, { sdgPrior: 1, blend: fixed, lexicon: false });
    expect(lex.predict(text).sdg_goal[0]!.key).toBe('16');
    expect(titlesOnly.predict(text).sdg_goal.map((s) => s.key)).not.toContain('16');
  });

  it('chooses its weight on held-out source documents from its grid; no SDG target texts, no prior', () => {
    const m = TaggerModel.train(docs(), targets);
    expect([0, 0.2, 0.4, 0.5, 0.6, 0.8, 1]).toContain(m.sdgPrior);
    expect(m.blendOf('sdg_goal')!.heldOutF1).toBeGreaterThan(0.9);
    expect(TaggerModel.train(docs(), seeds).sdgPrior).toBe(0);
    expect(TaggerModel.train(docs(), seeds).toJSON().prior).toBeUndefined();
  });
});

describe('tagger labels', () => {
  it('makes theme names of different list generations one label', () => {
    const a = canonicalName('theme', 'A12 Acceptance of international norms');
    expect(canonicalName('theme', 'Acceptance of international norms')).toBe(a);
    expect(canonicalName('theme', '2.1. Acceptance of international norms')).toBe(a);
    expect(canonicalName('theme', 'E51 Right to education - General')).toBe(canonicalName('theme', 'Right to education'));
    expect(canonicalName('theme', 'Equality & non-discrimination')).toBe('equality and non discrimination');
    expect(canonicalName('affected_person', 'general- human rights defenders')).toBe('human rights defenders');
  });

  it('reads SDG references as targets or bare goals', () => {
    expect(parseSdgRef('16.2 - End abuse, exploitation…')).toEqual({ goal: '16', target: '16.2' });
    expect(parseSdgRef('16')).toEqual({ goal: '16' });
    expect(parseSdgRef('5.a')).toEqual({ goal: '5', target: '5.a' });
    expect(parseSdgRef('Goal 4')).toEqual({ goal: '4' });
    expect(parseSdgRef('Peace')).toBeNull();
  });
});
