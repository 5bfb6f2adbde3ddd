/**
 * One measured tagger training in its own process, so that peak RSS belongs to the training alone (as in the app,
 * where the job reads the labelled texts and trains): reads the training documents and the texts to suggest for
 * from JSON files, trains, serialises, reloads the model and suggests for the texts. Prints one JSON line.
 *   node --expose-gc --import tsx bench/tagger-train-child.ts --docs FILE --texts FILE --sdg DIR --model blend|centroids
 * --model centroids trains without the nearest-neighbour part (the model before the blend), for a ratio measured
 * under the same machine load.
 */
import fs from 'node:fs';
import { sdgSeedsFromYaml } from '../src/tagging/evaluation.ts';
import { TaggerModel, type ModelJson, type TrainDoc } from '../src/tagging/model.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const docs = JSON.parse(fs.readFileSync(arg('docs')!, 'utf8')) as TrainDoc[];
const texts = JSON.parse(fs.readFileSync(arg('texts')!, 'utf8')) as string[];
const seeds = sdgSeedsFromYaml(arg('sdg')!);
const mode = arg('model') === 'centroids' ? 'centroids' : 'blend';
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const c0 = cpu();
const t0 = performance.now();
const model = TaggerModel.train(docs, seeds, { neighbours: mode === 'blend' });
const trainMs = performance.now() - t0;
const trainCpuMs = cpu() - c0;
// the operating system's peak resident set of this process (kilobytes), training included
const peakKb = process.resourceUsage().maxRSS;
const json = JSON.stringify(model.toJSON());
const t1 = performance.now();
const loaded = TaggerModel.fromJSON(JSON.parse(json) as ModelJson);
const loadMs = performance.now() - t1;
const c2 = cpu();
const t2 = performance.now();
for (const t of texts) loaded.predict(t);
const suggestMs = performance.now() - t2;
const suggestCpuMs = cpu() - c2;
console.log(
  JSON.stringify({
    model: mode,
    docs: docs.length,
    train_ms: Math.round(trainMs),
    // processor time of this process: what the wall-clock figures would be on an idle core (the machine is shared)
    train_cpu_ms: Math.round(trainCpuMs),
    rss_before_training_mb: Math.round(rssBefore / 1048576),
    rss_peak_training_mb: Math.round(peakKb / 1024),
    model_json_mb: Math.round((json.length / 1048576) * 10) / 10,
    model_load_ms: Math.round(loadMs),
    suggest_ms: Math.round(suggestMs),
    suggest_cpu_ms: Math.round(suggestCpuMs),
    suggest_texts: texts.length,
  }),
);
