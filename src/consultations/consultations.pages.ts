/**
 * The portal's consultation pages (issue 16, items 3 and 4), rendered on the server like the rest of the portal and
 * usable without JavaScript: a stakeholder registers, signs in, reads the consultations open to them and comments on
 * each item with plain HTML forms (the comment form is multipart, for the optional attachment). Pages that depend on
 * who is signed in are `private, no-store`. Forms carry the session's CSRF token in `_csrf` (config.form).
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkFormCsrf } from '../auth/auth.plugin.ts';
import { setSessionCookie } from '../auth/cookies.ts';
import { secretKeyFor, secretKeysFor } from '../auth/secret-box.ts';
import { login, logout, SESSION_COOKIE } from '../auth/session.service.ts';
import type { ConsultationItemType } from '../db/schema.ts';
import { html, Html, LANGS, ltr, page, portalCssHref, type Lang } from '../portal/index.ts';
import type { AppContext } from '../server/context.ts';
import { AppError } from '../shared/errors.ts';
import { ARABIC_MESSAGES } from '../server/errors.ts';
import type { FormBody } from '../server/form-body.ts';
import type { Mailer } from '../notifications/index.ts';
import type { AbuseGuards } from './abuse.ts';
import { MAX_ATTACHMENT_BYTES, MAX_COMMENT_CHARS, registerBodySchema } from './consultations.schema.ts';
import { getConsultation, listConsultations, submitComment } from './consultations.service.ts';
import { issueChallenge, spendProof } from './proof-of-work.ts';
import { checkConfirmLink, confirmStakeholderEmail, registerStakeholder, spamDetected } from './stakeholders.service.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILE_INPUT = fs.readFileSync(path.join(here, 'file-input.js'), 'utf8');
const FILE_INPUT_JS = `/public/assets/file-input.js?v=${createHash('sha256').update(FILE_INPUT).digest('hex').slice(0, 12)}`;
const POW_SCRIPT = fs.readFileSync(path.join(here, 'proof-of-work.js'), 'utf8');
const POW_JS = `/public/assets/proof-of-work.js?v=${createHash('sha256').update(POW_SCRIPT).digest('hex').slice(0, 12)}`;
const WORDS = {
  consultations: { ar: 'المشاورات', en: 'Consultations' },
  intro: {
    ar: 'تستشير الدولة المؤسسة الوطنية لحقوق الإنسان ومنظمات المجتمع المدني في متابعة التوصيات وخطة العمل والتقارير. سجّل جهتك، وبعد اعتماد التسجيل يمكنك التعليق خلال مدة كل مشاورة.',
    en: 'The state consults the national human rights institution and civil-society organisations on the follow-up of recommendations, the action plan and its reports. Register your organisation; once approved, you can comment during each consultation’s period.',
  },
  register: { ar: 'تسجيل جهة', en: 'Register an organisation' },
  registerIntro: {
    ar: 'يُراجع منسق الأمانة كل تسجيل قبل اعتماده، وتصلك رسالة بالقرار على بريدك الإلكتروني.',
    en: 'A coordinator of the secretariat reviews each registration before approving it; the decision is sent to your e-mail address.',
  },
  name: { ar: 'الاسم الكامل', en: 'Full name' },
  organisation: { ar: 'الجهة', en: 'Organisation' },
  orgKind: { ar: 'نوع الجهة', en: 'Kind of organisation' },
  nhri: { ar: 'مؤسسة وطنية لحقوق الإنسان', en: 'National human rights institution' },
  civil_society: { ar: 'منظمة مجتمع مدني', en: 'Civil-society organisation' },
  other: { ar: 'أخرى', en: 'Other' },
  email: { ar: 'البريد الإلكتروني', en: 'E-mail address' },
  password: { ar: 'كلمة المرور', en: 'Password' },
  passwordHint: { ar: 'عشرة أحرف على الأقل.', en: 'At least 10 characters.' },
  trap: { ar: 'اترك هذا الحقل فارغاً', en: 'Leave this field empty' },
  send: { ar: 'إرسال', en: 'Send' },
  registered: { ar: 'وصل تسجيلك', en: 'Your registration has arrived' },
  registeredText: {
    ar: 'أرسلنا إلى بريدك الإلكتروني رابطاً لتأكيد العنوان، يصلح مرة واحدة خلال 48 ساعة. بعد التأكيد يراجع منسق الأمانة التسجيل، وتصلك رسالة بالقرار.',
    en: 'We have sent a link to your e-mail address to confirm it; it works once, within 48 hours. Once it is confirmed, a coordinator reviews the registration and you will receive the decision by e-mail.',
  },
  confirmTitle: { ar: 'تأكيد البريد الإلكتروني', en: 'Confirm your e-mail address' },
  confirmText: { ar: 'أكّد أن هذا العنوان لجهتك لتُرسل تسجيلها إلى منسق الأمانة:', en: 'Confirm that this address is your organisation’s, so that its registration goes to a coordinator:' },
  confirmAction: { ar: 'تأكيد العنوان', en: 'Confirm the address' },
  confirmedTitle: { ar: 'تأكّد بريدك الإلكتروني', en: 'Your e-mail address is confirmed' },
  confirmedText: {
    ar: 'سيراجع منسق الأمانة تسجيل جهتك الآن، وتصلك رسالة بالقرار. بعد الاعتماد يمكنك الدخول والمشاركة في المشاورات.',
    en: 'A coordinator will now review your organisation’s registration and you will receive the decision by e-mail. Once approved, you can sign in and take part in consultations.',
  },
  badLinkTitle: { ar: 'الرابط غير صالح', en: 'This link is not valid' },
  badLinkText: {
    ar: 'رابط التأكيد هذا استُخدم من قبل أو انتهت صلاحيته (يصلح مرة واحدة خلال 48 ساعة). إن كنت أكّدت عنوانك فلا حاجة إلى شيء آخر. وإن لم تؤكّده وانتهت صلاحية الرابط فسجّل جهتك من جديد بالعنوان نفسه.',
    en: 'This confirmation link was already used or has expired (it works once, within 48 hours). If you already confirmed your address, nothing more is needed. If you never confirmed it and the link has expired, register your organisation again with the same address.',
  },
  powWait: { ar: 'لحظة، يجري فحص النموذج…', en: 'One moment, the form is being checked…' },
  signIn: { ar: 'دخول أصحاب المصلحة', en: 'Stakeholder sign-in' },
  signInAction: { ar: 'دخول', en: 'Sign in' },
  signOut: { ar: 'خروج', en: 'Sign out' },
  noAccount: { ar: 'ليس لجهتك حساب؟', en: 'No account yet?' },
  signedInAs: { ar: 'مسجّل الدخول باسم', en: 'Signed in as' },
  notStakeholder: {
    ar: 'هذه الصفحات لأصحاب المصلحة المسجلين. موظفو الجهات يستعملون تطبيق رصد الداخلي.',
    en: 'These pages are for registered stakeholders. Staff of the state use the internal Rasd application.',
  },
  none: { ar: 'لا مشاورات مفتوحة لك الآن.', en: 'No consultation is open to you at the moment.' },
  period: { ar: 'المدة', en: 'Period' },
  upcoming: { ar: 'لم تُفتح بعد', en: 'Not open yet' },
  open: { ar: 'مفتوحة للتعليق', en: 'Open for comments' },
  closed: { ar: 'مغلقة', en: 'Closed' },
  questions: { ar: 'الأسئلة المطروحة', en: 'Questions asked' },
  items: { ar: 'البنود المعروضة للتعليق', en: 'Items open for comment' },
  yourComment: { ar: 'تعليقك على هذا البند', en: 'Your comment on this item' },
  commentHint: { ar: `حتى ${MAX_COMMENT_CHARS} حرف.`, en: `Up to ${MAX_COMMENT_CHARS} characters.` },
  attachment: { ar: 'مرفق (اختياري)', en: 'Attachment (optional)' },
  chooseFile: { ar: 'اختيار ملف', en: 'Choose a file' },
  noFile: { ar: 'لم يُختر ملف', en: 'No file chosen' },
  attachmentHint: {
    ar: `PDF أو Word أو Excel أو صورة، حتى ${MAX_ATTACHMENT_BYTES / 1024 / 1024} ميغابايت.`,
    en: `PDF, Word, Excel or an image, up to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`,
  },
  sendComment: { ar: 'إرسال التعليق', en: 'Send the comment' },
  yourComments: { ar: 'تعليقاتك', en: 'Your comments' },
  pending: { ar: 'قيد المراجعة', en: 'Under review' },
  accepted: { ar: 'مقبول', en: 'Accepted' },
  rejected: { ar: 'مرفوض', en: 'Not accepted' },
  reason: { ar: 'السبب', en: 'Reason' },
  sent: { ar: 'وصل تعليقك، وسيراجعه منسق الأمانة.', en: 'Your comment has arrived; a coordinator will review it.' },
  back: { ar: 'كل المشاورات', en: 'All consultations' },
  error: { ar: 'تعذّر ذلك', en: 'That did not work' },
  subject_recommendations: { ar: 'توصيات مختارة', en: 'Selected recommendations' },
  subject_report: { ar: 'مسودة تقرير', en: 'Report draft' },
  subject_plan: { ar: 'مسودة خطة العمل', en: 'Action-plan draft' },
} as const;
type Word = keyof typeof WORDS;
const w = (lang: Lang, k: Word) => WORDS[k][lang];

const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGS as readonly string[]).includes(v);
const day = (iso: string) => iso.slice(0, 10);

/** An error in the reader's language (the API's Arabic message, or its English one). */
function errorText(lang: Lang, err: unknown): { status: number; text: string } {
  if (err instanceof AppError) return { status: err.status, text: lang === 'ar' ? (ARABIC_MESSAGES[err.code] ?? ARABIC_MESSAGES.validation_failed!) : err.message };
  throw err;
}
const notice = (text: string, kind: 'ok' | 'error' = 'ok') => html`<p class="notice${kind === 'error' ? ' error' : ''}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</p>`;

