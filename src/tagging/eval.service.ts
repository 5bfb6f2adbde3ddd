/**
 * `rasd tagger eval`: trains a model on what the database holds, leaving out the test file's records (by external
 * id and by text), and measures it on the test file's labels. Nothing is stored.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import { docFromRecord, evaluateDocs, hasLabels, reliabilityOf, SdgReferenceError, sdgSeedsFromYaml, type EvalReport, type LabelledRecord, type Reliability } from './evaluation.ts';
import { TAG_KINDS, type TagKind } from './labels.ts';
import { TaggerModel, type Prediction, type Seed, type TrainDoc } from './model.ts';
import { inVocabulary, tuneVocabulary, vocabularyOf, type VocabularyTuning } from './vocabulary.ts';
import { loadTrainingData } from './tagging.service.ts';

export interface EvalRecord extends LabelledRecord {
  sourceRow: number;
  externalId?: string;
}

/** the SDG targets the SDG list (`rasd import sdg`) holds */
const SDG_TARGETS = 169;

const invalid = (code: string, message: string) => new AppError(422, code, message);

/**
 * `listNames`: themes and affected persons are suggested in the test file's own names (its vocabulary, not which
 * record carries which), mapped from the trained labels (src/tagging/vocabulary.ts) with settings chosen by
 * cross-validation over the database's source documents; for a list of another generation than the training data.
 *
 * `sdgDir`: a folder of `{ar,en}-global-{goals,targets}.yml` whose SDG goal and target titles are used as the SDG
 * texts (seeds and the SDG prior) instead of the database's SDG terms. Without it, and without the 169 SDG target
 * terms in the database (no `rasd import sdg`), the model has no full SDG prior (only the titles of the few targets
 * imports created): `sdg_texts` says which texts were used ('none': not the SDG list).
 *
 * `confidence`: per kind, how the confidences shown for the suggestions the app would keep compare with how often they
 * are right on the test file (evaluation.ts, reliabilityOf).
 */
export async function evaluateAgainstDatabase(
  db: Kysely<DB>,
  records: AsyncIterable<EvalRecord> | Iterable<EvalRecord>,
  opts: { listNames?: boolean; sdgDir?: string } = {},
): Promise<EvalReport & { train_docs: number; list_names?: VocabularyTuning['params']; sdg_texts: 'database' | 'folder' | 'none'; confidence: Record<TagKind, Reliability> }> {
  const targets = new Set((await db.selectFrom('terms').select('code').where('kind', '=', 'sdg_target').execute()).map((t) => t.code));
  const goals = new Set(Array.from({ length: 17 }, (_, i) => String(i + 1)));
  const test: TrainDoc[] = [];
  const externalIds = new Set<string>();
  const texts = new Set<string>();
  for await (const r of records) {
    let d: TrainDoc;
    try {
      d = docFromRecord(r, goals);
    } catch (err) {
      if (err instanceof SdgReferenceError) throw invalid('tagger_unknown_sdg', `Record ${r.sourceRow}: ${err.message} is not an SDG goal (1–17) or target.`);
      throw err;
    }
    for (const t of d.labels.sdg_target ?? []) {
      if (targets.size > 0 && !targets.has(t)) throw invalid('tagger_unknown_sdg', `Record ${r.sourceRow}: unknown SDG target "${t}".`);
    }
    if (r.externalId) externalIds.add(r.externalId);
    for (const t of Object.values(r.texts)) if (t) texts.add(t.trim());
    if (hasLabels(d)) test.push(d);
  }
  if (test.length === 0) throw invalid('tagger_test_unlabelled', 'The test file carries no labels (themes, affected persons or SDGs): there is nothing to measure against.');
  const data = await loadTrainingData(db, { externalIds, texts });
  if (data.docs.length === 0) throw invalid('tagger_no_training_data', 'The database holds no labelled recommendations besides the test file: import labelled ones first.');
  // the SDG texts: from the folder when given (replacing the database's SDG terms), else the database's
  // (targets an import created from its labels, e.g. "16.3 - …", are not the SDG list: its 169 titles are)
  let sdgTexts: 'database' | 'folder' | 'none' = targets.size >= SDG_TARGETS ? 'database' : 'none';
  if (opts.sdgDir) {
    let folder: Seed[];
    try {
      folder = sdgSeedsFromYaml(opts.sdgDir);
    } catch (err) {
      throw invalid('tagger_sdg_texts_unreadable', `Cannot read the SDG texts in ${opts.sdgDir} (expected {ar,en}-global-{goals,targets}.yml): ${err instanceof Error ? err.message : String(err)}`);
    }
    data.seeds = [...data.seeds.filter((s) => s.kind !== 'sdg_goal' && s.kind !== 'sdg_target'), ...folder];
    sdgTexts = 'folder';
  }
  // names of themes and affected persons only for labels the training data uses (the test file's own names would leak)
  const seedsFor = (docs: readonly TrainDoc[]): Seed[] => {
    const used = new Set(docs.flatMap((d) => [...(d.labels.theme ?? []).map((k) => `theme:${k}`), ...(d.labels.affected_person ?? []).map((k) => `affected_person:${k}`)]));
    return data.seeds.filter((s) => (s.kind !== 'theme' && s.kind !== 'affected_person') || used.has(`${s.kind}:${s.key}`));
  };
  const model = TaggerModel.train(data.docs, seedsFor(data.docs));
  const measured = (predict: (text: string) => Prediction) => ({
    ...evaluateDocs(test, predict),
    confidence: Object.fromEntries(TAG_KINDS.map((k) => [k, reliabilityOf(test, predict, k).all ?? { n: 0, mean_confidence: 0, precision: 0, ece: 0 }])) as Record<TagKind, Reliability>,
    train_docs: data.docs.length,
    sdg_texts: sdgTexts,
  });
  if (!opts.listNames) return measured((t) => model.predict(t));
  const tuning = tuneVocabulary(data.docs, (docs) => TaggerModel.train(docs, seedsFor(docs)));
  const params = tuning?.params ?? {};
  return { ...measured(inVocabulary(model, vocabularyOf(test), params, data.docs)), list_names: params };
}
