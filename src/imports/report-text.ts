/**
 * Extract numbered recommendations from the plain text of a UPR Working Group report or of treaty-body
 * concluding observations (pasted, or a .txt extracted from PDF: CR/LF/CRLF line ends, Mac Roman /
 * Latin-1 / UTF-8, lines wrapped and sometimes hyphenated). Pure, no database. The result is meant for
 * a coordinator to confirm: `reviewReportText` also returns what was skipped and why.
 *
 * UPR reports: the "Conclusions and/or recommendations" section holds introductory paragraphs (79.,
 * 80.…) that say whether the State supports the recommendations listed below them, then the
 * recommendations, numbered either `79.1.` / `115.1` (2010 on) or `1.`, `2.`… under the paragraph
 * (2008–2009 reports, here keyed as `60.1`, `60.2`…). Each ends with the recommending state(s) in
 * parentheses, which go to `recommendingStates` and are removed from the text. Paragraphs of the
 * section without a recommending state (comments by the State, closing paragraph) are skipped.
 *
 * Concluding observations: the numbered paragraphs from the "concerns and recommendations" part;
 * a paragraph in which the Committee recommends / urges / calls on… or says the State party should…
 * is a 'recommendation', any other (concern, regret, note…) an 'observation'.
 */
import { ImportParseError, type ImportRecord, type ImportedDocument, type Lang, type Position } from './types.ts';
import { decodeBytes, type DecodeOptions, type DecodedText } from './tabular.ts';
import { uprCycleOfSession } from './upr-info-csv.ts';

export type ReportStyle = 'upr' | 'concluding_observations';

export interface ReportTextOptions extends DecodeOptions {
  /** 'auto' (default) tells a UPR Working Group report from concluding observations by its content. */
  style?: ReportStyle | 'auto';
  /** Document symbol to use when the text does not carry one (e.g. A/HRC/15/15). */
  symbol?: string;
  /** Defaults: 'UPR' for UPR reports; from the symbol for concluding observations. */
  body?: string;
  country?: string;
  /** ISO yyyy-mm-dd; default: the "Distr.: General" date of the text. */
  date?: string;
  uprSession?: number;
  uprCycle?: number;
  /** Language of the text; default 'en'. */
  lang?: Lang;
}

export interface SkippedParagraph {
  paragraph: string;
  text: string;
  reason: string;
}

export interface ReportExtraction {
  style: ReportStyle;
  encoding?: DecodedText['encoding'];
  document: ImportedDocument;
  /** Where the symbol came from: the text, the options, or nowhere (then extraction fails). */
  symbolSource: 'text' | 'option';
  records: ImportRecord[];
  skipped: SkippedParagraph[];
  warnings: string[];
  /** The count of numbered paragraphs checked against their numbering (see ParagraphCheck). */
  paragraphs: ParagraphCheck;
}

/**
 * What a person checks after a report-text import: every numbered paragraph of the recommendations section was
 * found, and each one is either imported or listed in `skipped` with its number and the reason.
 */
