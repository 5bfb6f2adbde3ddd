/**
 * Tagger evaluation and speed (issue 17). Prints one JSON object:
 * - leave_one_list_out: for each of the five OHCHR thematic lists in shared/data, train on the four others (plus the
 *   SDG texts) and test on it; per kind micro/macro-F1, precision@3, coverage, beside the two baselines (the two most
 *   frequent labels; TF-IDF 10 nearest neighbours), and the figures pooled over the five folds;
 * - upr_info_time_split: UPR Info issues (as themes), sessions 1–15 → 16–20;
 * - speed: training on 50,000 labelled recommendations (synthesised by sampling real UPR Info texts with their real
 *   issues, since no 50,000-record labelled set is at hand), then suggestions for 1,000 recommendations with the
 *   model reloaded from its JSON, each in a fresh process (bench/tagger-train-child.ts) whose peak RSS is the
 *   operating system's; the centroid-only model (before the blend) is timed in the same run for a ratio.
 *
 * - suggest_app_path: the import preview's suggestion call for 1,000 texts through the app's service, on a fresh SQLite
 *   database holding the five lists and the UPR Info export (wall clock, processor time, longest event-loop delay).
 *
 * - linear_study (only with --only linear): logistic regression blended with the model, chosen by inner cross-validation.
 * - reliability (with the UPR split, and with --only reliability per leave-one-list-out fold, without the mapping):
 *   whether the confidences shown match how often the suggestions kept are right: one pooled calibration against the
 *   model's bands by nearness (RELIABILITY_BANDS=1: the figures split by the text's nearest similarity).
 *
 *   npm run bench -- tagger [--only lolo|upr|speed|suggest|linear|conventions|reliability] [--skip-upr] [--skip-scale] [--runs N]
 *     [--theme-evidence W] [--sdg-prior W] [--no-lexicon]   (forced weights / the SDG prior without the lexicon)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { importRecords, parseFile, type ImportRecord } from '../src/imports/index.ts';
import { forgetCachedModel, suggestForTexts, trainAndSuggest } from '../src/tagging/tagging.service.ts';
import { docFromRecord, errorsOfDocs, evaluateDocs, knnBaseline, labelNameSeeds, mostFrequentBaseline, reliabilityOf, sdgSeedsFromYaml, type EvalReport } from '../src/tagging/evaluation.ts';
import { TAG_KINDS, type TagKind } from '../src/tagging/labels.ts';
import { LinearTagger } from '../src/tagging/linear.ts';
import { COPY_SIM, TaggerModel, type ModelJson, type Suggestion, type TrainDoc } from '../src/tagging/model.ts';
import { inVocabulary, restrictedTo, tuneVocabulary, vocabularyOf } from '../src/tagging/vocabulary.ts';

const { values: args } = parseArgs({ options: { threshold: { type: 'string' }, 'theme-evidence': { type: 'string' }, 'sdg-prior': { type: 'string' }, 'no-lexicon': { type: 'boolean' }, 'skip-upr': { type: 'boolean' }, 'skip-scale': { type: 'boolean' }, only: { type: 'string' }, runs: { type: 'string' } } });
const dataDir = process.env.RASD_SHARED_DATA ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');
const log = (m: string) => process.stderr.write(`${m}\n`);

async function records(format: 'ohchr-docx' | 'upr-info-csv', file: string): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  for await (const r of await parseFile(format, file, { worker: false })) out.push(r);
  return out;
}

const trainOpts = { ...(args.threshold ? { threshold: Number(args.threshold) } : {}), ...(args['theme-evidence'] ? { themeEvidence: Number(args['theme-evidence']) } : {}), ...(args['sdg-prior'] ? { sdgPrior: Number(args['sdg-prior']) } : {}), ...(args['no-lexicon'] ? { lexicon: false } : {}) };
const seeds = sdgSeedsFromYaml(path.join(dataDir, 'sdg'));
const LISTS = ['slovenia-cycle2-UPR20.docx', 'slovenia-cycle3-UPR34.docx', 'china-cycle2-2013-matrix.docx', 'china-cycle3-2018-matrix.docx', 'egypt-cycle2-matrix.docx'];
const KINDS = ['sdg_goal', 'sdg_target', 'theme', 'affected'] as const;

/** Figures pooled over folds: sums weighted by each fold's n. */
function pooled(reports: EvalReport[]) {
  const out: Record<string, Record<string, number>> = {};
  for (const k of KINDS) {
    const n = reports.reduce((a, r) => a + r[k].n, 0);
    const w = (f: 'micro_f1' | 'macro_f1' | 'p_at_3' | 'coverage') => (n ? Math.round((reports.reduce((a, r) => a + r[k][f] * r[k].n, 0) / n) * 1000) / 1000 : null);
    out[k] = { n, micro_f1: w('micro_f1')!, macro_f1: w('macro_f1')!, p_at_3: w('p_at_3')!, coverage: w('coverage')! };
  }
  return out;
}

