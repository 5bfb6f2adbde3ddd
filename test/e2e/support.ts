/**
 * What the end-to-end journeys share: the Chromium they drive, the real server started in-process on a temporary
 * SQLite database with the demo, a fresh browser profile per context that records page and console errors and
 * blocks any request beyond the app, the axe check (serious and critical findings), screenshots and sign-in.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type AppConfig, loadConfig } from '../../src/config/config.ts';
import { createDb, type Database } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/index.ts';
import { buildApp } from '../../src/server/app.ts';
import ar from '../../web/src/i18n/ar.json' with { type: 'json' };
import en from '../../web/src/i18n/en.json' with { type: 'json' };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST_INDEX = path.join(ROOT, 'web/dist/index.html');
export const SHOTS = path.join(ROOT, 'test-results/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
export const VIEWPORT = { width: 1366, height: 900 };

export const T = { ar, en } as const;
export type Lang = keyof typeof T;

/** Without Chromium the journeys are skipped, except in CI where that is an error. */
export const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') {
  throw new Error(`Chromium is required in CI but was not found at ${CHROMIUM} (apt-get install -y chromium).`);
}
if (!haveChromium) console.warn(`[e2e] skipped: Chromium not found at ${CHROMIUM}`);

export interface AxeFinding {
  page: string;
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

export interface Server {
  base: string;
  tmp: string;
  config: AppConfig;
  database: Database;
  close: () => Promise<void>;
}

/** The running server's address and temp folder: one server per test file. */
let base = '';
let tmp = '';

/**
 * Starts the real server on port 0 over a fresh SQLite database (migrated, with the demo) in a temp folder.
 * `env` adds settings (it gets the temp folder, e.g. for DATA_DIR); `beforeListen` runs after the demo is seeded.
 */
export async function startServer(opts: {
  tmpPrefix: string;
  env?: (tmp: string) => Record<string, string>;
  beforeListen?: (database: Database) => Promise<void>;
  /** a fixed port (default: any free one), for a server whose address must be known before it starts */
  port?: number;
}): Promise<Server> {
  if (!fs.existsSync(DIST_INDEX)) throw new Error('web/dist/index.html is missing: run `npm run build:web` before the e2e tests.');
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), opts.tmpPrefix));
  tmp = dir;
  const config = loadConfig({ DATABASE_URL: `sqlite:${path.join(dir, 'rasd.db')}`, LOG_LEVEL: 'silent', ...opts.env?.(dir) } as NodeJS.ProcessEnv, dir);
  const database = createDb(config.database);
  let app: FastifyInstance | null = null;
  const close = async () => {
    await app?.close();
    await database.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await migrateToLatest(database.db, database.dialect.engine);
    await seedDemo(database.db);
    await opts.beforeListen?.(database);
    app = await buildApp({ db: database.db, dialect: database.dialect, config }, { logger: false });
    await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
  } catch (err) {
    await close();
    throw err;
  }
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { base, tmp: dir, config, database, close };
}

export interface ContextOptions {
  /** Console errors matching this are expected (e.g. a staged 409); any other is a problem. */
  allowConsole?: RegExp;
  /** Default timeout of the page's actions, in ms. */
  timeout?: number;
  /** Where to record problems (default: a new list), each prefixed with `prefix`. */
  problems?: string[];
  prefix?: string;
  /** other origins the browser may reach (e.g. a test identity provider) */
  allowOrigins?: string[];
}