export interface ParagraphCheck {
  /** numbered recommendation paragraphs found (79.1, 79.2… or the 2008–2009 style 1., 2. under 60.) */
  found: number;
  /** of which imported as records */
  imported: number;
  /** numbers missing from the sequence (79.4 when 79.3 is followed by 79.5) */
  gaps: string[];
  /** numbers printed twice (the second one is not imported: it is listed in `skipped`) */
  duplicates: string[];
  /** footnotes found and removed from the text (their numbers) */
  footnotesRemoved: number;
  /** page furniture lines removed (page headers and footers: symbol, page numbers, GE job numbers) */
  furnitureRemoved: number;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Prefixes that keep their hyphen when a word is split at a line end ("follow-\nup" → "follow-up"). */
const HYPHEN_PREFIXES = new Set([
  'non', 'self', 'anti', 'co', 'ex', 'pre', 'post', 'multi', 'inter', 'intra', 'socio', 'well', 'follow', 'long', 'short',
  'full', 'part', 'high', 'low', 'cross', 'sub', 'semi', 'counter', 'mid', 'first', 'second', 'third', 'all', 'de', 're',
  'state', 'gender', 'child', 'women', 'law', 'decision', 'human', 'age', 'community', 'evidence', 'rights',
]);

/** The words of the whole text, to tell a word split at a line end ("Conven-" "tion") from a hyphenated one. */
export interface Vocabulary {
  hyphenated: Set<string>;
  plain: Set<string>;
}

export function vocabularyOf(text: string): Vocabulary {
  const hyphenated = new Set<string>();
  const plain = new Set<string>();
  for (const m of text.matchAll(/[\p{L}]+(?:-[\p{L}]+)*/gu)) {
    const w = m[0].toLowerCase();
    const end = m.index + m[0].length;
    if (text[end] === '-' || text[end] === '\u00ad') continue; // split at a line end: not a word of the text
    (w.includes('-') ? hyphenated : plain).add(w);
  }
  return { hyphenated, plain };
}

/**
 * Join the wrapped lines of one paragraph: de-hyphenate words split at line ends, repair "poverty-
 * reduction" artefacts, keep enumerations "(a) … (b) …" on their own lines, normalise whitespace.
 */
export function joinWrappedLines(lines: string[], vocabulary?: Vocabulary): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.replace(/[\t\f\v\u00a0]+/g, ' ').replace(/ {2,}/g, ' ').trim();
    if (!line) continue;
    if (!out) {
      out = line;
      continue;
    }
    const split = /([\p{L}]+)[-\u00ad\u2010]$/u.exec(out);
    if (split && /^\p{Ll}/u.test(line)) {
      const prefix = split[1]!.toLowerCase();
      const next = (/^[\p{L}]+/u.exec(line)?.[0] ?? '').toLowerCase();
      // the text's own words decide first ("ill-treatment" printed whole elsewhere; "international"), then the prefix list
      const keep = vocabulary?.hyphenated.has(`${prefix}-${next}`)
        ? true
        : vocabulary?.plain.has(prefix + next)
          ? false
          : HYPHEN_PREFIXES.has(prefix);
      out = keep ? out + line : out.replace(/[-\u00ad\u2010]$/, '') + line;
    } else if (/^\([a-z]{1,3}\)\s/.test(line) && /[:;,]$/.test(out)) {
      out += '\n' + line;
    } else {
      out += ' ' + line;
    }
  }
  return out
    .replace(/\u00ad/g, '')
    .replace(/(\p{Ll})- (?!(?:and|or|to|as well)\b)(\p{Ll})/gu, '$1-$2') // "non- discrimination" → "non-discrimination"
    .replace(/[ \t]+([,;:.)])/g, '$1')
    .replace(/\( +/g, '(')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

function normaliseNewlines(text: string): string {
  return text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n').replace(/\f/g, '\n');
}

/** Lines that are editorial notes of the report, not content. */
function isNoiseLine(line: string): boolean {
  const s = line.trim();
  if (!s) return false;
  return (
    /^\*+$/.test(s) ||
    /^\*+\s*\.?\s*(previously issued|the annex|only chapter|the conclusions|conclusions and recommendations)/i.test(s) ||
    /^(the )?conclusions and recommendations (have|has|will) not (been |be )?edited\.?$/i.test(s) ||
    isFurnitureLine(s) ||
    /^\d{1,3}$/.test(s)
  );
}

const SYMBOL_LINE =
  /^(?:A\/HRC\/[\w./]+|A\/\d+\/[\w./]+|(?:CERD|CCPR|CEDAW|CAT|CRC|CMW|CRPD|CED)\/[\w\-–./]+|E\/C\.12\/[\w\-–./]+)(?:\s+page\s+\d+)?$/;

/** A page header or footer line of a UN document: its symbol, "page 5", a "GE.10-14455" job number, or both. */
function isFurnitureLine(s: string): boolean {
  return (
    /^(?:\d{1,3}\s+)?GE\.\d{2}-\d+/.test(s) ||
    SYMBOL_LINE.test(s) ||
    /^(?:\d{1,3}\s+)?(?:A\/HRC\/[\w./]+)\s*$/.test(s) ||
    /^page\s+\d+(\s+of\s+\d+)?$/i.test(s) ||
    /^-\s*\d{1,3}\s*-$/.test(s)
  );
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth',
  'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth'];
const TENS: Record<string, number> = { twent: 20, thirt: 30, fort: 40, fift: 50 };

/** "eighth" → 8, "twenty-first" → 21, "8th" → 8 */
function ordinalNumber(word: string): number | undefined {
  const w = word.toLowerCase();
  const digits = /^(\d{1,3})(st|nd|rd|th)$/.exec(w);
  if (digits) return Number(digits[1]);
  const i = ORDINALS.indexOf(w);
  if (i >= 0) return i + 1;
  const m = /^(twent|thirt|fort|fift)(?:ieth|y[- ]?(\w+))$/.exec(w);
  if (!m) return undefined;
  const unit = m[2] ? ORDINALS.indexOf(m[2]) + 1 : 0;
  return m[2] && unit < 1 ? undefined : TENS[m[1]!]! + unit;
}

/** The Working Group's session, where the report says it: "…Universal Periodic Review, …, held its eighth session". */
function findSessionInText(text: string): number | undefined {
  const flat = text.slice(0, 8000).replace(/\s+/g, ' ');
  const m = /Working Group on the Universal ?Periodic Review[^.]{0,200}?held its ([\w-]+) session/i.exec(flat);
  return m ? ordinalNumber(m[1]!) : undefined;
}

function isoDate(day: string, month: string, year: string): string | undefined {
  const m = MONTHS.indexOf(month.toLowerCase());
  if (m < 0) return undefined;
  return `${year}-${String(m + 1).padStart(2, '0')}-${day.padStart(2, '0')}`;
}

function findDate(head: string): string | undefined {
  const m = /\b(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{4})\b/i.exec(head);
  return m ? isoDate(m[1]!, m[2]!, m[3]!) : undefined;
}

/** The report's own UPR symbol (A/HRC/<session>/<n>), not the "previously issued under" WG symbol. */
export function findUprSymbol(text: string): string | undefined {
  const head = text.slice(0, 4000);
  const re = /\bA\/HRC\/\d+\/\d+(?:\/Add\.\d+)?/g;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    const before = head.slice(Math.max(0, m.index - 80), m.index);
    if (/previously issued|symbol number|symbol\s*$/i.test(before)) continue;
    return m[0];
  }
  return undefined;
}

