import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { recordAudit } from '../audit/index.ts';
import type { DB, TermKind } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';

export const TERM_KINDS = ['theme', 'affected_person', 'sdg_goal', 'sdg_target', 'tag'] as const satisfies readonly TermKind[];

export async function listTerms(db: Kysely<DB>, kind: TermKind) {
  const rows = await db
    .selectFrom('terms as t')
    .leftJoin('recommendation_terms as rt', 'rt.term_id', 't.id')
    .select(['t.id', 't.kind', 't.code', 't.label_ar', 't.label_en', 't.parent_id', 't.sort', (eb) => eb.fn.count<number>('rt.recommendation_id').as('usage')])
    .where('t.kind', '=', kind)
    .groupBy(['t.id', 't.kind', 't.code', 't.label_ar', 't.label_en', 't.parent_id', 't.sort'])
    .orderBy('t.sort')
    .orderBy('t.code')
    .execute();
  return rows.map((r) => ({ ...r, usage: Number(r.usage) }));
}

export interface TermInput {
  code: string;
  label_ar?: string | null;
  label_en?: string | null;
  parent_id?: string | null;
  sort?: number;
}

export async function createTerm(db: Kysely<DB>, kind: TermKind, input: TermInput, actorId: string) {
  const term = {
    id: newId(),
    kind,
    code: input.code.trim(),
    label_ar: input.label_ar?.trim() || null,
    label_en: input.label_en?.trim() || null,
    parent_id: input.parent_id ?? null,
    sort: input.sort ?? 0,
    created_at: nowIso(),
  };
  if (!term.label_ar && !term.label_en) throw badRequest('label_required', 'Give the term a label in Arabic or English.');
  await db.transaction().execute(async (trx) => {
    await checkParent(trx, term.id, kind, term.parent_id);
    await trx.insertInto('terms').values(term).execute();
    await recordAudit(trx, { actorId, action: 'term.create', subjectType: 'term', subjectId: term.id, after: term });
  });
  return term;
}

/** A term's parent is another term of the same kind, and never the term itself or one of its descendants. */
async function checkParent(trx: Kysely<DB>, id: string, kind: TermKind, parentId: string | null): Promise<void> {
  if (parentId === null) return;
  const seen = new Set<string>([id]);
  // an empty id is looked up like any other (and refused), not taken for "no parent"
  let at: string | null = parentId;
  while (at !== null) {
    if (seen.has(at)) throw badRequest('invalid_parent_term', 'A term cannot be placed under itself or under one of its own sub-terms.', { field: 'parent_id' });
    seen.add(at);
    const row: { kind: string; parent_id: string | null } | undefined = await trx.selectFrom('terms').select(['kind', 'parent_id']).where('id', '=', at).executeTakeFirst();
    if (!row || (at === parentId && row.kind !== kind)) throw badRequest('unknown_parent_term', 'The parent term does not exist in this list.', { field: 'parent_id' });
    at = row.parent_id;
  }
}

export async function updateTerm(db: Kysely<DB>, id: string, input: Partial<TermInput>, actorId: string) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('terms').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('Term');
    const patch: Partial<TermInput> = {};
    if (input.label_ar !== undefined) patch.label_ar = input.label_ar?.trim() || null;
    if (input.label_en !== undefined) patch.label_en = input.label_en?.trim() || null;
    if (input.sort !== undefined) patch.sort = input.sort;
    if (input.parent_id !== undefined) patch.parent_id = input.parent_id;
    if (Object.keys(patch).length === 0) return before;
    if (patch.parent_id != null) await checkParent(trx, id, before.kind, patch.parent_id);
    await trx.updateTable('terms').set(patch).where('id', '=', id).execute();
    await recordAudit(trx, { actorId, action: 'term.update', subjectType: 'term', subjectId: id, before, after: patch });
    return { ...before, ...patch };
  });
}

