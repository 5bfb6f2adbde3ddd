import type { ObligationType, ReportStructure } from '../db/schema.ts';
import type { LimitKind } from './word-count.ts';

/**
 * Report templates per obligation type, after the UN guidelines: UPR national and mid-term reports
 * (Human Rights Council decision 6/102 and resolution 16/21: methodology and consultation; developments since
 * the last review; implementation by cluster or theme; achievements and good practices; challenges;
 * commitments), treaty reports and replies to a list of issues (an introduction, then one section per
 * concluding-observation paragraph or, laid out by article, one section per article of the treaty: treaty-articles.ts), follow-up reports (one section per selected paragraph), the Arab Charter
 * report (an introduction, one section per paragraph of the Arab Human Rights Committee's concluding observations
 * it covers, then a closing section) and the special-procedure follow-up (an introduction, then one section per
 * recommendation of the visit report). Every obligation type has a template.
 */
export type TemplateKind = 'upr' | 'by_paragraph' | 'followup' | 'arab_charter' | 'sp_followup';

export interface Template {
  kind: TemplateKind;
  /** the layouts a report of this type may choose between (treaty reports: by paragraph or by article); the first is the default */
  structures?: ReportStructure[];
  defaultLimit: LimitKind | null;
  allowedLimits: LimitKind[];
}

export const TEMPLATES: Record<ObligationType, Template> = {
  upr_national: { kind: 'upr', defaultLimit: 'upr_national', allowedLimits: ['upr_national'] },
  upr_midterm: { kind: 'upr', defaultLimit: null, allowedLimits: ['upr_national'] },
  treaty_periodic: { kind: 'by_paragraph', structures: ['by_paragraph', 'by_article'], defaultLimit: 'treaty_periodic', allowedLimits: ['treaty_periodic', 'treaty_initial', 'common_core'] },
  loipr_replies: { kind: 'by_paragraph', structures: ['by_paragraph', 'by_article'], defaultLimit: 'loipr_replies', allowedLimits: ['loipr_replies'] },
  treaty_followup: { kind: 'followup', defaultLimit: null, allowedLimits: [] },
  // the Arab Human Rights Committee and the special procedures set no word limit of their own (SPEC §3.6 lists none)
  arab_charter: { kind: 'arab_charter', defaultLimit: null, allowedLimits: [] },
  sp_followup: { kind: 'sp_followup', defaultLimit: null, allowedLimits: [] },
};

/** The template of a type, or undefined for a type this version does not know (a row written by a newer one). */
export const templateOf = (type: string): Template | undefined => (TEMPLATES as Partial<Record<string, Template>>)[type];

export interface FixedSection {
  key: string;
  ar: string;
  en: string;
  /** "achievements" is compiled from the covered recommendations that are fully implemented */
  compile: 'none' | 'achievements';
}

export const UPR_BEFORE: FixedSection[] = [
  { key: 'fixed:methodology', ar: 'المنهجية وعملية التشاور', en: 'Methodology and consultation process', compile: 'none' },
  { key: 'fixed:developments', ar: 'التطورات منذ الاستعراض السابق', en: 'Developments since the previous review', compile: 'none' },
];
export const UPR_AFTER: FixedSection[] = [
  { key: 'fixed:achievements', ar: 'الإنجازات والممارسات الفضلى', en: 'Achievements and good practices', compile: 'achievements' },
  { key: 'fixed:challenges', ar: 'التحديات والقيود', en: 'Challenges and constraints', compile: 'none' },
  { key: 'fixed:commitments', ar: 'الالتزامات والمبادرات الوطنية', en: 'Commitments and national initiatives', compile: 'none' },
];
export const INTRODUCTION: FixedSection = { key: 'fixed:introduction', ar: 'مقدمة', en: 'Introduction', compile: 'none' };
export const CONCLUSION: FixedSection = { key: 'fixed:conclusion', ar: 'خاتمة', en: 'Conclusion', compile: 'none' };
/** Laid out by article: the covered recommendations no one has assigned to an article yet. */
export const UNASSIGNED = { key: 'unassigned', ar: 'توصيات لم تُسند بعد إلى مادة', en: 'Recommendations not yet assigned to an article' };
