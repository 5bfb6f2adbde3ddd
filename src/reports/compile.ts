import { createHash } from 'node:crypto';
import { MEASURE_TYPE_NAMES } from '../updates/index.ts';
import type { Kysely, Transaction } from 'kysely';
import type { DB, Obligation, ReportStructure } from '../db/schema.ts';
import { badRequest } from '../shared/errors.ts';
import { obligationSources } from './obligations.service.ts';
import { CONCLUSION, INTRODUCTION, templateOf, UNASSIGNED, UPR_AFTER, UPR_BEFORE, type FixedSection } from './templates.ts';
import { citedArticle, treatyOfBody, type Treaty } from './treaty-articles.ts';

type Q = Kysely<DB> | Transaction<DB>;

/** One section as the compiler produces it. */
export interface CompiledSection {
  key: string;
  sort: number;
  heading_ar: string;
  heading_en: string;
  text_ar: string;
  text_en: string;
  recommendationIds: string[];
  sourceHash: string;
}

export interface Rec {
  id: string;
  paragraph: string | null;
  symbol: string;
  text_ar: string | null;
  text_en: string | null;
  cluster_id: string | null;
  status: string;
}

interface Update {
  id: string;
  version: number;
  text_ar: string | null;
  text_en: string | null;
  reviewed_at: string | null;
  recommendation_id: string | null;
  cluster_id: string | null;
  measures: { type: string; description_ar: string | null; description_en: string | null }[];
  indicators: { name: string; value: string; unit: string | null }[];
}

/** A measure type's name as it reads inside a sentence. */
const measureName = (type: string, lang: 'ar' | 'en') => {
  const name = MEASURE_TYPE_NAMES[type as keyof typeof MEASURE_TYPE_NAMES]?.[lang];
  return name ? (lang === 'en' ? name.toLowerCase() : name) : type;
};

/** Isolates a left-to-right run (symbols, paragraph numbers) inside Arabic text. */
const ltr = (s: string) => `\u2066${s}\u2069`;

function paragraphRefs(recs: Rec[]): { ar: string; en: string } {
  const refs = recs.map((r) => r.paragraph ?? '?');
  const symbols = [...new Set(recs.map((r) => r.symbol))];
  const en = `${refs.length === 1 ? 'paragraph' : 'paragraphs'} ${refs.join(', ')} (${symbols.join('; ')})`;
  const ar = `${refs.length === 1 ? 'الفقرة' : 'الفقرات'} ${refs.map(ltr).join('، ')} (${symbols.map(ltr).join('؛ ')})`;
  return { ar, en };
}

/** The paragraphs one approved update contributes to a section, in both languages. */
function updateParagraphs(u: Update, recs: Rec[]): { ar: string; en: string } {
  const refs = paragraphRefs(recs);
  const ar: string[] = [];
  const en: string[] = [];
  const textAr = u.text_ar?.trim();
  const textEn = u.text_en?.trim();
  ar.push(`بشأن ${refs.ar}: ${textAr || (textEn ? `(النص مقدَّم بالإنجليزية فقط) ${textEn}` : 'لم يُقدَّم نص.')}`);
  en.push(`Regarding ${refs.en}: ${textEn || (textAr ? `(text submitted in Arabic only) ${textAr}` : 'no text was submitted.')}`);
  if (u.measures.length) {
    ar.push(
      `التدابير المتخذة: ${u.measures.map((m) => `${m.description_ar?.trim() || m.description_en?.trim() || ''} (${measureName(m.type, 'ar')})`).join('؛ ')}.`,
    );
    en.push(`Measures taken: ${u.measures.map((m) => `${m.description_en?.trim() || m.description_ar?.trim() || ''} (${measureName(m.type, 'en')})`).join('; ')}.`);
  }
  if (u.indicators.length) {
    ar.push(`المؤشرات: ${u.indicators.map((i) => `${i.name}: ${ltr(i.value)}${i.unit ? ` ${i.unit}` : ''}`).join('؛ ')}.`);
    en.push(`Indicators: ${u.indicators.map((i) => `${i.name}: ${i.value}${i.unit ? ` ${i.unit}` : ''}`).join('; ')}.`);
  }
  return { ar: ar.join('\n'), en: en.join('\n') };
}

function hashSources(recIds: string[], updates: Update[]): string {
  const h = createHash('sha256');
  h.update([...recIds].sort().join(','));
  h.update('|');
  h.update(updates.map((u) => `${u.id}:${u.version}`).sort().join(','));
  return h.digest('hex');
}

/**
 * The recommendations an obligation covers: its documents, limited to the paragraphs it lists. A document listed
 * without paragraphs counts whole, except for a treaty follow-up report (the paragraphs flagged for follow-up) and a
 * special-procedure follow-up (the visit report's recommendations, its observations left out).
 */