const CO_SYMBOL = /\b(CERD|CCPR|E\/C\.12|CEDAW|CAT|CRC|CMW|CRPD|CED)\/C\/(?:OPAC\/|OPSC\/)?[A-Z]{3}\/CO\/\d+(?:[-–]\d+)?(?:\/Add\.\d+)?/;

function bodyOfCoSymbol(symbol: string): string {
  const prefix = symbol.split('/')[0]!;
  return prefix === 'E' ? 'CESCR' : prefix;
}

export function detectReportStyle(text: string): ReportStyle {
  const head = text.slice(0, 6000);
  if (/working group on the\s+universal\s*periodic review/i.test(head.replace(/\s+/g, ' ')) || /A\/HRC\/WG\.6\//.test(text)) return 'upr';
  if (/الاستعراض الدوري الشامل/.test(head)) return 'upr';
  if (CO_SYMBOL.test(head) || /concluding observations/i.test(head)) return 'concluding_observations';
  return /\(\s*[A-Z][a-z]+[^()]*\)\s*;/.test(text) ? 'upr' : 'concluding_observations';
}

/** The state under review: the first content line after the report's title. */
function findUprCountry(head: string): string | undefined {
  const lines = head.split('\n');
  const i = lines.findIndex((l) => /Report of the Working\s+(?:Group\s+)?on\s+the\s+Universal\s*Periodic\s+Review/i.test(l));
  if (i < 0) return undefined;
  for (const raw of lines.slice(i + 1, i + 8)) {
    const s = raw.replace(/\s+/g, ' ').trim();
    if (!s || s.startsWith('*') || /^GE\.\d/.test(s) || /^(contents|distr|original)/i.test(s)) continue;
    const name = s.replace(/[\s.*]+$/, '').trim();
    return name.length > 1 && name.length < 60 && /^\p{Lu}/u.test(name) ? name : undefined;
  }
  return undefined;
}

/**
 * Footnote numbers used in the text: a 1–2 digit number glued to the end of a word or to closing punctuation
 * ("(Chile);2", "available1."), or after a recommendation's closing ";" at a line end ("(Bangladesh); 4").
 */
function footnoteMarkers(lines: string[]): Set<string> {
  const markers = new Set<string>();
  const glued = /[\p{Ll};)\u201d](\d{1,2})(?=[\s.,;]|$)/gu;
  for (const line of lines) {
    for (const m of line.matchAll(glued)) markers.add(String(Number(m[1])));
    const spaced = /\)[;.]\s+(\d{1,2})\s*$/.exec(line);
    if (spaced) markers.add(String(Number(spaced[1])));
  }
  return markers;
}

export interface CleanedText {
  lines: string[];
  /** numbers of the footnotes removed */
  footnotes: Set<string>;
  /** page header and footer lines removed */
  furniture: number;
}