/** The blend settings the model chose on its own training data (held-out source documents), per kind. */
const blendSettings = (m: TaggerModel) => Object.fromEntries(TAG_KINDS.map((k) => [k, m.blendOf(k)]));

const result: Record<string, unknown> = {};
// TAGGER_BENCH_CACHE=DIR: the parsed lists and the trained models kept there between runs (a study's re-runs; the
// models are deterministic functions of their training documents, seeds and options, which key them)
const cacheDir = process.env.TAGGER_BENCH_CACHE;
if (cacheDir) fs.mkdirSync(cacheDir, { recursive: true });
const lists: { name: string; docs: TrainDoc[] }[] = [];
const listsCache = cacheDir ? path.join(cacheDir, 'lists.json') : null;
if (listsCache && fs.existsSync(listsCache)) lists.push(...(JSON.parse(fs.readFileSync(listsCache, 'utf8')) as typeof lists));
else for (const f of LISTS) lists.push({ name: f, docs: (await records('ohchr-docx', path.join(dataDir, 'ohchr-thematic-lists', f))).map((r) => docFromRecord(r)) });
if (listsCache && !fs.existsSync(listsCache)) fs.writeFileSync(listsCache, JSON.stringify(lists));
/** TaggerModel.train on the docs with the SDG seeds and the names they use, read from the cache when kept there */
function trainModel(docs: readonly TrainDoc[]): TaggerModel {
  const train = () => TaggerModel.train(docs, [...seeds, ...labelNameSeeds(docs)], trainOpts);
  if (!cacheDir) return train();
  const key = createHash('sha1').update(JSON.stringify([docs, seeds.length, trainOpts])).digest('hex');
  const file = path.join(cacheDir, `model-${key}.json`);
  if (fs.existsSync(file)) return TaggerModel.fromJSON(JSON.parse(fs.readFileSync(file, 'utf8')) as ModelJson);
  const m = train();
  fs.writeFileSync(file, JSON.stringify(m.toJSON()));
  return m;
}

/**
 * Whether the confidences shown tell how often suggestions are right: per kind, the suggestions the app keeps, with
 * every confidence from the one pooled calibration (the model before the bands) and from the bands by nearness (as
 * suggested now), in all and split by whether the text has a copy in the training data (or, with RELIABILITY_BANDS,
 * by its nearest similarity in fifths).
 */
function reliabilityReport(m: TaggerModel, test: readonly TrainDoc[], kinds: readonly TagKind[]) {
  return Object.fromEntries(
    kinds.map((kind) => {
      const regime = (t: string) => {
        const sim = m.nearestSimilarity(kind, t) ?? 0;
        return sim >= COPY_SIM ? 'copy' : process.env.RELIABILITY_BANDS ? `nearest ${Math.floor(sim * 5) / 5}` : 'novel';
      };
      return [kind, { pooled: reliabilityOf(test, (t) => m.predict(t, 10, true), kind, regime), by_band: reliabilityOf(test, (t) => m.predict(t), kind, regime) }];
    }),
  );
}

