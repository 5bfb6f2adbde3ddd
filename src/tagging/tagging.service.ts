/**
 * Tag suggestions (issue 17): training the tagger on what the instance holds, storing its suggestions for the
 * recommendations that lack a kind of label, and a person's decisions on them (accept one, accept all above a
 * confidence for a selection, reject). Nothing is written to a recommendation without a person: training only writes
 * `tagger_models` and pending `tag_suggestions`; accepting adds the term, bumps the recommendation's version and
 * audits it.
 */
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB, TermKind, User } from '../db/schema.ts';
import type { ProgressFn } from '../jobs/index.ts';
import { AppError, conflict, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { yielder } from '../shared/yielder.ts';
import { labelKey, TAG_KINDS, type TagKind } from './labels.ts';
import { TaggerModel, type Prediction, type Seed, type TrainDoc } from './model.ts';
import { forgetLoadedModels, predictInWorker } from './suggest-worker.ts';

/** Suggestions kept per recommendation and kind, and the lowest confidence kept. */
const KEEP_PER_KIND = 3;
const MIN_CONFIDENCE = 0.1;
const IN_CHUNK = 500;
/** suggestions inserted per statement (9 values each: under SQLite's 32,766 bound values) */
const SAVE_ROWS = 1000;
/** recommendations read per query while loading the training data */
const READ_PAGE = 2000;

export interface TrainingData {
  docs: TrainDoc[];
  seeds: Seed[];
  /** `${kind}:${key}` → the term a suggestion of that label points at */
  termOf: Map<string, string>;
  /** recommendations read (with or without labels), for suggestions */
  recommendations: { id: string; text: string; kinds: Set<TermKind> }[];
}

const chunks = <T>(xs: readonly T[], n = IN_CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

/**
 * Reads the labelled recommendations and the seed texts. `exclude` leaves out recommendations (by external id or by
 * exact text) that must not be trained on (the records of an evaluation's test file).
 */
export async function loadTrainingData(db: Kysely<DB>, exclude?: { externalIds?: ReadonlySet<string>; texts?: ReadonlySet<string> }): Promise<TrainingData> {
  const terms = await db.selectFrom('terms').select(['id', 'kind', 'code', 'label_ar', 'label_en', 'parent_id']).where('kind', 'in', [...TAG_KINDS]).execute();
  const termById = new Map(terms.map((t) => [t.id, t]));
  const usage = new Map<string, number>();
  const keyOf = (t: (typeof terms)[number]) => labelKey(t.kind as TagKind, t.kind === 'theme' || t.kind === 'affected_person' ? (t.label_en ?? t.label_ar ?? t.code) : t.code);
  // seeds: the bilingual names of every term; an SDG goal's seed also holds its targets' titles
  const seedText = new Map<string, { kind: TagKind; key: string; parts: string[] }>();
  const addSeed = (kind: TagKind, key: string, text: string | null) => {
    if (!text || !key) return;
    const k = `${kind}:${key}`;
    let s = seedText.get(k);
    if (!s) seedText.set(k, (s = { kind, key, parts: [] }));
    s.parts.push(text);
  };
  for (const t of terms) {
    const kind = t.kind as TagKind;
    addSeed(kind, keyOf(t), [t.label_ar, t.label_en].filter(Boolean).join('\n'));
    if (kind === 'sdg_target' && t.parent_id) {
      const goal = termById.get(t.parent_id);
      if (goal) addSeed('sdg_goal', goal.code, [t.label_ar, t.label_en].filter(Boolean).join('\n'));
    }
  }
  const seeds: Seed[] = [...seedText.values()].map((s) => ({ kind: s.kind, key: s.key, text: s.parts.join('\n') }));

  // the recommendations and their labels, a page at a time, letting the event loop go between pages
  const docs: TrainDoc[] = [];
  const recommendations: TrainingData['recommendations'] = [];
  let after: string | null = null;
  for (;;) {
    let q = db.selectFrom('recommendations').select(['id', 'document_id', 'external_id', 'text_ar', 'text_en', 'text_fr']).orderBy('id').limit(READ_PAGE);
    if (after !== null) q = q.where('id', '>', after);
    const recs = await q.execute();
    if (!recs.length) break;
    after = recs[recs.length - 1]!.id;
    const byRec = new Map<string, string[]>();
    for (const part of chunks(recs.map((r) => r.id))) {
      const links = await db
        .selectFrom('recommendation_terms as rt')
        .innerJoin('terms as t', 't.id', 'rt.term_id')
        .select(['rt.recommendation_id', 'rt.term_id'])
        .where('t.kind', 'in', [...TAG_KINDS])
        .where('rt.recommendation_id', 'in', part)
        .execute();
      for (const l of links) {
        usage.set(l.term_id, (usage.get(l.term_id) ?? 0) + 1);
        let xs = byRec.get(l.recommendation_id);
        if (!xs) byRec.set(l.recommendation_id, (xs = []));
        xs.push(l.term_id);
      }
    }
    for (const r of recs) {
      const text = [r.text_ar, r.text_en, r.text_fr].filter(Boolean).join('\n');
      if (!text.trim()) continue;
      const own = (byRec.get(r.id) ?? []).map((id) => termById.get(id)!).filter(Boolean);
      recommendations.push({ id: r.id, text, kinds: new Set(own.map((t) => t.kind)) });
      if (!own.length) continue;
      if (exclude?.externalIds?.has(r.external_id)) continue;
      if (exclude?.texts && [r.text_ar, r.text_en, r.text_fr].some((x) => x && exclude.texts!.has(x.trim()))) continue;
      const labels: Record<TagKind, string[]> = { sdg_goal: [], sdg_target: [], theme: [], affected_person: [] };
      for (const t of own) {
        const kind = t.kind as TagKind;
        labels[kind].push(keyOf(t));
        if (kind === 'sdg_target') {
          const goal = t.parent_id ? termById.get(t.parent_id) : undefined;
          const g = goal?.code ?? t.code.split('.')[0]!;
          if (!labels.sdg_goal.includes(g)) labels.sdg_goal.push(g);
        }
      }
      docs.push({ text, labels, group: r.document_id });
    }
    await new Promise((res) => setImmediate(res));
  }
  // one term per label: the most used of the terms sharing a canonical name
  const termOf = new Map<string, string>();
  for (const t of [...terms].sort((a, b) => (usage.get(b.id) ?? 0) - (usage.get(a.id) ?? 0))) {
    const k = `${t.kind}:${keyOf(t)}`;
    if (!termOf.has(k) && keyOf(t)) termOf.set(k, t.id);
  }
  return { docs, seeds, termOf, recommendations };
}

export interface TrainResult {
  modelId: string;
  trainedAt: string;
  docs: number;
  labels: Record<TagKind, number>;
  suggestions: number;
  recommendations: number;
  ms: number;
}

/** For the model in use (by id), the term each label's suggestions point at, once read. */
let termsOfModel: { modelId: string; terms: Map<string, string> } | null = null;

/** Lets go of what is kept of the model in use (the next suggestions read it from the database, as after a restart). */
export function forgetCachedModel(): void {
  termsOfModel = null;
  forgetLoadedModels();
}

interface ModelHead {
  id: string;
  trained_at: string;
  docs: number;
}
/** The newest model, or null when none was trained (the model itself is read for the suggestion worker). */
async function currentModel(db: Kysely<DB>): Promise<ModelHead | null> {
  const head = await db.selectFrom('tagger_models').select(['id', 'trained_at', 'docs']).orderBy('trained_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return head ? { ...head, docs: Number(head.docs) } : null;
}

/** A retraining's progress, phase by phase (`reading`, `training`, `suggesting`, `saving`). */
type Phase = 'reading' | 'training' | 'suggesting' | 'saving';

/**
 * Learns the model and scores the recommendations lacking a kind of label: the suggestions above the lowest
 * confidence kept, with the label's key (mapped onto a term by the caller). CPU only, in the calling thread.
 */
function learnAndScore(data: TrainingData, trainedAt: string, onProgress: (phase: Phase, done: number, total: number) => void) {
  const model = TaggerModel.train(data.docs, data.seeds, { trainedAt, onProgress: (done, total) => onProgress('training', done, total) });
  const rows: { recommendation_id: string; key: string; kind: TagKind; confidence: number }[] = [];
  const total = data.recommendations.length;
  for (const [i, r] of data.recommendations.entries()) {
    if (i % 500 === 0) onProgress('suggesting', i, total);
    const missing = TAG_KINDS.filter((k) => !r.kinds.has(k));
    if (!missing.length) continue;
    const p = model.predict(r.text, KEEP_PER_KIND);
    for (const kind of missing) {
      for (const s of p[kind]) if (s.confidence >= MIN_CONFIDENCE) rows.push({ recommendation_id: r.id, key: s.key, kind, confidence: Math.round(s.confidence * 1000) });
    }
  }
  onProgress('suggesting', total, total);
  const labels = Object.fromEntries(TAG_KINDS.map((k) => [k, model.labels(k).length])) as Record<TagKind, number>;
  return { model: JSON.stringify(model.toJSON()), labels, rows };
}

/**
 * Trains a model on the database's labelled recommendations and seed texts, stores it (replacing the previous one)
 * and refreshes the pending suggestions of every recommendation lacking a kind of label. Decided suggestions
 * (accepted, rejected) stay and are never suggested again. Everything runs on `db` in the calling thread: a server
 * runs it in a worker thread with a connection of its own (train-worker.ts), the command line here.
 */
export async function trainAndSuggest(
  db: Kysely<DB>,
  ctx: {
    actorId: string | null;
    jobId: string | null;
    progress?: ProgressFn;
    /** runs the one writing transaction (a worker asks the server's thread for its writer's turn around it) */
    aroundSave?: <T>(write: () => Promise<T>) => Promise<T>;
  },
): Promise<TrainResult> {
  const t0 = Date.now();
  const progress = ctx.progress ?? (async () => undefined);
  await progress('reading', 0, 1);
  const data = await loadTrainingData(db);
  if (data.docs.length === 0 && data.seeds.length === 0) {
    throw new AppError(422, 'tagger_no_training_data', 'Nothing to learn from: no recommendation carries themes, affected persons or SDGs, and no SDG list was imported.');
  }
  const trainedAt = nowIso();
  // progress from the training's synchronous loops: each report starts at once (a worker posts it, the command line
  // draws it), and is waited for after them
  const reports: Promise<void>[] = [];
  const trained = learnAndScore(data, trainedAt, (phase, done, total) => void reports.push(progress(phase, done, total)));
  await Promise.all(reports);
  const modelId = newId();
  const labels = trained.labels;
  const rows: { recommendation_id: string; term_id: string; kind: TermKind; confidence: number }[] = [];
  for (const r of trained.rows) {
    const term = data.termOf.get(`${r.kind}:${r.key}`);
    if (term) rows.push({ recommendation_id: r.recommendation_id, term_id: term, kind: r.kind, confidence: r.confidence });
  }

  await progress('saving', 0, rows.length);
  const save = () =>
    db.transaction().execute(async (trx) => {
      await trx
        .insertInto('tagger_models')
        .values({ id: modelId, trained_at: trainedAt, trained_by: ctx.actorId, job_id: ctx.jobId, docs: data.docs.length, labels: Object.values(labels).reduce((a, b) => a + b, 0), stats: JSON.stringify({ labels, seeds: data.seeds.length }), model: trained.model })
        .execute();
      await trx.deleteFrom('tag_suggestions').where('status', '=', 'pending').execute();
      await trx.deleteFrom('tagger_models').where('id', '!=', modelId).execute();
      const decided = new Set((await trx.selectFrom('tag_suggestions').select(['recommendation_id', 'term_id']).execute()).map((d) => `${d.recommendation_id}|${d.term_id}`));
      const now = nowIso();
      const fresh = rows.filter((r) => !decided.has(`${r.recommendation_id}|${r.term_id}`));
      let done = 0;
      for (const part of chunks(fresh, SAVE_ROWS)) {
        await trx
          .insertInto('tag_suggestions')
          .values(part.map((r) => ({ id: newId(), ...r, model_id: modelId, status: 'pending' as const, decided_by: null, decided_at: null, created_at: now })))
          .execute();
        done += part.length;
        await progress('saving', done, fresh.length);
      }
      await recordAudit(trx, { actorId: ctx.actorId, action: 'tagger.train', subjectType: 'tagger_model', subjectId: modelId, after: { docs: data.docs.length, labels, suggestions: fresh.length } });
      return fresh;
    });
  const written = await (ctx.aroundSave ? ctx.aroundSave(save) : save());
  // the model just trained is the one in use: read from the database (JSON) by the first suggestions that need it
  forgetCachedModel();
  const recommendations = new Set(written.map((r) => r.recommendation_id)).size;
  return { modelId, trainedAt, docs: data.docs.length, labels, suggestions: written.length, recommendations, ms: Date.now() - t0 };
}

/** Queues a retraining (run by the job runner of `rasd serve`) unless one is already waiting. */
export async function scheduleRetrain(db: Kysely<DB> | Transaction<DB>, actorId: string | null, delayMs = 60_000): Promise<boolean> {
  const waiting = await db.selectFrom('jobs').select('id').where('kind', '=', TRAIN_JOB).where('status', '=', 'queued').limit(1).executeTakeFirst();
  if (waiting) return false;
  const now = new Date();
  await db
    .insertInto('jobs')
    .values({ id: newId(), kind: TRAIN_JOB, status: 'queued', params: '{}', progress: 0, total: 0, phase: null, result: null, error: null, created_by: actorId, created_at: now.toISOString(), updated_at: now.toISOString(), finished_at: null, run_at: new Date(now.getTime() + delayMs).toISOString() })
    .execute();
  return true;
}

export const TRAIN_JOB = 'tagger.train';

/**
 * Suggestions for texts not (yet) in the register, e.g. an import preview's rows: the labels the current model would
 * choose, with their terms and confidence. Nothing is stored.
 */
export async function suggestForTexts(db: Kysely<DB>, dialect: EngineDialect, texts: readonly string[]) {
  // predicted in the suggestion worker, which is sent the model (one row of JSON, tens of megabytes: a heavy read) only
  // when it does not hold it yet; asked again of the newer model if a retraining replaced this one meanwhile
  const predicted = async (): Promise<{ current: ModelHead; predictions: Prediction[] } | null> => {
    for (;;) {
      const current = await currentModel(db);
      if (!current) return null;
      const modelJson = async () => (await dialect.heavyRead(db, db.selectFrom('tagger_models').select('model').where('id', '=', current.id)))[0]?.model ?? null;
      const predictions = await predictInWorker(current.id, modelJson, texts, 3);
      if (predictions) return { current, predictions };
    }
  };
  const found = await predicted();
  if (!found) return { model: null, items: texts.map(() => []) };
  const { current, predictions } = found;
  // two reads for the whole batch: the terms (a small table), and once per model which term of a name is the most used
  // (every term link counted: a heavy read)
  const terms = await db.selectFrom('terms').select(['id', 'kind', 'code', 'label_ar', 'label_en']).where('kind', 'in', [...TAG_KINDS]).execute();
  let chosenTerm = termsOfModel?.modelId === current.id ? termsOfModel.terms : null;
  if (!chosenTerm) {
    const usage = new Map(
      (await dialect.heavyRead(db, db.selectFrom('recommendation_terms').select(['term_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('term_id'))).map((u) => [u.term_id, Number(u.n)]),
    );
    chosenTerm = new Map<string, string>();
    for (const t of [...terms].sort((a, b) => (usage.get(b.id) ?? 0) - (usage.get(a.id) ?? 0))) {
      const key = labelKey(t.kind as TagKind, t.kind === 'theme' || t.kind === 'affected_person' ? (t.label_en ?? t.label_ar ?? t.code) : t.code);
      if (key && !chosenTerm.has(`${t.kind}:${key}`)) chosenTerm.set(`${t.kind}:${key}`, t.id);
    }
    termsOfModel = { modelId: current.id, terms: chosenTerm };
  }
  const termById = new Map(terms.map((t) => [t.id, t]));
  const byKey = new Map<string, (typeof terms)[number]>();
  for (const [key, id] of chosenTerm) {
    const t = termById.get(id);
    if (t) byKey.set(key, t);
  }
  const items: Omit<SuggestionView, 'id'>[][] = [];
  for (const p of predictions) {
    const out: Omit<SuggestionView, 'id'>[] = [];
    for (const kind of TAG_KINDS) {
      for (const s of p[kind]) {
        const term = byKey.get(`${kind}:${s.key}`);
        if (s.chosen && s.confidence >= MIN_CONFIDENCE && term) out.push({ term_id: term.id, kind, code: term.code, label_ar: term.label_ar, label_en: term.label_en, confidence: s.confidence });
      }
    }
    items.push(out);
  }
  return { model: { trained_at: current.trained_at, docs: current.docs }, items };
}

export interface SuggestionView {
  id: string;
  term_id: string;
  /** suggestions are only written for the tagger's kinds (trainAndSuggest) */
  kind: TagKind;
  code: string;
  label_ar: string | null;
  label_en: string | null;
  confidence: number;
}

async function suggestionsOf(db: Kysely<DB>, recIds: string[], minConfidence: number, kinds?: readonly TagKind[]): Promise<Map<string, SuggestionView[]>> {
  const out = new Map<string, SuggestionView[]>();
  for (const part of chunks(recIds)) {
    if (!part.length) continue;
    let q = db
      .selectFrom('tag_suggestions as s')
      .innerJoin('terms as t', 't.id', 's.term_id')
      .select(['s.id', 's.recommendation_id', 's.term_id', 's.kind', 't.code', 't.label_ar', 't.label_en', 's.confidence'])
      .where('s.recommendation_id', 'in', part)
      .where('s.status', '=', 'pending')
      .where('s.confidence', '>=', Math.round(minConfidence * 1000));
    if (kinds?.length) q = q.where('s.kind', 'in', [...kinds]);
    for (const r of await q.orderBy('s.confidence', 'desc').orderBy('t.code').execute()) {
      let xs = out.get(r.recommendation_id);
      if (!xs) out.set(r.recommendation_id, (xs = []));
      xs.push({ id: r.id, term_id: r.term_id, kind: r.kind as TagKind, code: r.code, label_ar: r.label_ar, label_en: r.label_en, confidence: Number(r.confidence) / 1000 });
    }
  }
  return out;
}

export interface QueueFilter {
  page: number;
  pageSize: number;
  minConfidence: number;
  kind?: TagKind;
  documentId?: string;
}

/** The review queue: recommendations with pending suggestions (at or above the confidence), with them. */
export async function reviewQueue(db: Kysely<DB>, f: QueueFilter) {
  const min = Math.round(f.minConfidence * 1000);
  let base = db
    .selectFrom('tag_suggestions as s')
    .innerJoin('recommendations as r', 'r.id', 's.recommendation_id')
    .where('s.status', '=', 'pending')
    .where('s.confidence', '>=', min);
  if (f.kind) base = base.where('s.kind', '=', f.kind);
  if (f.documentId) base = base.where('r.document_id', '=', f.documentId);
  const { recs, suggestions } = await base.select((eb) => [eb.fn.count<number>('s.recommendation_id').distinct().as('recs'), eb.fn.countAll<number>().as('suggestions')]).executeTakeFirstOrThrow();
  const page = await base
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select(['r.id', 'r.paragraph', 'r.text_ar', 'r.text_en', 'r.version', 'd.symbol as document_symbol', 'd.id as document_id', (eb) => eb.fn.max('s.confidence').as('best')])
    .groupBy(['r.id', 'r.paragraph', 'r.text_ar', 'r.text_en', 'r.version', 'd.symbol', 'd.id'])
    .orderBy('best', 'desc')
    .orderBy('r.id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  const sugg = await suggestionsOf(
    db,
    page.map((p) => p.id),
    f.minConfidence,
    f.kind ? [f.kind] : undefined,
  );
  const documents = await db
    .selectFrom('tag_suggestions as s')
    .innerJoin('recommendations as r', 'r.id', 's.recommendation_id')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select(['d.id', 'd.symbol', (eb) => eb.fn.count<number>('s.recommendation_id').distinct().as('recommendations')])
    .where('s.status', '=', 'pending')
    .where('s.confidence', '>=', min)
    .groupBy(['d.id', 'd.symbol'])
    .orderBy('d.symbol')
    .execute();
  return {
    total: Number(recs),
    suggestions: Number(suggestions),
    documents: documents.map((d) => ({ id: d.id, symbol: d.symbol, recommendations: Number(d.recommendations) })),
    items: page.map((p) => ({ id: p.id, paragraph: p.paragraph, text_ar: p.text_ar, text_en: p.text_en, version: Number(p.version), document_id: p.document_id, document_symbol: p.document_symbol, suggestions: sugg.get(p.id) ?? [] })),
  };
}

/** The pending suggestions of one recommendation. */
export async function recommendationSuggestions(db: Kysely<DB>, id: string) {
  const rec = await db.selectFrom('recommendations').select(['id', 'version']).where('id', '=', id).executeTakeFirst();
  if (!rec) throw notFound('Recommendation');
  const model = await db.selectFrom('tagger_models').select(['trained_at', 'docs']).orderBy('trained_at', 'desc').limit(1).executeTakeFirst();
  return { version: Number(rec.version), model: model ? { trained_at: model.trained_at, docs: Number(model.docs) } : null, items: (await suggestionsOf(db, [id], 0)).get(id) ?? [] };
}

/** Model and queue summary for the review page. */
export async function taggerStatus(db: Kysely<DB>) {
  const model = await db.selectFrom('tagger_models').select(['id', 'trained_at', 'trained_by', 'docs', 'labels', 'stats']).orderBy('trained_at', 'desc').limit(1).executeTakeFirst();
  const pending = await db
    .selectFrom('tag_suggestions')
    .select((eb) => [eb.fn.count<number>('recommendation_id').distinct().as('recs'), eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  const job = await db.selectFrom('jobs').select(['id', 'status', 'created_at']).where('kind', '=', TRAIN_JOB).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  return {
    model: model ? { id: model.id, trained_at: model.trained_at, docs: Number(model.docs), labels: Number(model.labels), stats: JSON.parse(model.stats) as { labels: Record<TagKind, number>; seeds: number } } : null,
    pending: { recommendations: Number(pending.recs), suggestions: Number(pending.n) },
    lastJob: job ?? null,
  };
}

async function bump(trx: Transaction<DB>, id: string) {
  await trx
    .updateTable('recommendations')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: nowIso() }))
    .where('id', '=', id)
    .execute();
}

/** Accepts one suggestion: the term is added to the recommendation (send the recommendation's version; 409 when stale). */
export async function acceptSuggestion(db: Kysely<DB>, id: string, version: number, actor: User) {
  const out = await db.transaction().execute(async (trx) => {
    const s = await trx.selectFrom('tag_suggestions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s) throw notFound('Suggestion');
    if (s.status !== 'pending') throw conflict('suggestion_decided', 'Someone already decided on this suggestion.', { status: s.status });
    const rec = await trx.selectFrom('recommendations').select(['id', 'version']).where('id', '=', s.recommendation_id).executeTakeFirstOrThrow();
    if (Number(rec.version) !== version) throw conflict('version_conflict', 'Someone else changed this recommendation meanwhile. Reload it and try again.', { currentVersion: Number(rec.version) });
    await trx.insertInto('recommendation_terms').values({ recommendation_id: s.recommendation_id, term_id: s.term_id }).onConflict((oc) => oc.columns(['recommendation_id', 'term_id']).doNothing()).execute();
    await trx.updateTable('tag_suggestions').set({ status: 'accepted', decided_by: actor.id, decided_at: nowIso() }).where('id', '=', id).execute();
    await bump(trx, s.recommendation_id);
    await recordAudit(trx, { actorId: actor.id, action: 'recommendation.tag_suggestion.accept', subjectType: 'recommendation', subjectId: s.recommendation_id, after: { term_id: s.term_id, kind: s.kind, confidence: Number(s.confidence) / 1000, suggestion_id: id } });
    await scheduleRetrain(trx, actor.id);
    return { id: s.recommendation_id, version: version + 1 };
  });
  return out;
}

/** Rejects one suggestion: it is kept as rejected and not suggested again. */
export async function rejectSuggestion(db: Kysely<DB>, id: string, actor: User) {
  return db.transaction().execute(async (trx) => {
    const s = await trx.selectFrom('tag_suggestions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s) throw notFound('Suggestion');
    if (s.status !== 'pending') throw conflict('suggestion_decided', 'Someone already decided on this suggestion.', { status: s.status });
    await trx.updateTable('tag_suggestions').set({ status: 'rejected', decided_by: actor.id, decided_at: nowIso() }).where('id', '=', id).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'recommendation.tag_suggestion.reject', subjectType: 'recommendation', subjectId: s.recommendation_id, after: { term_id: s.term_id, kind: s.kind, confidence: Number(s.confidence) / 1000, suggestion_id: id } });
    return { ok: true };
  });
}

/**
 * Accepts every pending suggestion at or above `minConfidence` (optionally of some kinds) for the selected
 * recommendations, all or nothing; each recommendation's history records what was added.
 */
export async function acceptAbove(db: Kysely<DB>, input: { recommendationIds: string[]; minConfidence: number; kinds?: TagKind[] }, actor: User) {
  const ids = [...new Set(input.recommendationIds)];
  return db.transaction().execute(async (trx) => {
    let accepted = 0;
    let recommendations = 0;
    const now = nowIso();
    // thousands of statements: SQLite runs each on the server's thread, so other requests are let in between them
    const pause = yielder(25);
    for (const part of chunks(ids)) {
      const found = await trx.selectFrom('recommendations').select('id').where('id', 'in', part).execute();
      if (found.length !== part.length) throw AppError400('unknown_recommendation', `${part.length - found.length} of the selected recommendations do not exist.`);
      let q = trx
        .selectFrom('tag_suggestions')
        .select(['id', 'recommendation_id', 'term_id', 'kind', 'confidence'])
        .where('recommendation_id', 'in', part)
        .where('status', '=', 'pending')
        .where('confidence', '>=', Math.round(input.minConfidence * 1000));
      if (input.kinds?.length) q = q.where('kind', 'in', input.kinds);
      const rows = await q.execute();
      const byRec = new Map<string, typeof rows>();
      for (const r of rows) {
        let xs = byRec.get(r.recommendation_id);
        if (!xs) byRec.set(r.recommendation_id, (xs = []));
        xs.push(r);
      }
      for (const [recId, xs] of byRec) {
        await pause();
        await trx
          .insertInto('recommendation_terms')
          .values(xs.map((x) => ({ recommendation_id: recId, term_id: x.term_id })))
          .onConflict((oc) => oc.columns(['recommendation_id', 'term_id']).doNothing())
          .execute();
        await trx
          .updateTable('tag_suggestions')
          .set({ status: 'accepted', decided_by: actor.id, decided_at: now })
          .where('id', 'in', xs.map((x) => x.id))
          .execute();
        await bump(trx, recId);
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'recommendation.tag_suggestion.accept',
          subjectType: 'recommendation',
          subjectId: recId,
          after: { terms: xs.map((x) => ({ term_id: x.term_id, kind: x.kind, confidence: Number(x.confidence) / 1000 })), min_confidence: input.minConfidence },
        });
        accepted += xs.length;
        recommendations += 1;
      }
    }
    if (accepted > 0) await scheduleRetrain(trx, actor.id);
    return { selected: ids.length, recommendations, accepted };
  });
}

const AppError400 = (code: string, message: string) => new AppError(400, code, message);
