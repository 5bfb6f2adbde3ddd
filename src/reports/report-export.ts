import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import { obligationTypeLabel } from './obligation-reminders.ts';
import { renderReportDocx } from './report-docx.ts';
import { getReport } from './reports.service.ts';

export type ExportFormat = 'docx' | 'pdf';

export const pdfUnavailable = () =>
  new AppError(422, 'pdf_unavailable', 'PDF conversion is not available on this server (LibreOffice "soffice" is not installed); download the DOCX instead.');

/** The DOCX of a report in one language (the other language's text is never mixed in). */
export async function reportDocx(db: Kysely<DB>, id: string, lang: 'ar' | 'en') {
  const r = await getReport(db, id);
  const label = obligationTypeLabel(r.type);
  const title = (lang === 'ar' ? r.title_ar || r.title_en : r.title_en || r.title_ar) || label[lang];
  const body = await db.selectFrom('bodies').select(['name_ar', 'name_en']).where('code', '=', r.obligation.body_code).executeTakeFirstOrThrow();
  const buffer = await renderReportDocx({
    lang,
    title,
    symbol: r.symbol,
    date: r.submitted_on ?? (r.updated_at ?? new Date().toISOString()).slice(0, 10),
    bodyName: lang === 'ar' ? body.name_ar : body.name_en,
    status: r.status,
    sections: r.sections.map((s) => ({ heading: lang === 'ar' ? s.heading_ar : s.heading_en, text: lang === 'ar' ? s.text_ar : s.text_en })),
  });
  const base = (r.symbol ?? `${r.type}-${r.id.slice(0, 8)}`).replace(/[^A-Za-z0-9._-]+/g, '_');
  return { buffer, fileName: `${base}-${lang}.docx` };
}

/** Where LibreOffice is, or null. SOFFICE overrides (tests point it at a missing file). */
export function findSoffice(): string | null {
  const candidates = process.env.SOFFICE ? [process.env.SOFFICE] : (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'soffice'));
  return candidates.find((c) => {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }) ?? null;
}

const PDF_DIR_PREFIX = 'rasd-pdf-';

/**
 * The conversion folders (rasd-pdf-PID-…) of processes that no longer run: a server killed during a PDF export leaves
 * its folder behind (the `finally` below never ran). Run at start-up; the temporary folder is this host's own, so
 * a PID that is not alive here is gone. Returns the folders removed.
 */
export function removeStalePdfDirs(tmp = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = name.startsWith(PDF_DIR_PREFIX) ? /^(\d+)-/.exec(name.slice(PDF_DIR_PREFIX.length)) : null;
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * DOCX → PDF with LibreOffice headless, in a temporary folder with its own profile (so that conversions may run
 * side by side), removed afterwards.
 */
export async function docxToPdf(docx: Buffer): Promise<Buffer> {
  const soffice = findSoffice();
  if (!soffice) throw pdfUnavailable();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PDF_DIR_PREFIX}${process.pid}-`));
  try {
    const input = path.join(dir, 'report.docx');
    fs.writeFileSync(input, docx);
    await new Promise<void>((resolve, reject) => {
      execFile(
        soffice,
        [`-env:UserInstallation=${pathToFileURL(path.join(dir, 'profile')).href}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, input],
        { timeout: 120_000 },
        (err) => (err ? reject(err) : resolve()),
      );
    });
    const out = path.join(dir, 'report.pdf');
    if (!fs.existsSync(out)) throw new Error('LibreOffice produced no PDF');
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function exportReport(db: Kysely<DB>, id: string, format: ExportFormat, lang: 'ar' | 'en') {
  if (format === 'pdf' && !findSoffice()) throw pdfUnavailable();
  const docx = await reportDocx(db, id, lang);
  if (format === 'docx') return { ...docx, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
  return { buffer: await docxToPdf(docx.buffer), fileName: docx.fileName.replace(/\.docx$/, '.pdf'), contentType: 'application/pdf' };
}