if (args.only === 'reliability') {
  const folds: Record<string, unknown>[] = [];
  for (const test of lists) {
    const m = trainModel(lists.filter((l) => l !== test).flatMap((l) => l.docs));
    const r = reliabilityReport(m, test.docs, ['theme', 'affected_person', 'sdg_goal']);
    folds.push({ test: test.name, ...r });
    log(`reliability ${test.name}: ${JSON.stringify(r)}`);
  }
  result.reliability_leave_one_list_out = folds;
}

if (!args.only || args.only === 'lolo') {
  const folds: Record<string, unknown>[] = [];
  const model: EvalReport[] = [];
  const inNames: EvalReport[] = [];
  const knnInNames: EvalReport[] = [];
  const top2: EvalReport[] = [];
  const knn: EvalReport[] = [];
  for (const test of lists) {
    const train = lists.filter((l) => l !== test).flatMap((l) => l.docs);
    const m = trainModel(train);
    const tuning = tuneVocabulary(train, trainModel);
    const vocabPredict = inVocabulary(m, vocabularyOf(test.docs), tuning?.params ?? {}, train);
    const r = { model: evaluateDocs(test.docs, (t) => m.predict(t)), model_in_list_names: evaluateDocs(test.docs, vocabPredict), two_most_frequent: evaluateDocs(test.docs, mostFrequentBaseline(train)), tfidf_knn: evaluateDocs(test.docs, knnBaseline(train)), tfidf_knn_in_list_names: evaluateDocs(test.docs, restrictedTo(knnBaseline(train), vocabularyOf(test.docs))) };
    model.push(r.model);
    inNames.push(r.model_in_list_names);
    top2.push(r.two_most_frequent);
    knn.push(r.tfidf_knn);
    knnInNames.push(r.tfidf_knn_in_list_names);
    // error analysis: which labels are missed or wrongly chosen, and how many are chosen per record against the gold
    const errors = errorsOfDocs(test.docs, vocabPredict);
    folds.push({ test: test.name, train_docs: train.length, blend: blendSettings(m), theme_evidence: m.themeEvidence, sdg_prior: m.sdgPrior, vocabulary: tuning, ...r, errors_in_list_names: errors });
    for (const [kind, e] of Object.entries(errors)) log(`  errors ${kind}: gold/record ${e.gold_per_record} chosen/record ${e.chosen_per_record}; missed ${JSON.stringify(e.missed.slice(0, 6))}; wrong ${JSON.stringify(e.wrong.slice(0, 6))}; confused ${JSON.stringify(e.confused.slice(0, 4))}`);
    log(`fold ${test.name}: theme micro-F1 ${r.model.theme.micro_f1} in list names ${r.model_in_list_names.theme.micro_f1} affected ${r.model.affected.micro_f1}/${r.model_in_list_names.affected.micro_f1} ${JSON.stringify(tuning?.params)} (knn ${r.tfidf_knn.theme.micro_f1}), sdg goal ${r.model.sdg_goal.micro_f1} n=${r.model.sdg_goal.n} (prior weight ${m.sdgPrior}, evidence ${m.themeEvidence}, blend ${JSON.stringify(m.blendOf('sdg_goal'))})`);
  }
  result.leave_one_list_out = { pooled: { model: pooled(model), model_in_list_names: pooled(inNames), two_most_frequent: pooled(top2), tfidf_knn: pooled(knn), tfidf_knn_in_list_names: pooled(knnInNames) }, folds };
}