const FOOTNOTE_WITH_TEXT = /^(\d{1,2}) +[\p{Lu}\u201c"]/u;

/**
 * Removes what a PDF puts around the text: page headers and footers (the symbol, page numbers, "GE.…" job
 * numbers, any short line repeated on three pages or more) and footnote blocks. A footnote starts with its number
 * (one used as a marker in the text), alone on its line or followed by its text. In text copied from a PDF, where
 * page furniture shows the page ends, the footnote block runs to the end of its page (footnotes sit at the page
 * bottom, several lines long); in text without page furniture, a footnote is the one line. A paragraph split across
 * two pages is then whole again, since nothing is left between its two parts.
 */
export function removePageFurniture(input: string[]): CleanedText {
  const lines = input.map((l) => l.replace(/[\t\u00a0]+/g, ' ').trimEnd());
  const trimmed = lines.map((l) => l.trim());
  const counts = new Map<string, number>();
  for (const s of trimmed) if (s && s.length <= 60) counts.set(s, (counts.get(s) ?? 0) + 1);
  const furniture = trimmed.map(
    (s) =>
      s !== '' &&
      (isFurnitureLine(s) ||
        ((counts.get(s) ?? 0) >= 3 && !NUM_LINE.test(s) && !/^\d{1,3}$/.test(s) && !/^[(*•\-–]/.test(s) && /\p{L}/u.test(s) && !/[.:;,)]$/.test(s))),
  );
  const paged = furniture.some(Boolean);
  const markers = footnoteMarkers(lines);
  const nextContent = (i: number, step: 1 | -1) => {
    for (let j = i + step; j >= 0 && j < trimmed.length; j += step) if (trimmed[j]) return j;
    return -1;
  };
  const drop = new Array<boolean>(lines.length).fill(false);
  const footnotes = new Set<string>();
  let furnitureRemoved = 0;
  for (let i = 0; i < lines.length; i++) {
    const s = trimmed[i]!;
    if (furniture[i]) {
      drop[i] = true;
      furnitureRemoved += 1;
      continue;
    }
    const lone = /^(\d{1,3})$/.exec(s);
    const withText = FOOTNOTE_WITH_TEXT.exec(s);
    const n = lone?.[1] ?? withText?.[1];
    if (n === undefined) continue;
    const num = String(Number(n));
    if (lone) {
      // a lone number next to page furniture (or at either end) is a page number; one not used as a marker, too
      const next = nextContent(i, 1);
      const prev = nextContent(i, -1);
      if (next < 0 || prev < 0 || furniture[next] || furniture[prev] || !markers.has(num)) {
        drop[i] = true;
        furnitureRemoved += 1;
        continue;
      }
    } else if (!markers.has(num)) continue;
    // a footnote: this line, and in paged text the lines up to the page end or the next numbered paragraph
    footnotes.add(num);
    drop[i] = true;
    if (!paged) continue;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const t = trimmed[j]!;
      if (furniture[j] || NUM_LINE.test(t)) break;
      const loneNext = /^(\d{1,3})$/.exec(t);
      if (loneNext) {
        const next = nextContent(j, 1);
        if (next < 0 || furniture[next]) break; // the page number
        if (markers.has(String(Number(t)))) footnotes.add(String(Number(t)));
      }
      const more = FOOTNOTE_WITH_TEXT.exec(t);
      if (more && markers.has(String(Number(more[1])))) footnotes.add(String(Number(more[1])));
      drop[j] = true;
    }
    i = j - 1;
  }
  return { lines: lines.filter((_, i) => !drop[i]), footnotes, furniture: furnitureRemoved };
}

// ---------------------------------------------------------------------------------------------
// Numbered blocks

interface Block {
  /** as printed at the line start: "79", "79.1", "1" */
  top?: number;
  sub?: number;
  label: string;
  lines: string[];
}

/** "79.", "79.1", "79.1." and, in Arabic documents, "79-" and "79-1" */
const NUM_LINE = /^\s*(\d{1,3})[.-](?:(\d{1,3})\.?)?(?=\s|$)\s*(.*)$/;

/** Cut the lines into blocks at each line that starts with a paragraph number. */
function numberedBlocks(lines: string[]): { preamble: string[]; blocks: Block[] } {
  const preamble: string[] = [];
  const blocks: Block[] = [];
  for (const line of lines) {
    const m = NUM_LINE.exec(line);
    if (m) {
      const a = Number(m[1]);
      const b = m[2] !== undefined ? Number(m[2]) : undefined;
      blocks.push({ top: b !== undefined ? a : undefined, sub: b, label: b !== undefined ? `${a}.${b}` : String(a), lines: [m[3] ?? ''] });
      (blocks.at(-1) as Block & { plain?: number }).plain = b === undefined ? a : undefined;
    } else if (blocks.length) blocks.at(-1)!.lines.push(line);
    else preamble.push(line);
  }
  return { preamble, blocks };
}

