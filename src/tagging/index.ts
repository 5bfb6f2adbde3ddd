export { taggingRoutes } from './tagging.routes.ts';
export { trainAndSuggest, loadTrainingData, scheduleRetrain, TRAIN_JOB, type TrainResult } from './tagging.service.ts';
export { TaggerModel, type TrainDoc, type Seed, type Prediction, type Suggestion } from './model.ts';
export { evaluate, type KindMetrics } from './metrics.ts';
export { docFromRecord, evaluateDocs, SdgReferenceError, hasLabels, type EvalReport } from './evaluation.ts';
export { TAG_KINDS, canonicalName, parseSdgRef, type TagKind } from './labels.ts';
export { evaluateAgainstDatabase } from './eval.service.ts';
export { retrain, trainInWorker } from './train-worker.ts';
