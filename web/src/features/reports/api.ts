import { useQuery } from '@tanstack/react-query';
import { api, qs } from '../../api/client.ts';
import type { paths } from '../../api/schema.gen.ts';
import type { JsonBody, ResponseOf, User } from '../../api/types.ts';

/* The answers' types are generated from the server's response schemas (src/reports/*.schema.ts). */
export type ObligationType = JsonBody<'/api/obligations', 'post'>['type'];
export const OBLIGATION_TYPES: readonly ObligationType[] = ['upr_national', 'upr_midterm', 'treaty_periodic', 'loipr_replies', 'treaty_followup', 'arab_charter', 'sp_followup'];

export type Obligation = ResponseOf<'/api/obligations'>['items'][number];
/** One obligation with its documents and reports (also the answer to adding or editing one). */
export type ObligationDetail = ResponseOf<'/api/obligations/{id}'>;
export type ObligationStatus = Obligation['status'];
export type Suggestion = ResponseOf<'/api/obligations/suggestions'>['items'][number];
export type CalendarItem = ResponseOf<'/api/calendar'>['items'][number];
/** My new secret iCalendar address (201), shown once. */
export type FeedCreated = paths['/api/calendar/feed']['post']['responses'][201]['content']['application/json'];

export type Report = ResponseOf<'/api/reports/{id}'>;
export type ReportStatus = Report['status'];
export type Section = Report['sections'][number];
export type Comment = Report['comments'][number];
export type ReportArticles = NonNullable<Report['articles']>;

/** The obligation types whose report may be laid out by article of the treaty. */
export const ARTICLE_TYPES: readonly ObligationType[] = ['treaty_periodic', 'loipr_replies'];

export const useObligations = (filters: { body?: string; status?: string } = {}) =>
  useQuery({ queryKey: ['obligations', filters], queryFn: () => api<{ items: Obligation[] }>(`/api/obligations${qs(filters)}`) });
export const useSuggestions = () => useQuery({ queryKey: ['obligations', 'suggestions'], queryFn: () => api<{ items: Suggestion[] }>('/api/obligations/suggestions') });
export const useReport = (id: string) => useQuery({ queryKey: ['report', id], queryFn: () => api<Report>(`/api/reports/${id}`) });
export const useCalendar = (from: string, to: string, body?: string, entity?: string) =>
  useQuery({ queryKey: ['calendar', from, to, body, entity], queryFn: () => api<{ items: CalendarItem[] }>(`/api/calendar${qs({ from, to, body, entity })}`) });

export const isCurator = (u: User) => u.role === 'admin' || u.role === 'coordinator';
export const canWrite = (u: User, r: Pick<Report, 'obligation'>) => isCurator(u) || r.obligation.owner_id === u.id;

/** The UN way, as the server counts: words between spaces, footnotes [^…] left out, marks never split or count. */
export function countWords(text: string): number {
  const body = text.replace(/\[\^([^\]]*)\]/g, ' ').replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u0640]/g, '');
  let n = 0;
  for (const token of body.split(/\s+/u)) if (token && /[\p{L}\p{N}]/u.test(token)) n += 1;
  return n;
}

/** A Hijri (Umm al-Qura) date beside the Gregorian one. */
export function hijri(date: string, lang: 'ar' | 'en', opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' }): string {
  const d = new Date(`${date}T12:00:00Z`);
  try {
    return new Intl.DateTimeFormat(lang === 'ar' ? 'ar-SA-u-ca-islamic-umalqura-nu-latn' : 'en-u-ca-islamic-umalqura', { ...opts, timeZone: 'UTC' }).format(d);
  } catch {
    return '';
  }
}
