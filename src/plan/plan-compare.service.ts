import type { Kysely } from 'kysely';
import type { Actor } from '../auth/permissions.ts';
import type { DB } from '../db/schema.ts';
import { badRequest } from '../shared/errors.ts';
import { getPlanTree } from './plan-read.service.ts';

type Tree = Awaited<ReturnType<typeof getPlanTree>>;
type Action = Tree['pillars'][number]['objectives'][number]['actions'][number];

const ACTION_FIELDS = ['title_ar', 'title_en', 'description_ar', 'description_en', 'lead_entity_id', 'start_date', 'end_date', 'budget_amount', 'budget_currency', 'budget_source', 'priority', 'status'] as const;
const TARGET_FIELDS = ['unit', 'baseline_value', 'baseline_year', 'target_value', 'target_year'] as const;

function actionsOf(t: Tree) {
  const out = new Map<string, Action & { objective_code: string }>();
  for (const p of t.pillars) for (const o of p.objectives) for (const a of o.actions) out.set(a.code, { ...a, objective_code: o.code });
  return out;
}
function indicatorsOf(t: Tree) {
  const out = new Map<string, { owner: string } & Pick<Action['indicators'][number], 'name_ar' | 'name_en' | (typeof TARGET_FIELDS)[number]>>();
  for (const p of t.pillars) {
    for (const o of p.objectives) {
      for (const i of o.indicators) out.set(`${o.code}/${i.name_en}`, { ...i, owner: o.code });
      for (const a of o.actions) for (const i of a.indicators) out.set(`${a.code}/${i.name_en}`, { ...i, owner: a.code });
    }
  }
  return out;
}
const list = (xs: string[]) => JSON.stringify([...xs].sort());
/** a field's earlier and later value: text, a number, a list of codes or ids, or null */
type Change = { field: string; from: string | number | string[] | null; to: string | number | string[] | null };

/**
 * What changed between two versions of one plan (`from` → `to`): pillars, objectives and actions added or removed
 * (matched by code), actions changed field by field (with their links), and indicator targets added, removed or changed.
 */
export async function comparePlans(db: Kysely<DB>, fromId: string, toId: string, actor: Actor) {
  const [from, to] = await Promise.all([getPlanTree(db, fromId, actor), getPlanTree(db, toId, actor)]);
  if (from.lineage_id !== to.lineage_id) throw badRequest('different_plans', 'These are not two versions of the same plan.', { field: 'with' });
  const codes = (t: Tree, level: 'pillar' | 'objective') =>
    new Set(level === 'pillar' ? t.pillars.map((p) => p.code) : t.pillars.flatMap((p) => p.objectives.map((o) => o.code)));
  const diffSets = (a: Set<string>, b: Set<string>) => ({ added: [...b].filter((x) => !a.has(x)).sort(), removed: [...a].filter((x) => !b.has(x)).sort() });

  const fa = actionsOf(from);
  const ta = actionsOf(to);
  const brief = (a: Action) => ({ code: a.code, title_ar: a.title_ar, title_en: a.title_en });
  const changed = [];
  for (const [code, b] of ta) {
    const a = fa.get(code);
    if (!a) continue;
    const fields: Change[] = [];
    for (const f of ACTION_FIELDS) if (a[f] !== b[f]) fields.push({ field: f, from: a[f], to: b[f] });
    if (a.objective_code !== b.objective_code) fields.push({ field: 'objective', from: a.objective_code, to: b.objective_code });
    const links = {
      partners: [a.partners.map((p) => p.code), b.partners.map((p) => p.code)],
      recommendations: [a.recommendations.map((r) => r.id), b.recommendations.map((r) => r.id)],
      sdg_targets: [a.sdg_targets.map((s) => s.code), b.sdg_targets.map((s) => s.code)],
    } as const;
    for (const [k, [x, y]] of Object.entries(links)) if (list(x) !== list(y)) fields.push({ field: k, from: [...x].sort(), to: [...y].sort() });
    if (fields.length) changed.push({ ...brief(b), fields });
  }
  const fi = indicatorsOf(from);
  const ti = indicatorsOf(to);
  type Target = { owner: string; name_ar: string; name_en: string };
  const targets = { added: [] as (Target & { target_value: string | null; unit: string | null })[], removed: [] as Target[], changed: [] as (Target & { fields: Change[] })[] };
  for (const [k, b] of ti) {
    const a = fi.get(k);
    if (!a) {
      targets.added.push({ owner: b.owner, name_ar: b.name_ar, name_en: b.name_en, target_value: b.target_value, unit: b.unit });
      continue;
    }
    const fields = TARGET_FIELDS.filter((f) => a[f] !== b[f]).map((f) => ({ field: f, from: a[f], to: b[f] }));
    if (fields.length) targets.changed.push({ owner: b.owner, name_ar: b.name_ar, name_en: b.name_en, fields });
  }
  for (const [k, a] of fi) if (!ti.has(k)) targets.removed.push({ owner: a.owner, name_ar: a.name_ar, name_en: a.name_en });

  return {
    from: { id: from.id, version_number: from.version_number, status: from.status },
    to: { id: to.id, version_number: to.version_number, status: to.status },
    pillars: diffSets(codes(from, 'pillar'), codes(to, 'pillar')),
    objectives: diffSets(codes(from, 'objective'), codes(to, 'objective')),
    actions: {
      added: [...ta.values()].filter((a) => !fa.has(a.code)).map(brief),
      removed: [...fa.values()].filter((a) => !ta.has(a.code)).map(brief),
      changed,
    },
    targets,
  };
}