if (args.only === 'linear') {
  // Study: one-vs-rest logistic regression (SGD, word + character 4-gram TF-IDF) blended with the model, themes, in
  // the model's own names. The candidates (the model as it is; score = (1 − beta)·model / best + beta·regression /
  // best with beta 0.25…1 and a threshold tau relative to the best) are compared by cross-validation inside the four
  // training lists (each held out in turn, model and regression trained on the other three); the winner is then
  // measured on the fifth list.
  const BETAS = [0.25, 0.5, 0.75, 1];
  const TAU = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01];
  type Case = { gold: Set<string>; model: Suggestion[]; lr: Map<string, number> };
  const chooseBlend = (c: Case, beta: number, tau: number) => {
    const top = (m: Map<string, number>) => Math.max(0, ...m.values()) || 1;
    const ms = new Map(c.model.map((x) => [x.key, x.score]));
    const mt = top(ms);
    const lt = top(c.lr);
    const sc = new Map<string, number>();
    for (const k of new Set([...ms.keys(), ...c.lr.keys()])) sc.set(k, (1 - beta) * ((ms.get(k) ?? 0) / mt) + beta * ((c.lr.get(k) ?? 0) / lt));
    const sorted = [...sc].sort((a, b) => b[1] - a[1]);
    const best = sorted[0]?.[1] ?? 0;
    return sorted.filter(([, v], i) => i === 0 || (best > 0 && v / best >= tau)).map(([k]) => k);
  };
  const f1Of = (cases: Case[], choose: (c: Case) => string[]) => {
    let tp = 0;
    let chosen = 0;
    let gold = 0;
    for (const c of cases) {
      const ch = choose(c);
      chosen += ch.length;
      gold += c.gold.size;
      tp += ch.filter((k) => c.gold.has(k)).length;
    }
    return tp ? Math.round(((2 * tp) / (chosen + gold)) * 1000) / 1000 : 0;
  };
  const casesOf = (train: TrainDoc[], test: TrainDoc[]): Case[] => {
    const m = TaggerModel.train(train, [...seeds, ...labelNameSeeds(train)], trainOpts);
    const lr = LinearTagger.train(train, 'theme');
    return test.filter((d) => (d.labels.theme?.length ?? 0) > 0).map((d) => ({ gold: new Set(d.labels.theme), model: m.predict(d.text, 30).theme, lr: lr.scores(d.text) }));
  };
  const candidates: { name: string; choose: (c: Case) => string[] }[] = [{ name: 'model', choose: (c) => c.model.filter((x) => x.chosen).map((x) => x.key) }];
  for (const beta of BETAS) for (const tau of TAU) candidates.push({ name: `beta ${beta}, tau ${tau}`, choose: (c) => chooseBlend(c, beta, tau) });
  const folds: Record<string, unknown>[] = [];
  let tpChosen = 0;
  let tpModel = 0;
  let nAll = 0;
  for (const test of lists) {
    const trainLists = lists.filter((l) => l !== test);
    const inner: Case[] = [];
    for (const held of trainLists) inner.push(...casesOf(trainLists.filter((l) => l !== held).flatMap((l) => l.docs), held.docs));
    const scored = candidates.map((c) => ({ ...c, inner: f1Of(inner, c.choose) }));
    const best = scored.reduce((a, b) => (b.inner > a.inner + 1e-9 ? b : a));
    const outer = casesOf(trainLists.flatMap((l) => l.docs), test.docs);
    const fold = { test: test.name, n: outer.length, chosen: best.name, inner_f1_chosen: best.inner, inner_f1_model: scored[0]!.inner, test_f1_chosen: f1Of(outer, best.choose), test_f1_model: f1Of(outer, scored[0]!.choose), test_f1_regression_alone_best_inner_tau: f1Of(outer, scored.filter((c) => c.name.startsWith('beta 1,')).reduce((a, b) => (b.inner > a.inner ? b : a)).choose) };
    folds.push(fold);
    tpChosen += fold.test_f1_chosen * outer.length;
    tpModel += fold.test_f1_model * outer.length;
    nAll += outer.length;
    log(`linear: ${JSON.stringify(fold)}`);
  }
  result.linear_study = { folds, pooled_theme_micro_f1: { chosen_by_inner_cv: Math.round((tpChosen / nAll) * 1000) / 1000, model: Math.round((tpModel / nAll) * 1000) / 1000 } };
}

