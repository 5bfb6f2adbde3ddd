/**
 * `rasd tagger train` and `rasd tagger eval` through the real command (bin/rasd.mjs) on a SQLite file, with
 * own-made UHRI-shaped files: the bad inputs (empty database, unlabelled test file, unknown SDG) end with a one-line
 * reason and a non-zero exit; the test file's records are left out of training even when the database holds them;
 * `--json` prints the documented object.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/rasd.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-tagger-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function rasd(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}`, LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const TOPICS = [
  { theme: '- Prohibition of torture and cruel, inhuman or degrading treatment', affected: '- persons deprived of their liberty', sdg: '16.3 - Promote the rule of law', text: 'prevent torture and ill-treatment in places of detention and investigate every allegation of torture by police officers' },
  { theme: '- Right to education', affected: '- children', sdg: '4.1 - Free primary and secondary education', text: 'ensure free and compulsory primary education for all children and raise school enrolment in rural areas' },
  { theme: '- Discrimination against women', affected: '- women', sdg: '5.1 - End all forms of discrimination against all women and girls', text: 'combat discrimination against women, adopt a law on equal pay and increase the participation of women in public life' },
];
const OPENINGS = ['Take measures to', 'Continue efforts to', 'Strengthen policies to', 'Redouble efforts to', 'Adopt a national plan to', 'Further', 'Step up efforts to', 'Consider measures to'];

function record(i: number, text: string, labels: { Themes?: string[]; AffectedPersons?: string[]; Sdgs?: string[] }, symbol = 'A/HRC/90/1') {
  return {
    AnnotationId: `0b1c2d3e-0000-4000-8000-${String(i).padStart(12, '0')}`,
    AnnotationType: '- Recommendations',
    Body: '- UPR',
    Symbol: symbol,
    Text: `100.${i} ${text}`,
    PublicationDate: '2020-03-27T00:00:00',
    Countries: ['Testland'],
    Themes: labels.Themes ?? [],
    AffectedPersons: labels.AffectedPersons ?? [],
    Sdgs: labels.Sdgs ?? [],
    UprCycle: '3',
    UprSession: ['35'],
    UprPositions: ['Supported'],
    UprRecommendingCountry: ['Chile'],
  };
}

const training = TOPICS.flatMap((t, ti) => OPENINGS.map((o, oi) => record(ti * 20 + oi + 1, `${o} ${t.text} (State ${oi})`, { Themes: [t.theme], AffectedPersons: [t.affected], Sdgs: [t.sdg] })));
const write = (name: string, data: unknown) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, JSON.stringify(data));
  return f;
};
// held-out records, new texts; SDGs once as targets, once as bare goal numbers
const test = [
  record(901, 'Investigate allegations of torture in detention and prosecute the police officers responsible', { Themes: [TOPICS[0]!.theme], Sdgs: ['16.3 - Promote the rule of law'] }, 'A/HRC/99/2'),
  record(902, 'Guarantee free primary education for all children, including in rural areas', { Themes: [TOPICS[1]!.theme], Sdgs: ['4'] }, 'A/HRC/99/2'),
  record(903, 'Adopt a law on equal pay and end discrimination against women', { Themes: [TOPICS[2]!.theme], AffectedPersons: ['- women'], Sdgs: ['5'] }, 'A/HRC/99/2'),
];

describe('rasd tagger', { timeout: 240_000 }, () => {
  it('refuses an empty database, an unlabelled test file and unknown SDG numbers with one line and a non-zero exit', () => {
    const testFile = write('test-en.json', test);
    const empty = rasd(['tagger', 'eval', '--test', testFile]);
    expect(empty.code).not.toBe(0);
    expect(empty.err.trim().split('\n')).toHaveLength(1);
    expect(empty.err).toMatch(/no labelled recommendations/);
    expect(rasd(['tagger', 'train']).code).not.toBe(0);

    expect(rasd(['import', 'uhri-json', write('train-en.json', training)]).code).toBe(0);
    const unlabelled = rasd(['tagger', 'eval', '--test', write('bare-en.json', test.map((r) => ({ ...r, Themes: [], AffectedPersons: [], Sdgs: [] })))]);
    expect(unlabelled.code).not.toBe(0);
    expect(unlabelled.err.trim().split('\n')).toHaveLength(1);
    expect(unlabelled.err).toMatch(/no labels/);
    const unknown = rasd(['tagger', 'eval', '--test', write('sdg18-en.json', [test[0], { ...test[1], Sdgs: ['18'] }])]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err.trim().split('\n')).toHaveLength(1);
    expect(unknown.err).toMatch(/unknown SDG "18"/);
    expect(rasd(['tagger', 'eval', '--test', path.join(dir, 'missing.json')]).code).not.toBe(0);
  });

  it('evaluates on a held-out file and prints the documented JSON; the file\'s records are never trained on', () => {
    const res = rasd(['tagger', 'eval', '--test', path.join(dir, 'test-en.json'), '--format', 'uhri-json', '--json']);
    expect(res.code, res.err).toBe(0);
    const j = JSON.parse(res.out.trim());
    expect(j.n).toBe(3);
    expect(j.train_docs).toBe(24);
    for (const k of ['sdg_goal', 'sdg_target', 'theme', 'affected']) expect(Object.keys(j[k])).toEqual(expect.arrayContaining(['micro_f1', 'macro_f1', 'p_at_3', 'coverage']));
    expect(j.sdg_goal.n).toBe(3);
    expect(j.sdg_target.n).toBe(1);
    expect(j.theme.micro_f1).toBe(1);
    expect(j.sdg_goal.micro_f1).toBe(1);
    expect(j.affected.n).toBe(1);
    // how the confidences shown compare with how often the suggestions kept are right on the test file
    for (const k of ['sdg_goal', 'sdg_target', 'theme', 'affected']) expect(Object.keys(j[k].confidence).sort()).toEqual(['ece', 'mean_confidence', 'n', 'precision']);
    expect(j.theme.confidence.n).toBeGreaterThanOrEqual(3);
    expect(j.theme.confidence.precision).toBeGreaterThan(0);
    // per tenth of confidence, the gaps add up to at least the overall gap
    expect(j.theme.confidence.ece).toBeGreaterThanOrEqual(Math.abs(j.theme.confidence.mean_confidence - j.theme.confidence.precision) - 0.002);
    // in the test file's own names: the training data is one source document, so there is nothing to choose the
    // mapping's settings on by holding a document out, and the plain suggestions are measured
    const named = rasd(['tagger', 'eval', '--test', path.join(dir, 'test-en.json'), '--json', '--list-names']);
    expect(named.code, named.err).toBe(0);
    const jn = JSON.parse(named.out.trim());
    expect(jn.theme.micro_f1).toBe(1);
    expect(jn.train_docs).toBe(24);
    expect(jn.list_names).toEqual({});

    // the same records imported: still left out (train_docs unchanged), so the figures are the same
    expect(rasd(['import', 'uhri-json', path.join(dir, 'test-en.json')]).code).toBe(0);
    const again = JSON.parse(rasd(['tagger', 'eval', '--test', path.join(dir, 'test-en.json'), '--json']).out.trim());
    expect(again.train_docs).toBe(24);
    // part of the training file as the test file: those 8 records leave training
    const part = JSON.parse(rasd(['tagger', 'eval', '--test', write('part-en.json', training.slice(0, 8)), '--json']).out.trim());
    expect(part.train_docs).toBe(27 - 8);

    const text = rasd(['tagger', 'eval', '--test', path.join(dir, 'test-en.json')]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/themes\s+3\s+1\.000/);
    expect(text.out).toMatch(/shown\s+right\s+ECE/);
  });

  it('says when the database has no SDG target texts, and takes them from a folder with --sdg', () => {
    // own-made SDG texts in the shape of the SDG YAML files (a goal no training record carries: 6, water)
    const sdg = path.join(dir, 'sdg');
    fs.mkdirSync(sdg, { recursive: true });
    const yaml = (entries: Record<string, string>) => Object.entries(entries).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n');
    fs.writeFileSync(path.join(sdg, 'en-global-goals.yml'), yaml({ '4-title': 'Quality education', '6-title': 'Clean water and sanitation', '16-title': 'Peace, justice and strong institutions' }));
    fs.writeFileSync(path.join(sdg, 'ar-global-goals.yml'), yaml({ '4-title': 'التعليم الجيد', '6-title': 'المياه النظيفة والنظافة الصحية', '16-title': 'السلام والعدل والمؤسسات القوية' }));
    fs.writeFileSync(path.join(sdg, 'en-global-targets.yml'), yaml({ '6-1-title': 'Achieve universal and equitable access to safe and affordable drinking water for all', '6-2-title': 'Achieve access to adequate sanitation and hygiene for all', '16-3-title': 'Promote the rule of law and ensure equal access to justice for all' }));
    fs.writeFileSync(path.join(sdg, 'ar-global-targets.yml'), yaml({ '6-1-title': 'تحقيق هدف حصول الجميع على مياه الشرب المأمونة', '6-2-title': 'تحقيق هدف حصول الجميع على خدمات الصرف الصحي', '16-3-title': 'تعزيز سيادة القانون وضمان تكافؤ فرص وصول الجميع إلى العدالة' }));
    const water = write('water-en.json', [record(951, 'Ensure access to safe drinking water and sanitation for all in rural villages', { Sdgs: ['6'] }, 'A/HRC/99/3')]);

    const without = rasd(['tagger', 'eval', '--test', water, '--json']);
    expect(without.code, without.err).toBe(0);
    expect(without.err).toMatch(/no SDG target texts/);
    const jw = JSON.parse(without.out.trim());
    expect(jw.sdg_texts).toBe('none');
    // goal 6 is carried by no training record and named by no text the database holds: it cannot be suggested
    expect(jw.sdg_goal.micro_f1).toBe(0);
    expect(jw.sdg_goal.p_at_3).toBe(0);

    const withSdg = rasd(['tagger', 'eval', '--test', water, '--json', '--sdg', sdg]);
    expect(withSdg.code, withSdg.err).toBe(0);
    expect(withSdg.err).not.toMatch(/no SDG target texts/);
    const js = JSON.parse(withSdg.out.trim());
    expect(js.sdg_texts).toBe('folder');
    // through the folder's titles of goal 6 and its targets, goal 6 is among the suggestions
    expect(js.sdg_goal.p_at_3, JSON.stringify(js.sdg_goal)).toBe(1);

    const missing = rasd(['tagger', 'eval', '--test', water, '--sdg', path.join(dir, 'no-such-folder')]);
    expect(missing.code).not.toBe(0);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).toMatch(/Cannot read the SDG texts/);
  });

  it('trains and stores suggestions', () => {
    const res = rasd(['tagger', 'train']);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/^Trained on 27 labelled recommendations/);
  });
});
