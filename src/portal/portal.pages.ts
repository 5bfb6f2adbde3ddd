/**
 * The public portal's pages, rendered on the server as plain HTML (no JavaScript), in Arabic (right to left)
 * and English: /public/<lang>/ (progress at a glance), the published recommendations with search and facets,
 * a page per recommendation, mechanism, body and accepted cluster, open data (CSV, JSON, data dictionary,
 * licence), an Atom feed of status changes and a sitemap. Pages carry an ETag (304 on If-None-Match) and
 * `Cache-Control: public, no-cache`, so a cache always asks again and an unpublished page is gone at once.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PageCache, etagOf, sendPage, type CachedPage } from './page-cache.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csvField } from '../exports/index.ts';
import { FACETS, type FacetCount } from '../recommendations/index.ts';
import { portalDataStamp } from './data-stamp.ts';
import type { AppContext } from '../server/context.ts';
import { AppError } from '../shared/errors.ts';
import { logoMeta } from '../settings/index.ts';
import { dir, esc, html, Html, ltr, other, page, statusBar, type PageOptions } from './portal.html.ts';
import { day, FACET_NAMES, KINDS, LANG_NAMES, MEASURES, num, POSITIONS, t } from './portal.i18n.ts';
import { mechanismsAndBodies, publicConsultationComments, referenceData, statusLabels } from './portal.repository.ts';
import { planPages } from './portal-plans.pages.ts';
import { publishedPlans } from './portal-plans.service.ts';
import { LANGS, publicListQuerySchema, type Lang, type PublicItem, type PublicListQuery } from './portal.schema.ts';
import {
  openDataBatches,
  publicBody,
  publicCluster,
  publicIndex,
  publicList,
  publicMechanism,
  publicProgress,
  publicRecommendation,
  publicStatusFeed,
  type Breakdown,
  type OpenDataRecord,
} from './portal.service.ts';

const CSS = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'portal.css'), 'utf8');
const CSS_GZ = gzipSync(CSS);
const CSS_VERSION = createHash('sha256').update(CSS).digest('hex').slice(0, 12);
const CSS_HREF = `/public/assets/portal.css?v=${CSS_VERSION}`;
/** The portal's stylesheet address (with its content version), for other server-rendered pages. */
export const portalCssHref = (): string => CSS_HREF;
const LICENCE_URL = 'https://creativecommons.org/licenses/by/4.0/';

type Status = Awaited<ReturnType<typeof statusLabels>>[number];
type Names = Awaited<ReturnType<typeof mechanismsAndBodies>>;

const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGS as readonly string[]).includes(v);

/** A request whose page is not in the cache: where its page goes once rendered, and the stamp of the data it reads. */
const pending = new WeakMap<FastifyRequest, { cache: PageCache; key: string; stamp: string }>();

/** Sends a rendered page with an ETag of its bytes (304 when the client already holds it), and keeps it in the page cache. */
function cached(request: FastifyRequest, reply: FastifyReply, type: string, body: string, status = 200) {
  const into = pending.get(request);
  const page: CachedPage = { stamp: into?.stamp ?? '', status, type, body, etag: etagOf(body) };
  if (into) into.cache.set(into.key, page);
  return sendPage(request, reply, page, into?.cache);
}

const label = (lang: Lang, x: { label_ar?: string | null; label_en?: string | null }, fallback: string) =>
  (lang === 'ar' ? (x.label_ar ?? x.label_en) : (x.label_en ?? x.label_ar)) || fallback;

const statusName = (lang: Lang, statuses: Status[], code: string) => {
  const s = statuses.find((x) => x.code === code);
  return s ? (lang === 'ar' ? s.label_ar : s.label_en) : code;
};

function statusBadge(lang: Lang, statuses: Status[], code: string): Html {
  const s = statuses.find((x) => x.code === code);
  const color = s && /^#[0-9a-fA-F]{3,8}$/.test(s.color) ? s.color : '#666';
  return html`<span class="badge"><span class="dot" style="background:${color}" aria-hidden="true"></span>${statusName(lang, statuses, code)}</span>`;
}

/** The text in the page's language when held, else the original, else any; with its language. */
function textFor(item: Pick<PublicItem, 'text_ar' | 'text_en' | 'text_fr' | 'original_lang'>, lang: Lang): { text: string; lang: string } | null {
  const order = [lang, item.original_lang, 'ar', 'en', 'fr'].filter((x): x is string => !!x);
  for (const l of order) {
    const text = (item as Record<string, string | null>)[`text_${l}`];
    if (text) return { text, lang: l };
  }
  return null;
}

const excerpt = (s: string, n = 360) => (s.length > n ? `${s.slice(0, n).replace(/\s+\S*$/, '')}…` : s);

/** The list's URL for these filters (canonical order: q, then the facets in FACETS order, values sorted). */
function listUrl(lang: Lang, q: string | undefined, filters: Record<string, string[]>, pageNo = 1): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  for (const f of FACETS) for (const v of [...(filters[f] ?? [])].sort()) params.append(f, v);
  if (pageNo > 1) params.set('page', String(pageNo));
  const s = params.toString();
  return `/public/${lang}/recommendations${s ? `?${s}` : ''}`;
}

function facetValueName(lang: Lang, facet: string, f: FacetCount, statuses: Status[], names: Names): string {
  switch (facet) {
    case 'mechanism': {
      const m = names.mechanisms.find((x) => x.code === f.value);
      return m ? (lang === 'ar' ? m.name_ar : m.name_en) : f.value;
    }
    case 'body': {
      const b = names.bodies.find((x) => x.code === f.value);
      return b ? `${lang === 'ar' ? b.name_ar : b.name_en} (${b.code})` : f.value;
    }
    case 'status':
      return statusName(lang, statuses, f.value);
    case 'position':
      return POSITIONS[f.value]?.[lang] ?? f.value;
    case 'kind':
      return KINDS[f.value]?.[lang] ?? f.value;
    default:
      return label(lang, f, f.value);
  }
}