if (args.only === 'conventions') {
  // Can one SDG-labelled list's goals be learned from the other's? For the two lists with SDGs, the goals are
  // predicted from the record's GOLD themes through P(goal | theme) counted (a) on the same list, each record left
  // out (how far a list's goals follow its own themes), and (b) on the other list only (what a model trained on the
  // other list can learn at best through the themes). A goal is chosen when it is the best or its mean P(goal | theme)
  // over the record's themes reaches 0.5. Also: goals per record, the most frequent goals, and for the themes both
  // lists use, how often their most likely goal differs. Gold themes are an upper bound (a model predicts themes).
  const sdgLists = lists.filter((l) => l.docs.some((d) => (d.labels.sdg_goal?.length ?? 0) > 0));
  type Counts = { pair: Map<string, Map<string, number>>; n: Map<string, number> };
  const countsOf = (docs: readonly TrainDoc[]): Counts => {
    const pair = new Map<string, Map<string, number>>();
    const n = new Map<string, number>();
    for (const d of docs) {
      const goals = d.labels.sdg_goal ?? [];
      if (!goals.length) continue;
      for (const t of new Set(d.labels.theme ?? [])) {
        n.set(t, (n.get(t) ?? 0) + 1);
        let m = pair.get(t);
        if (!m) pair.set(t, (m = new Map()));
        for (const g of new Set(goals)) m.set(g, (m.get(g) ?? 0) + 1);
      }
    }
    return { pair, n };
  };
  const predictGoals = (d: TrainDoc, c: Counts, leaveOut: boolean) => {
    const score = new Map<string, number>();
    let themes = 0;
    for (const t of new Set(d.labels.theme ?? [])) {
      const nt = (c.n.get(t) ?? 0) - (leaveOut ? 1 : 0);
      if (nt <= 0) continue;
      themes += 1;
      for (const [g, k] of c.pair.get(t) ?? []) {
        const own = leaveOut && (d.labels.sdg_goal ?? []).includes(g) ? 1 : 0;
        if (k - own > 0) score.set(g, (score.get(g) ?? 0) + (k - own) / nt);
      }
    }
    const sorted = [...score].map(([g, v]) => [g, v / Math.max(themes, 1)] as [string, number]).sort((a, b) => b[1] - a[1]);
    return sorted.filter(([, v], i) => i === 0 || v >= 0.5).map(([g]) => g);
  };
  const f1 = (docs: readonly TrainDoc[], pred: (d: TrainDoc) => string[]) => {
    let tp = 0;
    let chosen = 0;
    let gold = 0;
    for (const d of docs) {
      const g = new Set(d.labels.sdg_goal ?? []);
      const p = pred(d);
      chosen += p.length;
      gold += g.size;
      tp += p.filter((x) => g.has(x)).length;
    }
    return Math.round(((2 * tp) / Math.max(chosen + gold, 1)) * 1000) / 1000;
  };
  const out: Record<string, unknown>[] = [];
  for (const l of sdgLists) {
    const docs = l.docs.filter((d) => (d.labels.sdg_goal?.length ?? 0) > 0);
    const other = sdgLists.filter((x) => x !== l).flatMap((x) => x.docs);
    const own = countsOf(docs);
    const theirs = countsOf(other);
    const goalFreq = new Map<string, number>();
    for (const d of docs) for (const g of d.labels.sdg_goal ?? []) goalFreq.set(g, (goalFreq.get(g) ?? 0) + 1);
    // themes both lists use with SDGs: is their most likely goal the same?
    const top = (c: Counts, t: string) => [...(c.pair.get(t) ?? [])].sort((a, b) => b[1] - a[1])[0]?.[0];
    let shared = 0;
    let differ = 0;
    const differing: string[] = [];
    for (const [t, n] of own.n) {
      if (!theirs.n.has(t)) continue;
      shared += n;
      if (top(own, t) !== top(theirs, t)) {
        differ += n;
        differing.push(`${t}: ${top(own, t)} here, ${top(theirs, t)} there (${n} records)`);
      }
    }
    const themedN = docs.filter((d) => (d.labels.theme ?? []).some((t) => theirs.n.has(t))).length;
    const row = {
      list: l.name,
      records_with_sdgs: docs.length,
      goals_per_record: Math.round((docs.reduce((a, d) => a + (d.labels.sdg_goal?.length ?? 0), 0) / docs.length) * 100) / 100,
      most_frequent_goals: [...goalFreq].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([g, n]) => `${g}: ${Math.round((n / docs.length) * 100)}%`),
      f1_goals_from_gold_themes_same_list_record_left_out: f1(docs, (d) => predictGoals(d, own, true)),
      f1_goals_from_gold_themes_other_list: f1(docs, (d) => predictGoals(d, theirs, false)),
      records_with_a_theme_the_other_list_links_to_sdgs: themedN,
      theme_uses_whose_most_likely_goal_differs: `${differ} of ${shared}`,
      differing_themes: differing.sort((a, b) => Number(/\((\d+) records\)/.exec(b)![1]) - Number(/\((\d+) records\)/.exec(a)![1])).slice(0, 10),
    };
    out.push(row);
    log(`sdg-conventions: ${JSON.stringify(row)}`);
  }
  result.sdg_conventions = out;

  // Records present in two lists: near-copies across lists (cosine of the model's unit vectors ≥ 0.8, each record's
  // best match in each other list), and which theme names the two copies carry: where the names differ, label
  // co-occurrence on such pairs is the only evidence that two generations' names mean the same.
  const model = TaggerModel.train(lists.flatMap((l) => l.docs), []);
  const vecs = lists.map((l) => l.docs.map((d) => model.vector(d.text)));
  const pairs: Record<string, unknown>[] = [];
  for (let a = 0; a < lists.length; a += 1) {
    for (let b = a + 1; b < lists.length; b += 1) {
      let copies = 0;
      let sameNames = 0;
      let sharedAny = 0;
      const cooc = new Map<string, number>();
      vecs[a]!.forEach((va, i) => {
        let best = -1;
        let bestJ = -1;
        vecs[b]!.forEach((vb, j) => {
          const c = TaggerModel.cosine(va, vb);
          if (c > best) [best, bestJ] = [c, j];
        });
        if (best < 0.8) return;
        copies += 1;
        const ta = new Set(lists[a]!.docs[i]!.labels.theme ?? []);
        const tb = new Set(lists[b]!.docs[bestJ]!.labels.theme ?? []);
        if ([...ta].every((t) => tb.has(t)) && ta.size === tb.size) sameNames += 1;
        if ([...ta].some((t) => tb.has(t))) sharedAny += 1;
        for (const x of ta) for (const y of tb) if (x !== y && !ta.has(y) && !tb.has(x)) cooc.set(`${x} ⇄ ${y}`, (cooc.get(`${x} ⇄ ${y}`) ?? 0) + 1);
      });
      const row = { lists: `${lists[a]!.name} / ${lists[b]!.name}`, near_copies: copies, same_theme_names: sameNames, sharing_a_name: sharedAny, names_only_on_one_side_cooccurring: [...cooc].sort((x, y) => y[1] - x[1]).slice(0, 6).map(([k, n]) => `${k} (${n})`) };
      pairs.push(row);
      log(`near-copies: ${JSON.stringify(row)}`);
    }
  }
  result.near_copies_across_lists = pairs;
}

