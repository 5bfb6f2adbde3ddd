import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBackup, openArchive, readManifest } from '../../src/backup/index.ts';
import { makeRecommendations, tinyPdf, fakeExe } from '../helpers/followup.ts';
import { createHash } from 'node:crypto';
import { secretKeyFor } from '../../src/auth/secret-box.ts';
import { issueChallenge, leadingZeroBits, POW_BITS, POW_TTL_MS, solveChallenge } from '../../src/consultations/proof-of-work.ts';
import { closeHarness, createHarness, describeEachEngine, TEST_PASSWORD, type Harness, type TestClient } from '../helpers/http.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { multipart } from '../helpers/consultation.ts';

/**
 * Consultation (issue 16, items 3 and 4): stakeholders register and are approved, comment during a consultation's
 * period (API and portal form, with an attachment checked like evidence), coordinators moderate, accepted comments
 * show beside the item, the record is exported; and the abuse checks (honeypot, rate limits, size caps, CSRF).
 */
const json = (res: { json(): any }) => res.json();
const hour = 3_600_000;
const iso = (offset: number) => new Date(Date.now() + offset).toISOString();

describeEachEngine('consultation: stakeholders, comments, moderation, abuse checks (issue 16)', (engine) => {
  let h: Harness;
  let sink: SmtpSink;
  let dataDir: string;
  let coordinator: TestClient;
  let viewer: TestClient;
  let recs: string[] = [];
  let alice: TestClient; // invited stakeholder
  let bob: TestClient; // approved, not invited
  let aliceId = '';
  let consultationId = '';
  /** A proof of work, found as the portal page's script finds it. */
  const proof = async () => {
    const challenge = json(await h.app.inject({ method: 'GET', url: '/api/public/pow-challenge' })).challenge as string;
    return { pow_challenge: challenge, pow_nonce: solveChallenge(challenge) };
  };
  const register = async (body: Record<string, unknown>, ip = '10.0.0.1') =>
    h.app.inject({ method: 'POST', url: '/api/public/stakeholders/register', payload: { ...(await proof()), ...body }, remoteAddress: ip });
  /** The confirmation link mailed to `email` (the last one), as the path the portal serves. */
  async function confirmLinkFor(email: string, lang: 'ar' | 'en' = 'en') {
    await expect.poll(() => sink.messages.filter((m) => m.to.includes(email) && /confirm/i.test(m.subject)).length, { timeout: 5000 }).toBeGreaterThan(0);
    const mail = sink.messages.filter((m) => m.to.includes(email) && /confirm/i.test(m.subject)).at(-1)!;
    const m = new RegExp(`https://rasd\\.test\\.example(/public/${lang}/register/confirm\\?token=([A-Za-z0-9_-]{43}))`).exec(mail.text);
    expect(m, mail.text).toBeTruthy();
    return { path: m![1]!, token: m![2]!, mail };
  }
  const confirmByForm = (lang: 'ar' | 'en', token: string) =>
    h.app.inject({ method: 'POST', url: `/public/${lang}/register/confirm`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${token}` });
  const aliceEmail = `alice.${engine}@ngo.example`;
  const bobEmail = `bob.${engine}@nhri.example`;

  beforeAll(async () => {
    sink = await startSmtpSink();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-consult-'));
    h = await createHarness(engine, { DATA_DIR: dataDir, SMTP_URL: sink.url, MAIL_FROM: 'rasd@test.example', PUBLIC_API_RATE_PER_MINUTE: '100000', PUBLIC_URL: 'https://rasd.test.example' });
    coordinator = await h.loginAs('coordinator');
    viewer = await h.loginAs('viewer');
    recs = await makeRecommendations(h.database.db, 3, { body: 'CAT', symbol: 'CAT/C/CONSULT/1' });
  });
  afterAll(async () => {
    await closeHarness(h);
    await sink?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers stakeholders as pending; a filled honeypot, a duplicate e-mail and too many registrations are refused', async () => {
    const base = { name: 'Alice Haddad', organisation: 'Gulf Rights Watch', org_kind: 'civil_society', email: aliceEmail, password: TEST_PASSWORD, locale: 'en' };
    const trap = await register({ ...base, website: 'http://spam.example' });
    expect(trap.statusCode).toBe(400);
    expect(json(trap).error.code).toBe('spam_detected');
    expect(json(trap).error.message_ar).toMatch(/[\u0600-\u06ff]/);

    const ok = await register(base);
    expect(ok.statusCode).toBe(201);
    expect(json(ok).status).toBe('pending');
    aliceId = json(ok).id;
    expect((await register(base)).statusCode).toBe(409);
    expect((await register({ ...base, email: bobEmail, name: 'Bob', organisation: 'National Human Rights Commission', org_kind: 'nhri' })).statusCode).toBe(201);

    // a pending account cannot sign in
    const login = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: aliceEmail, password: TEST_PASSWORD } });
    expect(login.statusCode).toBe(401);

    // rate limit per address: 5 an hour (counted in the database)
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await register({ ...base, email: `flood${i}.${engine}@x.example` }, '10.9.9.9')).statusCode);
    expect(codes.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(codes[5]).toBe(429);
  });

  it('a registration is mailed a single-use confirmation link; until it is followed, coordinators neither see nor decide it', async () => {
    const pending = async () => (json(await coordinator.request({ method: 'GET', url: '/api/stakeholders?status=pending' })).items as any[]).map((s) => s.email);
    expect(await pending()).not.toContain(aliceEmail);
    const early = await coordinator.request({ method: 'POST', url: `/api/stakeholders/${aliceId}/decision`, payload: { decision: 'approve', version: 1 } });
    expect(early.statusCode).toBe(409);
    expect(json(early).error.code).toBe('email_unconfirmed');
    expect(json(early).error.message_ar).toMatch(/[\u0600-\u06ff]/);

    const { path: link, token, mail } = await confirmLinkFor(aliceEmail);
    // both languages in one mail, the registrant's first; only the token's hash is stored
    expect(mail.text.indexOf('Hello Alice Haddad')).toBeLessThan(mail.text.indexOf('مرحباً'));
    expect(mail.text).toContain('/public/ar/register/confirm?token=');
    const stored = await h.database.db.selectFrom('stakeholder_profiles').selectAll().where('user_id', '=', aliceId).executeTakeFirstOrThrow();
    expect(stored.confirm_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored.email_confirmed_at).toBeNull();

    // opening the link (as a mail scanner would) confirms nothing: the page asks for a button press
    const page = await h.app.inject({ method: 'GET', url: link });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(aliceEmail);
    expect(page.body).toContain('Confirm the address');
    // its language switch is the same link in Arabic
    expect(page.body).toContain(`/public/ar/register/confirm?token=${token}`);
    expect(await pending()).not.toContain(aliceEmail);
    const done = await confirmByForm('en', token);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Your e-mail address is confirmed');
    expect(await pending()).toContain(aliceEmail);
    // used: a clear page, in each language, and nothing changes
    for (const [lang, words] of [['en', 'This link is not valid'], ['ar', 'الرابط غير صالح']] as const) {
      const again = await confirmByForm(lang, token);
      expect(again.statusCode).toBe(400);
      expect(again.body).toContain(words);
      const reopened = await h.app.inject({ method: 'GET', url: `/public/${lang}/register/confirm?token=${token}` });
      expect(reopened.statusCode).toBe(400);
      expect(reopened.body).toContain(words);
    }
    expect((await h.app.inject({ method: 'GET', url: '/public/ar/register/confirm?token=nonsense' })).statusCode).toBe(400);
    const audit = await h.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', aliceId).execute();
    expect(audit.map((r) => r.action).filter((a) => a === 'stakeholder.confirm_email')).toHaveLength(1);

    // an expired link: refused; the address may then register again, which mails a new link
    const bob0 = await confirmLinkFor(bobEmail);
    await h.database.db.updateTable('stakeholder_profiles').set({ confirm_expires_at: new Date(Date.now() - 1000).toISOString() }).where('confirm_token_hash', 'is not', null).execute();
    const expired = await confirmByForm('ar', bob0.token);
    expect(expired.statusCode).toBe(400);
    expect(expired.body).toContain('انتهت صلاحيته');
    expect(await pending()).not.toContain(bobEmail);
    const bobAgain = await register({ name: 'Bob', organisation: 'National Human Rights Commission', org_kind: 'nhri', email: bobEmail, password: TEST_PASSWORD, locale: 'en' }, '10.0.0.3');
    expect(bobAgain.statusCode).toBe(201);
    const bob1 = await confirmLinkFor(bobEmail);
    expect(bob1.token).not.toBe(bob0.token);
    expect((await confirmByForm('en', bob1.token)).statusCode).toBe(200);
    expect(await pending()).toContain(bobEmail);
    // a confirmed address cannot be registered again
    expect((await register({ name: 'Bob 2', organisation: 'Another', org_kind: 'nhri', email: bobEmail, password: TEST_PASSWORD, locale: 'en' }, '10.0.0.3')).statusCode).toBe(409);
  });

  it('the JSON registration needs a proof of work: missing, forged, expired or replayed proofs are refused with codes', async () => {
    const base = { name: 'Pow Tester', organisation: 'Proof Society', org_kind: 'other', email: `pow.${engine}@x.example`, password: TEST_PASSWORD, locale: 'ar' };
    const post = (payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/public/stakeholders/register', payload, remoteAddress: '10.0.0.4' });
    const none = await post(base);
    expect(none.statusCode).toBe(400);
    expect(json(none).error.code).toBe('pow_required');
    expect(json(none).error.message_ar).toMatch(/[\u0600-\u06ff]/);
    const p = await proof();
    // a nonce that does not meet the difficulty
    let wrong = 0;
    while (leadingZeroBits(createHash('sha256').update(`${p.pow_challenge}:${wrong}`).digest()) >= POW_BITS) wrong++;
    const weak = await post({ ...base, pow_challenge: p.pow_challenge, pow_nonce: String(wrong) });
    expect(json(weak).error.code).toBe('pow_invalid');
    // a challenge with a lowered difficulty: its signature no longer matches
    const [exp, id, , sig] = p.pow_challenge.split('.');
    const easy = `${exp}.${id}.1.${sig}`;
    const forged = await post({ ...base, pow_challenge: easy, pow_nonce: solveChallenge(easy) });
    expect(json(forged).error.code).toBe('pow_invalid');
    // expired: signed by this server an hour and more ago
    const old = issueChallenge(secretKeyFor(h.config), Date.now() - POW_TTL_MS - 1000);
    const late = await post({ ...base, pow_challenge: old, pow_nonce: solveChallenge(old) });
    expect(late.statusCode).toBe(400);
    expect(json(late).error.code).toBe('pow_invalid');
    expect(await h.database.db.selectFrom('users').select('id').where('email', '=', base.email).executeTakeFirst()).toBeUndefined();

    const ok = await post({ ...base, ...p });
    expect(ok.statusCode).toBe(201);
    const replay = await post({ ...base, email: `pow2.${engine}@x.example`, ...p });
    expect(replay.statusCode).toBe(409);
    expect(json(replay).error.code).toBe('pow_replayed');
    expect(json(replay).error.message_ar).toMatch(/[\u0600-\u06ff]/);
    expect(await h.database.db.selectFrom('users').select('id').where('email', '=', `pow2.${engine}@x.example`).executeTakeFirst()).toBeUndefined();
  });

  it('registers through the portal’s plain HTML form too, and refuses its honeypot', async () => {
    const form = (extra: string) =>
      h.app.inject({
        method: 'POST',
        url: '/public/ar/register',
        remoteAddress: '10.0.0.2',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `name=${encodeURIComponent('منى')}&organisation=${encodeURIComponent('جمعية حقوق الإنسان')}&org_kind=civil_society&email=mona.${engine}%40ngo.example&password=${TEST_PASSWORD}${extra}`,
      });
    const trapped = await form('&website=x');
    expect(trapped.statusCode).toBe(400);
    expect(trapped.body).toContain('برنامجاً آلياً');
    const ok = await form('');
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('وصل تسجيلك');
    expect(ok.body).toContain('رابطاً لتأكيد العنوان');
    // the Arabic registrant's mail starts in Arabic; the Arabic link confirms on an Arabic page
    const { token, mail } = await confirmLinkFor(`mona.${engine}@ngo.example`, 'ar');
    expect(mail.text.indexOf('مرحباً')).toBeLessThan(mail.text.indexOf('Hello'));
    const page = await h.app.inject({ method: 'GET', url: `/public/ar/register/confirm?token=${token}` });
    expect(page.body).toContain('تأكيد العنوان');
    expect(page.body).toContain('dir="rtl"');
    const confirmed = await confirmByForm('ar', token);
    expect(confirmed.body).toContain('تأكّد بريدك الإلكتروني');
    // the form types are refused on every other route
    const other = await coordinator.request({ method: 'POST', url: '/api/consultations', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' });
    expect(other.statusCode).toBe(415);
  });

  it('the HTML registration form: a proof of work from its page is spent once; without one (no JavaScript) a stricter limit applies', async () => {
    const ip = '10.0.0.5';
    const form = (email: string, extra = '') =>
      h.app.inject({
        method: 'POST',
        url: '/public/en/register',
        remoteAddress: ip,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `name=Nour&organisation=Civic+Lab&org_kind=civil_society&email=${encodeURIComponent(email)}&password=${TEST_PASSWORD}${extra}`,
      });
    const page = await h.app.inject({ method: 'GET', url: '/public/en/register' });
    const challenge = /name="pow_challenge" value="([^"]+)"/.exec(page.body)![1]!;
    expect(page.body).toContain('data-pow');
    expect(page.body).toMatch(/<script src="\/public\/assets\/proof-of-work\.js\?v=[0-9a-f]{12}" defer><\/script>/);
    const script = await h.app.inject({ method: 'GET', url: '/public/assets/proof-of-work.js' });
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.body).toContain('crypto.subtle.digest');
    const proofFields = `&pow_challenge=${encodeURIComponent(challenge)}&pow_nonce=${solveChallenge(challenge)}`;
    expect((await form(`nour1.${engine}@x.example`, proofFields)).statusCode).toBe(200);
    const replay = await form(`nour2.${engine}@x.example`, proofFields);
    expect(replay.statusCode).toBe(409);
    expect(replay.body).toContain('already sent once');
    const forged = await form(`nour2.${engine}@x.example`, `&pow_challenge=${encodeURIComponent(challenge)}&pow_nonce=x`);
    expect(forged.statusCode).toBe(400);
    // without a proof: two an hour from one address (with a proof: five)
    expect((await form(`nour3.${engine}@x.example`, '&pow_nonce=')).statusCode).toBe(200);
    expect((await form(`nour4.${engine}@x.example`)).statusCode).toBe(200);
    const third = await form(`nour5.${engine}@x.example`);
    expect(third.statusCode).toBe(429);
    expect(third.body).toContain('Too many registrations');
    const fresh = await h.app.inject({ method: 'GET', url: '/public/en/register' });
    const c2 = /name="pow_challenge" value="([^"]+)"/.exec(fresh.body)![1]!;
    expect((await form(`nour5.${engine}@x.example`, `&pow_challenge=${encodeURIComponent(c2)}&pow_nonce=${solveChallenge(c2)}`)).statusCode).toBe(200);
  });

  it('a coordinator approves (mailed) or rejects with a reason; versions are checked; audited', async () => {
    const list = json(await coordinator.request({ method: 'GET', url: '/api/stakeholders?status=pending' })).items as any[];
    const a = list.find((s) => s.email === aliceEmail);
    const b = list.find((s) => s.email === bobEmail);
    expect(a).toMatchObject({ organisation: 'Gulf Rights Watch', org_kind: 'civil_society', status: 'pending' });
    const noReason = await coordinator.request({ method: 'POST', url: `/api/stakeholders/${a.id}/decision`, payload: { decision: 'reject', version: a.version } });
    expect(json(noReason).error.code).toBe('reason_required');
    const approved = await coordinator.request({ method: 'POST', url: `/api/stakeholders/${a.id}/decision`, payload: { decision: 'approve', version: a.version } });
    expect(approved.statusCode).toBe(200);
    expect(json(approved)).toMatchObject({ status: 'approved', mailed: true });
    const stale = await coordinator.request({ method: 'POST', url: `/api/stakeholders/${a.id}/decision`, payload: { decision: 'reject', reason: 'x', version: a.version } });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.code).toBe('version_conflict');
    expect((await coordinator.request({ method: 'POST', url: `/api/stakeholders/${b.id}/decision`, payload: { decision: 'approve', version: b.version } })).statusCode).toBe(200);
    // a viewer cannot decide
    expect((await viewer.request({ method: 'POST', url: `/api/stakeholders/${b.id}/decision`, payload: { decision: 'approve', version: 2 } })).statusCode).toBe(403);

    await expect.poll(() => sink.messages.filter((m) => m.to.includes(aliceEmail) && !/confirm/i.test(m.subject)).length, { timeout: 5000 }).toBe(1);
    const mail = sink.messages.find((m) => m.to.includes(aliceEmail) && !/confirm/i.test(m.subject))!;
    expect(mail.subject).toMatch(/approved/i);
    expect(mail.text).toContain('Alice Haddad');

    const mona = (json(await coordinator.request({ method: 'GET', url: '/api/stakeholders?status=pending' })).items as any[]).find((s) => s.email === `mona.${engine}@ngo.example`);
    const rejected = await coordinator.request({ method: 'POST', url: `/api/stakeholders/${mona.id}/decision`, payload: { decision: 'reject', reason: 'Not an organisation', version: mona.version } });
    expect(json(rejected)).toMatchObject({ status: 'rejected', decision_reason: 'Not an organisation' });
    const monaLogin = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: `mona.${engine}@ngo.example`, password: TEST_PASSWORD } });
    expect(monaLogin.statusCode).toBe(401);

    const audit = await h.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', a.id).execute();
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['stakeholder.register', 'stakeholder.approve']));

    alice = await h.login(aliceEmail, TEST_PASSWORD);
    bob = await h.login(bobEmail, TEST_PASSWORD);
  });

  it('a stakeholder reaches nothing internal', async () => {
    for (const url of ['/api/recommendations', '/api/admin/users', '/api/entities', '/api/stakeholders', '/api/dashboard/summary', '/api/notifications', `/api/recommendations/${recs[0]}`, `/api/consultation-comments?item_type=recommendation&item_id=${recs[0]}`]) {
      expect((await alice.request({ method: 'GET', url })).statusCode, url).toBe(403);
    }
    expect((await alice.request({ method: 'POST', url: '/api/consultations', payload: {} })).statusCode).toBe(403);
    expect((await alice.request({ method: 'GET', url: '/api/consultations' })).statusCode).toBe(200);
    expect(json(await alice.request({ method: 'GET', url: '/api/auth/session' })).user.role).toBe('stakeholder');
  });

  it('a coordinator opens a consultation on recommendations for invited stakeholders; others do not see it', async () => {
    const bad = await coordinator.request({
      method: 'POST',
      url: '/api/consultations',
      payload: { subject: 'recommendations', item_ids: recs.slice(0, 2), title_ar: 'ت', title_en: 't', opens_at: iso(hour), closes_at: iso(-hour), audience: 'open' },
    });
    expect(json(bad).error.code).toBe('invalid_period');
    const notApproved = await coordinator.request({
      method: 'POST',
      url: '/api/consultations',
      payload: { subject: 'recommendations', item_ids: recs.slice(0, 2), title_ar: 'ت', title_en: 't', opens_at: iso(-hour), closes_at: iso(hour), audience: 'invited', invite_user_ids: [coordinator.userId] },
    });
    expect(json(notApproved).error.code).toBe('not_a_stakeholder');
    const res = await coordinator.request({
      method: 'POST',
      url: '/api/consultations',
      payload: {
        subject: 'recommendations',
        item_ids: recs.slice(0, 2),
        title_ar: 'مشاورة حول توصيات لجنة مناهضة التعذيب',
        title_en: 'Consultation on the CAT recommendations',
        questions: [{ ar: 'ما أولوياتكم؟', en: 'What are your priorities?' }],
        opens_at: iso(-hour),
        closes_at: iso(24 * hour),
        audience: 'invited',
        invite_user_ids: [aliceId],
      },
    });
    expect(res.statusCode).toBe(201);
    const c = json(res);
    consultationId = c.id;
    expect(c).toMatchObject({ state: 'open', audience: 'invited', questions: [{ ar: 'ما أولوياتكم؟', en: 'What are your priorities?' }] });
    expect(c.items).toHaveLength(2);
    expect(c.items[0].ref).toContain('CAT/C/CONSULT/1');
    expect(c.invitations.map((i: any) => i.user_id)).toEqual([aliceId]);

    expect(json(await alice.request({ method: 'GET', url: '/api/consultations' })).items.map((x: any) => x.id)).toEqual([consultationId]);
    expect(json(await bob.request({ method: 'GET', url: '/api/consultations' })).items).toEqual([]);
    expect((await bob.request({ method: 'GET', url: `/api/consultations/${consultationId}` })).statusCode).toBe(404);
    // a stakeholder's view holds no invitation list
    expect(json(await alice.request({ method: 'GET', url: `/api/consultations/${consultationId}` })).invitations).toEqual([]);
  });

  it('a stakeholder comments during the period only, on the consultation’s items, within the size caps', async () => {
    const url = `/api/consultations/${consultationId}/comments`;
    const ok = await alice.request({ method: 'POST', url, payload: { item_type: 'recommendation', item_id: recs[0], body: 'We urge a timeline for the torture law.' } });
    expect(ok.statusCode).toBe(201);
    expect(json(ok).status).toBe('pending');
    expect(json(await alice.request({ method: 'POST', url, payload: { item_type: 'recommendation', item_id: recs[2], body: 'x' } })).error.code).toBe('not_in_consultation');
    const long = await alice.request({ method: 'POST', url, payload: { item_type: 'recommendation', item_id: recs[0], body: 'ا'.repeat(4001) } });
    expect(long.statusCode).toBe(413);
    expect(json(long).error.code).toBe('comment_too_long');
    expect(json(await alice.request({ method: 'POST', url, payload: { item_type: 'recommendation', item_id: recs[0], body: '   ' } })).error.code).toBe('comment_empty');
    expect((await bob.request({ method: 'POST', url, payload: { item_type: 'recommendation', item_id: recs[0], body: 'hi' } })).statusCode).toBe(404);
    expect((await coordinator.request({ method: 'POST', url, payload: { item_type: 'recommendation', item_id: recs[0], body: 'hi' } })).statusCode).toBe(403);

    // a closed consultation (open to all) refuses comments
    const closed = json(
      await coordinator.request({
        method: 'POST',
        url: '/api/consultations',
        payload: { subject: 'recommendations', item_ids: [recs[2]], title_ar: 'مغلقة', title_en: 'Closed', opens_at: iso(-48 * hour), closes_at: iso(-24 * hour), audience: 'open' },
      }),
    );
    expect(closed.state).toBe('closed');
    const late = await bob.request({ method: 'POST', url: `/api/consultations/${closed.id}/comments`, payload: { item_type: 'recommendation', item_id: recs[2], body: 'late' } });
    expect(late.statusCode).toBe(409);
    expect(json(late).error.code).toBe('consultation_not_open');
  });

  it('the portal form takes a comment with an attachment checked like evidence, and needs the CSRF field', async () => {
    const url = `/public/en/consultations/${consultationId}/comments`;
    const post = (fields: Record<string, string>, file?: { name: string; bytes: Buffer }) => {
      const m = multipart(fields, file);
      return h.app.inject({ method: 'POST', url, payload: m.payload, headers: { ...m.headers, cookie: alice.cookie } });
    };
    const fields = { _csrf: alice.csrf, item_type: 'recommendation', item_id: recs[1]!, body: 'تعليق مع مرفق: تقرير الظل' };
    const noCsrf = await post({ ...fields, _csrf: 'wrong' }, { name: 'shadow.pdf', bytes: tinyPdf() });
    expect(noCsrf.statusCode).toBe(403);
    const bidi = await post(fields, { name: 'report\u202Efdp.exe', bytes: tinyPdf() });
    expect(bidi.statusCode).toBe(400);
    expect(bidi.body).toContain('plain name');
    const exe = await post(fields, { name: 'report.pdf', bytes: fakeExe() });
    expect(exe.statusCode).toBe(415);
    const big = await post(fields, { name: 'big.pdf', bytes: Buffer.concat([tinyPdf(), Buffer.alloc(5 * 1024 * 1024 + 10)]) });
    expect(big.statusCode).toBe(413);
    const trap = await post({ ...fields, website: 'x' });
    expect(trap.statusCode).toBe(400);

    const ok = await post(fields, { name: 'تقرير الظل.pdf', bytes: tinyPdf() });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/public/en/consultations/${consultationId}?sent=1`);
    const page = await h.app.inject({ method: 'GET', url: ok.headers.location as string, headers: { cookie: alice.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.body).toContain('Your comment has arrived');
    expect(page.body).toContain('تعليق مع مرفق');
    expect(page.body).toContain('Under review');
    // only one comment got through the refused attempts, and only its file is stored (on disk: FILE_STORAGE=disk here)
    const rows = await h.database.db.selectFrom('consultation_comments').selectAll().where('item_id', '=', recs[1]!).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ attachment_name: 'تقرير الظل.pdf', attachment_mime: 'application/pdf' });
    expect(fs.readdirSync(path.join(dataDir, 'evidence'))).toEqual([rows[0]!.attachment_stored_name]);
    expect(await h.database.db.selectFrom('files').select('id').execute()).toEqual([]);

    // the attachment: the coordinator and its author, nobody else
    const comment = json(await coordinator.request({ method: 'GET', url: `/api/consultations/${consultationId}` })).comments.find((c: any) => c.item_id === recs[1]);
    const dl = await coordinator.request({ method: 'GET', url: `/api/consultation-comments/${comment.id}/attachment` });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(tinyPdf())).toBe(true);
    expect((await bob.request({ method: 'GET', url: `/api/consultation-comments/${comment.id}/attachment` })).statusCode).toBe(404);

    // a backup carries the attachment with the comment's row
    const out = path.join(dataDir, 'backups', 'b.zip');
    await createBackup(h.database, { out, dataDir });
    const a = await openArchive(out);
    try {
      const manifest = await readManifest(a);
      expect(manifest.files.filter((f) => f.kind === 'evidence').map((f) => f.name)).toEqual([rows[0]!.attachment_stored_name]);
      expect(manifest.tables.find((t) => t.name === 'consultation_comments')?.rows).toBe(2);
    } finally {
      a.close();
    }
  });

  it('the portal pages show a stakeholder their consultations, in Arabic, and send others to sign in', async () => {
    const list = await h.app.inject({ method: 'GET', url: '/public/ar/consultations', headers: { cookie: alice.cookie } });
    expect(list.body).toContain('مشاورة حول توصيات لجنة مناهضة التعذيب');
    expect(list.body).toContain('dir="rtl"');
    const anon = await h.app.inject({ method: 'GET', url: '/public/ar/consultations' });
    expect(anon.body).not.toContain('مشاورة حول توصيات');
    expect(anon.body).toContain('/public/ar/sign-in');
    const detailAnon = await h.app.inject({ method: 'GET', url: `/public/ar/consultations/${consultationId}` });
    expect(detailAnon.statusCode).toBe(303);
    const detailBob = await h.app.inject({ method: 'GET', url: `/public/ar/consultations/${consultationId}`, headers: { cookie: bob.cookie } });
    expect(detailBob.statusCode).toBe(404);
    // sign in through the portal's form
    const signIn = await h.app.inject({
      method: 'POST',
      url: '/public/ar/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${encodeURIComponent(aliceEmail)}&password=${TEST_PASSWORD}`,
    });
    expect(signIn.statusCode).toBe(303);
    expect(signIn.cookies.some((c) => c.name === 'rasd_session')).toBe(true);
    const wrong = await h.app.inject({ method: 'POST', url: '/public/ar/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `email=${encodeURIComponent(aliceEmail)}&password=nope` });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('البريد الإلكتروني أو كلمة المرور غير صحيحة');
  });

  it('moderation: accept (optionally public) or reject with a reason; accepted comments show beside the item', async () => {
    const detail = json(await coordinator.request({ method: 'GET', url: `/api/consultations/${consultationId}` }));
    expect(detail.comments).toHaveLength(2);
    const [first, second] = detail.comments as any[];
    expect(first.author_organisation).toBe('Gulf Rights Watch');
    const noReason = await coordinator.request({ method: 'POST', url: `/api/consultation-comments/${second.id}/moderation`, payload: { decision: 'reject', version: second.version } });
    expect(json(noReason).error.code).toBe('reason_required');
    const acc = await coordinator.request({ method: 'POST', url: `/api/consultation-comments/${first.id}/moderation`, payload: { decision: 'accept', is_public: true, version: first.version } });
    expect(json(acc)).toMatchObject({ status: 'accepted', is_public: true });
    const stale = await coordinator.request({ method: 'POST', url: `/api/consultation-comments/${first.id}/moderation`, payload: { decision: 'reject', reason: 'x', version: first.version } });
    expect(json(stale).error.code).toBe('version_conflict');
    const rej = await coordinator.request({ method: 'POST', url: `/api/consultation-comments/${second.id}/moderation`, payload: { decision: 'reject', reason: 'Off topic', version: second.version } });
    expect(json(rej)).toMatchObject({ status: 'rejected', moderation_reason: 'Off topic', is_public: false });

    const beside = json(await viewer.request({ method: 'GET', url: `/api/consultation-comments?item_type=recommendation&item_id=${recs[0]}` })).items;
    expect(beside).toHaveLength(1);
    expect(beside[0]).toMatchObject({ body: 'We urge a timeline for the torture law.', author_organisation: 'Gulf Rights Watch', consultation_title_en: 'Consultation on the CAT recommendations' });
    expect(json(await viewer.request({ method: 'GET', url: `/api/consultation-comments?item_type=recommendation&item_id=${recs[1]}` })).items).toEqual([]);

    // accepted and marked public: on the portal's page of the (published) recommendation, without the author's name
    const cur = json(await coordinator.request({ method: 'GET', url: `/api/recommendations/${recs[0]}` }));
    expect((await coordinator.request({ method: 'PATCH', url: `/api/recommendations/${recs[0]}`, payload: { version: cur.version, is_public: true } })).statusCode).toBe(200);
    const pub = await h.app.inject({ method: 'GET', url: `/public/en/recommendations/${recs[0]}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.body).toContain('What stakeholders said in consultations');
    expect(pub.body).toContain('We urge a timeline for the torture law.');
    expect(pub.body).toContain('Gulf Rights Watch');
    expect(pub.body).not.toContain('Alice Haddad');
    expect(pub.body).not.toContain(aliceEmail);
    // the rejected one is on an unpublished recommendation and never public; a published one without public input shows none
    const cur1 = json(await coordinator.request({ method: 'GET', url: `/api/recommendations/${recs[1]}` }));
    await coordinator.request({ method: 'PATCH', url: `/api/recommendations/${recs[1]}`, payload: { version: cur1.version, is_public: true } });
    const pub1 = await h.app.inject({ method: 'GET', url: `/public/en/recommendations/${recs[1]}` });
    expect(pub1.statusCode).toBe(200);
    expect(pub1.body).not.toContain('تعليق مع مرفق');
    expect(pub1.body).not.toContain('What stakeholders said');

    // the stakeholder sees the decision and the reason
    const mine = json(await alice.request({ method: 'GET', url: `/api/consultations/${consultationId}` })).comments;
    expect(mine.map((c: any) => c.status).sort()).toEqual(['accepted', 'rejected']);
    const audit = await h.database.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'consultation_comment').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['consultation.comment', 'consultation.comment', 'consultation.comment.accept', 'consultation.comment.reject']);
  });

  it('exports the consultation record (invited, participants, counts, dates) as a workbook in each language', async () => {
    const res = await coordinator.request({ method: 'GET', url: `/api/consultations/${consultationId}/record.xlsx?lang=ar` });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const summary = wb.getWorksheet('ملخص المشاورة')!;
    expect(summary.views[0]).toMatchObject({ rightToLeft: true });
    const values = new Map<string, unknown>();
    summary.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(values.get('عدد المدعوين')).toBe(1);
    expect(values.get('عدد المشاركين')).toBe(1);
    expect(values.get('عدد التعليقات')).toBe(2);
    expect(values.get('المقبولة')).toBe(1);
    expect(values.get('المرفوضة')).toBe(1);
    expect(values.get('العنوان')).toBe('مشاورة حول توصيات لجنة مناهضة التعذيب');
    const participants = wb.getWorksheet('المشاركون')!;
    expect(participants.getRow(2).getCell(2).value).toBe('Gulf Rights Watch');
    expect(participants.getRow(2).getCell(4).value).toBe(2);
    const en = await coordinator.request({ method: 'GET', url: `/api/consultations/${consultationId}/record.xlsx?lang=en` });
    const wbEn = new ExcelJS.Workbook();
    await wbEn.xlsx.load(en.rawPayload as unknown as ArrayBuffer);
    expect(wbEn.getWorksheet('Items')!.rowCount).toBe(3);
    expect((await alice.request({ method: 'GET', url: `/api/consultations/${consultationId}/record.xlsx` })).statusCode).toBe(403);
  });

  it('consults on the action-plan draft: its actions are the items; accepted input is read for several actions at once', async () => {
    const plan = json(await coordinator.request({ method: 'POST', url: '/api/plans', payload: { title_ar: 'الخطة الوطنية', title_en: 'National plan', period_start: '2026-01-01', period_end: '2029-12-31' } }));
    const pillar = json(await coordinator.request({ method: 'POST', url: `/api/plans/${plan.id}/pillars`, payload: { code: 'P1', title_ar: 'العدالة', title_en: 'Justice' } }));
    const objective = json(await coordinator.request({ method: 'POST', url: `/api/plan-pillars/${pillar.id}/objectives`, payload: { code: 'O1', title_ar: 'منع التعذيب', title_en: 'Prevent torture' } }));
    const actions: string[] = [];
    for (const code of ['A1', 'A2']) {
      const res = await coordinator.request({ method: 'POST', url: `/api/plan-objectives/${objective.id}/actions`, payload: { code, title_ar: `إجراء ${code}`, title_en: `Action ${code}` } });
      expect(res.statusCode, res.body).toBe(201);
      actions.push(json(res).id);
    }
    const missing = await coordinator.request({ method: 'POST', url: '/api/consultations', payload: { subject: 'plan', title_ar: 'خ', title_en: 'p', opens_at: iso(-hour), closes_at: iso(hour), audience: 'open' } });
    expect(missing.statusCode).toBe(400);
    const foreign = await coordinator.request({
      method: 'POST',
      url: '/api/consultations',
      payload: { subject: 'plan', subject_id: plan.id, item_ids: [recs[0]], title_ar: 'خ', title_en: 'p', opens_at: iso(-hour), closes_at: iso(hour), audience: 'open' },
    });
    expect(json(foreign).error.code).toBe('unknown_items');
    const c = json(
      await coordinator.request({
        method: 'POST',
        url: '/api/consultations',
        payload: { subject: 'plan', subject_id: plan.id, title_ar: 'مشاورة على مسودة الخطة', title_en: 'Plan draft consultation', opens_at: iso(-hour), closes_at: iso(hour), audience: 'open' },
      }),
    );
    expect(c.items.map((i: any) => [i.item_type, i.ref, i.label_en])).toEqual([
      ['plan_action', 'A1', 'Action A1'],
      ['plan_action', 'A2', 'Action A2'],
    ]);
    // open to all: bob (approved, never invited) comments on the second action
    const posted = await bob.request({ method: 'POST', url: `/api/consultations/${c.id}/comments`, payload: { item_type: 'plan_action', item_id: actions[1], body: 'Budget this action.' } });
    expect(posted.statusCode).toBe(201);
    await coordinator.request({ method: 'POST', url: `/api/consultation-comments/${json(posted).id}/moderation`, payload: { decision: 'accept', version: 1 } });
    const many = json(await viewer.request({ method: 'GET', url: `/api/consultation-comments?item_type=plan_action&item_ids=${actions.join(',')}` })).items;
    expect(many.map((m: any) => [m.item_id, m.body, m.author_organisation])).toEqual([[actions[1], 'Budget this action.', 'National Human Rights Commission']]);
    expect((await viewer.request({ method: 'GET', url: '/api/consultation-comments?item_type=plan_action' })).statusCode).toBe(400);
  });

  it('invites approved stakeholders afterwards (once each); curators see every count, a stakeholder only the items', async () => {
    const created = await coordinator.request({
      method: 'POST',
      url: '/api/consultations',
      payload: { subject: 'recommendations', item_ids: [recs[1], recs[2]], title_ar: 'بالدعوة', title_en: 'By invitation', opens_at: iso(-hour), closes_at: iso(hour), audience: 'invited' },
    });
    expect(created.statusCode).toBe(201);
    const c = json(created);
    expect(c.invitations).toEqual([]);
    expect((await bob.request({ method: 'GET', url: `/api/consultations/${c.id}` })).statusCode).toBe(404);
    const bobId = (json(await coordinator.request({ method: 'GET', url: '/api/stakeholders?status=approved' })).items as any[]).find((s) => s.email === bobEmail).id as string;
    const url = `/api/consultations/${c.id}/invitations`;
    expect(json(await coordinator.request({ method: 'POST', url, payload: { user_ids: [viewer.userId] } })).error.code).toBe('not_a_stakeholder');
    expect((await bob.request({ method: 'POST', url, payload: { user_ids: [bobId] } })).statusCode).toBe(403);
    const invited = await coordinator.request({ method: 'POST', url, payload: { user_ids: [bobId] } });
    expect(invited.statusCode).toBe(200);
    expect(json(invited).invitations.map((i: any) => [i.user_id, i.organisation])).toEqual([[bobId, 'National Human Rights Commission']]);
    // inviting again adds no second invitation
    expect(json(await coordinator.request({ method: 'POST', url, payload: { user_ids: [bobId, bobId] } })).invitations).toHaveLength(1);
    expect(json(await bob.request({ method: 'GET', url: `/api/consultations/${c.id}` })).items).toHaveLength(2);

    const mine = (json(await bob.request({ method: 'GET', url: '/api/consultations' })).items as any[]).find((x) => x.id === c.id);
    expect(mine.counts).toEqual({ items: 2 });
    const all = (json(await coordinator.request({ method: 'GET', url: '/api/consultations' })).items as any[]).find((x) => x.id === c.id);
    expect(all.counts).toEqual({ comments: 0, pending: 0, accepted: 0, participants: 0, invited: 1, items: 2 });
  });

  it('edits a consultation with version checks, and can shorten its period to close it', async () => {
    const c = json(await coordinator.request({ method: 'GET', url: `/api/consultations/${consultationId}` }));
    const stale = await coordinator.request({ method: 'PATCH', url: `/api/consultations/${consultationId}`, payload: { version: c.version + 1, title_en: 'x' } });
    expect(stale.statusCode).toBe(409);
    const closed = await coordinator.request({ method: 'PATCH', url: `/api/consultations/${consultationId}`, payload: { version: c.version, closes_at: iso(-1000) } });
    expect(json(closed).state).toBe('closed');
    const late = await alice.request({ method: 'POST', url: `/api/consultations/${consultationId}/comments`, payload: { item_type: 'recommendation', item_id: recs[0], body: 'late' } });
    expect(json(late).error.code).toBe('consultation_not_open');
    const page = await h.app.inject({ method: 'GET', url: `/public/en/consultations/${consultationId}`, headers: { cookie: alice.cookie } });
    expect(page.body).toContain('Closed');
    expect(page.body).not.toContain('<textarea');
  });
});
