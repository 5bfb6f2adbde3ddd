import type { Position } from '../db/schema.ts';

export const MATRIX_LANGS = ['ar', 'en'] as const;
export type MatrixLang = (typeof MATRIX_LANGS)[number];

interface Labels {
  sheet: string;
  headers: Record<
    'symbol' | 'paragraph' | 'text' | 'body' | 'states' | 'position' | 'themes' | 'sdgs' | 'cluster' | 'lead' | 'supporting' | 'status' | 'measures' | 'latestUpdate',
    string
  >;
  positions: Record<Position, string>;
  /** the marker before a text shown in another language than the matrix's */
  inLanguage: Record<'ar' | 'en' | 'fr', string>;
}

/** The matrix's words in each language (the web app's own translations for positions; measure types: MEASURE_TYPE_NAMES). */
export const MATRIX_LABELS: Record<MatrixLang, Labels> = {
  ar: {
    sheet: 'مصفوفة التنفيذ',
    headers: {
      symbol: 'رمز الوثيقة',
      paragraph: 'الفقرة',
      text: 'التوصية',
      body: 'الهيئة',
      states: 'الدول الموصية',
      position: 'الموقف',
      themes: 'المواضيع',
      sdgs: 'أهداف التنمية المستدامة',
      cluster: 'المجموعة',
      lead: 'الجهات الرئيسية',
      supporting: 'الجهات المساندة',
      status: 'حالة التنفيذ',
      measures: 'التدابير المتخذة',
      latestUpdate: 'آخر تحديث معتمد',
    },
    positions: { supported: 'مؤيَّدة', noted: 'أُحيط بها علماً', partially_supported: 'مؤيَّدة جزئياً' },
    inLanguage: { ar: '[بالعربية]', en: '[بالإنجليزية]', fr: '[بالفرنسية]' },
  },
  en: {
    sheet: 'Implementation matrix',
    headers: {
      symbol: 'Document symbol',
      paragraph: 'Paragraph',
      text: 'Recommendation',
      body: 'Body',
      states: 'Recommending states',
      position: 'Position',
      themes: 'Themes',
      sdgs: 'SDGs',
      cluster: 'Cluster',
      lead: 'Lead entities',
      supporting: 'Supporting entities',
      status: 'Implementation status',
      measures: 'Measures taken',
      latestUpdate: 'Latest approved update',
    },
    positions: { supported: 'Supported', noted: 'Noted', partially_supported: 'Partially supported' },
    inLanguage: { ar: '[in Arabic]', en: '[in English]', fr: '[in French]' },
  },
};