if (!args['skip-upr'] && (!args.only || args.only === 'upr' || args.only === 'reliability')) {
  const t0 = Date.now();
  const all = await records('upr-info-csv', path.join(dataDir, 'upr-info', 'upr-info-sessions-1-20.csv'));
  const withSession = all.map((r) => ({ s: r.document.uprSession ?? 0, d: docFromRecord(r) })).filter((x) => (x.d.labels.theme?.length ?? 0) > 0);
  const train = withSession.filter((x) => x.s >= 1 && x.s <= 15).map((x) => x.d);
  const test = withSession.filter((x) => x.s >= 16 && x.s <= 20).map((x) => x.d);
  const m = TaggerModel.train(train, [...seeds, ...labelNameSeeds(train)], trainOpts);
  const pick = (r: EvalReport) => ({ theme: r.theme });
  result.upr_info_time_split = {
    train_docs: train.length,
    test_docs: test.length,
    model: pick(evaluateDocs(test, (t) => m.predict(t))),
    two_most_frequent: pick(evaluateDocs(test, mostFrequentBaseline(train))),
    tfidf_knn: pick(evaluateDocs(test, knnBaseline(train))),
    blend: blendSettings(m),
    reliability: reliabilityReport(m, test, ['theme']),
    seconds: (Date.now() - t0) / 1000,
  };
  log(`upr: ${JSON.stringify(result.upr_info_time_split)}`);
}

