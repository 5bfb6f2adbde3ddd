import type { ImportFormatName } from '../../api/types.ts';

export type UploadFormat = Exclude<ImportFormatName, 'uhri-url'>;
export type OptionName = 'country' | 'body' | 'lang' | 'encoding' | 'symbol' | 'uprCycle' | 'uprSession' | 'mapping';

/** The formats a file can be uploaded in, the file types they take, and the options each one reads. */
export const UPLOAD_FORMATS: readonly { format: UploadFormat; accept: string; options: readonly OptionName[] }[] = [
  { format: 'uhri-json', accept: '.json,application/json', options: ['country', 'lang'] },
  { format: 'uhri-xlsx', accept: '.xlsx', options: ['country', 'lang'] },
  { format: 'ohchr-docx', accept: '.docx', options: ['symbol', 'country', 'uprCycle', 'uprSession', 'lang'] },
  { format: 'upr-info-csv', accept: '.csv,text/csv', options: ['country', 'encoding'] },
  { format: 'report-text', accept: '.txt,text/plain', options: ['symbol', 'body', 'country', 'uprCycle', 'uprSession', 'lang', 'encoding'] },
  { format: 'csv', accept: '.csv,text/csv', options: ['mapping', 'encoding'] },
  { format: 'xlsx', accept: '.xlsx', options: ['mapping'] },
];

export const ENCODINGS = ['utf8', 'macroman', 'latin1'] as const;
export const TEXT_LANGS = ['ar', 'en', 'fr'] as const;

/** Translation keys built from codes, listed so the i18n test can check them. */
export const FORMAT_KEYS = [...UPLOAD_FORMATS.map((f) => f.format), 'uhri-url'] as const;