export async function coveredRecommendations(db: Q, obligation: Obligation, whole: 'all' | 'follow_up' | 'recommendations'): Promise<Rec[]> {
  const sources = await obligationSources(db, obligation.id);
  const out: Rec[] = [];
  for (const s of sources) {
    let q = db
      .selectFrom('recommendations as r')
      .innerJoin('documents as d', 'd.id', 'r.document_id')
      .select(['r.id', 'r.paragraph', 'd.symbol', 'r.text_ar', 'r.text_en', 'r.cluster_id', 'r.status'])
      .where('r.document_id', '=', s.documentId);
    if (s.paragraphs) q = q.where('r.paragraph', 'in', s.paragraphs);
    else if (whole === 'follow_up') q = q.where('r.follow_up', '=', 1);
    else if (whole === 'recommendations') q = q.where('r.kind', '=', 'recommendation');
    out.push(...(await q.execute()));
  }
  // a record of a source document merged into another (one record per recommendation): the kept record stands for it
  const held = new Set(out.map((r) => r.id));
  const aliases = sources.length
    ? await db
        .selectFrom('recommendation_aliases')
        .select(['recommendation_id', 'fields'])
        .where((eb) => eb.or(sources.map((s) => eb('fields', 'like', `%"document_id":"${s.documentId}"%`))))
        .execute()
    : [];
  // named by paragraph: taken whole; a whole document: filtered as its own records are
  const named = new Set<string>();
  const whole_ = new Set<string>();
  for (const a of aliases) {
    const f = JSON.parse(a.fields) as { document_id?: string; paragraph?: string | null };
    const s = sources.find((x) => x.documentId === f.document_id);
    if (!s || held.has(a.recommendation_id)) continue;
    if (!s.paragraphs) whole_.add(a.recommendation_id);
    else if (f.paragraph && s.paragraphs.includes(f.paragraph)) named.add(a.recommendation_id);
  }
  for (const id of named) whole_.delete(id);
  for (const [ids, filtered] of [
    [named, false],
    [whole_, true],
  ] as const) {
    if (!ids.size) continue;
    let q = db
      .selectFrom('recommendations as r')
      .innerJoin('documents as d', 'd.id', 'r.document_id')
      .select(['r.id', 'r.paragraph', 'd.symbol', 'r.text_ar', 'r.text_en', 'r.cluster_id', 'r.status'])
      .where('r.id', 'in', [...ids]);
    if (filtered && whole === 'follow_up') q = q.where('r.follow_up', '=', 1);
    else if (filtered && whole === 'recommendations') q = q.where('r.kind', '=', 'recommendation');
    out.push(...(await q.execute()));
  }
  const num = (p: string | null) => (p ?? '').split('.').map((x) => Number.parseInt(x, 10) || 0);
  return out.sort((a, b) => {
    if (a.symbol !== b.symbol) return a.symbol.localeCompare(b.symbol);
    const [x, y] = [num(a.paragraph), num(b.paragraph)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
}

/** Approved updates (only approved ones ever feed a report) of the recommendations' own or cluster assignments. */
async function approvedUpdates(db: Q, recs: Rec[]): Promise<Update[]> {
  if (!recs.length) return [];
  const recIds = recs.map((r) => r.id);
  const clusterIds = [...new Set(recs.map((r) => r.cluster_id).filter((c): c is string => !!c))];
  const rows: Omit<Update, 'measures' | 'indicators'>[] = [];
  for (let i = 0; i < recIds.length; i += 500) {
    const chunk = recIds.slice(i, i + 500);
    rows.push(
      ...(await db
        .selectFrom('progress_updates as pu')
        .innerJoin('assignments as a', 'a.id', 'pu.assignment_id')
        .select(['pu.id', 'pu.version', 'pu.text_ar', 'pu.text_en', 'pu.reviewed_at', 'a.recommendation_id', 'a.cluster_id'])
        .where('pu.status', '=', 'approved')
        .where('a.recommendation_id', 'in', chunk)
        .execute()),
    );
  }
  if (clusterIds.length) {
    rows.push(
      ...(await db
        .selectFrom('progress_updates as pu')
        .innerJoin('assignments as a', 'a.id', 'pu.assignment_id')
        .select(['pu.id', 'pu.version', 'pu.text_ar', 'pu.text_en', 'pu.reviewed_at', 'a.recommendation_id', 'a.cluster_id'])
        .where('pu.status', '=', 'approved')
        .where('a.cluster_id', 'in', clusterIds)
        .execute()),
    );
  }
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const measures: { update_id: string; type: string; description_ar: string | null; description_en: string | null }[] = [];
  const indicators: { update_id: string; name: string; value: string; unit: string | null }[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    measures.push(...(await db.selectFrom('update_measures').select(['update_id', 'type', 'description_ar', 'description_en']).where('update_id', 'in', chunk).orderBy('sort').execute()));
    indicators.push(...(await db.selectFrom('update_indicators').select(['update_id', 'name', 'value', 'unit']).where('update_id', 'in', chunk).orderBy('sort').execute()));
  }
  return rows
    .map((r) => ({ ...r, measures: measures.filter((m) => m.update_id === r.id), indicators: indicators.filter((x) => x.update_id === r.id) }))
    .sort((a, b) => (a.reviewed_at ?? '').localeCompare(b.reviewed_at ?? '') || a.id.localeCompare(b.id));
}

/** Compiles the text of a section covering `recs` from the approved updates that concern them. */
function compileSection(recs: Rec[], updates: Update[]): { text_ar: string; text_en: string; hash: string } {
  const recIds = new Set(recs.map((r) => r.id));
  const relevant = updates.filter((u) => (u.recommendation_id && recIds.has(u.recommendation_id)) || (u.cluster_id && recs.some((r) => r.cluster_id === u.cluster_id)));
  const ar: string[] = [];
  const en: string[] = [];
  for (const u of relevant) {
    const concerned = u.recommendation_id ? recs.filter((r) => r.id === u.recommendation_id) : recs.filter((r) => r.cluster_id === u.cluster_id);
    const p = updateParagraphs(u, concerned);
    ar.push(p.ar);
    en.push(p.en);
  }
  return { text_ar: ar.join('\n\n'), text_en: en.join('\n\n'), hash: hashSources([...recIds], relevant) };
}

function fixed(f: FixedSection, sort: number, recs: Rec[], updates: Update[]): CompiledSection {
  const covered = f.compile === 'achievements' ? recs.filter((r) => r.status === 'fully_implemented') : [];
  const c = covered.length ? compileSection(covered, updates) : { text_ar: '', text_en: '', hash: hashSources([], []) };
  return { key: f.key, sort, heading_ar: f.ar, heading_en: f.en, text_ar: c.text_ar, text_en: c.text_en, recommendationIds: covered.map((r) => r.id), sourceHash: c.hash };
}

/** The treaty whose articles a report of this obligation is laid out by (its body's treaty), or a coded error. */
export async function obligationTreaty(db: Q, obligation: Obligation): Promise<Treaty> {
  const body = await db.selectFrom('bodies').select('code').where('id', '=', obligation.body_id).executeTakeFirstOrThrow();
  const treaty = treatyOfBody(body.code);
  if (!treaty) {
    throw badRequest('no_article_list', `Rasd holds no list of articles for the treaty of ${body.code}: lay this report out by paragraph.`, { body: body.code });
  }
  return treaty;
}

/** For a report laid out by article: the article each covered recommendation's own text cites, where it cites one. */
export async function suggestArticles(db: Q, obligation: Obligation, treaty: Treaty): Promise<Map<string, string>> {
  const recs = await coveredRecommendations(db, obligation, 'all');
  const out = new Map<string, string>();
  for (const r of recs) {
    const article = citedArticle(treaty, { en: r.text_en, ar: r.text_ar });
    if (article) out.set(r.id, article);
  }
  return out;
}

/** How a report is laid out: its structure and, laid out by article, the treaty and each recommendation's article. */
export interface Layout {
  structure: ReportStructure | null;
  treaty?: Treaty;
  articles?: Map<string, string>;
}

/** Builds the sections of a report of the obligation's type from what the register holds now. */
export async function compileSections(db: Q, obligation: Obligation, layout: Layout = { structure: null }): Promise<CompiledSection[]> {
  const template = templateOf(obligation.type);
  if (!template) throw badRequest('no_template', `There is no report template for obligations of type "${obligation.type}" yet.`, { type: obligation.type });
  const recs = await coveredRecommendations(db, obligation, template.kind === 'followup' ? 'follow_up' : template.kind === 'sp_followup' ? 'recommendations' : 'all');
  if (template.kind !== 'upr' && recs.length === 0) {
    throw badRequest('obligation_without_recommendations', 'The obligation covers no recommendations: add its source documents (and paragraphs) first.');
  }
  const updates = await approvedUpdates(db, recs);
  const sections: CompiledSection[] = [];
  let sort = 0;
  /** a section compiled from these recommendations' approved updates */
  const group = (key: string, heading_ar: string, heading_en: string, members: Rec[]) => {
    const c = compileSection(members, updates);
    sections.push({
      key,
      sort: sort++,
      heading_ar,
      heading_en,
      text_ar: c.text_ar,
      text_en: c.text_en,
      recommendationIds: members.map((m) => m.id),
      sourceHash: c.hash,
    });
  };
  const bySingle = (r: Rec) => {
    const p = r.paragraph ?? '?';
    group(`para:${r.id}`, `الفقرة ${ltr(p)} (${ltr(r.symbol)})`, `Paragraph ${p} (${r.symbol})`, [r]);
  };
  if (template.kind === 'upr') {
    for (const f of UPR_BEFORE) sections.push(fixed(f, sort++, recs, updates));
    // implementation: one section per cluster, then per theme for recommendations outside clusters, then the rest
    const clusterIds = [...new Set(recs.map((r) => r.cluster_id).filter((c): c is string => !!c))];
    const clusters = clusterIds.length ? await db.selectFrom('clusters').select(['id', 'title_ar', 'title_en']).where('id', 'in', clusterIds).execute() : [];
    const inCluster = new Set<string>();
    for (const c of clusters.sort((a, b) => (a.title_en ?? '').localeCompare(b.title_en ?? ''))) {
      const members = recs.filter((r) => r.cluster_id === c.id);
      members.forEach((m) => inCluster.add(m.id));
      group(`cluster:${c.id}`, c.title_ar || c.title_en || 'مجموعة توصيات', c.title_en || c.title_ar || 'Cluster of recommendations', members);
    }
    const rest = recs.filter((r) => !inCluster.has(r.id));
    const themeRows = [];
    for (let i = 0; i < rest.length; i += 5000) {
      // in slices, within the engines' limits on bound parameters
      const slice = rest.slice(i, i + 5000).map((r) => r.id);
      themeRows.push(
        ...(await db
          .selectFrom('recommendation_terms as rt')
          .innerJoin('terms as t', 't.id', 'rt.term_id')
          .select(['rt.recommendation_id', 't.id', 't.label_ar', 't.label_en', 't.sort'])
          .where('t.kind', '=', 'theme')
          .where('rt.recommendation_id', 'in', slice)
          .execute()),
      );
    }
    // each recommendation goes to its first theme (by the taxonomy's order), so no text is compiled twice
    const firstTheme = new Map<string, (typeof themeRows)[number]>();
    for (const t of themeRows.sort((a, b) => a.sort - b.sort || (a.label_en ?? '').localeCompare(b.label_en ?? ''))) {
      if (!firstTheme.has(t.recommendation_id)) firstTheme.set(t.recommendation_id, t);
    }
    const themes = new Map<string, { t: (typeof themeRows)[number]; recs: Rec[] }>();
    const other: Rec[] = [];
    for (const r of rest) {
      const t = firstTheme.get(r.id);
      if (!t) other.push(r);
      else themes.set(t.id, { t, recs: [...(themes.get(t.id)?.recs ?? []), r] });
    }
    for (const { t, recs: members } of [...themes.values()].sort((a, b) => a.t.sort - b.t.sort || (a.t.label_en ?? '').localeCompare(b.t.label_en ?? ''))) {
      group(`theme:${t.id}`, t.label_ar || t.label_en || 'موضوع', t.label_en || t.label_ar || 'Theme', members);
    }
    if (other.length) group('other', 'توصيات أخرى', 'Other recommendations', other);
    for (const f of UPR_AFTER) sections.push(fixed(f, sort++, recs, updates));
  } else if (template.kind === 'by_paragraph' && layout.structure === 'by_article' && layout.treaty) {
    // one section per article of the treaty, compiled from the recommendations assigned to it; those not assigned yet
    // wait in a last section, so that nothing the report covers is left out
    sections.push(fixed(INTRODUCTION, sort++, recs, updates));
    const articleOf = layout.articles ?? new Map<string, string>();
    for (const a of layout.treaty.articles) {
      group(`article:${a.number}`, `المادة ${ltr(a.number)}: ${a.ar}`, `Article ${a.number}: ${a.en}`, recs.filter((r) => articleOf.get(r.id) === a.number));
    }
    const known = new Set(layout.treaty.articles.map((a) => a.number));
    const unassigned = recs.filter((r) => !known.has(articleOf.get(r.id) ?? ''));
    if (unassigned.length) group(UNASSIGNED.key, UNASSIGNED.ar, UNASSIGNED.en, unassigned);
  } else if (template.kind === 'by_paragraph' || template.kind === 'sp_followup') {
    sections.push(fixed(INTRODUCTION, sort++, recs, updates));
    recs.forEach(bySingle);
  } else if (template.kind === 'arab_charter') {
    sections.push(fixed(INTRODUCTION, sort++, recs, updates));
    recs.forEach(bySingle);
    sections.push(fixed(CONCLUSION, sort++, recs, updates));
  } else {
    recs.forEach(bySingle);
  }
  return sections;
}
