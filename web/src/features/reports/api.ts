import { useQuery } from '@tanstack/react-query';
import { api, qs } from '../../api/client.ts';
import type { User } from '../../api/types.ts';

export const OBLIGATION_TYPES = ['upr_national', 'upr_midterm', 'treaty_periodic', 'loipr_replies', 'treaty_followup', 'arab_charter', 'sp_followup'] as const;
export type ObligationType = (typeof OBLIGATION_TYPES)[number];
export type ObligationStatus = 'planned' | 'drafting' | 'in_review' | 'approved' | 'submitted';
export type ReportStatus = 'draft' | 'in_review' | 'approved' | 'submitted';

export interface Obligation {
  id: string;
  type: ObligationType;
  body_id: string;
  body_code: string;
  body_name_ar: string;
  body_name_en: string;
  title_ar: string | null;
  title_en: string | null;
  due_date: string;
  owner_id: string | null;
  owner_name: string | null;
  status: ObligationStatus;
  overdue: boolean;
  displayStatus: ObligationStatus | 'overdue';
  version: number;
  reports: { id: string; status: ReportStatus }[];
}

export interface Suggestion {
  type: ObligationType;
  bodyId: string;
  bodyCode: string;
  documentId: string;
  symbol: string;
  basisDate: string;
  dueDate: string;
  paragraphs: string[] | null;
  rule: string;
  alreadyPlanned: boolean;
}

interface CalendarBase {
  id: string;
  date: string;
  overdue: boolean;
}
export interface CalendarObligation extends CalendarBase {
  kind: 'obligation';
  type: ObligationType;
  bodyCode: string;
  title_ar: string | null;
  title_en: string | null;
  status: ObligationStatus;
}
export interface CalendarAssignment extends CalendarBase {
  kind: 'assignment';
  entity_ar: string;
  entity_en: string;
  label: string | null;
  cluster_ar: string | null;
  cluster_en: string | null;
}
/** An action of an adopted action plan, on its end date. */
export interface CalendarAction extends CalendarBase {
  kind: 'action';
  planId: string;
  code: string;
  title_ar: string;
  title_en: string;
  entity_ar: string | null;
  entity_en: string | null;
  entityRole: 'lead' | 'partner' | null;
}
export type CalendarItem = CalendarObligation | CalendarAssignment | CalendarAction;

export interface Section {
  id: string;
  key: string;
  sort: number;
  heading_ar: string;
  heading_en: string;
  text_ar: string;
  text_en: string;
  compiled_ar: string;
  compiled_en: string;
  pending_ar: string | null;
  pending_en: string | null;
  source_changed: boolean;
  edited: { ar: boolean; en: boolean };
  words: { ar: number; en: number };
  version: number;
  recommendationIds: string[];
}

export interface Comment {
  id: string;
  section_id: string;
  author_name: string | null;
  body: string;
  resolved_at: string | null;
  created_at: string;
}

export interface Report {
  id: string;
  type: ObligationType;
  status: ReportStatus;
  title_ar: string | null;
  title_en: string | null;
  limit_kind: string | null;
  symbol: string | null;
  submitted_on: string | null;
  compiled_at: string | null;
  version: number;
  obligation: { id: string; type: ObligationType; due_date: string; status: ObligationStatus; owner_id: string | null; body_code: string; title_ar: string | null; title_en: string | null };
  sections: Section[];
  comments: Comment[];
  words: { ar: number; en: number; limit: number | null; over: { ar: boolean; en: boolean } };
  openComments: number;
  changedSections: number;
  /** treaty reports: one section per paragraph or per article of the treaty; null for the other types */
  structure: 'by_paragraph' | 'by_article' | null;
  /** laid out by article: the treaty's articles and the article of each covered recommendation */
  articles: ReportArticles | null;
}

export interface ReportArticles {
  treaty: { code: string; name_ar: string; name_en: string };
  list: { number: string; ar: string; en: string }[];
  recommendations: { id: string; symbol: string; paragraph: string | null; text_ar: string | null; text_en: string | null; article: string | null; suggested: boolean }[];
}

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
