import i18next from 'i18next';
import type { Lang } from './types.ts';
import { ApiError } from './client.ts';

export function errorCode(err: unknown): string {
  return err instanceof ApiError ? err.code : 'generic';
}

/** The translated message for an API error code, in the given (or current) language. */
export function errorMessage(err: unknown, lang?: Lang): string {
  const t = lang ? i18next.getFixedT(lang) : i18next.t.bind(i18next);
  const key = `errors.${errorCode(err)}`;
  if (i18next.exists(key)) return t(key);
  // A code the app does not know yet: the server's own message (it sends both languages) beats a generic one.
  if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
    const l = lang ?? (i18next.language === 'en' ? 'en' : 'ar');
    const own = l === 'ar' ? err.messageAr || err.message : err.message;
    if (own) return own;
  }
  return t('errors.generic');
}

/** An error stored on a record (e.g. a failed import run): its code translated, else the server's message. */
export function codeMessage(error: { code: string; message?: string | null; message_ar?: string | null }, lang?: Lang): string {
  const t = lang ? i18next.getFixedT(lang) : i18next.t.bind(i18next);
  const key = `errors.${error.code}`;
  if (i18next.exists(key)) return t(key);
  const l = lang ?? (i18next.language === 'en' ? 'en' : 'ar');
  if (l === 'ar') return error.message_ar || t('errors.generic');
  return error.message || t('errors.generic');
}