export async function deleteTerm(db: Kysely<DB>, id: string, actorId: string) {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('terms').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('Term');
    const used = await trx.selectFrom('recommendation_terms').select('term_id').where('term_id', '=', id).limit(1).executeTakeFirst();
    if (used) throw conflict('term_in_use', 'This term is used by recommendations; remove it from them first.');
    await trx.updateTable('terms').set({ parent_id: null }).where('parent_id', '=', id).execute();
    await trx.deleteFrom('terms').where('id', '=', id).execute();
    await recordAudit(trx, { actorId, action: 'term.delete', subjectType: 'term', subjectId: id, before });
  });
}

function readYaml(dir: string, file: string): Record<string, string> {
  const p = path.join(dir, file);
  if (!fs.existsSync(p)) throw badRequest('missing_file', `${p} is missing (expected ar-/en-global-goals.yml and -targets.yml).`);
  const parsed = parseYaml(fs.readFileSync(p, 'utf8')) as unknown;
  if (!parsed || typeof parsed !== 'object') throw badRequest('invalid_yaml', `${p} is not a YAML mapping.`);
  return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v).replace(/\s+/g, ' ').trim()]));
}

/**
 * Imports the 17 goals and 169 targets with Arabic and English titles (files `{ar,en}-global-{goals,targets}.yml`,
 * keys like `16-title`, `16-2-title`). Existing terms keep their ids; labels are updated.
 */
export async function importSdgs(db: Kysely<DB>, dir: string, actorId: string | null = null) {
  const goals = { ar: readYaml(dir, 'ar-global-goals.yml'), en: readYaml(dir, 'en-global-goals.yml') };
  const targets = { ar: readYaml(dir, 'ar-global-targets.yml'), en: readYaml(dir, 'en-global-targets.yml') };
  const rows: { kind: TermKind; code: string; ar: string | null; en: string | null; parent?: string; sort: number }[] = [];
  for (const key of Object.keys(goals.en)) {
    const m = /^(\d+)-title$/.exec(key);
    if (m) rows.push({ kind: 'sdg_goal', code: m[1]!, ar: goals.ar[key] ?? null, en: goals.en[key]!, sort: Number(m[1]) });
  }
  for (const key of Object.keys(targets.en)) {
    const m = /^(\d+)-(\w+)-title$/.exec(key);
    if (m) {
      const n = Number.parseInt(m[2]!, 10);
      rows.push({ kind: 'sdg_target', code: `${m[1]}.${m[2]}`, ar: targets.ar[key] ?? null, en: targets.en[key]!, parent: m[1], sort: Number(m[1]) * 100 + (Number.isNaN(n) ? 50 + m[2]!.charCodeAt(0) : n) });
    }
  }
  let created = 0;
  let updated = 0;
  await db.transaction().execute(async (trx) => {
    const existing = new Map((await trx.selectFrom('terms').selectAll().where('kind', 'in', ['sdg_goal', 'sdg_target']).execute()).map((t) => [`${t.kind}:${t.code}`, t]));
    const now = nowIso();
    for (const r of rows.sort((a, b) => (a.kind === b.kind ? a.sort - b.sort : a.kind === 'sdg_goal' ? -1 : 1))) {
      const parentId = r.parent ? existing.get(`sdg_goal:${r.parent}`)?.id ?? null : null;
      const prior = existing.get(`${r.kind}:${r.code}`);
      if (prior) {
        await trx.updateTable('terms').set({ label_ar: r.ar, label_en: r.en, parent_id: parentId, sort: r.sort }).where('id', '=', prior.id).execute();
        updated += 1;
      } else {
        const term = { id: newId(), kind: r.kind, code: r.code, label_ar: r.ar, label_en: r.en, parent_id: parentId, sort: r.sort, created_at: now };
        await trx.insertInto('terms').values(term).execute();
        existing.set(`${r.kind}:${r.code}`, term);
        created += 1;
      }
    }
    await recordAudit(trx, { actorId, action: 'taxonomy.import_sdg', subjectType: 'taxonomy', after: { created, updated } });
  });
  return { goals: rows.filter((r) => r.kind === 'sdg_goal').length, targets: rows.filter((r) => r.kind === 'sdg_target').length, created, updated };
}
