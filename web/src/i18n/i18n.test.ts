import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import ar from './ar.json';
import en from './en.json';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Tree = { [k: string]: string | Tree };

/** Flattens nested translation objects into dotted keys. */
function flatten(tree: Tree, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object') flatten(v, key, out);
    else out.set(key, v);
  }
  return out;
}

function sourceFiles(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p, ext));
    else if (ext.test(entry.name) && !entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const AR = flatten(ar as Tree);
const EN = flatten(en as Tree);
const LANGS = { ar: AR, en: EN } as const;

/** Keys built at run time (t(`prefix.${code}`)): every code the app knows must be translated. */
const DYNAMIC_KEYS = [
  ...['admin', 'coordinator', 'focal_point', 'contributor', 'viewer'].map((r) => `roles.${r}`),
  ...['supported', 'noted', 'partially_supported'].map((p) => `position.${p}`),
  ...['recommendation', 'observation', 'pledge'].map((k) => `kind.${k}`),
  ...['high', 'medium', 'low', 'none'].map((p) => `priority.${p}`),
  ...['ar', 'en', 'fr'].map((l) => `language.${l}`),
  ...['ar', 'en', 'fr'].map((l) => `detail.textIn.${l}`),
  ...['theme', 'affected_person', 'sdg_goal', 'sdg_target', 'tag'].map((k) => `terms.${k}`),
  ...['mechanism', 'body', 'document', 'cycle', 'position', 'kind', 'status', 'theme', 'affected', 'sdg', 'year'].map((f) => `facets.${f}`),
  ...['first', 'previous', 'next', 'last'].map((c) => `recs.pageControl.${c}`),
  ...['invalid_credentials', 'too_many_attempts', 'version_conflict', 'csrf_failed', 'unauthenticated', 'forbidden', 'not_found', 'network_error', 'validation_failed', 'internal_error', 'generic'].map(
    (c) => `errors.${c}`,
  ),
  ...['sso_not_configured', 'sso_unavailable', 'sso_refused', 'sso_state_mismatch', 'sso_expired', 'sso_failed', 'sso_no_email', 'sso_no_role', 'sso_unknown_entity', 'account_disabled'].map((c) => `sso.errors.${c}`),
  ...['priority', 'notes', 'status', 'text_ar', 'text_en', 'text_fr', 'position', 'kind', 'due_date', 'is_public', 'follow_up'].map((f) => `fields.${f}`),
];

/** t('key') / t("key") and i18nKey="key" with a literal key. */
const USAGE = /\bt\(\s*(['"])([^'"`$]+)\1|i18nKey=(['"])([^'"]+)\3/g;

describe('translations', () => {
  it('has the same keys in Arabic and English', () => {
    const onlyAr = [...AR.keys()].filter((k) => !EN.has(k));
    const onlyEn = [...EN.keys()].filter((k) => !AR.has(k));
    expect(onlyAr, 'keys only in ar.json').toEqual([]);
    expect(onlyEn, 'keys only in en.json').toEqual([]);
  });

  it('has no empty or non-string values', () => {
    for (const [lang, map] of Object.entries(LANGS)) {
      const bad = [...map.entries()].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
      expect(bad, `empty values in ${lang}.json`).toEqual([]);
    }
  });

  it('keeps the same interpolation variables in both languages', () => {
    const vars = (s: unknown) => [...String(s).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    const mismatched = [...AR.keys()].filter((k) => EN.has(k) && JSON.stringify(vars(AR.get(k))) !== JSON.stringify(vars(EN.get(k))));
    expect(mismatched, 'keys whose {{variables}} differ between ar and en').toEqual([]);
  });

  it('translates every key used in the components', () => {
    const files = sourceFiles(SRC, /\.(tsx|ts)$/);
    const used = new Map<string, string>();
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(USAGE)) used.set(m[2] ?? m[4]!, path.relative(SRC, file));
    }
    expect(used.size, 'no t() calls found: is the scan broken?').toBeGreaterThan(50);
    const missing: string[] = [];
    for (const [key, file] of used) {
      for (const [lang, map] of Object.entries(LANGS)) if (!map.has(key)) missing.push(`${lang}: ${key} (${file})`);
    }
    expect(missing).toEqual([]);
  });

  it('translates every code the app builds keys from', () => {
    const missing = DYNAMIC_KEYS.flatMap((k) => Object.entries(LANGS).filter(([, map]) => !map.has(k)).map(([lang]) => `${lang}: ${k}`));
    expect(missing).toEqual([]);
  });

  it('has no hard-coded visible text in JSX', () => {
    // JSX text and literal text attributes (label="…", title="…", aria-label="…") must come from t().
    const TEXT_ATTRS = new Set(['label', 'title', 'placeholder', 'aria-label', 'alt', 'description', 'error']);
    const hasLetters = (s: string) => /[A-Za-z\u0600-\u06FF]/.test(s);
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC, /\.tsx$/)) {
      const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const visit = (node: ts.Node) => {
        if (ts.isJsxText(node)) {
          const s = node.text.trim();
          // The brand mark is the logo's letter, not text to translate.
          if (s && hasLetters(s) && s !== 'ر') offenders.push(`${path.relative(SRC, file)}: "${s}"`);
        } else if (ts.isJsxAttribute(node) && node.initializer && ts.isStringLiteral(node.initializer)) {
          const name = node.name.getText(sf);
          if (TEXT_ATTRS.has(name) && hasLetters(node.initializer.text)) offenders.push(`${path.relative(SRC, file)}: ${name}="${node.initializer.text}"`);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(offenders).toEqual([]);
  });
});