/** A browser with a fresh profile in the server's temp folder; problems lists page errors, console errors and outbound requests. */
export async function openContext(name: string, opts: ContextOptions = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const { allowConsole, timeout = 15_000, problems = [], prefix = '', allowOrigins = [] } = opts;
  const userDataDir = fs.mkdtempSync(path.join(tmp, `profile-${name}-`));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: VIEWPORT, acceptDownloads: true });
  // No network beyond the app under test.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith('data:') || url.startsWith('blob:') || allowOrigins.some((o) => url.startsWith(o))) return route.continue();
    problems.push(`unexpected outbound request: ${url}`);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(timeout);
  page.on('pageerror', (err) => problems.push(`${prefix}page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowConsole?.test(msg.text())) problems.push(`${prefix}console error: ${msg.text()}`);
  });
  return { context, page, problems };
}

/** Records the page's serious and critical axe violations in findings. */
export async function axe(page: Page, label: string, findings: AxeFinding[]): Promise<void> {
  // A menu closing after its item was chosen is half in the page for a moment (a menu without items, which axe
  // reports): let it go first. A menu left open on purpose stays, and is checked after the wait.
  await page.locator('[role="menu"]').waitFor({ state: 'detached', timeout: 2_000 }).catch(() => undefined);
  // A dialog fading in is half transparent: its text measured mid-transition is paler than it will be, a contrast
  // finding that is not in the app (seen once in CI with the approval dialog of an update). Let finite animations
  // and transitions end first; endless ones (a loader) are not waited for.
  // (polled with evaluate, which the page's CSP allows, unlike waitForFunction's string predicate)
  type Anim = { playState: string; effect: { getComputedTiming(): { endTime?: number | string } } | null };
  const running = () =>
    page.evaluate(() =>
      (globalThis as unknown as { document: { getAnimations(): Anim[] } }).document
        .getAnimations()
        .some((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity),
    );
  for (let i = 0; i < 15 && (await running().catch(() => false)); i++) await page.waitForTimeout(100);
  const result = await new AxeBuilder({ page }).analyze();
  for (const v of result.violations) {
    if (v.impact === 'serious' || v.impact === 'critical') {
      findings.push({ page: label, id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n: { target: unknown[] }) => n.target.join(' ')) });
    }
  }
}

/** A full-page screenshot in test-results/screenshots/<name>.png. */
/**
 * A full-page screenshot in test-results/screenshots; and the page must not scroll sideways (every screen usable at
 * 390 px), unless `wide` says why it may.
 */
export async function screenshot(page: Page, name: string, opts: { scrollToTop?: boolean; wide?: string } = {}): Promise<void> {
  if (opts.scrollToTop) await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  if (!opts.wide) expect((await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number, `${name}: the page scrolls sideways by`).toBeLessThanOrEqual(1);
}

export async function getJson<R>(page: Page, url: string): Promise<R> {
  const res = await page.request.get(base + url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as R;
}

/** Matches a label from its start (labels of required fields carry an asterisk). */
export const startsWith = (s: string) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

/** Fills in and submits the sign-in form shown in lang. */
export async function submitSignIn(page: Page, lang: Lang, email: string, password: string = DEMO_PASSWORD) {
  const t = T[lang];
  await page.getByLabel(startsWith(t.login.email)).fill(email);
  await page.getByLabel(startsWith(t.login.password)).fill(password);
  await page.getByRole('button', { name: t.login.submit, exact: true }).click();
}

/** Signs in with the demo password from the home page and ends on the home page in lang. */
export async function signIn(page: Page, lang: Lang, email: string) {
  const t = T[lang];
  await page.goto(base + '/');
  await page.getByLabel(startsWith(ar.login.email)).or(page.getByLabel(startsWith(en.login.email))).waitFor();
  if ((await page.locator('html').getAttribute('lang')) !== lang) {
    const other = lang === 'ar' ? en : ar;
    await page.getByRole('radiogroup', { name: other.language.switch }).getByText(T[lang].language[lang], { exact: true }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
  }
  await submitSignIn(page, lang, email);
  await page.getByTestId('sidebar').waitFor();
  // A language picked on the sign-in page wins; otherwise the user's own applies: switch if it is not the wanted one.
  await page.waitForTimeout(300);
  if ((await page.locator('html').getAttribute('lang')) !== lang) {
    const other = lang === 'ar' ? en : ar;
    await page.getByRole('radiogroup', { name: other.language.switch }).getByText(T[lang].language[lang], { exact: true }).click();
  }
  await page.getByRole('heading', { name: t.home.title, level: 1 }).waitFor();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
}

export async function signOut(page: Page, lang: Lang) {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: T[lang].user.signOut }).click();
  await page.getByRole('heading', { name: T[lang].login.title }).waitFor();
}

/** Follows a sidebar link. */
export async function nav(page: Page, name: string) {
  await page.getByTestId('sidebar').getByRole('link', { name, exact: true }).click();
}

/** The end of every journey: no serious/critical axe findings (printed when there are some) and no page problems. */
export function expectClean(label: string, findings: AxeFinding[], problems: string[]): void {
  if (findings.length) console.error(`[axe] serious/critical findings (${label}):\n` + JSON.stringify(findings, null, 2));
  expect(findings, 'axe serious/critical violations').toEqual([]);
  expect(problems).toEqual([]);
}
