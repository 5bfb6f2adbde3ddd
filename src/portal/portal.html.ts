/**
 * The portal's HTML: plain strings built on the server. Every value that comes from data passes through
 * `esc` (text and attributes alike); the only unescaped strings are this file's own markup.
 */
import { t, type Word } from './portal.i18n.ts';
import type { Lang } from './portal.schema.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Markup built by this module (already escaped), as opposed to a plain string that still needs escaping. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}
/** Tagged template: interpolated strings are escaped, Html and arrays of Html are inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1]!;
  return new Html(out);
}
function piece(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(piece).join('');
  if (v === null || v === undefined || v === false) return '';
  return esc(v);
}

export const dir = (lang: string): 'rtl' | 'ltr' => (lang === 'ar' ? 'rtl' : 'ltr');
export const other = (lang: Lang): Lang => (lang === 'ar' ? 'en' : 'ar');
/** A left-to-right fragment (symbol, date, code) inside text of either direction. */
export const ltr = (s: string | number): Html => html`<bdi dir="ltr">${String(s)}</bdi>`;

export interface PageOptions {
  lang: Lang;
  /** path after /public/<lang>, e.g. "/recommendations?x=1" ("/" for home) */
  path: string;
  title: string;
  description: string;
  body: Html;
  /** absolute address of the site, for canonical and alternate links */
  base: string;
  cssHref: string;
  status?: number;
  current?: 'home' | 'recommendations' | 'plans' | 'data' | 'consultations';
  /** no language alternates (e.g. the 404 page) */
  noAlternates?: boolean;
  /** ask search engines not to index it (a filtered list) */
  noindex?: boolean;
  /** the state's logo (its sha-256, the cache key of /api/settings/logo?v=), or none */
  logo?: string | null;
}

export function page(o: PageOptions): string {
  const { lang } = o;
  const href = (l: Lang) => `/public/${l}${o.path}`;
  const nav = (key: Word, to: string, id: PageOptions['current']) =>
    html`<a href="/public/${lang}${to}"${new Html(o.current === id ? ' aria-current="page"' : '')}>${t(lang, key)}</a>`;
  const alternates = o.noAlternates
    ? ''
    : html`<link rel="canonical" href="${o.base}${href(lang)}">
<link rel="alternate" hreflang="ar" href="${o.base}${href('ar')}">
<link rel="alternate" hreflang="en" href="${o.base}${href('en')}">
<link rel="alternate" hreflang="x-default" href="${o.base}${href('ar')}">`;
  return `<!doctype html>
${html`<html lang="${lang}" dir="${dir(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} — ${t(lang, 'siteName')}</title>
<meta name="description" content="${o.description}">
${o.noindex ? html`<meta name="robots" content="noindex, follow">` : ''}
${alternates}
<link rel="alternate" type="application/atom+xml" href="/public/${lang}/feed.atom" title="${t(lang, 'feedTitle')}">
<link rel="stylesheet" href="${o.cssHref}">
</head>
<body>
<a class="skip" href="#main">${t(lang, 'skip')}</a>
<header class="site">
<div class="wrap head">
<a class="brand" href="/public/${lang}/">${o.logo ? html`<img class="logo" src="/api/settings/logo?v=${o.logo}" alt="" width="32" height="32">` : html`<span class="mark" aria-hidden="true">◆</span>`} ${t(lang, 'siteName')}</a>
<nav aria-label="${t(lang, 'mainNav')}">
${nav('home', '/', 'home')}
${nav('recommendations', '/recommendations', 'recommendations')}
${nav('plans', '/plans', 'plans')}
${nav('openData', '/data', 'data')}
${nav('consultations', '/consultations', 'consultations')}
<a class="lang" href="${o.noAlternates ? `/public/${other(lang)}/` : href(other(lang))}" lang="${other(lang)}" hreflang="${other(lang)}" title="${t(other(lang), 'otherLangLabel')}">${t(lang, 'otherLang')}</a>
</nav>
</div>
</header>
<main id="main" class="wrap">
${o.body}
</main>
<footer class="site">
<div class="wrap">
<p>${t(lang, 'footer')}</p>
<p><a href="/public/${lang}/data">${t(lang, 'licence')}: CC BY 4.0</a> · <a href="/public/${lang}/feed.atom">${t(lang, 'feed')}</a> · <a href="/login">${t(lang, 'signIn')}</a></p>
</div>
</footer>
</body>
</html>`}`;
}

/** A stacked bar of status counts, each part also named in its title and in the table beside it. */
export function statusBar(lang: Lang, counts: Record<string, number>, statuses: { code: string; label_ar: string; label_en: string; color: string }[], total: number): Html {
  if (total === 0) return html`<div class="bar empty"></div>`;
  const parts = statuses
    .filter((s) => (counts[s.code] ?? 0) > 0)
    .map((s) => {
      const n = counts[s.code] ?? 0;
      const label = `${lang === 'ar' ? s.label_ar : s.label_en}: ${n}`;
      return html`<span class="seg" style="width:${((100 * n) / total).toFixed(2)}%;background:${/^#[0-9a-fA-F]{3,8}$/.test(s.color) ? s.color : '#888'}" title="${label}"></span>`;
    });
  const summary = statuses
    .filter((s) => (counts[s.code] ?? 0) > 0)
    .map((s) => `${lang === 'ar' ? s.label_ar : s.label_en}: ${counts[s.code]}`)
    .join(lang === 'ar' ? '، ' : ', ');
  return html`<div class="bar" role="img" aria-label="${summary}">${parts}</div>`;
}
