/**
 * The action plan's portal pages: /public/<lang>/plans (the published versions), /plans/:id (a plan with its
 * pillars and progress) and /plans/:id/pillars/:pillarId (objectives, actions with status and lead entity,
 * indicators with approved values only, the published recommendations and clusters each action answers).
 * An unpublished plan, or a pillar of another plan, is the 404 page.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { html, Html, ltr } from './portal.html.ts';
import { ACTION_STATUSES, day, num, PLAN_STATUSES, t, UNITS } from './portal.i18n.ts';
import type { Lang } from './portal.schema.ts';
import { publicPillar, publicPlanTree, publishedPlans, type PublicIndicatorWithValues, type PublicPlanTree } from './portal-plans.service.ts';
import type { PageRender, PageRoute } from './portal.pages.ts';

const ACTION_COLORS: Record<string, string> = { not_started: '#8a96a3', on_track: '#2f7d4f', delayed: '#c0392b', completed: '#0b5563', cancelled: '#5a6573' };
const ORDER = ['completed', 'on_track', 'delayed', 'not_started', 'cancelled'];

type Named = { title_ar: string; title_en: string };
const title = (lang: Lang, x: Named) => (lang === 'ar' ? x.title_ar : x.title_en);
const pick = (lang: Lang, ar: string | null, en: string | null) => (lang === 'ar' ? (ar ?? en) : (en ?? ar)) ?? '';
const pct = (lang: Lang, n: number | null) => (n === null ? t(lang, 'notMeasured') : `${num(lang, n)}%`);

function actionBadge(lang: Lang, status: string): Html {
  return html`<span class="badge"><span class="dot" style="background:${ACTION_COLORS[status] ?? '#666'}" aria-hidden="true"></span>${ACTION_STATUSES[status]?.[lang] ?? status}</span>`;
}

/** A progress meter: the percentage as text, with a bar beside it (never the bar alone). */
function meter(lang: Lang, n: number | null): Html {
  if (n === null) return html`<span class="muted">${t(lang, 'notMeasured')}</span>`;
  return html`<span class="meter"><span class="meter-bar" aria-hidden="true"><span style="width:${Math.max(0, Math.min(100, n))}%"></span></span> <strong>${num(lang, n)}%</strong></span>`;
}

function statusLegend(lang: Lang, counts: Record<string, number>): Html {
  const present = ORDER.filter((s) => (counts[s] ?? 0) > 0);
  if (!present.length) return html``;
  return html`<ul class="legend">${present.map((s) => html`<li><span class="dot" style="background:${ACTION_COLORS[s]}" aria-hidden="true"></span>${ACTION_STATUSES[s]![lang]}: <strong>${num(lang, counts[s]!)}</strong></li>`)}</ul>`;
}

function planFacts(lang: Lang, plan: PublicPlanTree['plan']): Html {
  return html`<dl class="facts">
<dt>${t(lang, 'planPeriod')}</dt><dd>${ltr(`${day(plan.period_start)} – ${day(plan.period_end)}`)}</dd>
<dt>${t(lang, 'planVersion')}</dt><dd>${ltr(plan.version_number)} (${PLAN_STATUSES[plan.status]?.[lang] ?? plan.status})</dd>
${plan.adopted_at ? html`<dt>${t(lang, 'adoptedOn')}</dt><dd>${ltr(day(plan.adopted_at))}</dd>` : ''}
</dl>${plan.status === 'archived' ? html`<p class="muted">${t(lang, 'planArchived')}</p>` : ''}`;
}

