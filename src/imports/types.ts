/**
 * The one shape every importer produces. Parsers are pure: bytes/stream in, ImportRecord out.
 * The import service (src/imports/import.service.ts) maps these onto documents, recommendations
 * and taxonomy terms inside one transaction.
 */
export type Lang = 'ar' | 'en' | 'fr' | 'es' | 'ru' | 'zh';

export type RecommendationKind = 'recommendation' | 'observation' | 'pledge';
export type Position = 'supported' | 'noted' | 'partially_supported';

export interface ImportedDocument {
  /** UN document symbol, e.g. A/HRC/15/15 or CEDAW/C/KWT/CO/5. Required: it is the document key. */
  symbol: string;
  /** Body code: UPR, CERD, CCPR, CESCR, CEDAW, CAT, SPT, CRC, CMW, CRPD, CED, SP, ACHR, NHRI, VP … */
  body: string;
  /** upr_wg_report | upr_addendum | concluding_observations | sp_visit_report | pledge | other */
  type?: string;
  date?: string; // ISO yyyy-mm-dd
  uprCycle?: number;
  uprSession?: number;
  url?: string;
  /** Country under review / concerned, English name */
  country?: string;
  /** Stable id of the document in its source (UHRI DocumentId), when the source has one */
  externalId?: string;
}

export interface ImportRecord {
  /** 1-based row/record number in the source, used in error messages */
  sourceRow: number;
  /** Stable id from the source (UHRI AnnotationId). When absent the key is document symbol + paragraph. */
  externalId?: string;
  document: ImportedDocument;
  /** Paragraph number as printed: "156.23", "4", "79.1" */
  paragraph?: string;
  /** Texts by language; at least one. */
  texts: Partial<Record<Lang, string>>;
  /** Language of the original text when known */
  originalLang?: Lang;
  kind: RecommendationKind;
  recommendingStates?: string[];
  position?: Position;
  /** Where the position comes from, e.g. "A/HRC/22/15/Add.1 para 5" */
  positionSource?: string;
  themes?: string[];
  /**
   * Where `themes` come from when they are a source's own classification (e.g. 'upr-info'): they are then looked
   * up in the theme mappings (theme_mappings) and in the register's themes before any new theme is created.
   */
  themeSource?: string;
  affectedPersons?: string[];
  /** SDG goals ("16") and/or targets ("16.2"); labels when the source has them */
  sdgs?: { code: string; label?: string }[];
  /** National tags / axes (e.g. the Morocco file's axes) */
  tags?: string[];
  /** Responsible entities named by the source (free text, each language if present) */
  entities?: string[];
  /** Implementation status code if the source carries one: not_started | in_progress | partially_implemented | fully_implemented | no_action */
  status?: string;
  /**
   * Set by the parse worker (parse-worker.ts), never by a parser: the search-index columns of this
   * record's own texts (analyseSource(rowTexts(record))), used when the record becomes a new row.
   */
  analysed?: { terms: string; words: string };
}

/** A row- and field-precise problem. `row` is 1-based as a user would count in the source. */
export interface ImportIssue {
  row?: number;
  field?: string;
  code: string;
  message: string;
}

/** An issue's message may quote a cell (up to 1 MB): kept to this many characters. */
const MAX_ISSUE_MESSAGE = 500;
/** Issues kept on one error (a parser stops collecting long before; this bounds any other path). */
const MAX_ISSUES_KEPT = 1000;

const capIssue = (i: ImportIssue): ImportIssue =>
  i.message.length > MAX_ISSUE_MESSAGE || (i.field?.length ?? 0) > 200
    ? { ...i, message: i.message.length > MAX_ISSUE_MESSAGE ? `${i.message.slice(0, MAX_ISSUE_MESSAGE)}…` : i.message, ...(i.field ? { field: i.field.slice(0, 200) } : {}) }
    : i;

export class ImportParseError extends Error {
  /** the first MAX_ISSUES_KEPT issues, messages bounded */
  public readonly issues: ImportIssue[];
  /** how many issues there were in all */
  public readonly total: number;

  /** `total`: the count of issues when `issues` is already a cut list (an error passed on from the parse worker) */
  constructor(issues: ImportIssue[], message?: string, total?: number) {
    const kept = issues.slice(0, MAX_ISSUES_KEPT).map(capIssue);
    super(
      message?.slice(0, 4 * MAX_ISSUE_MESSAGE) ??
        kept
          .slice(0, 20)
          .map((i) => `${i.row !== undefined ? `row ${i.row}` : ''}${i.field ? ` ${i.field}` : ''}: ${i.message}`)
          .join('; '),
    );
    this.issues = kept;
    this.total = Math.max(total ?? 0, issues.length);
    this.name = 'ImportParseError';
  }
}

/**
 * What a parser found beside its records, for the person reviewing a preview (report-text: the numbered
 * paragraphs counted against their numbering, and those not imported with their number and reason).
 */
export interface ParseReport {
  paragraphs?: {
    found: number;
    imported: number;
    gaps: string[];
    duplicates: string[];
    footnotesRemoved: number;
    furnitureRemoved: number;
  };
  /** numbered paragraphs not imported: their number, the start of their text, and why */
  notImported?: { paragraph: string; text: string; reason: string }[];
  warnings?: string[];
}

/** Parsers may be sync or async iterables of records; they throw ImportParseError for bad input. */
export type ParserResult = AsyncIterable<ImportRecord> | Iterable<ImportRecord>;