// ---------------------------------------------------------------------------------------------
// UPR

const STATE_ITEM = /^(?:the\s+)?[A-Z\u00c0-\u00de\u0621-\u064a][\p{L}\p{M}’'.\- ]*(?:\s*\([\p{L}\p{M}’'.,،\- ]+\))?$/u;

function looksLikeStateList(inner: string): string[] | undefined {
  const items = inner
    .split(/\s*[,،]\s*(?![^()]*\))/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  if (!items.length) return undefined;
  for (const item of items) {
    if (!STATE_ITEM.test(item)) return undefined;
    if (/^[A-Z-]{2,8}$/.test(item)) return undefined; // acronyms: CEDAW, ICC, OHCHR
    if (item.split(' ').length > 9) return undefined;
    if (/^(see|para|paragraph|article|annex|resolution|decision)\b|^A\//i.test(item)) return undefined;
  }
  return items;
}

/** Parenthesised groups that close a recommendation: "(Chile)" followed by ";", "." or the end. */
function trailingStateGroups(text: string): { states: string[]; start: number; end: number }[] {
  const found: { states: string[]; start: number; end: number }[] = [];
  // one level of nesting: "(Iran (Islamic Republic of))"
  const re = /\(((?:[^()]|\([^()]*\))*)\)\s*\d{0,2}\s*(?=[;.\u061b]|$)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const states = looksLikeStateList(m[1]!);
    if (states) found.push({ states, start: m.index, end: m.index + m[0].length });
  }
  return found;
}

interface UprIntro {
  paragraph: number;
  position?: Position;
  text: string;
}

function positionOfIntro(text: string): Position | undefined {
  const t = text.replace(/\s+/g, ' ');
  if (/\b(did|do|does) not (enjoy|have) (the |its )?support|not (been )?(accepted|supported)|\brejected\b|\b(were|are|have been) noted\b|\btake[sn]? note\b|\btook note\b|\bnoted by\b/i.test(t)) {
    return 'noted';
  }
  if (/\bwill (be )?(examine[d]?|consider(ed)?|respond|provide (its |their )?responses?)\b|\bin due (time|course)\b/i.test(t)) return undefined;
  if (/\benjoys? (the |its )?support\b|\bhave been accepted\b|\baccepts?\b|\bagreed on the following\b|\bsupports? the\b/i.test(t)) return 'supported';
  return undefined;
}

function isIntroText(text: string): boolean {
  return /\brecommendations?\b|التوصيات/i.test(text) && (trailingStateGroups(text).length === 0 || /:\s*$/.test(text));
}