/** A facet value's name; a bare code (no label) is set left to right. */
function facetValueText(lang: Lang, facet: string, f: FacetCount, statuses: Status[], names: Names): Html | string {
  const name = facetValueName(lang, facet, f, statuses, names);
  return ['document', 'cycle', 'year'].includes(facet) || name === f.value ? ltr(name) : name;
}

/** The status bar with its legend: each status named with its count (never colour alone), linked to the list. */
function statusSummary(lang: Lang, totals: Record<string, number>, statuses: Status[], total: number, within: Record<string, string[]> = {}): Html {
  return html`${statusBar(lang, totals, statuses, total)}
<ul class="legend">
${statuses.map(
  (s) =>
    html`<li><span class="dot" style="background:${/^#[0-9a-fA-F]{3,8}$/.test(s.color) ? s.color : '#666'}" aria-hidden="true"></span>${
      (totals[s.code] ?? 0) > 0 ? html`<a href="${listUrl(lang, undefined, { ...within, status: [s.code] })}">${lang === 'ar' ? s.label_ar : s.label_en}</a>` : lang === 'ar' ? s.label_ar : s.label_en
    }: <strong>${num(lang, totals[s.code] ?? 0)}</strong></li>`,
)}
</ul>`;
}

/** Renders a page of the portal in a language (the options of `page` less those the portal fills in). */
export type PageRender = (lang: Lang, o: Omit<PageOptions, 'lang' | 'base' | 'cssHref' | 'logo'>) => Promise<string>;
/** Registers a page under /public/:lang/…; a 404 from the handler renders the 404 page in that language. */
export type PageRoute = <P extends Record<string, string>>(url: string, handler: (lang: Lang, params: P, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => void;

export function portalPages(app: FastifyInstance, ctx: AppContext): void {
  const base = ctx.config.publicUrl;
  const cache = new PageCache(ctx.config.publicPageCacheEntries);
  const dataStamp = portalDataStamp(ctx);

  /** Answers from the page cache when it holds this address for the current data (true); else notes where the page goes. */
  async function fromCache(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (ctx.config.publicPageCacheEntries <= 0) return false;
    const stamp = await dataStamp();
    const key = request.url;
    const hit = cache.get(key, stamp);
    if (hit) {
      reply.header('x-cache', 'hit');
      await sendPage(request, reply, hit, cache);
      return true;
    }
    reply.header('x-cache', 'miss');
    pending.set(request, { cache, key, stamp });
    return false;
  }

  // the state's logo in the header when the admins set one (its digest in the address: cached until it changes)
  const render: PageRender = async (lang, o) => page({ ...o, lang, base, cssHref: CSS_HREF, logo: (await logoMeta(ctx.db))?.sha256 ?? null });

  const notFoundPage = async (request: FastifyRequest, reply: FastifyReply, lang: Lang) =>
    cached(
      request,
      reply,
      'text/html; charset=utf-8',
      await render(lang, {
        path: '/',
        noAlternates: true,
        title: t(lang, 'notFoundTitle'),
        description: t(lang, 'notFoundText'),
        body: html`<h1>${t(lang, 'notFoundTitle')}</h1><p>${t(lang, 'notFoundText')}</p><p><a href="/public/${lang}/">${t(lang, 'backHome')}</a></p>`,
      }),
      404,
    );

  /** A page route under /public/:lang/…: an unknown language or a 404 from the service renders the 404 page. */
  const route: PageRoute = <P extends Record<string, string>>(url: string, handler: (lang: Lang, params: P, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => {
    app.get(url, { schema: { hide: true } }, async (request, reply) => {
      if (await fromCache(request, reply)) return reply;
      const params = request.params as P & { lang: string };
      const lang = isLang(params.lang) ? params.lang : null;
      if (!lang) return notFoundPage(request, reply, guessLang(request.url));
      try {
        return await handler(lang, params, request, reply);
      } catch (err) {
        if (err instanceof AppError && err.status === 404) return notFoundPage(request, reply, lang);
        throw err;
      }
    });
  };

  const guessLang = (url: string): Lang => (url.startsWith('/public/en') ? 'en' : 'ar');

  app.get('/public', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/public/ar/', 302));
  app.get('/public/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/public/ar/', 302));
  app.get('/public/:lang', { schema: { hide: true } }, async (request, reply) => {
    const { lang } = request.params as { lang: string };
    return isLang(lang) ? reply.redirect(`/public/${lang}/`, 301) : notFoundPage(request, reply, 'ar');
  });

  app.get('/public/assets/portal.css', { schema: { hide: true } }, async (request, reply) => {
    reply.type('text/css; charset=utf-8').header('vary', 'accept-encoding');
    reply.header('cache-control', (request.query as { v?: string }).v === CSS_VERSION ? 'public, max-age=31536000, immutable' : 'public, no-cache');
    const etag = `"${CSS_VERSION}"`;
    reply.header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(CSS_GZ);
    return reply.send(CSS);
  });

  // Home: progress at a glance.
  route('/public/:lang/', async (lang, _p, request, reply) => {
    const [progress, plans] = await Promise.all([publicProgress(ctx.db, ctx.dialect, ['mechanism', 'theme', 'sdg']), publishedPlans(ctx.db)]);
    const { statuses, totals, total } = progress;
    const titles: Record<string, string> = { mechanism: t(lang, 'byMechanism'), theme: t(lang, 'byTheme'), sdg: t(lang, 'bySdg'), body: t(lang, 'byBody') };
    const body = html`
<section class="hero">
<h1>${t(lang, 'progress')}</h1>
<p class="lead">${t(lang, 'siteTagline')}</p>
<p class="big"><a href="/public/${lang}/recommendations"><strong>${num(lang, total)}</strong> ${t(lang, 'published')}</a></p>
<form class="search" method="get" action="/public/${lang}/recommendations" role="search">
<label for="q">${t(lang, 'searchLabel')}</label>
<div class="row"><input id="q" name="q" type="search" maxlength="500"><button type="submit">${t(lang, 'search')}</button></div>
</form>
</section>
<section>
<h2>${t(lang, 'byStatus')}</h2>
<p>${t(lang, 'progressIntro')}</p>
${statusSummary(lang, totals, statuses, total)}
</section>
${progress.breakdowns.map((b) => breakdownTable(lang, b, titles[b.facet] ?? b.facet, statuses))}
${
  plans.length
    ? html`<section>
<h2>${t(lang, 'plansTitle')}</h2>
<ul>${plans.map((p) => html`<li><a href="/public/${lang}/plans/${encodeURIComponent(p.id)}">${lang === 'ar' ? p.title_ar : p.title_en}</a> <span class="muted">(${ltr(`${day(p.period_start)} – ${day(p.period_end)}`)})</span></li>`)}</ul>
</section>`
    : ''
}`;
    return cached(
      request,
      reply,
      'text/html; charset=utf-8',
      await render(lang, { path: '/', current: 'home', title: t(lang, 'progress'), description: t(lang, 'siteTagline'), body }),
    );
  });

  function breakdownTable(lang: Lang, b: Breakdown, title: string, statuses: Status[], within: Record<string, string[]> = {}): Html {
    if (!b.rows.length) return html``;
    return html`<section>
<h2>${title}</h2>
<div class="table-scroll"><table>
<thead><tr><th scope="col">${FACET_NAMES[b.facet]?.[lang] ?? b.facet}</th>${statuses.map((s) => html`<th scope="col" class="n st">${lang === 'ar' ? s.label_ar : s.label_en}</th>`)}<th scope="col" class="n">${t(lang, 'total')}</th><th scope="col" class="barcol"><span class="sr">${t(lang, 'share')}</span></th></tr></thead>
<tbody>
${b.rows.slice(0, 20).map(
  (r) => html`<tr><th scope="row"><a href="${listUrl(lang, undefined, { ...within, [b.facet]: [r.value] })}">${r.label_ar || r.label_en ? label(lang, r, r.value) : ltr(r.value)}</a></th>${statuses.map((s) => html`<td class="n st">${num(lang, r.counts[s.code] ?? 0)}</td>`)}<td class="n"><strong>${num(lang, r.total)}</strong></td><td class="barcol">${statusBar(lang, r.counts, statuses, r.total)}</td></tr>`,
)}
</tbody></table></div>
</section>`;
  }

  // The list: search, facets as links, paging.
  route('/public/:lang/recommendations', async (lang, _p, request, reply) => {
    const parsed = publicListQuerySchema.safeParse(request.query);
    const query: PublicListQuery = parsed.success ? parsed.data : publicListQuerySchema.parse({});
    const [list, { statuses, ...names }] = await Promise.all([publicList(ctx.db, ctx.dialect, query), referenceData(ctx.db, ctx.dialect)]);
    const filters: Record<string, string[]> = {};
    for (const f of FACETS) if (query[f]?.length) filters[f] = query[f]!;
    const pages = Math.max(1, Math.ceil(list.total / query.pageSize));
    const toggled = (facet: string, value: string) => {
      const cur = filters[facet] ?? [];
      const next = cur.includes(value) ? cur.filter((v) => v !== value) : [...cur, value];
      return listUrl(lang, query.q, { ...filters, [facet]: next });
    };
    const facetBlocks = FACETS.filter((f) => (list.facets[f]?.length ?? 0) > 0).map((facet) => {
      const values = list.facets[facet]!.slice(0, 12);
      const chosen = filters[facet] ?? [];
      // closed unless filtered (on a phone the results must not sink below a wall of values); the first one open on wide screens via CSS
      const open = chosen.length > 0;
      return html`<details${new Html(open ? ' open' : '')}><summary>${FACET_NAMES[facet]![lang]}</summary><ul>
${values.map((f) => {
  const isChosen = chosen.includes(f.value);
  const text = facetValueText(lang, facet, f, statuses, names);
  // a value that would not narrow the list is not a link
  if (!isChosen && chosen.length === 0 && f.count >= list.total) return html`<li><span>${text}</span> <span class="count">${num(lang, f.count)}</span></li>`;
  // facet links are nofollow (and filtered lists noindex): crawlers need not walk every combination of filters
  return html`<li><a rel="nofollow" href="${toggled(facet, f.value)}"${new Html(isChosen ? ' aria-current="true" class="on"' : '')}>${isChosen ? html`<span class="sr">${t(lang, 'selected')}: </span>` : ''}${text}</a> <span class="count">${num(lang, f.count)}</span>${isChosen ? html` <span class="sr">(${t(lang, 'remove')})</span>` : ''}</li>`;
})}
</ul></details>`;
    });
    const items = list.items.map((item) => {
      const tx = textFor(item, lang);
      return html`<li class="item">
<h3><a href="/public/${lang}/recommendations/${encodeURIComponent(item.id)}">${ltr(item.document_symbol)}${item.paragraph ? html` · ${t(lang, 'paragraph')} ${ltr(item.paragraph)}` : ''}</a></h3>
${tx ? html`<p lang="${tx.lang}" dir="${dir(tx.lang)}">${excerpt(tx.text)}</p>` : ''}
<p class="meta">${statusBadge(lang, statuses, item.status)}${item.position ? html` · ${POSITIONS[item.position]?.[lang] ?? item.position}` : ''} · ${KINDS[item.kind]?.[lang] ?? item.kind} · ${ltr(item.body_code)}${item.document_date ? html` · ${ltr(day(item.document_date))}` : ''}</p>
</li>`;
    });
    const hasFilters = Object.keys(filters).length > 0 || !!query.q;
    const pager =
      pages > 1
        ? html`<nav class="pager" aria-label="${t(lang, 'pagination')}">
${query.page > 1 ? html`<a rel="prev" href="${listUrl(lang, query.q, filters, query.page - 1)}">${t(lang, 'previous')}</a>` : ''}
<span>${t(lang, 'page')} ${num(lang, Math.min(query.page, pages))} ${t(lang, 'of')} ${num(lang, pages)}</span>
${query.page < pages ? html`<a rel="next" href="${listUrl(lang, query.q, filters, query.page + 1)}">${t(lang, 'next')}</a>` : ''}
</nav>`
        : '';
    const body = html`
<h1>${t(lang, 'recommendations')}</h1>
<form class="search" method="get" action="/public/${lang}/recommendations" role="search">
<label for="q">${t(lang, 'searchLabel')}</label>
<div class="row"><input id="q" name="q" type="search" maxlength="500" value="${query.q ?? ''}">${Object.entries(filters).flatMap(([f, vs]) => vs.map((v) => html`<input type="hidden" name="${f}" value="${v}">`))}<button type="submit">${t(lang, 'search')}</button></div>
</form>
<div class="layout">
<aside class="facets" id="filters" aria-label="${t(lang, 'filters')}">
<h2 class="sr">${t(lang, 'filters')}</h2>
${hasFilters ? html`<p><a href="/public/${lang}/recommendations">${t(lang, 'clearFilters')}</a></p>` : ''}
${facetBlocks}
</aside>
<section class="results" aria-labelledby="results-h">
<h2 id="results-h">${t(lang, 'found')}: ${num(lang, list.total)}</h2>
${
  hasFilters
    ? html`<ul class="chosen" aria-label="${t(lang, 'activeFilters')}">${Object.entries(filters).flatMap(([f, vs]) =>
        vs.map((v) => {
          const known = list.facets[f]?.find((x) => x.value === v) ?? { value: v, count: 0 };
          return html`<li><a rel="nofollow" href="${toggled(f, v)}" title="${t(lang, 'remove')}">${FACET_NAMES[f]![lang]}: ${facetValueText(lang, f, known, statuses, names)} ✕</a></li>`;
        }),
      )}</ul>`
    : ''
}
<p class="to-filters"><a href="#filters">${t(lang, 'filters')} ↓</a></p>
${list.items.length ? html`<ol class="items">${items}</ol>` : html`<p>${t(lang, 'noResults')}</p>`}
${pager}
</section>
</div>`;
    const qs = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    return cached(
      request,
      reply,
      'text/html; charset=utf-8',
      await render(lang, {
        path: `/recommendations${qs}`,
        current: 'recommendations',
        noindex: hasFilters,
        title: query.q ? `${t(lang, 'recommendations')}: ${query.q}` : t(lang, 'recommendations'),
        description: `${t(lang, 'found')}: ${list.total}. ${t(lang, 'siteTagline')}`,
        body,
      }),
    );
  });

  route<{ id: string }>('/public/:lang/recommendations/:id', async (lang, { id }, request, reply) => {
    const [rec, { statuses }, said] = await Promise.all([publicRecommendation(ctx.db, ctx.dialect, id), referenceData(ctx.db, ctx.dialect), publicConsultationComments(ctx.db, id)]);
    const name = (x: { name_ar: string | null; name_en: string | null }) => (lang === 'ar' ? (x.name_ar ?? x.name_en) : (x.name_en ?? x.name_ar)) ?? '';
    const title = `${rec.document_symbol}${rec.paragraph ? ` · ${t(lang, 'paragraph')} ${rec.paragraph}` : ''}`;
    const texts = (['ar', 'en', 'fr'] as const).filter((l) => rec[`text_${l}`]);
    const termsOf = (...kinds: string[]) => rec.terms.filter((x) => kinds.includes(x.kind));
    const termLinks = (facet: string, kinds: string[]) =>
      termsOf(...kinds).map((x) => html`<li><a href="${listUrl(lang, undefined, { [facet]: [x.code] })}">${x.label_ar || x.label_en ? label(lang, x, x.code) : ltr(x.code)}</a></li>`);
    const row = (key: Parameters<typeof t>[1], value: Html | string | null | undefined) => (value ? html`<dt>${t(lang, key)}</dt><dd>${value}</dd>` : '');
    const list = (items: Html[]) => (items.length ? html`<ul class="inline">${items}</ul>` : null);
    const first = textFor(rec, lang);
    const body = html`
<nav class="crumbs" aria-label="${t(lang, 'breadcrumbs')}"><a href="/public/${lang}/">${t(lang, 'home')}</a> › <a href="/public/${lang}/recommendations">${t(lang, 'recommendations')}</a></nav>
<h1>${ltr(rec.document_symbol)}${rec.paragraph ? html` · ${t(lang, 'paragraph')} ${ltr(rec.paragraph)}` : ''}</h1>
<p class="status-line">${t(lang, 'status')}: ${statusBadge(lang, statuses, rec.status)} <span class="since">${t(lang, 'since')} ${ltr(day(rec.status_since))}</span></p>
${texts.map(
  (l) => html`<section class="text"><h2>${t(lang, 'textIn')} ${LANG_NAMES[l]![lang]}${rec.original_lang === l ? html` (${t(lang, 'original')})` : ''}</h2><blockquote lang="${l}" dir="${dir(l)}">${rec[`text_${l}`]}</blockquote></section>`,
)}
<section>
<h2>${t(lang, 'source')}</h2>
<dl class="facts">
${row('document', html`<a href="${listUrl(lang, undefined, { document: [rec.document_symbol] })}">${ltr(rec.document_symbol)}</a>${rec.document_url && /^https?:\/\//.test(rec.document_url) ? html` · <a href="${rec.document_url}" rel="external noopener">${t(lang, 'sourceLink')}</a>` : ''}`)}
${row('paragraph', rec.paragraph ? ltr(rec.paragraph) : null)}
${row('documentDate', rec.document_date ? ltr(day(rec.document_date)) : null)}
${row('body', html`<a href="/public/${lang}/bodies/${encodeURIComponent(rec.body_code)}">${name(rec.body)}</a>`)}
${row('mechanism', html`<a href="/public/${lang}/mechanisms/${encodeURIComponent(rec.mechanism_code)}">${name(rec.mechanism)}</a>`)}
${row('cycle', rec.upr_cycle !== null ? ltr(rec.upr_cycle) : null)}
${row('kindLabel', KINDS[rec.kind]?.[lang] ?? rec.kind)}
${row('position', rec.position ? (POSITIONS[rec.position]?.[lang] ?? rec.position) : null)}
${row('recommendingStates', rec.recommending_states.length ? rec.recommending_states.join(lang === 'ar' ? '، ' : ', ') : null)}
${row('themes', list(termLinks('theme', ['theme'])))}
${row('affected', list(termLinks('affected', ['affected_person'])))}
${row('sdgs', list(termLinks('sdg', ['sdg_goal', 'sdg_target'])))}
${row('cluster', rec.cluster ? html`<a href="/public/${lang}/clusters/${encodeURIComponent(rec.cluster.id)}">${label(lang, { label_ar: rec.cluster.title_ar, label_en: rec.cluster.title_en }, rec.cluster.id)}</a>` : null)}
${row('entities', list(rec.entities.map((e) => html`<li>${name(e)} <span class="role">(${t(lang, e.role === 'lead' ? 'lead' : 'supporting')})</span></li>`)))}
</dl>
</section>
<section>
<h2>${t(lang, 'updates')}</h2>
${
  rec.updates.length
    ? rec.updates.map((u) => {
        const tx = (lang === 'ar' ? (u.text_ar ?? u.text_en) : (u.text_en ?? u.text_ar)) ?? '';
        const txLang = (lang === 'ar' ? (u.text_ar ? 'ar' : 'en') : u.text_en ? 'en' : 'ar') as string;
        return html`<article class="update">
<h3>${name(u.entity)}</h3>
<p class="meta">${u.period_start || u.period_end ? html`${t(lang, 'period')}: ${ltr(`${day(u.period_start)} – ${day(u.period_end)}`)} · ` : ''}${t(lang, 'approvedOn')} ${ltr(day(u.approved_at))}</p>
${tx ? html`<p lang="${txLang}" dir="${dir(txLang)}">${tx}</p>` : ''}
${u.measures.length ? html`<h4>${t(lang, 'measures')}</h4><ul>${u.measures.map((m) => html`<li><strong>${MEASURES[m.type]?.[lang] ?? m.type}</strong>${(lang === 'ar' ? (m.description_ar ?? m.description_en) : (m.description_en ?? m.description_ar)) ? html`: ${lang === 'ar' ? (m.description_ar ?? m.description_en) : (m.description_en ?? m.description_ar)}` : ''}</li>`)}</ul>` : ''}
${u.indicators.length ? html`<h4>${t(lang, 'indicators')}</h4><ul>${u.indicators.map((i) => html`<li>${i.name}: ${ltr(i.value)}${i.unit ? html` ${i.unit}` : ''}</li>`)}</ul>` : ''}
</article>`;
      })
    : html`<p>${t(lang, 'noUpdates')}</p>`
}
</section>
${
  said.length
    ? html`<section><h2>${t(lang, 'publicComments')}</h2>${said.map(
        (c) => html`<article class="update"><h3>${c.organisation ?? ''}</h3><p class="meta">${lang === 'ar' ? c.title_ar : c.title_en} · ${ltr(day(c.created_at))}</p><p>${c.body}</p></article>`,
      )}</section>`
    : ''
}
${
  rec.status_history.length
    ? html`<section><h2>${t(lang, 'statusHistory')}</h2><div class="table-scroll"><table><thead><tr><th scope="col">${t(lang, 'date')}</th><th scope="col">${t(lang, 'status')}</th></tr></thead><tbody>${rec.status_history.map((h) => html`<tr><td>${ltr(day(h.date))}</td><td>${statusBadge(lang, statuses, h.status)}</td></tr>`)}</tbody></table></div></section>`
    : ''
}`;
    return cached(
      request,
      reply,
      'text/html; charset=utf-8',
      await render(lang, { path: `/recommendations/${encodeURIComponent(rec.id)}`, current: 'recommendations', title, description: first ? excerpt(first.text, 155) : title, body }),
    );
  });

  route<{ code: string }>('/public/:lang/mechanisms/:code', async (lang, { code }, request, reply) => {
    const { mechanism, bodies } = await publicMechanism(ctx.db, code);
    const progress = await publicProgress(ctx.db, ctx.dialect, ['body', 'theme'], { mechanism: [mechanism.code] });
    const title = lang === 'ar' ? mechanism.name_ar : mechanism.name_en;
    const body = html`
<nav class="crumbs" aria-label="${t(lang, 'breadcrumbs')}"><a href="/public/${lang}/">${t(lang, 'home')}</a> › ${t(lang, 'mechanism')}</nav>
<h1>${title}</h1>
<section>
<p class="big"><a href="${listUrl(lang, undefined, { mechanism: [mechanism.code] })}"><strong>${num(lang, progress.total)}</strong> ${t(lang, 'published')}</a></p>
${statusSummary(lang, progress.totals, progress.statuses, progress.total, { mechanism: [mechanism.code] })}
<h2>${t(lang, 'bodies')}</h2>
<ul>${bodies.map((b) => html`<li><a href="/public/${lang}/bodies/${encodeURIComponent(b.code)}">${lang === 'ar' ? b.name_ar : b.name_en}</a> (${ltr(b.code)})</li>`)}</ul>
</section>
${progress.breakdowns.map((b) => breakdownTable(lang, b, b.facet === 'body' ? t(lang, 'byBody') : t(lang, 'byTheme'), progress.statuses, { mechanism: [mechanism.code] }))}`;
    return cached(request, reply, 'text/html; charset=utf-8', await render(lang, { path: `/mechanisms/${encodeURIComponent(mechanism.code)}`, title, description: `${title}: ${progress.total} ${t(lang, 'published')}`, body }));
  });

  route<{ code: string }>('/public/:lang/bodies/:code', async (lang, { code }, request, reply) => {
    const { body: b, mechanism } = await publicBody(ctx.db, code);
    const progress = await publicProgress(ctx.db, ctx.dialect, ['theme', 'sdg'], { body: [b.code] });
    const title = `${lang === 'ar' ? b.name_ar : b.name_en} (${b.code})`;
    const body = html`
<nav class="crumbs" aria-label="${t(lang, 'breadcrumbs')}"><a href="/public/${lang}/">${t(lang, 'home')}</a> › <a href="/public/${lang}/mechanisms/${encodeURIComponent(mechanism.code)}">${lang === 'ar' ? mechanism.name_ar : mechanism.name_en}</a></nav>
<h1>${lang === 'ar' ? b.name_ar : b.name_en} (${ltr(b.code)})</h1>
<section>
<p class="big"><a href="${listUrl(lang, undefined, { body: [b.code] })}"><strong>${num(lang, progress.total)}</strong> ${t(lang, 'published')}</a></p>
${statusSummary(lang, progress.totals, progress.statuses, progress.total, { body: [b.code] })}
</section>
${progress.breakdowns.map((x) => breakdownTable(lang, x, x.facet === 'theme' ? t(lang, 'byTheme') : t(lang, 'bySdg'), progress.statuses, { body: [b.code] }))}`;
    return cached(request, reply, 'text/html; charset=utf-8', await render(lang, { path: `/bodies/${encodeURIComponent(b.code)}`, title, description: `${title}: ${progress.total} ${t(lang, 'published')}`, body }));
  });

  route<{ id: string }>('/public/:lang/clusters/:id', async (lang, { id }, request, reply) => {
    const c = await publicCluster(ctx.db, ctx.dialect, id);
    const statuses = await statusLabels(ctx.db);
    const title = label(lang, { label_ar: c.cluster.title_ar, label_en: c.cluster.title_en }, t(lang, 'cluster'));
    const counts: Record<string, number> = {};
    for (const i of c.items) counts[i.status] = (counts[i.status] ?? 0) + 1;
    const body = html`
<nav class="crumbs" aria-label="${t(lang, 'breadcrumbs')}"><a href="/public/${lang}/">${t(lang, 'home')}</a> › ${t(lang, 'cluster')}</nav>
<h1>${title}</h1>
<p>${t(lang, 'clusterIntro')}</p>
<p class="big"><a href="${listUrl(lang, undefined, { cluster: [c.cluster.id] })}"><strong>${num(lang, c.total)}</strong> ${t(lang, 'published')}</a></p>
${statusSummary(lang, counts, statuses, c.items.length, { cluster: [c.cluster.id] })}
<ol class="items">${c.items.map((item) => {
      const tx = textFor(item, lang);
      return html`<li class="item"><h3><a href="/public/${lang}/recommendations/${encodeURIComponent(item.id)}">${ltr(item.document_symbol)}${item.paragraph ? html` · ${t(lang, 'paragraph')} ${ltr(item.paragraph)}` : ''}</a></h3>${tx ? html`<p lang="${tx.lang}" dir="${dir(tx.lang)}">${excerpt(tx.text)}</p>` : ''}<p class="meta">${statusBadge(lang, statuses, item.status)}</p></li>`;
    })}</ol>`;
    return cached(request, reply, 'text/html; charset=utf-8', await render(lang, { path: `/clusters/${encodeURIComponent(c.cluster.id)}`, title, description: `${title}: ${c.total} ${t(lang, 'published')}`, body }));
  });

  planPages(ctx.db, route, render, (request, reply, body) => cached(request, reply, 'text/html; charset=utf-8', body));

  // Open data: the dictionary page, CSV and JSON.
  route('/public/:lang/data', async (lang, _p, request, reply) => {
    const body = html`
<h1>${t(lang, 'dataTitle')}</h1>
<section>
<p>${t(lang, 'dataIntro')}</p>
<h2>${t(lang, 'licence')}</h2>
<p>${t(lang, 'licenceText')} <a href="${LICENCE_URL}" rel="license external">CC BY 4.0</a></p>
</section>
<section>
<h2>${t(lang, 'downloads')}</h2>
<ul>
<li><a href="/public/${lang}/data/recommendations.csv" type="text/csv">${ltr('recommendations.csv')}</a> — CSV, UTF-8</li>
<li><a href="/public/${lang}/data/recommendations.json" type="application/json">${ltr('recommendations.json')}</a> — JSON</li>
<li><a href="/public/${lang}/feed.atom" type="application/atom+xml">${ltr('feed.atom')}</a> — ${t(lang, 'feedTitle')}</li>
</ul>
<p>${t(lang, 'jsonNote')}</p>
</section>
<section>
<h2>${t(lang, 'dictionary')}</h2>
<div class="table-scroll"><table>
<thead><tr><th scope="col">${t(lang, 'field')}</th><th scope="col">${t(lang, 'meaning')}</th></tr></thead>
<tbody>${DICTIONARY.map(([field, ar, en]) => html`<tr><td><code dir="ltr">${field}</code></td><td>${lang === 'ar' ? ar : en}</td></tr>`)}</tbody>
</table></div>
</section>`;
    return cached(request, reply, 'text/html; charset=utf-8', await render(lang, { path: '/data', current: 'data', title: t(lang, 'dataTitle'), description: t(lang, 'dataIntro'), body }));
  });

  route('/public/:lang/data/recommendations.csv', async (lang, _p, _request, reply) => {
    reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'public, no-cache')
      .header('content-disposition', `attachment; filename="recommendations-${lang}.csv"`);
    return reply.send(Readable.from(csvStream(lang)));
  });

  async function* csvStream(lang: Lang): AsyncGenerator<string> {
    yield `\ufeff${DICTIONARY.map(([f]) => f).join(',')}\r\n`;
    for await (const batch of openDataBatches(ctx.db, ctx.dialect)) {
      yield batch.map((r) => DICTIONARY.map(([f]) => csvField(cell(r, f, lang))).join(',')).join('\r\n') + '\r\n';
    }
  }

  route('/public/:lang/data/recommendations.json', async (lang, _p, _request, reply) => {
    reply.type('application/json; charset=utf-8').header('cache-control', 'public, no-cache').header('content-disposition', `inline; filename="recommendations-${lang}.json"`);
    return reply.send(Readable.from(jsonStream(lang)));
  });

  async function* jsonStream(lang: Lang): AsyncGenerator<string> {
    yield `{"licence":${JSON.stringify({ name: 'CC BY 4.0', url: LICENCE_URL })},"source":${JSON.stringify(`${base}/public/${lang}/data`)},"generated_at":${JSON.stringify(new Date().toISOString())},"items":[`;
    let first = true;
    for await (const batch of openDataBatches(ctx.db, ctx.dialect)) {
      for (const r of batch) {
        yield `${first ? '' : ','}\n${JSON.stringify({ ...r, url: `${base}/public/${lang}/recommendations/${r.id}` })}`;
        first = false;
      }
    }
    yield '\n]}\n';
  }

  const cell = (r: OpenDataRecord, field: string, lang: Lang): string => {
    switch (field) {
      case 'url':
        return `${base}/public/${lang}/recommendations/${r.id}`;
      case 'status_label':
        return (lang === 'ar' ? r.status_label_ar : r.status_label_en) ?? '';
      case 'entities':
        return (lang === 'ar' ? r.entities_ar : r.entities_en).join('; ');
      case 'cluster':
        return (lang === 'ar' ? r.cluster_ar : r.cluster_en) ?? '';
      default: {
        const v = (r as unknown as Record<string, unknown>)[field];
        return Array.isArray(v) ? v.join('; ') : v === null || v === undefined ? '' : String(v);
      }
    }
  };

  route('/public/:lang/feed.atom', async (lang, _p, request, reply) => {
    const { changes, labels } = await publicStatusFeed(ctx.db);
    const name = (code: string | null) => (code ? ((lang === 'ar' ? labels.get(code)?.label_ar : labels.get(code)?.label_en) ?? code) : '');
    const updated = changes[0]?.changed_at ?? '1970-01-01T00:00:00.000Z';
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}">
<title>${esc(t(lang, 'feedTitle'))} — ${esc(t(lang, 'siteName'))}</title>
<id>${esc(`${base}/public/${lang}/feed.atom`)}</id>
<link rel="self" href="${esc(`${base}/public/${lang}/feed.atom`)}"/>
<link rel="alternate" type="text/html" href="${esc(`${base}/public/${lang}/`)}"/>
<updated>${esc(updated)}</updated>
<author><name>${esc(t(lang, 'siteName'))}</name></author>
<rights>CC BY 4.0</rights>
${changes
  .map((c) => {
    const url = `${base}/public/${lang}/recommendations/${c.recommendation_id}`;
    const title = `${c.document_symbol}${c.paragraph ? ` · ${t(lang, 'paragraph')} ${c.paragraph}` : ''}: ${name(c.to_status)}`;
    const summary = `${t(lang, 'statusChanged')}: ${c.from_status ? `${name(c.from_status)} → ` : ''}${name(c.to_status)}`;
    return `<entry>
<id>${esc(`${url}#status-${c.id}`)}</id>
<title>${esc(title)}</title>
<link href="${esc(url)}"/>
<updated>${esc(c.changed_at)}</updated>
<summary>${esc(summary)}</summary>
</entry>`;
  })
  .join('\n')}
</feed>
`;
    return cached(request, reply, 'application/atom+xml; charset=utf-8', xml);
  });

  /** Every page of the sitemap, as paths after /public/<lang> (each one is listed in both languages). */
  async function sitemapPaths(): Promise<string[]> {
    const [{ ids, clusters }, names, plans] = await Promise.all([publicIndex(ctx.db, ctx.dialect), mechanismsAndBodies(ctx.db), publishedPlans(ctx.db)]);
    return [
      '/',
      '/recommendations',
      '/plans',
      '/data',
      ...plans.flatMap((p) => [`/plans/${encodeURIComponent(p.id)}`, ...p.pillars.map((x) => `/plans/${encodeURIComponent(p.id)}/pillars/${encodeURIComponent(x.id)}`)]),
      ...names.mechanisms.map((m) => `/mechanisms/${encodeURIComponent(m.code)}`),
      ...names.bodies.map((b) => `/bodies/${encodeURIComponent(b.code)}`),
      ...clusters.map((c) => `/clusters/${encodeURIComponent(c)}`),
      ...ids.map((id) => `/recommendations/${encodeURIComponent(id)}`),
    ];
  }
  const sitemapEntry = (p: string, lang: Lang) =>
    `<url><loc>${esc(`${base}/public/${lang}${p}`)}</loc><xhtml:link rel="alternate" hreflang="${lang}" href="${esc(`${base}/public/${lang}${p}`)}"/><xhtml:link rel="alternate" hreflang="${other(lang)}" href="${esc(`${base}/public/${other(lang)}${p}`)}"/></url>`;
  const urlset = (entries: string[]) => `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${entries.join('\n')}
</urlset>
`;
  /** The URLs (each page in both languages) cut into files of at most `publicSitemapUrlLimit`, pairs kept together. */
  async function sitemapFiles(): Promise<[path: string, lang: Lang][][]> {
    const urls = (await sitemapPaths()).flatMap((p) => LANGS.map((l) => [p, l] as [string, Lang]));
    const limit = ctx.config.publicSitemapUrlLimit - (ctx.config.publicSitemapUrlLimit % LANGS.length);
    const files: [string, Lang][][] = [];
    for (let k = 0; k < urls.length; k += limit) files.push(urls.slice(k, k + limit));
    return files;
  }

  // The sitemap: one file while the URLs fit the protocol's limit, else an index of numbered sitemaps.
  app.get('/public/sitemap.xml', { schema: { hide: true } }, async (request, reply) => {
    if (await fromCache(request, reply)) return reply;
    const files = await sitemapFiles();
    if (files.length <= 1) return cached(request, reply, 'application/xml; charset=utf-8', urlset((files[0] ?? []).map(([p, l]) => sitemapEntry(p, l))));
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${files.map((_, k) => `<sitemap><loc>${esc(`${base}/public/sitemap-${k + 1}.xml`)}</loc></sitemap>`).join('\n')}
</sitemapindex>
`;
    return cached(request, reply, 'application/xml; charset=utf-8', xml);
  });
  app.get('/public/sitemap-:n.xml', { schema: { hide: true } }, async (request, reply) => {
    if (await fromCache(request, reply)) return reply;
    const n = Number((request.params as { n: string }).n);
    const files = await sitemapFiles();
    // numbered files exist only while the sitemap is an index
    if (!Number.isInteger(n) || n < 1 || files.length <= 1 || n > files.length) return notFoundPage(request, reply, 'ar');
    return cached(request, reply, 'application/xml; charset=utf-8', urlset(files[n - 1]!.map(([p, l]) => sitemapEntry(p, l))));
  });

  // Anything else under /public: the 404 page in the language of the address.
  app.get('/public/*', { schema: { hide: true } }, async (request, reply) => notFoundPage(request, reply, guessLang(request.url)));
}

/** The open-data fields, in file order, with their meaning in both languages. */
export const DICTIONARY: [field: string, ar: string, en: string][] = [
  ['id', 'معرّف التوصية الثابت في رصد', 'Stable identifier of the recommendation in Rasd'],
  ['document_symbol', 'رمز وثيقة الأمم المتحدة المصدر', 'Symbol of the UN source document'],
  ['paragraph', 'رقم الفقرة في الوثيقة', 'Paragraph number in the document'],
  ['document_date', 'تاريخ الوثيقة (YYYY-MM-DD)', 'Date of the document (YYYY-MM-DD)'],
  ['body', 'رمز الهيئة الموصية (مثل CAT أو UPR)', 'Code of the recommending body (e.g. CAT, UPR)'],
  ['mechanism', 'رمز الآلية (UPR، TB هيئات المعاهدات، SP الإجراءات الخاصة…)', 'Mechanism code (UPR, TB treaty bodies, SP special procedures…)'],
  ['kind', 'النوع: recommendation توصية، observation ملاحظة أو شاغل، pledge تعهد طوعي', 'Type: recommendation, observation (concern), pledge (voluntary)'],
  ['position', 'موقف الدولة: supported مؤيدة، noted أُحيط بها علماً، partially_supported مؤيدة جزئياً', "The state's position: supported, noted, partially_supported"],
  ['status', 'رمز حالة التنفيذ', 'Implementation status code'],
  ['status_label', 'اسم حالة التنفيذ بلغة الملف', 'Implementation status name in the file’s language'],
  ['status_since', 'تاريخ بلوغ الحالة الحالية (UTC)', 'When the current status was reached (UTC)'],
  ['original_lang', 'لغة النص الأصلي', 'Language of the original text'],
  ['text_ar', 'النص العربي', 'Arabic text'],
  ['text_en', 'النص الإنجليزي', 'English text'],
  ['text_fr', 'النص الفرنسي', 'French text'],
  ['recommending_states', 'الدول الموصية (الاستعراض الدوري الشامل)، مفصولة بـ ;', 'Recommending states (UPR), separated by ;'],
  ['themes', 'رموز المواضيع، مفصولة بـ ;', 'Theme codes, separated by ;'],
  ['affected_persons', 'رموز الفئات المعنية، مفصولة بـ ;', 'Affected persons codes, separated by ;'],
  ['sdgs', 'أهداف التنمية المستدامة وغاياتها، مفصولة بـ ;', 'SDG goals and targets, separated by ;'],
  ['entities', 'الجهات المسؤولة، مفصولة بـ ;', 'Responsible entities, separated by ;'],
  ['cluster', 'مجموعة التوصيات المتماثلة', 'Cluster of similar recommendations'],
  ['url', 'عنوان صفحة التوصية في البوابة', 'Address of the recommendation’s portal page'],
];