function indicatorTable(lang: Lang, indicators: PublicIndicatorWithValues[]): Html {
  if (!indicators.length) return html``;
  const unitOf = (u: string | null) => (u ? (UNITS[u]?.[lang] ?? u) : null);
  const value = (v: string | null, year: number | null, unit: string | null) => (v === null ? t(lang, 'none') : html`${ltr(v)}${unitOf(unit) ? html` ${unitOf(unit)}` : ''}${year !== null ? html` (${ltr(year)})` : ''}`);
  // a region that may scroll sideways on a phone: focusable and named, so a keyboard reaches what overflows
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${t(lang, 'indicators')}"><table class="indicators">
<thead><tr><th scope="col">${t(lang, 'indicator')}</th><th scope="col">${t(lang, 'baseline')}</th><th scope="col">${t(lang, 'target')}</th><th scope="col">${t(lang, 'approvedValues')}</th></tr></thead>
<tbody>${indicators.map(
    (i) => html`<tr><th scope="row">${pick(lang, i.name_ar, i.name_en)}</th><td>${value(i.baseline_value, i.baseline_year, i.unit)}</td><td>${value(i.target_value, i.target_year, i.unit)}</td><td>${
      i.values.length ? html`<ul class="values">${i.values.map((v) => html`<li>${ltr(day(v.date))}: <strong>${ltr(v.value)}</strong>${unitOf(i.unit) ? html` ${unitOf(i.unit)}` : ''}</li>`)}</ul>` : html`<span class="muted">${t(lang, 'noValues')}</span>`
    }</td></tr>`,
  )}</tbody></table></div>`;
}

export function planPages(db: Kysely<DB>, route: PageRoute, render: PageRender, send: (request: FastifyRequest, reply: FastifyReply, body: string) => unknown): void {
  route('/public/:lang/plans', async (lang, _p, request, reply) => {
    const plans = await publishedPlans(db);
    const body = html`
<h1>${t(lang, 'plansTitle')}</h1>
<p class="lead">${t(lang, 'plansIntro')}</p>
${
  plans.length
    ? plans.map(
        (p) => html`<section class="plan">
<h2><a href="/public/${lang}/plans/${encodeURIComponent(p.id)}">${title(lang, p)}</a></h2>
${planFacts(lang, { ...p })}
${p.pillars.length ? html`<h3>${t(lang, 'pillars')}</h3><ol class="pillars">${p.pillars.map((x) => html`<li><a href="/public/${lang}/plans/${encodeURIComponent(p.id)}/pillars/${encodeURIComponent(x.id)}">${title(lang, x)}</a></li>`)}</ol>` : ''}
</section>`,
      )
    : html`<section><p>${t(lang, 'noPlans')}</p></section>`
}`;
    return send(request, reply, await render(lang, { path: '/plans', current: 'plans', title: t(lang, 'plansTitle'), description: t(lang, 'plansIntro'), body }));
  });

  route<{ id: string }>('/public/:lang/plans/:id', async (lang, { id }, request, reply) => {
    const tree = await publicPlanTree(db, id);
    const name = title(lang, tree.plan);
    const totals: Record<string, number> = {};
    for (const p of tree.pillars) for (const [s, n] of Object.entries(p.statusCounts)) totals[s] = (totals[s] ?? 0) + n;
    const body = html`
<nav class="crumbs" aria-label="${t(lang, 'breadcrumbs')}"><a href="/public/${lang}/">${t(lang, 'home')}</a> › <a href="/public/${lang}/plans">${t(lang, 'plans')}</a></nav>
<h1>${name}</h1>
<section>
${planFacts(lang, tree.plan)}
<h2>${t(lang, 'overallProgress')}</h2>
<p class="big">${meter(lang, tree.progress)}</p>
${statusLegend(lang, totals)}
<p class="muted">${t(lang, 'progressNote')}</p>
</section>
<section>
<h2>${t(lang, 'pillars')}</h2>
<div class="table-scroll"><table>
<thead><tr><th scope="col">${t(lang, 'pillar')}</th><th scope="col" class="n">${t(lang, 'objectives')}</th><th scope="col" class="n">${t(lang, 'actionsCount')}</th><th scope="col">${t(lang, 'progressShort')}</th></tr></thead>
<tbody>${tree.pillars.map(
      (p) => html`<tr><th scope="row"><a href="/public/${lang}/plans/${encodeURIComponent(tree.plan.id)}/pillars/${encodeURIComponent(p.id)}">${ltr(p.code)} ${title(lang, p)}</a></th><td class="n">${num(lang, p.objectives.length)}</td><td class="n">${num(lang, p.actionCount)}</td><td>${meter(lang, p.progress)}</td></tr>`,
    )}</tbody></table></div>
</section>`;
    return send(request, reply, await render(lang, { path: `/plans/${encodeURIComponent(tree.plan.id)}`, current: 'plans', title: name, description: `${name}: ${t(lang, 'plansIntro')}`, body }));
  });

  route<{ id: string; pillarId: string }>('/public/:lang/plans/:id/pillars/:pillarId', async (lang, { id, pillarId }, request, reply) => {
    const { plan, pillar, pillars } = await publicPillar(db, id, pillarId);
    const planUrl = `/public/${lang}/plans/${encodeURIComponent(plan.id)}`;
    const name = title(lang, pillar);
    const body = html`
<nav class="crumbs" aria-label="${t(lang, 'breadcrumbs')}"><a href="/public/${lang}/">${t(lang, 'home')}</a> › <a href="/public/${lang}/plans">${t(lang, 'plans')}</a> › <a href="${planUrl}">${title(lang, plan)}</a></nav>
<h1><span class="muted">${t(lang, 'pillar')} ${ltr(pillar.code)}:</span> ${name}</h1>
<section>
<h2>${t(lang, 'progressShort')}</h2>
<p class="big">${meter(lang, pillar.progress)}</p>
${statusLegend(lang, pillar.statusCounts)}
</section>
${pillar.objectives.map(
  (o) => html`<section class="objective">
<h2><span class="muted">${t(lang, 'objective')} ${ltr(o.code)}:</span> ${title(lang, o)}</h2>
<p>${t(lang, 'progressShort')}: ${meter(lang, o.progress)}</p>
${indicatorTable(lang, o.indicators)}
<h3>${t(lang, 'actions')}</h3>
${
  o.actions.length
    ? html`<ol class="actions">${o.actions.map((a) => {
        const desc = pick(lang, a.description_ar, a.description_en);
        return html`<li class="action">
<h4>${ltr(a.code)} ${title(lang, a)}</h4>
<p class="meta">${actionBadge(lang, a.status)} · ${t(lang, 'progressShort')}: ${pct(lang, a.progress)}${a.lead ? html` · ${t(lang, 'leadEntity')}: ${pick(lang, a.lead.name_ar, a.lead.name_en)}` : ''}${a.start_date || a.end_date ? html` · ${t(lang, 'timeframe')}: ${ltr(`${day(a.start_date)} – ${day(a.end_date)}`)}` : ''}</p>
${desc ? html`<p>${desc}</p>` : ''}
${indicatorTable(lang, a.indicators)}
${a.recommendations.length ? html`<p class="answers">${t(lang, 'answers')}:</p><ul class="inline">${a.recommendations.map((r) => html`<li><a href="/public/${lang}/recommendations/${encodeURIComponent(r.id)}">${ltr(r.symbol)}${r.paragraph ? html` · ${ltr(r.paragraph)}` : ''}</a></li>`)}</ul>` : ''}
${a.clusters.length ? html`<p class="answers">${t(lang, 'answersClusters')}:</p><ul class="inline">${a.clusters.map((c) => html`<li><a href="/public/${lang}/clusters/${encodeURIComponent(c.id)}">${pick(lang, c.title_ar, c.title_en)}</a></li>`)}</ul>` : ''}
</li>`;
      })}</ol>`
    : html`<p>${t(lang, 'noActions')}</p>`
}
</section>`,
)}
<nav class="others" aria-label="${t(lang, 'otherPillars')}"><h2>${t(lang, 'otherPillars')}</h2><ol>${pillars.map((p) =>
      p.id === pillar.id ? html`<li aria-current="page">${ltr(p.code)} ${title(lang, p)}</li>` : html`<li><a href="${planUrl}/pillars/${encodeURIComponent(p.id)}">${ltr(p.code)} ${title(lang, p)}</a></li>`,
    )}</ol></nav>`;
    return send(
      request,
      reply,
      await render(lang, { path: `/plans/${encodeURIComponent(plan.id)}/pillars/${encodeURIComponent(pillar.id)}`, current: 'plans', title: `${name} — ${title(lang, plan)}`, description: `${t(lang, 'pillar')}: ${name}. ${title(lang, plan)}`, body }),
    );
  });
}