export function consultationPages(app: FastifyInstance, ctx: AppContext, guards: AbuseGuards, mailer: Mailer): void {
  const base = ctx.config.publicUrl;
  const send = (reply: FastifyReply, lang: Lang, o: { path: string; title: string; description?: string; body: Html; status?: number }) =>
    reply
      .status(o.status ?? 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .send(page({ lang, base, cssHref: portalCssHref(), path: o.path, title: o.title, description: o.description ?? w(lang, 'intro'), body: o.body, current: 'consultations', noindex: true }));

  const csrfField = (request: FastifyRequest) => (request.auth ? html`<input type="hidden" name="_csrf" value="${request.auth.csrfToken}">` : '');
  const form = (request: FastifyRequest): FormBody => {
    const b = request.body as FormBody | undefined;
    if (!b || typeof b !== 'object' || !('fields' in b)) throw new AppError(415, 'unsupported_media_type', 'Send the form as an HTML form.');
    return b;
  };
  const langOf = (request: FastifyRequest): Lang | null => {
    const l = (request.params as { lang?: string }).lang;
    return isLang(l) ? l : null;
  };
  const stakeholder = (request: FastifyRequest) => (request.auth?.user.role === 'stakeholder' ? request.auth.user : null);
  const formConfig = { config: { form: true }, schema: { hide: true } } as const;
  const secret = () => secretKeyFor(ctx.config);
  // the proof-of-work fields (filled by proof-of-work.js) and the words shown while the work finishes
  const powFields = (lang: Lang) =>
    html`<input type="hidden" name="pow_challenge" value="${issueChallenge(secret())}"><input type="hidden" name="pow_nonce" value=""><p class="hint pow-status" role="status" hidden>${w(lang, 'powWait')}</p>`;
  /** A form with a proof is checked (and the proof spent); one without (no JavaScript) gets the stricter limits. */
  const proved = async (fields: Record<string, string | undefined>): Promise<boolean> => {
    if (!fields.pow_nonce) return false;
    await spendProof(ctx.db, secret(), fields.pow_challenge ?? '', fields.pow_nonce);
    return true;
  };

  // --- registration ---
  const registerForm = (request: FastifyRequest, lang: Lang, values: Record<string, string> = {}, error?: string) => html`
<h1>${w(lang, 'register')}</h1>
<p class="lead">${w(lang, 'registerIntro')}</p>
${error ? notice(error, 'error') : ''}
<section>
<form class="form" method="post" action="/public/${lang}/register" data-pow>
${csrfField(request)}
${powFields(lang)}
<div><label for="name">${w(lang, 'name')}</label><input type="text" id="name" name="name" required maxlength="200" autocomplete="name" value="${values.name ?? ''}"></div>
<div><label for="organisation">${w(lang, 'organisation')}</label><input type="text" id="organisation" name="organisation" required maxlength="300" autocomplete="organization" value="${values.organisation ?? ''}"></div>
<div><label for="org_kind">${w(lang, 'orgKind')}</label><select id="org_kind" name="org_kind">${(['nhri', 'civil_society', 'other'] as const).map(
    (k) => html`<option value="${k}"${new Html(values.org_kind === k ? ' selected' : '')}>${w(lang, k)}</option>`,
  )}</select></div>
<div><label for="email">${w(lang, 'email')}</label><input type="email" id="email" name="email" required maxlength="320" autocomplete="email" dir="ltr" value="${values.email ?? ''}"></div>
<div><label for="password">${w(lang, 'password')}</label><input type="password" id="password" name="password" required minlength="10" maxlength="200" autocomplete="new-password" aria-describedby="password-hint"><p class="hint" id="password-hint">${w(lang, 'passwordHint')}</p></div>
<div class="trap" aria-hidden="true"><label for="website">${w(lang, 'trap')}</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">${w(lang, 'send')}</button>
</form>
<p>${w(lang, 'noAccount')} · <a href="/public/${lang}/sign-in">${w(lang, 'signIn')}</a></p>
</section>
<script src="${POW_JS}" defer></script>`;

  app.get('/public/:lang/register', { schema: { hide: true } }, async (request, reply) => {
    const lang = langOf(request);
    if (!lang) return reply.callNotFound();
    return send(reply, lang, { path: '/register', title: w(lang, 'register'), body: registerForm(request, lang) });
  });
  app.post('/public/:lang/register', { ...formConfig, bodyLimit: 64 * 1024 }, async (request, reply) => {
    const lang = langOf(request);
    if (!lang) return reply.callNotFound();
    const { fields } = form(request);
    try {
      checkFormCsrf(request, fields._csrf);
      if (fields.website && fields.website.trim() !== '') throw spamDetected();
      await guards.registration(request.ip, await proved(fields));
      const parsed = registerBodySchema.safeParse({ ...fields, locale: lang });
      if (!parsed.success) throw new AppError(400, 'validation_failed', 'Fill in every field (name, organisation, kind, e-mail, password).');
      await registerStakeholder(ctx.db, mailer, parsed.data, { publicUrl: base });
    } catch (err) {
      const e = errorText(lang, err);
      return send(reply, lang, { path: '/register', title: w(lang, 'register'), status: e.status, body: registerForm(request, lang, { ...fields, password: '' }, e.text) });
    }
    return send(reply, lang, { path: '/register', title: w(lang, 'registered'), body: html`<h1>${w(lang, 'registered')}</h1>${notice(w(lang, 'registeredText'))}<p><a href="/public/${lang}/consultations">${w(lang, 'consultations')}</a></p>` });
  });

  // --- the mailed confirmation link: a page with a button (a mail scanner that opens the link confirms nothing) ---
  const badLink = (reply: FastifyReply, lang: Lang) =>
    send(reply, lang, {
      path: '/register/confirm',
      title: w(lang, 'badLinkTitle'),
      status: 400,
      body: html`<h1>${w(lang, 'badLinkTitle')}</h1>${notice(w(lang, 'badLinkText'), 'error')}<p><a href="/public/${lang}/register">${w(lang, 'register')}</a> · <a href="/public/${lang}/sign-in">${w(lang, 'signIn')}</a></p>`,
    });
  const tokenOf = (v: unknown) => (typeof v === 'string' ? v : '');
  app.get('/public/:lang/register/confirm', { schema: { hide: true } }, async (request, reply) => {
    const lang = langOf(request);
    if (!lang) return reply.callNotFound();
    const token = tokenOf((request.query as { token?: unknown }).token);
    let who: { email: string; organisation: string };
    try {
      who = await checkConfirmLink(ctx.db, token);
    } catch (err) {
      if (err instanceof AppError && err.code === 'invalid_confirm_link') return badLink(reply, lang);
      throw err;
    }
    return send(reply, lang, {
      // the language switch keeps the token: the same link, in the other language
      path: `/register/confirm?token=${token}`,
      title: w(lang, 'confirmTitle'),
      body: html`<h1>${w(lang, 'confirmTitle')}</h1>
<section>
<p>${w(lang, 'confirmText')}</p>
<p><strong>${who.organisation}</strong> · <bdi dir="ltr">${who.email}</bdi></p>
<form class="form" method="post" action="/public/${lang}/register/confirm">
${csrfField(request)}
<input type="hidden" name="token" value="${token}">
<button type="submit">${w(lang, 'confirmAction')}</button>
</form>
</section>`,
    });
  });
  app.post('/public/:lang/register/confirm', { ...formConfig, bodyLimit: 16 * 1024 }, async (request, reply) => {
    const lang = langOf(request);
    if (!lang) return reply.callNotFound();
    const { fields } = form(request);
    try {
      checkFormCsrf(request, fields._csrf);
      await confirmStakeholderEmail(ctx.db, tokenOf(fields.token));
    } catch (err) {
      if (err instanceof AppError && err.code === 'invalid_confirm_link') return badLink(reply, lang);
      const e = errorText(lang, err);
      return send(reply, lang, { path: '/register/confirm', title: w(lang, 'badLinkTitle'), status: e.status, body: html`<h1>${w(lang, 'badLinkTitle')}</h1>${notice(e.text, 'error')}` });
    }
    return send(reply, lang, {
      path: '/register/confirm',
      title: w(lang, 'confirmedTitle'),
      body: html`<h1>${w(lang, 'confirmedTitle')}</h1>${notice(w(lang, 'confirmedText'))}<p><a href="/public/${lang}/consultations">${w(lang, 'consultations')}</a></p>`,
    });
  });

  // --- sign-in and sign-out ---
  const signInForm = (request: FastifyRequest, lang: Lang, email = '', error?: string) => html`
<h1>${w(lang, 'signIn')}</h1>
${error ? notice(error, 'error') : ''}
<section>
<form class="form" method="post" action="/public/${lang}/sign-in">
${csrfField(request)}
<div><label for="email">${w(lang, 'email')}</label><input type="email" id="email" name="email" required autocomplete="username" dir="ltr" value="${email}"></div>
<div><label for="password">${w(lang, 'password')}</label><input type="password" id="password" name="password" required autocomplete="current-password"></div>
<button type="submit">${w(lang, 'signInAction')}</button>
</form>
<p>${w(lang, 'noAccount')} <a href="/public/${lang}/register">${w(lang, 'register')}</a></p>
</section>`;

  app.get('/public/:lang/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const lang = langOf(request);
    if (!lang) return reply.callNotFound();
    return send(reply, lang, { path: '/sign-in', title: w(lang, 'signIn'), body: signInForm(request, lang) });
  });
  app.post('/public/:lang/sign-in', { ...formConfig, bodyLimit: 16 * 1024 }, async (request, reply) => {
    const lang = langOf(request);
    if (!lang) return reply.callNotFound();
    const { fields } = form(request);
    try {
      checkFormCsrf(request, fields._csrf);
      const result = await login(ctx.db, { email: fields.email ?? '', password: fields.password ?? '', ip: request.ip, sessionDays: ctx.config.sessionDays, secretKeys: secretKeysFor(ctx.config) });
      setSessionCookie(ctx, request, reply, result);
    } catch (err) {
      const e = errorText(lang, err);
      return send(reply, lang, { path: '/sign-in', title: w(lang, 'signIn'), status: e.status, body: signInForm(request, lang, fields.email ?? '', e.text) });
    }
    return reply.redirect(`/public/${lang}/consultations`, 303);
  });
  app.post('/public/:lang/sign-out', { ...formConfig, bodyLimit: 16 * 1024 }, async (request, reply) => {
    const lang = langOf(request) ?? 'ar';
    if (request.auth) {
      checkFormCsrf(request, form(request).fields._csrf);
      await logout(ctx.db, request.auth.sessionId, request.auth.user.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    return reply.redirect(`/public/${lang}/`, 303);
  });

  const who = (request: FastifyRequest, lang: Lang) => {
    const user = request.auth?.user;
    if (!user) return html`<p class="meta"><a href="/public/${lang}/sign-in">${w(lang, 'signIn')}</a> · <a href="/public/${lang}/register">${w(lang, 'register')}</a></p>`;
    return html`<div class="meta">${w(lang, 'signedInAs')} <strong>${user.name}</strong> · <form class="inline" method="post" action="/public/${lang}/sign-out">${csrfField(request)}<button type="submit">${w(lang, 'signOut')}</button></form></div>`;
  };

  // --- consultations ---
  app.get('/public/:lang/consultations', { schema: { hide: true } }, async (request, reply) => {
    const lang = langOf(request);
    if (!lang) return reply.callNotFound();
    const user = stakeholder(request);
    let list: Html;
    if (!user) list = request.auth ? notice(w(lang, 'notStakeholder')) : html``;
    else {
      const { items } = await listConsultations(ctx.db, user);
      list = items.length
        ? html`<ol class="items">${items.map(
            (c) => html`<li class="item"><h2 class="h3"><a href="/public/${lang}/consultations/${c.id}">${lang === 'ar' ? c.title_ar : c.title_en}</a></h2>
<p class="meta">${w(lang, `subject_${c.subject}`)} · ${w(lang, 'period')}: ${ltr(day(c.opens_at))} – ${ltr(day(c.closes_at))} · <span class="state">${w(lang, c.state)}</span></p></li>`,
          )}</ol>`
        : html`<p>${w(lang, 'none')}</p>`;
    }
    return send(reply, lang, {
      path: '/consultations',
      title: w(lang, 'consultations'),
      body: html`<h1>${w(lang, 'consultations')}</h1>${who(request, lang)}<p class="lead">${w(lang, 'intro')}</p><section>${list}</section>`,
    });
  });

  async function detailPage(request: FastifyRequest, reply: FastifyReply, lang: Lang, id: string, extra: { error?: string; status?: number; sent?: boolean; values?: Record<string, string> } = {}) {
    const user = stakeholder(request);
    if (!user) return reply.redirect(`/public/${lang}/sign-in`, 303);
    let c;
    try {
      c = await getConsultation(ctx.db, id, user);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) return reply.callNotFound();
      throw err;
    }
    const title = lang === 'ar' ? c.title_ar : c.title_en;
    const description = lang === 'ar' ? c.description_ar : c.description_en;
    const statusWord = (s: 'pending' | 'accepted' | 'rejected') => w(lang, s);
    const itemBlocks = c.items.map((it, i) => {
      const mine = c.comments.filter((cm) => cm.item_type === it.item_type && cm.item_id === it.item_id);
      const key = `${it.item_type}:${it.item_id}`;
      const values = extra.values && `${extra.values.item_type}:${extra.values.item_id}` === key ? extra.values : undefined;
      return html`<section id="item-${i + 1}">
<h2>${ltr(it.ref)}</h2>
<blockquote>${lang === 'ar' ? it.label_ar : it.label_en}</blockquote>
${mine.length
  ? html`<h3>${w(lang, 'yourComments')}</h3>${mine.map(
      (cm) => html`<article class="comment"><p class="meta"><span class="state">${statusWord(cm.status)}</span> · ${ltr(day(cm.created_at))}${cm.attachment_name ? html` · ${cm.attachment_name}` : ''}</p><p>${cm.body}</p>${
        cm.status === 'rejected' && cm.moderation_reason ? html`<p class="meta">${w(lang, 'reason')}: ${cm.moderation_reason}</p>` : ''
      }</article>`,
    )}`
  : ''}
${c.state === 'open'
  ? html`<form class="form" method="post" enctype="multipart/form-data" action="/public/${lang}/consultations/${c.id}/comments" data-pow>
${csrfField(request)}
${powFields(lang)}
<input type="hidden" name="item_type" value="${it.item_type}"><input type="hidden" name="item_id" value="${it.item_id}">
<div><label for="body-${i + 1}">${w(lang, 'yourComment')}</label><textarea id="body-${i + 1}" name="body" required maxlength="${MAX_COMMENT_CHARS}" aria-describedby="body-hint-${i + 1}">${values?.body ?? ''}</textarea><p class="hint" id="body-hint-${i + 1}">${w(lang, 'commentHint')}</p></div>
<div class="file-pick"><label for="file-${i + 1}">${w(lang, 'attachment')}</label><input type="file" id="file-${i + 1}" name="attachment" accept=".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.gif,.webp" aria-describedby="file-hint-${i + 1} file-name-${i + 1}"><span class="file-row"><label for="file-${i + 1}" class="file-button" hidden aria-hidden="true">${w(lang, 'chooseFile')}</label> <span class="file-name" id="file-name-${i + 1}" hidden>${w(lang, 'noFile')}</span></span><p class="hint" id="file-hint-${i + 1}">${w(lang, 'attachmentHint')}</p></div>
<div class="trap" aria-hidden="true"><label for="website-${i + 1}">${w(lang, 'trap')}</label><input type="text" id="website-${i + 1}" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">${w(lang, 'sendComment')}</button>
</form>`
  : ''}
</section>`;
    });
    return send(reply, lang, {
      path: `/consultations/${c.id}`,
      title,
      status: extra.status ?? 200,
      description: description || w(lang, 'intro'),
      body: html`<p class="crumbs"><a href="/public/${lang}/consultations">${w(lang, 'back')}</a></p>
<h1>${title}</h1>
${who(request, lang)}
${extra.sent ? notice(w(lang, 'sent')) : ''}
${extra.error ? notice(extra.error, 'error') : ''}
<p class="meta">${w(lang, `subject_${c.subject}`)} · ${w(lang, 'period')}: ${ltr(day(c.opens_at))} – ${ltr(day(c.closes_at))} · <span class="state">${w(lang, c.state)}</span></p>
${description ? html`<p class="lead">${description}</p>` : ''}
${c.questions.length ? html`<section><h2>${w(lang, 'questions')}</h2><ol>${c.questions.map((q) => html`<li>${lang === 'ar' ? q.ar : q.en}</li>`)}</ol></section>` : ''}
<h2>${w(lang, 'items')}</h2>
${itemBlocks}
<script src="${FILE_INPUT_JS}" defer></script>
${c.state === 'open' ? html`<script src="${POW_JS}" defer></script>` : ''}`,
    });
  }

  // the comment form's file field in the page's language (see file-input.js)
  app.get('/public/assets/file-input.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(FILE_INPUT),
  );
  // the public forms' proof of work (see proof-of-work.js)
  app.get('/public/assets/proof-of-work.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(POW_SCRIPT),
  );

  app.get('/public/:lang/consultations/:id', { schema: { hide: true } }, async (request, reply) => {
    const lang = langOf(request);
    const { id } = request.params as { id: string };
    if (!lang || !/^[0-9a-f-]{36}$/i.test(id)) return reply.callNotFound();
    return detailPage(request, reply, lang, id, { sent: (request.query as { sent?: string }).sent === '1' });
  });

  app.post(
    '/public/:lang/consultations/:id/comments',
    {
      ...formConfig,
      bodyLimit: MAX_ATTACHMENT_BYTES + 64 * 1024,
      errorHandler: (err: Error & { code?: string }, request, reply) => {
        // Over the size limit: the page again with the reason, not a bare 413.
        if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
          const lang = langOf(request) ?? 'ar';
          const e = new AppError(413, 'file_too_large', `The file is larger than the ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB limit.`);
          return detailPage(request, reply, lang, (request.params as { id: string }).id, { error: errorText(lang, e).text, status: 413 });
        }
        throw err;
      },
    },
    async (request, reply) => {
      const lang = langOf(request);
      const { id } = request.params as { id: string };
      if (!lang || !/^[0-9a-f-]{36}$/i.test(id)) return reply.callNotFound();
      const user = stakeholder(request);
      if (!user) return reply.redirect(`/public/${lang}/sign-in`, 303);
      const { fields, files } = form(request);
      try {
        checkFormCsrf(request, fields._csrf);
        if (fields.website && fields.website.trim() !== '') throw spamDetected();
        await guards.comment(user.id, request.ip, await proved(fields));
        const itemType = fields.item_type as ConsultationItemType;
        if (!['recommendation', 'report_section', 'plan_action'].includes(itemType) || !fields.item_id) throw new AppError(400, 'not_in_consultation', 'This item is not part of the consultation.');
        const file = files.find((f) => f.field === 'attachment');
        await submitComment(ctx.db, id, { item_type: itemType, item_id: fields.item_id, body: fields.body ?? '' }, user, ctx.config, file ? { fileName: file.fileName, bytes: file.bytes } : undefined);
      } catch (err) {
        const e = errorText(lang, err);
        return detailPage(request, reply, lang, id, { error: e.text, status: e.status, values: fields });
      }
      return reply.redirect(`/public/${lang}/consultations/${id}?sent=1`, 303);
    },
  );
}