/** Footnote numbers left in a paragraph's text ("Convention2 and", "“…”3"): removed when that footnote was found. */
function stripMarkers(text: string, footnotes: Set<string>): string {
  if (!footnotes.size) return text;
  return text.replace(/([\p{Ll}\u201d”")])(\d{1,2})(?=[\s.,;:]|$)/gu, (all, before: string, n: string) => (footnotes.has(String(Number(n))) ? before : all));
}

function extractUpr(
  text: string,
  vocabulary: Vocabulary,
  footnotes: Set<string>,
  lang: Lang,
  warnings: string[],
  skipped: SkippedParagraph[],
): { records: Omit<ImportRecord, 'document'>[]; found: number; gaps: string[]; duplicates: string[] } {
  const lines = text.split('\n');
  // Section start: the last heading line "… Conclusions and/or recommendations" that is not a contents entry.
  let start = -1;
  lines.forEach((line, i) => {
    const s = line.trim();
    const arabic = /^(?:[\u0621-\u065f]+\s*[-–.]\s*)?الاستنتاجات\s*و\s*\/?\s*(?:أو\s*)?التوصيات/.test(s);
    if ((arabic || /^(?:[IVX]+\.?\s*)?conclusions\s+and\s*\/?\s*(?:or\s+)?recommendations\b/i.test(s)) && !/\.{4,}|…/.test(s) && s.length < 90) start = i;
  });
  if (start < 0) {
    throw new ImportParseError([
      { code: 'no_recommendations_section', message: 'No "Conclusions and/or recommendations" section was found in the text' },
    ]);
  }
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const s = lines[i]!.trim();
    if (
      (/^(?:[IVX]+\.?\s*)?(voluntary (pledges|commitments)|annex\b|composition of the delegation)/i.test(s) ||
        /^(?:[\u0621-\u065f]+\s*[-–.]\s*)?(التعهدات والالتزامات الطوعية|التعهدات الطوعية|المرفق|تشكيلة الوفد)/.test(s)) &&
      s.length < 120
    ) {
      end = i;
      break;
    }
  }
  const sectionLines = lines.slice(start + 1, end).filter((l) => !isNoiseLine(l));
  const { blocks } = numberedBlocks(sectionLines);
  const gaps: string[] = [];
  const duplicates: string[] = [];
  const missing = (t: number, from: number, to: number) => {
    for (let k = from; k < to; k++) gaps.push(`${t}.${k}`);
  };

  // Classify blocks into intro paragraphs (79.) and recommendations (79.1 / 1.) by numbering sequence.
  type Item = { paragraph: string; top: number; lines: string[] };
  const items: Item[] = [];
  const intros = new Map<number, UprIntro>();
  let top: number | undefined;
  let lastSub = 0;
  let closed = false;
  let prev: { lines: string[] } | undefined;
  for (const b of blocks as (Block & { plain?: number })[]) {
    const bodyText = joinWrappedLines(b.lines);
    if (closed) break;
    if (b.sub !== undefined) {
      const sameTop = top === undefined || b.top === top;
      if (sameTop && top !== undefined && b.sub <= lastSub && items.some((it) => it.paragraph === b.label)) {
        // printed twice: listed, never imported twice nor folded into the paragraph before
        duplicates.push(b.label);
        skipped.push({ paragraph: b.label, text: joinWrappedLines(b.lines), reason: 'duplicate paragraph number: a paragraph with this number comes before it' });
        prev = { lines: [] };
        continue;
      }
      const nextTop = top !== undefined && b.top === top + 1;
      const ok = (sameTop && b.sub > lastSub && b.sub <= lastSub + 10) || (nextTop && b.sub <= 10);
      if (ok) {
        if (b.top !== top) {
          top = b.top!;
          lastSub = 0;
          if (!intros.has(top)) warnings.push(`Recommendations numbered ${top}.x have no introductory paragraph ${top}.; their position is unknown`);
        }
        missing(top!, lastSub + 1, b.sub);
        lastSub = b.sub;
        const item = { paragraph: b.label, top: top!, lines: [...b.lines] };
        items.push(item);
        prev = item;
        continue;
      }
    } else if (b.plain !== undefined) {
      const n = b.plain;
      const canTop = top === undefined || n === top + 1;
      const canSub = top !== undefined && n === lastSub + 1;
      const asTop = canTop && (!canSub || isIntroText(bodyText));
      if (asTop) {
        if (/^all conclusions and\/?or recommendations/i.test(bodyText)) {
          closed = true;
          break;
        }
        top = n;
        lastSub = 0;
        intros.set(n, { paragraph: n, position: positionOfIntro(bodyText), text: bodyText });
        prev = { lines: b.lines };
        continue;
      }
      if (canSub) {
        lastSub = n;
        const item = { paragraph: `${top}.${n}`, top: top!, lines: [...b.lines] };
        items.push(item);
        prev = item;
        continue;
      }
    }
    // A number at a line start that breaks the sequence: a wrapped line, not a paragraph.
    if (prev) prev.lines.push(`${b.label}. ${b.lines.join('\n')}`);
  }

  for (const [n, intro] of intros) {
    if (!items.some((it) => it.top === n)) {
      skipped.push({
        paragraph: String(n),
        text: intro.text,
        reason: 'paragraph of the section with no recommendations listed under it (it may refer to recommendations elsewhere in the report: check by hand)',
      });
    }
  }
  const records: Omit<ImportRecord, 'document'>[] = [];
  for (const item of items) {
    let body = stripMarkers(joinWrappedLines(item.lines, vocabulary), footnotes)
      .replace(/\)\s*\d{1,2}\s*([;.])?\s*$/, ')$1') // footnote mark after the state: "(Chile);2"
      .replace(/\);\s*\d{1,2}\s*$/, ');')
      .replace(/\(([^()]+)[;,.]\)\s*$/, '($1);'); // "(Norway;)"
    const groups = trailingStateGroups(body);
    const last = groups.at(-1);
    // "(Togo), (Paraguay);": earlier groups chained to the last one by commas
    if (last) {
      for (;;) {
        const m = /\(((?:[^()]|\([^()]*\))*)\)\s*[,،]\s*$/.exec(body.slice(0, last.start));
        const states = m ? looksLikeStateList(m[1]!) : undefined;
        if (!m || !states) break;
        last.states = [...states, ...last.states];
        last.start = m.index;
      }
    }
    const tail = last ? body.slice(last.end).replace(/^[;.\u061b\s]+/, '').trim() : '';
    if (!last || tail !== '') {
      skipped.push({ paragraph: item.paragraph, text: body, reason: 'no recommending state in parentheses at the end: not a recommendation' });
      continue;
    }
    const states: string[] = [];
    for (const g of groups) for (const s of g.states) if (!states.includes(s)) states.push(s);
    body = body.slice(0, last.start).replace(/[\s;,\u061b\u060c]+$/, '').trim();
    const intro = intros.get(item.top);
    const rec: Omit<ImportRecord, 'document'> = {
      sourceRow: 0,
      paragraph: item.paragraph,
      texts: { [lang]: body },
      originalLang: lang,
      kind: 'recommendation',
      recommendingStates: states,
    };
    if (intro?.position) rec.position = intro.position;
    records.push(rec);
  }
  return { records, found: items.length + duplicates.length, gaps, duplicates };
}

