/**
 * How a parse failure is reported, the same way everywhere (an import run's stored error, the sample endpoint, the
 * CLI): its stable code, a short message (the first problem, with its part / row / field, and how many more),
 * the Arabic message for the code, and at most MAX_REPORTED_ISSUES issues with bounded messages. A file with
 * 100,000 bad column names gives a message of a few hundred bytes, never all the names.
 */
import { AppError } from '../shared/errors.ts';
import { ARABIC_MESSAGES } from '../server/errors.ts';
import type { ImportIssue, ImportParseError } from './types.ts';

export const MAX_REPORTED_ISSUES = 10;
const MAX_MESSAGE_CHARS = 300;

/** Codes for files that are too big or too complex (the caps of limits.ts, the worker's heap): 422. Others: 400. */
const TOO_BIG = new Set(['file_too_complex', 'too_many_columns', 'header_too_large', 'cell_too_large', 'row_too_large', 'zip_bomb', 'file_too_large']);

const cut = (s: string, n = MAX_MESSAGE_CHARS) => (s.length > n ? `${s.slice(0, n)}…` : s);

export interface ReportedParseError {
  status: number;
  code: string;
  message: string;
  message_ar?: string;
  details: { issues: ImportIssue[]; more: number };
}

function firstProblem(err: ImportParseError): string {
  const first = err.issues[0];
  if (!first) return cut(err.message);
  const where = [first.row !== undefined ? `row ${first.row}` : '', first.field ? `field ${cut(first.field, 80)}` : ''].filter(Boolean).join(', ');
  const text = cut(first.message);
  // the message may already name its row/part; prefix only what it does not say
  const prefix = where && !(first.row !== undefined && text.includes(`ow ${first.row}`)) ? `${where}: ` : '';
  const total = Math.max(err.total, err.issues.length);
  const more = total > 1 ? ` (+${(total - 1).toLocaleString('en')} more)` : '';
  return `${prefix}${text}${more}`;
}

export function reportParseError(err: ImportParseError): ReportedParseError {
  const code = err.issues[0]?.code ?? 'parse_error';
  const issues = err.issues.slice(0, MAX_REPORTED_ISSUES).map((i) => ({ ...i, message: cut(i.message, 200), ...(i.field ? { field: cut(i.field, 80) } : {}) }));
  const ar = ARABIC_MESSAGES[code];
  return {
    status: TOO_BIG.has(code) ? 422 : 400,
    code,
    message: firstProblem(err),
    ...(ar ? { message_ar: ar } : {}),
    details: { issues, more: Math.max(0, Math.max(err.total, err.issues.length) - issues.length) },
  };
}

/** For a synchronous route (the mapping editor's sample): the same report as an AppError. */
export function parseErrorToAppError(err: ImportParseError): AppError {
  const r = reportParseError(err);
  return new AppError(r.status, r.code, r.message, r.details.issues);
}

/** The CLI's one line: "code: where: message (+N more). Nothing was imported." */
export function parseErrorLine(err: ImportParseError): string {
  const r = reportParseError(err);
  return `${r.code}: ${r.message}. Nothing was imported.`;
}
