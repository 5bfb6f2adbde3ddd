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

/**
 * Join the wrapped lines of one paragraph: de-hyphenate words split at line ends, repair "poverty-
 * reduction" artefacts, keep enumerations "(a) … (b) …" on their own lines, normalise whitespace.
 */
export function joinWrappedLines(lines: string[]): string {
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
      out = HYPHEN_PREFIXES.has(prefix) ? out + line : out.replace(/[-\u00ad\u2010]$/, '') + line;
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

/** Lines that are page furniture or editorial footnotes, not content. */
function isNoiseLine(line: string): boolean {
  const s = line.trim();
  if (!s) return false;
  return (
    /^\*+$/.test(s) ||
    /^\*+\s*\.?\s*(previously issued|the annex|only chapter|the conclusions|conclusions and recommendations)/i.test(s) ||
    /^(the )?conclusions and recommendations (have|has|will) not (been |be )?edited\.?$/i.test(s) ||
    /^GE\.\d{2}-\d+/.test(s) ||
    /^(A\/HRC\/[\w./]+|[A-Z]+\/C\/[A-Z]{3}\/CO\/[\w\-–./]+)(\s+page \d+)?$/.test(s) ||
    /^page \d+$/i.test(s) ||
    /^\d{1,3}$/.test(s)
  );
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
 * Footnote numbers used in the text: a 1–2 digit number glued to the end of a word or to closing
 * punctuation ("(Chile);2", "available1."). Lines starting with one of them and a space are the
 * footnotes themselves (PDF extraction puts each on a line of its own, often mid-paragraph).
 */
function footnoteLines(lines: string[]): Set<number> {
  const markers = new Set<string>();
  const re = /[\p{Ll};)\u201d](\d{1,2})(?=[\s.,;]|$)/gu;
  for (const line of lines) for (const m of line.matchAll(re)) markers.add(m[1]!);
  const drop = new Set<number>();
  lines.forEach((line, i) => {
    const m = /^\s*(\d{1,2})[ \t]+(\S)/.exec(line);
    if (m && markers.has(m[1]!) && /[\p{Lu}\u201c"]/u.test(m[2]!)) drop.add(i);
  });
  return drop;
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

const NUM_LINE = /^\s*(\d{1,3})\.(?:(\d{1,3})\.?)?(?=\s|$)\s*(.*)$/;

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

const STATE_ITEM = /^(?:the\s+)?[A-Z\u00c0-\u00de][\p{L}’'.\- ]*(?:\s*\([\p{L}’'.,\- ]+\))?$/u;

function looksLikeStateList(inner: string): string[] | undefined {
  const items = inner
    .split(/\s*,\s*(?![^()]*\))/)
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
  const re = /\(((?:[^()]|\([^()]*\))*)\)\s*\d{0,2}\s*(?=[;.]|$)/g;
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
  return /\brecommendations?\b/i.test(text) && (trailingStateGroups(text).length === 0 || /:\s*$/.test(text));
}

function extractUpr(text: string, options: ReportTextOptions, lang: Lang, warnings: string[], skipped: SkippedParagraph[]) {
  const lines = text.split('\n');
  // Section start: the last heading line "… Conclusions and/or recommendations" that is not a contents entry.
  let start = -1;
  lines.forEach((line, i) => {
    const s = line.trim();
    if (/^(?:[IVX]+\.?\s*)?conclusions\s+and\s*\/?\s*(?:or\s+)?recommendations\b/i.test(s) && !/\.{4,}|…/.test(s) && s.length < 90) start = i;
  });
  if (start < 0) {
    throw new ImportParseError([
      { code: 'no_recommendations_section', message: 'No "Conclusions and/or recommendations" section was found in the text' },
    ]);
  }
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const s = lines[i]!.trim();
    if (/^(?:[IVX]+\.?\s*)?(voluntary (pledges|commitments)|annex\b|composition of the delegation)/i.test(s) && s.length < 120) {
      end = i;
      break;
    }
  }
  const footnotes = footnoteLines(lines);
  const sectionLines = lines.slice(start + 1, end).filter((l, j) => !isNoiseLine(l) && !footnotes.has(start + 1 + j));
  const { blocks } = numberedBlocks(sectionLines);

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
      const ok = (top === undefined || b.top === top || b.top === top + 1) && b.sub > lastSub && b.sub <= lastSub + 10;
      if (ok) {
        if (b.top !== top) {
          top = b.top!;
          lastSub = 0;
          if (!intros.has(top)) warnings.push(`Recommendations numbered ${top}.x have no introductory paragraph ${top}.; their position is unknown`);
        }
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
    let body = joinWrappedLines(item.lines)
      .replace(/\)\s*\d{1,2}\s*([;.])?\s*$/, ')$1') // footnote mark after the state: "(Chile);2"
      .replace(/\);\s*\d{1,2}\s*$/, ');')
      .replace(/\(([^()]+)[;,.]\)\s*$/, '($1);'); // "(Norway;)"
    const groups = trailingStateGroups(body);
    const last = groups.at(-1);
    // "(Togo), (Paraguay);": earlier groups chained to the last one by commas
    if (last) {
      for (;;) {
        const m = /\(((?:[^()]|\([^()]*\))*)\)\s*,\s*$/.exec(body.slice(0, last.start));
        const states = m ? looksLikeStateList(m[1]!) : undefined;
        if (!m || !states) break;
        last.states = [...states, ...last.states];
        last.start = m.index;
      }
    }
    const tail = last ? body.slice(last.end).replace(/^[;.\s]+/, '').trim() : '';
    if (!last || tail !== '') {
      skipped.push({ paragraph: item.paragraph, text: body, reason: 'no recommending state in parentheses at the end: not a recommendation' });
      continue;
    }
    const states: string[] = [];
    for (const g of groups) for (const s of g.states) if (!states.includes(s)) states.push(s);
    body = body.slice(0, last.start).replace(/[\s;,]+$/, '').trim();
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
  return { records };
}