if (!args['skip-scale'] && (!args.only || args.only === 'speed')) {
  // only the labelled texts are kept: the parsed records are let go before memory is measured
  const docs = (await records('upr-info-csv', path.join(dataDir, 'upr-info', 'upr-info-sessions-1-20.csv'))).map((r) => docFromRecord(r)).filter((d) => (d.labels.theme?.length ?? 0) > 0);
  // 50,000 labelled recommendations: every real one, then real ones sampled again (deterministic order)
  const big: TrainDoc[] = [];
  for (let i = 0; big.length < 50_000; i += 1) big.push(docs[(i * 7919) % docs.length]!);
  const sample = lists.flatMap((l) => l.docs).concat(docs.slice(0, 1000)).slice(0, 1000).map((d) => d.text);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-tagger-bench-'));
  fs.writeFileSync(path.join(tmp, 'docs.json'), JSON.stringify(big));
  fs.writeFileSync(path.join(tmp, 'texts.json'), JSON.stringify(sample));
  // each training in a fresh process (peak RSS of that process alone); the centroid-only model (before the blend)
  // and the blended model alternate, so that their ratio is measured under the same load
  const runs = Number(args.runs ?? 1);
  const measured: Record<string, Record<string, number | string>[]> = { centroids: [], blend: [] };
  for (let r = 0; r < runs; r += 1) {
    for (const model of ['centroids', 'blend'] as const) {
      const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(import.meta.dirname, 'tagger-train-child.ts'), '--docs', path.join(tmp, 'docs.json'), '--texts', path.join(tmp, 'texts.json'), '--sdg', path.join(dataDir, 'sdg'), '--model', model], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (child.status !== 0) throw new Error(`tagger-train-child failed: ${child.stderr}`);
      const line = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
      measured[model]!.push({ ...line, load_average: os.loadavg()[0]!.toFixed(1) });
      log(`speed ${model}: ${JSON.stringify(line)}`);
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const med = (model: string, f: string) => median(measured[model]!.map((m) => Number(m[f])));
  result.speed = {
    docs: big.length,
    distinct_real_texts: docs.length,
    runs: measured,
    median: Object.fromEntries(['centroids', 'blend'].map((m) => [m, Object.fromEntries(['train_ms', 'train_cpu_ms', 'rss_peak_training_mb', 'suggest_ms', 'suggest_cpu_ms', 'model_json_mb', 'model_load_ms'].map((f) => [f, med(m, f)]))])),
    ratio_blend_to_centroids: { train_ms: Math.round((med('blend', 'train_ms') / med('centroids', 'train_ms')) * 100) / 100, train_cpu_ms: Math.round((med('blend', 'train_cpu_ms') / med('centroids', 'train_cpu_ms')) * 100) / 100, rss_peak: Math.round((med('blend', 'rss_peak_training_mb') / med('centroids', 'rss_peak_training_mb')) * 100) / 100, suggest_ms: Math.round((med('blend', 'suggest_ms') / med('centroids', 'suggest_ms')) * 100) / 100 },
  };
  log(`speed: ${JSON.stringify(result.speed)}`);
}

if (!args.only || args.only === 'suggest') {
  // The app's own path: a fresh SQLite database, the five OHCHR lists and the UPR Info export imported by the
  // importers, a model trained by the job's function, then the import preview's call (POST /api/tagging/suggest,
  // 200 texts a call) for 1,000 texts: wall clock, processor time, the longest event-loop delay, the database reads.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-tagger-suggest-'));
  const database = createDb(parseDatabaseUrl(`sqlite:${path.join(tmp, 'bench.db')}`));
  try {
    await migrateToLatest(database.db, 'sqlite');
    for (const f of LISTS) await importRecords(database.db, await parseFile('ohchr-docx', path.join(dataDir, 'ohchr-thematic-lists', f), { worker: false }), { source: f });
    await importRecords(database.db, await parseFile('upr-info-csv', path.join(dataDir, 'upr-info', 'upr-info-sessions-1-20.csv'), { worker: false }), { source: 'upr-info', bulkLoad: database.dialect.bulkLoad });
    const t0 = performance.now();
    const trained = await trainAndSuggest(database.db, { actorId: null, jobId: null });
    const trainMs = performance.now() - t0;
    const texts = (await database.db.selectFrom('recommendations').select(['text_en', 'text_ar']).orderBy('id').limit(1000).execute()).map((r) => r.text_en ?? r.text_ar ?? '');
    // a control: a fixed piece of pure computation (no I/O, no awaits), timed beside each run. Its wall/processor
    // ratio is what the machine's load alone does to wall clock; a suggestion run whose ratio is the same waits on
    // nothing of its own (database round-trips, awaits), only for a core.
    const control = () => {
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      let x = 0;
      for (let i = 1; i < 40_000_000; i += 1) x += Math.sqrt(i) % 7;
      const wall = performance.now() - w0;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1000;
      return { wall_ms: Math.round(wall), cpu_ms: Math.round(cpu), wall_to_cpu: Math.round((wall / Math.max(cpu, 1)) * 100) / 100, checksum: Math.round(x) % 10 };
    };
    const measure = async (cold = false) => {
      // cold: the model is read from the database and rebuilt inside the measured time, as on the first call after a restart
      if (cold) forgetCachedModel();
      const h = monitorEventLoopDelay({ resolution: 5 });
      h.enable();
      const cpu0 = process.cpuUsage();
      const w0 = performance.now();
      let suggested = 0;
      for (let i = 0; i < texts.length; i += 200) suggested += (await suggestForTexts(database.db, database.dialect, texts.slice(i, i + 200))).items.filter((x) => x.length > 0).length;
      const wall = performance.now() - w0;
      const cpu = process.cpuUsage(cpu0);
      h.disable();
      const cpuMs = (cpu.user + cpu.system) / 1000;
      return { ...(cold ? { cold: true } : {}), texts: texts.length, with_suggestions: suggested, wall_ms: Math.round(wall), cpu_ms: Math.round(cpuMs), wall_to_cpu: Math.round((wall / Math.max(cpuMs, 1)) * 100) / 100, control: control(), longest_loop_delay_ms: Math.round(h.max / 1e6), load_average: os.loadavg().map((x) => x.toFixed(1)).join(' ') };
    };
    const runs = [];
    for (let r = 0; r < Number(args.runs ?? 3); r += 1) runs.push(await measure());
    runs.push(await measure(true));
    result.suggest_app_path = { recommendations: trained.docs, train_and_suggest_ms: Math.round(trainMs), runs };
    log(`suggest: ${JSON.stringify(result.suggest_app_path)}`);
  } finally {
    await database.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const out = JSON.stringify(result, null, 2);
if (process.env.TAGGER_BENCH_OUT) fs.writeFileSync(process.env.TAGGER_BENCH_OUT, out);
console.log(out);
