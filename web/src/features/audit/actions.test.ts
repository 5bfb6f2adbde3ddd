import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import ar from '../../i18n/ar.json';
import en from '../../i18n/en.json';
import { AUDIT_ACTIONS, auditActionKey } from './actions.ts';

type Tree = { [k: string]: string | Tree };
const get = (tree: Tree, key: string): unknown => key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Tree)[part] : undefined), tree);

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../src');
function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' ? [] : files(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('audit actions in the reader’s language', () => {
  it('lists every literal audit action the server records', () => {
    const used = new Set<string>();
    for (const f of files(SRC)) {
      const text = fs.readFileSync(f, 'utf8');
      // recordAudit({ action: 'x.y' }) and applyStatusChange({ auditAction: 'x.y' }); bulk op names are `action: 'publish'` (no dot)
      for (const m of text.matchAll(/\b(?:action|auditAction):\s*'([a-z_]+\.[a-z_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(40);
    expect([...used].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
  });

  it('names every action in Arabic and English', () => {
    for (const a of AUDIT_ACTIONS) {
      const nameAr = get(ar as Tree, auditActionKey(a));
      const nameEn = get(en as Tree, auditActionKey(a));
      expect(typeof nameAr === 'string' && /[\u0600-\u06ff]/.test(nameAr), `${a} (ar)`).toBe(true);
      expect(typeof nameEn === 'string' && /^[A-Z][^\u0600-\u06ff]*$/.test(nameEn), `${a} (en)`).toBe(true);
    }
  });
});