// ---------------------------------------------------------------------------------------------
// Concluding observations

const RECOMMENDING = /\b(recommends?|urges?|calls? (up)?on|encourages?|requests?|invites?|reiterates its (previous )?recommendation|should)\b/i;

function extractConcludingObservations(text: string, lang: Lang, skipped: SkippedParagraph[]) {
  const all = text.split('\n');
  const footnotes = footnoteLines(all);
  const lines = all.filter((l, i) => !isNoiseLine(l) && !footnotes.has(i));
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
    const body = joinWrappedLines(bl);
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
  return records;
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
  text = normaliseNewlines(text);
  if (text.trim() === '') throw new ImportParseError([{ code: 'empty_file', message: 'The text is empty' }]);
  const lang = options.lang ?? 'en';
  const style = !options.style || options.style === 'auto' ? detectReportStyle(text) : options.style;
  const warnings: string[] = [];
  const skipped: SkippedParagraph[] = [];
  const head = text.slice(0, 4000);

  let symbol: string | undefined;
  let document: ImportedDocument;
  let partial: Omit<ImportRecord, 'document'>[];
  if (style === 'upr') {
    symbol = findUprSymbol(text);
    const wgSession = /A\/HRC\/WG\.6\/(\d+)\//.exec(text)?.[1];
    const uprSession = options.uprSession ?? (wgSession ? Number(wgSession) : undefined);
    const countryMatch = findUprCountry(head);
    const country = options.country ?? countryMatch;
    document = { symbol: '', body: options.body ?? 'UPR', type: 'upr_wg_report' };
    if (uprSession !== undefined) {
      document.uprSession = uprSession;
      document.uprCycle = options.uprCycle ?? uprCycleOfSession(uprSession);
    } else if (options.uprCycle !== undefined) document.uprCycle = options.uprCycle;
    if (country) document.country = country;
    const r = extractUpr(text, options, lang, warnings, skipped);
    partial = r.records;
  } else {
    symbol = CO_SYMBOL.exec(head)?.[0]?.replace('–', '-');
    const countryMatch = /concluding observations on the [\s\S]{0,120}?reports? of\s+([A-Z][^\n*]+?)\s*\**\s*\n/i.exec(head);
    const country = options.country ?? countryMatch?.[1]?.replace(/\s+/g, ' ').trim();
    const sym = symbol ?? options.symbol;
    document = { symbol: '', body: options.body ?? (sym && CO_SYMBOL.test(sym) ? bodyOfCoSymbol(sym) : 'other'), type: 'concluding_observations' };
    if (country) document.country = country;
    partial = extractConcludingObservations(text, lang, skipped);
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
  const date = options.date ?? findDate(head);
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
  return { style, encoding, document, symbolSource, records, skipped, warnings };
}

/** The ImportRecords of a report's text (see `reviewReportText` for the reviewable form). */
export function extractReportRecommendations(input: Uint8Array | ArrayBuffer | string, options: ReportTextOptions = {}): ImportRecord[] {
  return reviewReportText(input, options).records;
}
