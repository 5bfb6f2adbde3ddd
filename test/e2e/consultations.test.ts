/**
 * End-to-end journey of consultation (issue 16), in Arabic, through the real server and the built web app: a
 * stakeholder registers on the portal (plain HTML form), a coordinator approves the registration in the app, opens a
 * consultation on a recommendation; the stakeholder signs in on the portal and comments; the coordinator accepts
 * the comment and sees it beside the recommendation. The portal's consultation pages pass axe in Arabic and English
 * at desktop and phone widths; screenshots of every new screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ar from '../../web/src/i18n/ar.json' with { type: 'json' };
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { type AxeFinding, axe, expectClean, getJson, haveChromium, openContext, screenshot, type Server, signIn, startServer } from './support.ts';

let server: Server | undefined;
let sink: SmtpSink | undefined;
let base = '';
let recId = '';
const EMAIL = 'mona@ngo.example';
const PASSWORD = 'Strong-Password-2026';
const COMMENT = 'نوصي بجدول زمني واضح لتعديل قانون العقوبات وتجريم التعذيب.';

describe.skipIf(!haveChromium)('consultation journey (Arabic)', () => {
  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startServer({
      tmpPrefix: 'rasd-e2e-consult-',
      env: () => ({ SMTP_URL: sink!.url, MAIL_FROM: 'rasd@test.example' }),
      beforeListen: async ({ db }) => {
        recId = (await db.selectFrom('recommendations').select('id').where('text_ar', 'is not', null).orderBy('id').executeTakeFirstOrThrow()).id;
      },
    });
    base = server.base;
  });
  afterAll(async () => {
    await server?.close();
    await sink?.close();
  });

  it('a stakeholder registers, is approved, comments; the coordinator accepts and sees it beside the item', async () => {
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('consult-coordinator', { timeout: 30_000 });
    const { context: sc, page: s, problems: sp } = await openContext('consult-stakeholder', { timeout: 30_000 });
    try {
      // 1. Registration on the portal: a plain HTML form, whose small script adds a proof of work.
      await s.goto(`${base}/public/ar/consultations`);
      await s.getByRole('link', { name: 'تسجيل جهة' }).first().click();
      await s.getByLabel('الاسم الكامل').fill('منى الأحمد');
      await s.getByLabel('الجهة', { exact: true }).fill('جمعية حقوق الإنسان');
      await s.getByLabel('نوع الجهة').selectOption('civil_society');
      await s.getByLabel('البريد الإلكتروني').fill(EMAIL);
      await s.getByLabel('كلمة المرور').fill(PASSWORD);
      await screenshot(s, 'consult-ar-register-filled');
      await s.getByRole('button', { name: 'إرسال' }).click();
      await s.getByRole('heading', { name: 'وصل تسجيلك' }).waitFor();
      await screenshot(s, 'consult-ar-registered');
      // the page's script found the proof of work: the registration took the ordinary limit, not the no-JavaScript one
      const limits = (await server!.database.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key);
      expect(limits.some((k) => k.startsWith('register:'))).toBe(true);
      expect(limits.some((k) => k.startsWith('register-unproved:'))).toBe(false);
      expect(await server!.database.db.selectFrom('pow_spent').select('id').execute()).toHaveLength(1);

      // 1b. The mailed link: the confirmation page (both languages, both widths), then the confirmation.
      await expect.poll(() => sink!.messages.filter((m) => m.to.includes(EMAIL)).length, { timeout: 10_000 }).toBe(1);
      const mail = sink!.messages.find((m) => m.to.includes(EMAIL))!;
      const linkPath = (lang: 'ar' | 'en') => new RegExp(`/public/${lang}/register/confirm\\?token=[A-Za-z0-9_-]{43}`).exec(mail.text)![0];
      for (const [width, height, tag] of [
        [390, 844, 'phone'],
        [1366, 900, 'desktop'],
      ] as const) {
        await s.setViewportSize({ width, height });
        for (const lang of ['en', 'ar'] as const) {
          await s.goto(`${base}${linkPath(lang)}`);
          await s.getByRole('heading', { name: lang === 'ar' ? 'تأكيد البريد الإلكتروني' : 'Confirm your e-mail address', level: 1 }).waitFor();
          await s.getByText(EMAIL).waitFor();
          expect(await s.evaluate<number>('document.documentElement.scrollWidth'), `confirm ${lang} ${tag}`).toBeLessThanOrEqual(width);
          await axe(s, `portal-${lang}-confirm-${tag}`, findings);
          await screenshot(s, `consult-portal-${lang}-confirm-${tag}`);
        }
      }
      // until confirmed, the coordinators' queue does not show it
      expect((await server!.database.db.selectFrom('stakeholder_profiles').select('email_confirmed_at').executeTakeFirstOrThrow()).email_confirmed_at).toBeNull();
      await s.getByRole('button', { name: 'تأكيد العنوان' }).click();
      await s.getByRole('heading', { name: 'تأكّد بريدك الإلكتروني', level: 1 }).waitFor();
      await axe(s, 'portal-ar-confirmed', findings);
      await screenshot(s, 'consult-portal-ar-confirmed-desktop');
      // the link works once: followed again, a clear page in its language (answered with a 400, which the browser
      // reports on its console: those two reports are expected and taken out below)
      const seenBefore = sp.length;
      for (const lang of ['ar', 'en'] as const) {
        const again = await s.goto(`${base}${linkPath(lang)}`);
        expect(again?.status()).toBe(400);
        await s.getByRole('heading', { name: lang === 'ar' ? 'الرابط غير صالح' : 'This link is not valid', level: 1 }).waitFor();
        await axe(s, `portal-${lang}-confirm-used`, findings);
        await screenshot(s, `consult-portal-${lang}-confirm-used-desktop`);
        await s.setViewportSize({ width: 390, height: 844 });
        expect(await s.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
        await screenshot(s, `consult-portal-${lang}-confirm-used-phone`);
        await s.setViewportSize({ width: 1366, height: 900 });
      }
      const expected400 = sp.splice(seenBefore);
      expect(expected400).toEqual(Array(2).fill('console error: Failed to load resource: the server responded with a status of 400 (Bad Request)'));

      // 2. The coordinator approves it.
      await signIn(page, 'ar', 'coordinator@rasd.example');
      await page.getByTestId('sidebar').getByRole('link', { name: ar.consult.nav }).click();
      await page.getByRole('heading', { name: ar.consult.pageTitle, level: 1 }).waitFor();
      await page.getByTestId('tab-stakeholders').click();
      await page.getByTestId('stakeholder-list').getByText('جمعية حقوق الإنسان', { exact: false }).waitFor();
      await axe(page, 'app-ar-stakeholders', findings);
      await screenshot(page, 'consult-app-ar-stakeholders');
      await page.getByTestId(`approve-${EMAIL}`).click();
      await page.getByText(ar.consult.noStakeholders).waitFor();

      // 3. The coordinator opens a consultation on one recommendation (open to every approved stakeholder).
      const { csrfToken } = await getJson<{ csrfToken: string }>(page, '/api/auth/session');
      const now = Date.now();
      const created = await page.request.post(`${base}/api/consultations`, {
        headers: { 'x-csrf-token': csrfToken },
        data: {
          subject: 'recommendations',
          item_ids: [recId],
          title_ar: 'مشاورة حول تجريم التعذيب',
          title_en: 'Consultation on criminalising torture',
          questions: [{ ar: 'ما الأولويات في رأيكم؟', en: 'What are the priorities?' }],
          opens_at: new Date(now - 3_600_000).toISOString(),
          closes_at: new Date(now + 7 * 86_400_000).toISOString(),
          audience: 'open',
        },
      });
      expect(created.status()).toBe(201);
      const consultationId = ((await created.json()) as { id: string }).id;

      // 4. The stakeholder signs in on the portal and comments.
      await s.goto(`${base}/public/ar/sign-in`);
      await s.getByLabel('البريد الإلكتروني').fill(EMAIL);
      await s.getByLabel('كلمة المرور').fill(PASSWORD);
      await s.getByRole('button', { name: 'دخول' }).click();
      await s.getByRole('link', { name: 'مشاورة حول تجريم التعذيب' }).click();
      await s.getByRole('heading', { name: 'مشاورة حول تجريم التعذيب', level: 1 }).waitFor();
      expect(await s.locator('html').getAttribute('dir')).toBe('rtl');
      await s.getByLabel('تعليقك على هذا البند').fill(COMMENT);
      await s.getByRole('button', { name: 'إرسال التعليق' }).click();
      await s.getByText('وصل تعليقك، وسيراجعه منسق الأمانة.').waitFor();
      // sent with its proof of work (the comment form's script), so the stricter no-JavaScript limit was not touched
      const keys = (await server!.database.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key);
      expect(keys.some((k) => k.startsWith('comment:'))).toBe(true);
      expect(keys.some((k) => k.startsWith('comment-unproved:'))).toBe(false);
      await s.getByText(COMMENT).waitFor();
      await axe(s, 'portal-ar-consultation-commented', findings);
      await screenshot(s, 'consult-ar-portal-commented');

      // 5. The coordinator accepts it and sees it beside the recommendation.
      await page.goto(`${base}/consultations/${consultationId}`);
      await page.getByTestId('consult-comment').getByText(COMMENT).waitFor();
      await axe(page, 'app-ar-consultation', findings);
      await screenshot(page, 'consult-app-ar-consultation-pending');
      await page.getByRole('checkbox', { name: ar.consult.showPublic }).check();
      await page.getByTestId('consult-accept').click();
      await page.getByTestId('consult-comment').getByText(ar.consult.commentStates.accepted).waitFor();
      await screenshot(page, 'consult-app-ar-consultation-accepted');
      await page.goto(`${base}/recommendations/${recId}`);
      const beside = page.getByTestId('stakeholder-input');
      await beside.getByText(COMMENT).waitFor();
      await beside.getByText('جمعية حقوق الإنسان').waitFor();
      await beside.scrollIntoViewIfNeeded();
      await axe(page, 'app-ar-recommendation-with-input', findings);
      await screenshot(page, 'consult-app-ar-recommendation-beside');

      // The list and its new-consultation dialog, in English too and at 390 px.
      await page.goto(`${base}/consultations`);
      await page.getByTestId('consult-list').waitFor();
      await axe(page, 'app-ar-list', findings);
      await screenshot(page, 'consult-app-ar-list');
      await page.getByTestId('consult-new').click();
      await page.getByTestId('consult-title-ar').waitFor();
      await axe(page, 'app-ar-new', findings);
      await screenshot(page, 'consult-app-ar-new');
      await page.keyboard.press('Escape');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}/consultations/${consultationId}`);
      await page.getByTestId('consult-comment').waitFor();
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await screenshot(page, 'consult-app-ar-consultation-390');
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.getByRole('radiogroup', { name: ar.language.switch }).getByText(en.language.en, { exact: true }).click();
      await page.getByRole('heading', { name: 'Consultation on criminalising torture', level: 1 }).waitFor();
      await axe(page, 'app-en-consultation', findings);
      await screenshot(page, 'consult-app-en-consultation');
      await page.goto(`${base}/consultations`);
      await page.getByTestId('consult-list').waitFor();
      await axe(page, 'app-en-list', findings);
      await screenshot(page, 'consult-app-en-list');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'consult-app-en-list-390');

      // The public page of the recommendation shows the accepted public comment once the recommendation is published.
      await server!.database.db.updateTable('recommendations').set({ is_public: 1 }).where('id', '=', recId).execute();

      // 6. axe on the portal's consultation pages: both languages, desktop and phone, signed in and not.
      const { context: anonContext, page: anon, problems: ap } = await openContext('consult-anon', { timeout: 30_000 });
      try {
        for (const [width, height, tag] of [
          [1366, 900, 'desktop'],
          [390, 844, 'phone'],
        ] as const) {
          await s.setViewportSize({ width, height });
          await anon.setViewportSize({ width, height });
          for (const lang of ['ar', 'en'] as const) {
            for (const [who, p, name] of [
              [anon, '/register', 'register'],
              [anon, '/sign-in', 'sign-in'],
              [anon, '/consultations', 'consultations-anonymous'],
              [s, '/consultations', 'consultations'],
              [s, `/consultations/${consultationId}`, 'consultation'],
            ] as const) {
              const res = await who.goto(`${base}/public/${lang}${p}`);
              expect(res?.status(), `${lang}${p}`).toBe(200);
              expect(await who.locator('html').getAttribute('lang')).toBe(lang);
              // readable without JavaScript: the only scripts draw the comment form's file field in the page's language
              // and find the forms' proof of work
              expect(await who.locator('script:not([src^="/public/assets/file-input.js"]):not([src^="/public/assets/proof-of-work.js"])').count()).toBe(0);
              if (name === 'consultation') {
                await who.locator('.file-button').first().waitFor();
                expect((await who.locator('.file-button').first().textContent())?.trim()).toBe(lang === 'ar' ? 'اختيار ملف' : 'Choose a file');
                expect(await who.locator('.file-name').first().textContent()).toBe(lang === 'ar' ? 'لم يُختر ملف' : 'No file chosen');
              }
              expect(await who.evaluate<number>('document.documentElement.scrollWidth'), `${lang}${p} ${tag}`).toBeLessThanOrEqual(width);
              await axe(who, `portal-${lang}-${name}-${tag}`, findings);
              await screenshot(who, `consult-portal-${lang}-${name}-${tag}`);
            }
          }
        }
      } finally {
        await anonContext.close();
      }
      problems.push(...ap);
    } finally {
      await context.close();
      await sc.close();
    }
    expectClean('consultation journey', findings, [...problems, ...sp]);
  }, 300_000);

  it('the new-consultation form draws its dates and times in the page\'s language (no AM/PM, no English on the Arabic page), at desktop and 390 px', async () => {
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('consult-dates', { timeout: 30_000 });
    try {
      await signIn(page, 'ar', 'coordinator@rasd.example');
      for (const lang of ['ar', 'en'] as const) {
        const T = lang === 'ar' ? ar : en;
        if (lang === 'en') {
          await page.getByRole('radiogroup', { name: ar.language.switch }).getByText(en.language.en, { exact: true }).click();
          await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
        }
        for (const [width, height, tag] of [
          [1366, 900, 'desktop'],
          [390, 844, 'phone'],
        ] as const) {
          await page.setViewportSize({ width, height });
          await page.goto(`${base}/consultations`);
          await page.getByRole('heading', { name: T.consult.pageTitle, level: 1 }).waitFor();
          await page.getByTestId('consult-new').click();
          const opens = page.getByTestId('consult-opens');
          await opens.waitFor();
          const modal = page.getByRole('dialog', { name: T.consult.newTitle });
          // the date reads in the page's language (a month name), the time on a 24-hour clock
          const dateButton = opens.getByRole('button', { name: new RegExp(`^${T.consult.opens}: `) });
          expect(await dateButton.textContent()).toMatch(lang === 'ar' ? /[\u0621-\u064A]{3}/ : /[A-Z][a-z]{2}/);
          expect(await page.getByTestId('consult-opens-time').inputValue()).toMatch(/^\d{2}:\d{2}$/);
          await dateButton.click();
          const calendar = page.getByTestId('consult-opens-calendar');
          await calendar.waitFor();
          const calendarText = await calendar.innerText();
          if (lang === 'ar') {
            expect(calendarText, 'no Latin letter in the Arabic calendar').not.toMatch(/[A-Za-z]/);
            expect(calendarText).toMatch(/[\u0621-\u064A]{4,} \d{4}/); // the month's Arabic name and its year
            expect(await modal.innerText(), 'no Latin letter in the Arabic form').not.toMatch(/[A-Za-z]/);
          } else {
            expect(calendarText).toMatch(/January|February|March|April|May|June|July|August|September|October|November|December/);
          }
          expect(await page.evaluate<number>('document.documentElement.scrollWidth'), `${lang} ${tag}`).toBeLessThanOrEqual(width);
          await axe(page, `app-${lang}-new-consultation-calendar-${tag}`, findings);
          await screenshot(page, `consult-app-${lang}-new-dates-${tag}`);
          if (lang !== 'ar' || tag !== 'desktop') {
            await page.keyboard.press('Escape');
            continue;
          }
          // opens on the 1st of next month at 14:30, closes on the 28th of next month: saved with those local times
          const [first, last] = await page.evaluate(() => {
            const d = new Date();
            const next = new Date(d.getFullYear(), d.getMonth() + 1, 1);
            const ym = `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, '0')}`;
            return [`${ym}-01`, `${ym}-28`];
          });
          const pickDay = async (field: string, day: string) => {
            const cal = page.getByTestId(`${field}-calendar`);
            if (!(await cal.isVisible())) await page.getByTestId(field).getByRole('button').first().click();
            // the month drawn before its days are counted (a count taken mid-opening is 0, and would move past the month)
            await cal.locator('[data-day]').first().waitFor();
            for (let k = 0; k < 2 && !(await cal.locator(`[data-day="${day}"]`).count()); k++) await cal.getByRole('button', { name: T.dateField.nextMonth }).click();
            await cal.locator(`[data-day="${day}"]`).click();
            await cal.waitFor({ state: 'hidden' });
          };
          await pickDay('consult-opens', first);
          await pickDay('consult-closes', last);
          await page.getByTestId('consult-opens-time').click();
          await page.getByRole('option', { name: '14:30', exact: true }).click();
          expect(await page.getByTestId('consult-opens-time').inputValue()).toBe('14:30');
          await modal.getByText(T.consult.subjects.plan, { exact: true }).click();
          await page.getByTestId('consult-pick-plan').click();
          await page.getByRole('option').first().click();
          await page.getByTestId('consult-title-ar').fill('مشاورة على الخطة');
          await page.getByTestId('consult-title-en').fill('Consultation on the plan');
          await screenshot(page, 'consult-app-ar-new-dates-filled');
          await page.getByTestId('consult-create').click();
          await page.waitForURL(/\/consultations\/[^/]+$/);
          const id = page.url().split('/').pop()!;
          const saved = await getJson<{ opens_at: string; closes_at: string }>(page, `/api/consultations/${id}`);
          expect(saved.opens_at).toBe(await page.evaluate((d) => new Date(`${d}T14:30`).toISOString(), first));
          expect(saved.closes_at.slice(0, 10)).toBe(last);
        }
      }
    } finally {
      await context.close();
    }
    expectClean('consultation dates', findings, problems);
  }, 300_000);
});
