import { describe, expect, it } from 'vitest';
import { BridgedNeighbours, estimateBridge, keyIndex, matchingEvidence, normalisedText, textKeys, type EvidenceDoc } from './bridge.ts';
import { TaggerModel, type TrainDoc } from './model.ts';
import { inVocabulary, tuneVocabulary, type Evidence } from './vocabulary.ts';

const evidence: EvidenceDoc[] = [
  { text: 'Ratify the Optional Protocol to the Convention against Torture', issues: ['torture'], group: 'UPR/x/S1' },
  { text: 'Prevent torture in places of detention and investigate allegations of torture by the police', issues: ['torture', 'detention'], group: 'UPR/x/S1' },
  { text: 'Ensure free primary education for all girls in rural areas', issues: ['education', 'women'], group: 'UPR/y/S2' },
  { text: 'Improve school enrolment of girls and free primary education', issues: ['education'], group: 'UPR/y/S2' },
  { text: 'Investigate every allegation of torture by police officers in detention', issues: ['torture'], group: 'UPR/z/S3' },
];

describe('tagger: another source as evidence through a bridge', () => {
  it('matches copies by their letters only, and the pieces of a record joining several recommendations', () => {
    expect(normalisedText('Ratify the ICCPR, (2) now!')).toBe(normalisedText('ratify   the iccpr now'));
    expect(normalisedText('Ratify the ICCPR')).not.toBe(normalisedText('Ratify the ICESCR'));
    const keys = textKeys('Ratify the Optional Protocol to the Convention against Torture (Denmark); Ensure free primary education for all girls in rural areas');
    expect(keys).toContain(normalisedText('Ratify the Optional Protocol to the Convention against Torture'));
    expect(keys).toContain(normalisedText('Ensure free primary education for all girls in rural areas'));
    // short pieces (a state's name, a conjunction) are not keys
    expect(textKeys('Ratify it (Chile); and')).toEqual([normalisedText('Ratify it (Chile); and')]);
    const index = keyIndex(evidence);
    expect([...matchingEvidence(['RATIFY the optional protocol to the convention against torture.'], index)]).toEqual([0]);
  });

  it('counts P(name | issue) over the recommendations both sources carry, leaving the excluded ones out', () => {
    const index = keyIndex(evidence);
    const docs = [
      { text: 'Ratify the Optional Protocol to the Convention against Torture (Denmark)', names: ['acceptance of international norms', 'prohibition of torture'] },
      { text: 'Prevent torture in places of detention and investigate allegations of torture by the police', names: ['prohibition of torture'] },
      { text: 'Ensure free primary education for all girls in rural areas', names: ['right to education'] },
      { text: 'A text no other source has', names: ['right to health'] },
    ];
    const bridge = estimateBridge(docs, evidence, index);
    // torture: two pairs, both with "prohibition of torture", one with "acceptance of international norms"
    expect(bridge.get('torture')!.get('prohibition of torture')).toBe(1);
    expect(bridge.get('torture')!.get('acceptance of international norms')).toBe(0.5);
    expect(bridge.get('detention')!.get('prohibition of torture')).toBe(1);
    expect(bridge.get('women')!.get('right to education')).toBe(1);
    expect([...bridge.values()].some((m) => m.has('right to health'))).toBe(false);
    const excluded = new Uint8Array(evidence.length);
    excluded[0] = 1;
    const without = estimateBridge(docs, evidence, index, excluded);
    expect(without.get('torture')!.get('prohibition of torture')).toBe(1);
    expect(without.get('torture')!.has('acceptance of international norms')).toBe(false);
  });

  it("scores names from the nearest evidence recommendations' issues through the bridge, excluded neighbours left out", () => {
    const nn = new BridgedNeighbours(evidence);
    const bridge = new Map([
      ['torture', new Map([['prohibition of torture', 1]])],
      ['detention', new Map([['conditions of detention', 1]])],
      ['education', new Map([['right to education', 1]])],
    ]);
    const text = 'Investigate allegations of torture by the police in detention';
    const near = nn.neighbours(text);
    expect([...near.ids].slice(0, 2).sort()).toEqual([1, 4]);
    const k1 = nn.scores(text, bridge, 1);
    const top = near.ids[0]!;
    // one neighbour, all the similarity: its issues' names, each issue counting 1 / (number of its issues)
    expect(k1.get('prohibition of torture')).toBeCloseTo(top === 1 ? 0.5 : 1, 9);
    expect(k1.has('right to education')).toBe(false);
    // the nearest left out: the next one answers
    const excluded = new Uint8Array(evidence.length);
    excluded[top] = 1;
    const other = top === 1 ? 4 : 1;
    const k1x = nn.scores(text, bridge, 1, excluded);
    expect(k1x.get('prohibition of torture')).toBeCloseTo(other === 1 ? 0.5 : 1, 9);
    expect(k1x.has('conditions of detention')).toBe(other === 1);
    // weighted by similarity over k neighbours: shares sum to at most 1 per name
    const k3 = nn.scores(text, bridge, 3);
    for (const v of k3.values()) expect(v).toBeLessThanOrEqual(1 + 1e-9);
    expect(k3.get('prohibition of torture')!).toBeGreaterThan(k3.get('right to education') ?? 0);
  });

  it('blends the evidence into the ranking that is mapped when the bridge weight says so', () => {
    const docs: TrainDoc[] = ['A', 'B'].flatMap((group) => [
      { text: 'Prevent torture in places of detention', group, labels: { theme: ['prohibition of torture'] } },
      { text: 'Ensure free primary education for girls', group, labels: { theme: ['right to education'] } },
    ]);
    const model = TaggerModel.train(docs, []);
    const targets = ['prohibition of torture', 'right to education', 'right to health'];
    // the evidence points at a name the model never learned: only through the bridge can it rank
    const ev: Evidence = () => new Map([['right to health', 1]]);
    const p = { lambda: 1, cutoff: 1.01, tau: 0.9 };
    const text = 'Ensure access to primary health care for girls';
    expect(inVocabulary(model, { theme: targets }, { theme: p }, docs, ev)(text).theme.map((s) => s.key)).not.toContain('right to health');
    const withBridge = inVocabulary(model, { theme: targets }, { theme: { ...p, bridge: 0.75 } }, docs, ev)(text).theme;
    expect(withBridge[0]!.key).toBe('right to health');
    expect(withBridge[0]!.chosen).toBe(true);
  }, 60_000);

  it('gives the tuning the documents held out in each fold, and chooses the bridge only where it helps there', () => {
    const lists = ['A', 'B', 'C'];
    const docs: TrainDoc[] = lists.flatMap((group) =>
      ['Take measures to', 'Continue efforts to', 'Strengthen policies to', 'Redouble efforts to', 'Adopt a plan to', 'Further', 'Ensure', 'Consider'].flatMap((v) => [
        { text: `${v} prevent torture in places of detention`, group, labels: { theme: ['prohibition of torture'] } },
        { text: `${v} ensure primary education in ${{ A: 'western towns', B: 'central cities', C: 'coastal areas' }[group]}`, group, labels: { theme: ['right to education'] } },
        // each list words these its own way, so a model trained on the other lists cannot tell them apart from the
        // plain education texts: only the evidence knows that they are also about women
        { text: `${v} ensure primary education in ${{ A: 'northern villages', B: 'southern provinces', C: 'eastern counties' }[group]}`, group, labels: { theme: ['right to education', 'women'] } },
      ]),
    );
    const heldSeen: string[][] = [];
    const helpful = (train: readonly TrainDoc[], held: readonly TrainDoc[]): Evidence => {
      heldSeen.push([...new Set(held.map((d) => d.group!))]);
      expect(train.some((d) => held.includes(d))).toBe(false);
      return (text, kind) => new Map(kind === 'theme' && /villages|provinces|counties/.test(text) ? [['women', 1]] : []);
    };
    const tuning = tuneVocabulary(docs, (d) => TaggerModel.train(d, []), 5, helpful);
    expect(heldSeen).toEqual([['A'], ['B'], ['C']]);
    expect(tuning!.params.theme!.bridge).toBeGreaterThan(0);
    // evidence that only misleads is not chosen
    const misleading = () => ((text: string) => new Map(/torture/.test(text) ? [['right to education', 1]] : [])) as Evidence;
    expect(tuneVocabulary(docs, (d) => TaggerModel.train(d, []), 5, misleading)!.params.theme!.bridge).toBeUndefined();
  }, 120_000);
});