// ---------------------------------------------------------------------------------------------
// Concluding observations

const RECOMMENDING = /\b(recommends?|urges?|calls? (up)?on|encourages?|requests?|invites?|reiterates its (previous )?recommendation|should)\b/i;

function extractConcludingObservations(text: string, vocabulary: Vocabulary, footnotes: Set<string>, lang: Lang, skipped: SkippedParagraph[]) {
  const lines = text.split('\n').filter((l) => !isNoiseLine(l));
  // Start at the concerns-and-recommendations part when it is there (skips introduction and positive aspects).
  let start = lines.findIndex((l) => /^\s*(?:[A-Z]\.\s*)?(principal (subjects|areas) of concern|(main )?concerns and recommendations|subjects of concern)/i.test(l.trim()));
  if (start < 0) start = lines.findIndex((l) => /^\s*(?:[A-Z]\.\s*)?positive aspects/i.test(l.trim()));
  const { blocks } = numberedBlocks(lines.slice(start < 0 ? 0 : start + 1));
  // Keep the blocks whose number continues the sequence; fold the others (a wrapped line starting
  // with a number) back into the paragraph before them.
  const accepted: { n: number; lines: string[] }[] = [];
  for (const b of blocks as (Block & { plain?: number })[]) {
    const n = b.plain;
    const lastN = accepted.at(-1)?.n ?? 0;
    if (n !== undefined && (lastN === 0 ? n < 200 : n === lastN + 1)) accepted.push({ n, lines: [...b.lines] });
    else if (accepted.length) accepted.at(-1)!.lines.push(`${b.label}. ${b.lines.join('\n')}`);
  }
  const records: Omit<ImportRecord, 'document'>[] = [];
  for (const { n, lines: bl } of accepted) {
    const body = stripMarkers(joinWrappedLines(bl, vocabulary), footnotes);
    if (!body) {
      skipped.push({ paragraph: String(n), text: body, reason: 'empty paragraph' });
      continue;
    }
    if (/^(dissemination|follow-up|next periodic report|ratification of other|technical assistance)\b/i.test(body) && body.length < 60) continue;
    records.push({
      sourceRow: 0,
      paragraph: String(n),
      texts: { [lang]: body },
      originalLang: lang,
      kind: RECOMMENDING.test(body) ? 'recommendation' : 'observation',
    });
  }
  return { records, found: accepted.length };
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** Extract everything, with what was skipped and why, for a person to review before import. */
export function reviewReportText(input: Uint8Array | ArrayBuffer | string, options: ReportTextOptions = {}): ReportExtraction {
  let text: string;
  let encoding: DecodedText['encoding'] | undefined;
  if (typeof input === 'string') text = input;
  else {
    if (input.byteLength === 0) throw new ImportParseError([{ code: 'empty_file', message: 'The file is empty' }]);
    const d = decodeBytes(input, options);
    text = d.text;
    encoding = d.encoding;
  }
  // Arabic-Indic digits (paragraph numbers of Arabic documents) read as digits
  text = normaliseNewlines(text).replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
  if (text.trim() === '') throw new ImportParseError([{ code: 'empty_file', message: 'The text is empty' }]);
  const lang = options.lang ?? 'en';
  const style = !options.style || options.style === 'auto' ? detectReportStyle(text) : options.style;
  const warnings: string[] = [];
  const skipped: SkippedParagraph[] = [];
  // page headers and footers, footnotes: off the text (the symbol and date are read from the whole text first)
  const rawHead = text.slice(0, 4000);
  const cleaned = removePageFurniture(text.split('\n'));
  const body = cleaned.lines.join('\n');
  const head = body.slice(0, 4000);
  let found = 0;
  let gaps: string[] = [];
  let duplicates: string[] = [];

  let symbol: string | undefined;
  let document: ImportedDocument;
  let partial: Omit<ImportRecord, 'document'>[];
  if (style === 'upr') {
    symbol = findUprSymbol(text);
    const wgSession = /A\/HRC\/WG\.6\/(\d+)\//.exec(text)?.[1];
    const uprSession = options.uprSession ?? (wgSession ? Number(wgSession) : findSessionInText(body));
    const countryMatch = findUprCountry(head);
    const country = options.country ?? countryMatch;
    document = { symbol: '', body: options.body ?? 'UPR', type: 'upr_wg_report' };
    if (uprSession !== undefined) {
      document.uprSession = uprSession;
      document.uprCycle = options.uprCycle ?? uprCycleOfSession(uprSession);
    } else if (options.uprCycle !== undefined) document.uprCycle = options.uprCycle;
    if (country) document.country = country;
    const r = extractUpr(body, vocabularyOf(body), cleaned.footnotes, lang, warnings, skipped);
    partial = r.records;
    found = r.found;
    gaps = r.gaps;
    duplicates = r.duplicates;
  } else {
    symbol = CO_SYMBOL.exec(rawHead)?.[0]?.replace('–', '-');
    const countryMatch = /concluding observations on the [\s\S]{0,120}?reports? of\s+([A-Z][^\n*]+?)\s*\**\s*\n/i.exec(head);
    const country = options.country ?? countryMatch?.[1]?.replace(/\s+/g, ' ').trim();
    const sym = symbol ?? options.symbol;
    document = { symbol: '', body: options.body ?? (sym && CO_SYMBOL.test(sym) ? bodyOfCoSymbol(sym) : 'other'), type: 'concluding_observations' };
    if (country) document.country = country;
    const r = extractConcludingObservations(body, vocabularyOf(body), cleaned.footnotes, lang, skipped);
    partial = r.records;
    found = r.found;
  }
  let symbolSource: ReportExtraction['symbolSource'] = 'text';
  if (!symbol) {
    if (!options.symbol) {
      throw new ImportParseError([
        { code: 'missing_symbol', field: 'symbol', message: 'The text carries no document symbol (e.g. A/HRC/15/15); give it in the import options' },
      ]);
    }
    symbol = options.symbol.trim();
    symbolSource = 'option';
  } else if (options.symbol && options.symbol.trim() !== symbol) {
    warnings.push(`The text says ${symbol}; the symbol given (${options.symbol}) was not used`);
  }
  document.symbol = symbol;
  const date = options.date ?? findDate(rawHead) ?? findDate(head);
  if (date) document.date = date;
  if (partial.length === 0) {
    throw new ImportParseError([{ code: 'no_recommendations', message: 'No numbered recommendations were found in the text' }]);
  }
  const records: ImportRecord[] = partial.map((p, i) => {
    const rec: ImportRecord = { ...p, sourceRow: i + 1, document: { ...document } };
    if (rec.position) {
      const introPara = rec.paragraph?.split('.')[0];
      rec.positionSource = `${symbol} para ${introPara}`;
    }
    return rec;
  });
  if (gaps.length) warnings.push(`Paragraph numbers missing from the sequence: ${gaps.join(', ')}`);
  if (duplicates.length) warnings.push(`Paragraph numbers printed twice (the second not imported): ${duplicates.join(', ')}`);
  const paragraphs: ParagraphCheck = {
    found,
    imported: records.length,
    gaps,
    duplicates,
    footnotesRemoved: cleaned.footnotes.size,
    furnitureRemoved: cleaned.furniture,
  };
  return { style, encoding, document, symbolSource, records, skipped, warnings, paragraphs };
}

/** The ImportRecords of a report's text (see `reviewReportText` for the reviewable form). */
export function extractReportRecommendations(input: Uint8Array | ArrayBuffer | string, options: ReportTextOptions = {}): ImportRecord[] {
  return reviewReportText(input, options).records;
}
