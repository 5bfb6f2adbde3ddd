import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { BatchInsert } from '../db/batch-insert.ts';
import type { BulkLoad, BulkWriter } from '../db/dialect/types.ts';
import type { DB, DocumentsTable, RecommendationsTable, TermKind, TermsTable } from '../db/schema.ts';
import { matchesForNew, type ImportedFields } from '../recommendations/index.ts';
import { analyseSource, indexRecommendations, indexSources, type SearchColumns, type SearchSource } from '../search/index.ts';
import { AppError } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { rowTexts } from './row-texts.ts';
import type { ImportIssue, ImportRecord, ParserResult } from './types.ts';

export interface ImportCounts {
  new: number;
  updated: number;
  unchanged: number;
  invalid: number;
  documentsCreated: number;
  termsCreated: number;
}

/**
 * A source's theme label that matched neither a theme mapping nor a theme of the register: the records carrying it
 * were imported without that theme (no theme is ever made from a bare source label: it would have no Arabic name).
 * A coordinator maps it (PUT /api/imports/theme-mappings/:source/:label) and imports again to link it.
 */
export interface UnmappedTheme {
  source: string;
  label: string;
  records: number;
}

export interface ImportOutcome extends ImportCounts {
  dryRun: boolean;
  total: number;
  /** the first problems found, row- and field-precise */
  issues: ImportIssue[];
  /** source themes with no mapping and no theme of that name: not linked, with how many records carry each */
  unmappedThemes?: UnmappedTheme[];
  /** source themes linked to a register theme through a mapping or by name: how many distinct labels */
  mappedThemes?: number;
  /** new records that match an existing recommendation from another source (merge them afterwards) */
  matches?: ImportMatch[];
  matchCount?: number;
}

export interface ImportMatch {
  row: number;
  paragraph: string | null;
  key: string;
  similarity: number;
  existing: { id: string; externalId: string; paragraph: string | null; symbol: string; text: string | null };
}

/** The key of a source label in theme_mappings: lower case, single spaces, NFC. */
export const themeLabelKey = (label: string): string => label.normalize('NFC').replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

export interface ImportOptions {
  dryRun?: boolean;
  actorId?: string | null;
  /** label for the audit log, e.g. "upr-info-csv upr-info-sessions-1-20.csv" */
  source: string;
  onProgress?: (processed: number) => void;
  /** the engine's path for a first import into an empty register (EngineDialect.bulkLoad) */
  bulkLoad?: BulkLoad | undefined;
  /**
   * the import run (import_runs) this import is: marked succeeded, with its counts, in the import's own transaction,
   * so that a process killed after the commit never leaves written records under a run the restart calls interrupted
   */
  runId?: string | undefined;
}

const CHUNK = 500;
/** how long an import may keep the event loop before letting other requests in */
const YIELD_MS = 100;
const MAX_ISSUES = 200;
const TREATY_BODIES = new Set(['CERD', 'CCPR', 'CESCR', 'CEDAW', 'CAT', 'SPT', 'CRC', 'CMW', 'CRPD', 'CED']);

class DryRunRollback extends Error {}

const insertRecommendations = new BatchInsert<Insertable<RecommendationsTable>>((db, rows) => db.insertInto('recommendations').values(rows));
const insertLinks = new BatchInsert<{ recommendation_id: string; term_id: string }>((db, rows) =>
  db
    .insertInto('recommendation_terms')
    .values(rows)
    .onConflict((oc) => oc.columns(['recommendation_id', 'term_id']).doNothing()),
);

/** Columns of `recommendations` an import may update that are not text. */
const INTEGER_COLUMNS = new Set(['version']);
/**
 * rows per UPDATE statement: each row carries at most a few texts of a recommendation (250 rows took up to 1.1 s on a
 * loaded machine in a second-language import of 100,000 records)
 */
const UPDATE_BATCH = 100;

/**
 * Updates existing recommendations, one statement per set of changed columns and UPDATE_BATCH rows
 * (`with v(id, …) as (values …) update … from v`, on both engines) instead of one statement per row: a
 * second-language file updates every record of the register, and each statement also runs the table's statement
 * triggers (change log, notification), so 250,000 one-row statements cost more than the updates themselves.
 */
async function updateRows(trx: Transaction<DB>, updates: readonly { id: string; set: Record<string, unknown> }[]): Promise<void> {
  const groups = new Map<string, { id: string; set: Record<string, unknown> }[]>();
  for (const u of updates) {
    const key = Object.keys(u.set).sort().join(',');
    const list = groups.get(key);
    if (list) list.push(u);
    else groups.set(key, [u]);
  }
  for (const [key, list] of groups) {
    const columns = key.split(',');
    const value = (c: string, v: unknown) => (INTEGER_COLUMNS.has(c) ? sql`cast(${v} as integer)` : sql`${v ?? null}`);
    for (let i = 0; i < list.length; i += UPDATE_BATCH) {
      const rows = list.slice(i, i + UPDATE_BATCH).map((u) => sql`(${u.id}, ${sql.join(columns.map((c) => value(c, u.set[c])))})`);
      await sql`with v(id, ${sql.join(columns.map((c) => sql.id(c)))}) as (values ${sql.join(rows)})
        update recommendations set ${sql.join(columns.map((c) => sql`${sql.id(c)} = v.${sql.id(c)}`))} from v where recommendations.id = v.id`.execute(trx);
    }
  }
}

let lastMs = 0;
let seq = 0;
/**
 * A UUID (version 7: time first, then random) whose text sorts in creation order, so that the rows
 * an import adds go to the end of the indexes keyed by recommendation id instead of all over them.
 */
export function orderedId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
  } else if (++seq > 0xfff) {
    lastMs += 1;
    seq = 0;
  }
  const ms = lastMs.toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${seq.toString(16).padStart(3, '0')}-${randomUUID().slice(19)}`;
}

export class ImportRejected extends AppError {
  constructor(public readonly outcome: ImportOutcome) {
    const first = outcome.issues[0];
    super(
      422,
      'import_invalid',
      `The file was not imported: ${outcome.invalid} invalid record(s)${first ? `; first: ${first.row !== undefined ? `row ${first.row}` : ''}${first.field ? ` field ${first.field}` : ''}: ${first.message}` : ''}. Nothing was changed.`,
      { issues: outcome.issues, counts: { ...outcome } },
    );
  }
}

export const recommendationKey = (r: ImportRecord): string | null =>
  r.externalId?.trim() || (r.paragraph?.trim() ? `${r.document.symbol.trim()}#${r.paragraph.trim()}` : null);

function normaliseBody(code: string): string {
  return code.replace(/^[-–\s]+/, '').trim().toUpperCase();
}

const hasArabic = (s: string) => /[\u0600-\u06FF]/.test(s);
const termCodes = new Map<string, string>();
/** The code of a taxonomy label (memoised: a file repeats a few hundred labels on every record). */
function termCode(label: string): string {
  let code = termCodes.get(label);
  if (code === undefined) {
    code = label.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
    if (termCodes.size >= 10_000) termCodes.clear();
    termCodes.set(label, code);
  }
  return code;
}

/** The kinds of term a record names by label. */
type LabelKind = 'theme' | 'affected_person' | 'tag';

/** Imported fields that a re-import may change; local work (status, notes, cluster, tags added by hand) is never touched. */
type Comparable = Pick<
  RecommendationsTable,
  'paragraph' | 'kind' | 'position' | 'position_source' | 'recommending_states' | 'original_lang' | 'text_ar' | 'text_en' | 'text_fr'
>;

function validate(r: ImportRecord, key: string | null): ImportIssue | null {
  if (!r.document?.symbol?.trim()) return { row: r.sourceRow, field: 'document.symbol', code: 'missing_field', message: 'The document symbol is missing.' };
  if (!r.document.body?.trim()) return { row: r.sourceRow, field: 'document.body', code: 'missing_field', message: 'The body is missing.' };
  if (!key) return { row: r.sourceRow, field: 'paragraph', code: 'missing_field', message: 'Neither an external id nor a paragraph number identifies this record.' };
  const texts = Object.values(r.texts ?? {}).filter((t) => typeof t === 'string' && t.trim());
  if (texts.length === 0) return { row: r.sourceRow, field: 'text', code: 'missing_field', message: 'The record has no text.' };
  return null;
}

/**
 * Imports parsed records all-or-nothing: one transaction; any invalid record rejects the whole file.
 * Re-importing updates by key (external id, or symbol#paragraph) and leaves local work alone.
 * A dry run does the same work and rolls it back, so its counts are exactly what a real run would do.
 */
export async function importRecords(db: Kysely<DB>, records: ParserResult, opts: ImportOptions): Promise<ImportOutcome> {
  const outcome: ImportOutcome = {
    dryRun: Boolean(opts.dryRun),
    total: 0,
    new: 0,
    updated: 0,
    unchanged: 0,
    invalid: 0,
    documentsCreated: 0,
    termsCreated: 0,
    issues: [],
  };
  try {
    await db.transaction().execute(async (trx) => {
      const run = new ImportRun(trx, outcome);
      await run.prepare();
      const bulk = run.registerWasEmpty && opts.bulkLoad ? await opts.bulkLoad.begin(trx) : null;
      // null from the engine: another import filled the register meanwhile (PostgreSQL; see BulkLoad)
      if (opts.bulkLoad && !bulk) run.registerWasEmpty = false;
      run.writer = bulk?.writer ?? null;
      let chunk: ImportRecord[] = [];
      let yielded = performance.now();
      try {
        for await (const record of records) {
          chunk.push(record);
          if (chunk.length >= CHUNK) {
            await run.processChunk(chunk);
            chunk = [];
            opts.onProgress?.(outcome.total);
            // SQLite answers synchronously: without this, a large import would hold the event loop (and so every
            // other request, progress polls included) until its last chunk
            if (performance.now() - yielded > YIELD_MS) {
              await new Promise((resolve) => setImmediate(resolve));
              yielded = performance.now();
            }
          }
        }
        if (chunk.length) await run.processChunk(chunk);
        await run.settled();
      } catch (e) {
        // the rollback waits for the writer's rows still being sent (their own failure, if any, is not the cause)
        await run.settled().catch(() => {});
        throw e;
      }
      Object.assign(outcome, run.themeReport());
      await run.checkSecondLanguage();
      if (outcome.invalid === 0) Object.assign(outcome, await run.findMatches());
      opts.onProgress?.(outcome.total);
      if (outcome.invalid > 0) throw new ImportRejected(outcome);
      if (outcome.total === 0) {
        throw new AppError(422, 'empty_import', 'The file holds no recommendations. Nothing was changed.');
      }
      await recordAudit(trx, {
        actorId: opts.actorId ?? null,
        action: 'import.run',
        subjectType: 'import',
        after: { source: opts.source, ...outcome, issues: undefined },
      });
      if (opts.dryRun) throw new DryRunRollback(); // before rebuilding: the rollback restores what bulk loading set aside
      await bulk?.finish();
      if (opts.runId) {
        // ImportRuns.finish then writes the result again, with the preview and the parse report
        await trx
          .updateTable('import_runs')
          .set({ status: 'succeeded', result: JSON.stringify({ ...outcome, preview: [] }), error: null, processed: outcome.total, updated_at: nowIso() })
          .where('id', '=', opts.runId)
          .execute();
      }
    });
  } catch (err) {
    if (err instanceof DryRunRollback) return outcome;
    if (err instanceof ImportRejected && opts.dryRun) return outcome;
    throw err;
  }
  return outcome;
}

/** Adds a term id to a record's list unless it is there already (a record names a few terms: a list is enough). */
function pushNew(ids: string[], id: string | null): void {
  if (id && !ids.includes(id)) ids.push(id);
}

class ImportRun {
  private readonly documents = new Map<string, string>();
  private readonly bodies = new Map<string, string>();
  private readonly mechanisms = new Map<string, string>();
  private readonly terms = new Map<string, string>();
  /**
   * `${source}|${label key}` → its mapping, read with the first record that needs it: the theme linked (`termId`), else
   * the default theme it designates (`code`, with its two names: found in the register or created on first need),
   * else nothing (deliberately not linked)
   */
  private readonly themeMappings = new Map<string, { termId: string | null; code: string | null; ar: string | null; en: string | null; version: number }>();
  /** mappings whose default theme this import resolved: their term_id is written once the theme's row is */
  private pendingMappings: { source: string; label: string; termId: string; version: number }[] = [];
  private themeMappingsRead = false;
  /** a register theme by its English or Arabic label or code (label keys) */
  private readonly themesByLabel = new Map<string, string>();
  private readonly unmapped = new Map<string, UnmappedTheme>();
  /** per document id: the languages its records were imported in (original_lang) */
  private readonly heldLangs = new Map<string, Set<string>>();
  /** second-language records: per document id, its symbol and the keys the file matched */
  private readonly secondLanguage = new Map<string, { symbol: string; lang: string; matched: Set<string> }>();
  /** the records this import adds: id → where it is in the file */
  private readonly added = new Map<string, { row: number; paragraph: string | null; key: string }>();
  /** second-language records whose paragraph the register does not hold */
  private readonly notHeld: ImportIssue[] = [];
  private readonly mappedLabels = new Set<string>();
  /** per kind, a label as the file writes it → its term's id (null: no code); a file repeats a few hundred labels */
  private readonly labelIds: Record<LabelKind, Map<string, string | null>> = { theme: new Map(), affected_person: new Map(), tag: new Map() };
  private readonly seenKeys = new Set<string>();
  private readonly now = nowIso();
  private pendingDocs: Insertable<DocumentsTable>[] = [];
  private pendingTerms: Insertable<TermsTable>[] = [];
  /**
   * No recommendation existed when the transaction began: then none of this file's keys can match a
   * row (a key seen twice in the file is rejected before), so the look-up of existing rows is skipped,
   * and the engine's bulk path (ImportOptions.bulkLoad) may be taken.
   */
  registerWasEmpty = false;
  /** the engine's own way to write a first import's rows (BulkSession.writer), else INSERT */
  writer: BulkWriter | null = null;

  /** Waits for the rows the writer may still be sending: every statement of this import on the transaction comes after. */
  async settled(): Promise<void> {
    await this.writer?.settle?.();
  }

  constructor(
    private readonly trx: Transaction<DB>,
    private readonly outcome: ImportOutcome,
  ) {}

  async prepare() {
    for (const m of await this.trx.selectFrom('mechanisms').select(['id', 'code']).execute()) this.mechanisms.set(m.code, m.id);
    for (const b of await this.trx.selectFrom('bodies').select(['id', 'code']).execute()) this.bodies.set(b.code, b.id);
    for (const d of await this.trx.selectFrom('documents').select(['id', 'symbol']).execute()) this.documents.set(d.symbol, d.id);
    for (const t of await this.trx.selectFrom('terms').select(['id', 'kind', 'code', 'label_en', 'label_ar']).execute()) {
      this.terms.set(`${t.kind}:${t.code}`, t.id);
      if (t.kind !== 'theme') continue;
      for (const l of [t.label_en, t.label_ar, t.code]) if (l && !this.themesByLabel.has(themeLabelKey(l))) this.themesByLabel.set(themeLabelKey(l), t.id);
    }

    this.registerWasEmpty = (await this.trx.selectFrom('recommendations').select('id').limit(1).executeTakeFirst()) === undefined;
  }

  private async languagesOf(documentId: string): Promise<Set<string>> {
    let langs = this.heldLangs.get(documentId);
    if (!langs) {
      await this.settled();
      const rows = await this.trx.selectFrom('recommendations').select('original_lang').distinct().where('document_id', '=', documentId).execute();
      langs = new Set(rows.map((r) => r.original_lang ?? '?'));
      this.heldLangs.set(documentId, langs);
    }
    return langs;
  }

  /**
   * A second-language file (the Arabic or French text of a report held in another language) must match the
   * held report paragraph for paragraph: a paragraph of the file the register does not hold, or a held paragraph
   * the file lacks, is a mismatch. Never guessed: any mismatch rejects the file (nothing written) and lists them.
   */
  async checkSecondLanguage() {
    if (this.secondLanguage.size === 0) return;
    const missing: ImportIssue[] = [];
    for (const [documentId, s] of this.secondLanguage) {
      const held = await this.trx.selectFrom('recommendations').select(['external_id', 'paragraph']).where('document_id', '=', documentId).where('external_source', '=', 'symbol-paragraph').execute();
      for (const h of held) {
        if (!s.matched.has(h.external_id)) {
          missing.push({ field: 'paragraph', code: 'paragraph_not_in_file', message: `Paragraph ${h.paragraph ?? h.external_id} of ${s.symbol} is held but missing from this ${s.lang} file.` });
        }
      }
    }
    if (this.notHeld.length === 0 && missing.length === 0) return;
    const issues = [...this.notHeld, ...missing];
    throw new AppError(
      422,
      'second_language_mismatch',
      `The paragraphs of this file do not match the report held: ${this.notHeld.length} paragraph(s) of the file are not held, ${missing.length} held paragraph(s) are missing from the file. Nothing was changed.`,
      { issues: issues.slice(0, MAX_ISSUES), notHeld: this.notHeld.length, missing: missing.length },
    );
  }

  /** The records this import adds that match an existing recommendation from another source. */
  async findMatches(): Promise<Pick<ImportOutcome, 'matches' | 'matchCount'>> {
    if (this.registerWasEmpty || this.added.size === 0) return {};
    const pairs = await matchesForNew(this.trx, [...this.added.keys()]);
    if (pairs.length === 0) return { matchCount: 0, matches: [] };
    const shown = pairs.slice(0, MAX_ISSUES);
    const olds = await this.trx
      .selectFrom('recommendations as r')
      .innerJoin('documents as d', 'd.id', 'r.document_id')
      .select(['r.id', 'r.external_id', 'r.paragraph', 'd.symbol', 'r.text_en', 'r.text_ar', 'r.text_fr'])
      .where('r.id', 'in', shown.map((p) => p.aId))
      .execute();
    const byId = new Map(olds.map((o) => [o.id, o]));
    return {
      matchCount: pairs.length,
      matches: shown.map((p) => {
        const o = byId.get(p.aId)!;
        const n = this.added.get(p.bId)!;
        return {
          ...n,
          similarity: p.similarity,
          existing: { id: o.id, externalId: o.external_id, paragraph: o.paragraph, symbol: o.symbol, text: o.text_en ?? o.text_ar ?? o.text_fr },
        };
      }),
    };
  }

  /** what the outcome says about source themes, once every record went through */
  themeReport(): Pick<ImportOutcome, 'unmappedThemes' | 'mappedThemes'> {
    if (this.unmapped.size === 0 && this.mappedLabels.size === 0) return {};
    return { unmappedThemes: [...this.unmapped.values()].sort((a, b) => b.records - a.records).slice(0, 200), mappedThemes: this.mappedLabels.size };
  }

  private issue(i: ImportIssue) {
    this.outcome.invalid += 1;
    // a message may quote a value of up to 1 MB: the outcome (and the run's stored result) keeps it short
    if (this.outcome.issues.length < MAX_ISSUES) this.outcome.issues.push(i.message.length > 300 ? { ...i, message: `${i.message.slice(0, 300)}…` } : i);
  }

  private async bodyId(code: string): Promise<string> {
    const existing = this.bodies.get(code);
    if (existing) return existing;
    const mech = code === 'UPR' ? 'UPR' : code === 'VP' ? 'VP' : TREATY_BODIES.has(code) ? 'TB' : 'SP';
    const id = newId();
    await this.settled();
    await this.trx
      .insertInto('bodies')
      .values({ id, code, mechanism_id: this.mechanisms.get(mech)!, name_ar: code, name_en: code, sort: 100 })
      .execute();
    this.bodies.set(code, id);
    return id;
  }

  /** A new document's id (its row is written by flushPending). */
  private async newDocumentId(r: ImportRecord, symbol: string): Promise<string> {
    const d = r.document;
    const id = newId();
    this.pendingDocs.push({
      id,
      symbol,
      body_id: await this.bodyId(normaliseBody(d.body)),
      type: d.type ?? (r.kind === 'pledge' ? 'pledge' : 'other'),
      title_ar: null,
      title_en: null,
      country: d.country ?? null,
      date: d.date ?? null,
      upr_cycle: d.uprCycle ?? null,
      upr_session: d.uprSession ?? null,
      url: d.url ?? null,
      created_at: this.now,
      updated_at: this.now,
    });
    this.documents.set(symbol, id);
    this.outcome.documentsCreated += 1;
    return id;
  }

  /** New documents and terms are written in batches, before the rows that point at them. */
  private async flushPending() {
    // a first import's writer sends them ahead of the chunk's rows, without waiting for the rows before
    if (this.writer?.documents && this.pendingDocs.length) {
      await this.writer.documents(this.pendingDocs);
      this.pendingDocs = [];
    }
    if (this.pendingDocs.length || this.pendingTerms.length || this.pendingMappings.length) await this.settled();
    for (let i = 0; i < this.pendingDocs.length; i += 200) {
      await this.trx.insertInto('documents').values(this.pendingDocs.slice(i, i + 200)).execute();
    }
    for (let i = 0; i < this.pendingTerms.length; i += 200) {
      await this.trx.insertInto('terms').values(this.pendingTerms.slice(i, i + 200)).execute();
    }
    this.pendingDocs = [];
    this.pendingTerms = [];
    for (const m of this.pendingMappings) {
      await this.trx
        .updateTable('theme_mappings')
        .set({ term_id: m.termId, updated_at: this.now })
        .where('source', '=', m.source)
        .where('label', '=', m.label)
        .where('term_id', 'is', null)
        .where('version', '=', m.version)
        .execute();
    }
    this.pendingMappings = [];
  }

  /** The theme mappings, read once, when a record first carries a source's own classification. */
  private async readThemeMappings(chunk: ImportRecord[]) {
    if (this.themeMappingsRead || !chunk.some((r) => r.themeSource)) return;
    this.themeMappingsRead = true;
    await this.settled();
    for (const m of await this.trx.selectFrom('theme_mappings').select(['source', 'label', 'term_id', 'theme_code', 'theme_ar', 'theme_en', 'version']).execute()) {
      this.themeMappings.set(`${m.source}|${m.label}`, { termId: m.term_id, code: m.theme_code, ar: m.theme_ar, en: m.theme_en, version: m.version });
    }
  }

  /**
   * The theme a mapping designates by default (migration 026): the register's theme of that code, else of that
   * English or Arabic name, else a new theme with both names. The mapping then records it.
   */
  private defaultTheme(source: string, label: string, m: { code: string; ar: string | null; en: string | null; version: number }): string {
    let id = this.terms.get(`theme:${m.code}`) ?? (m.en ? this.themesByLabel.get(themeLabelKey(m.en)) : undefined) ?? (m.ar ? this.themesByLabel.get(themeLabelKey(m.ar)) : undefined);
    if (!id) {
      id = newId();
      this.pendingTerms.push({ id, kind: 'theme', code: m.code, label_ar: m.ar, label_en: m.en, parent_id: null, sort: 0, created_at: this.now });
      this.terms.set(`theme:${m.code}`, id);
      for (const l of [m.en, m.ar, m.code]) if (l && !this.themesByLabel.has(themeLabelKey(l))) this.themesByLabel.set(themeLabelKey(l), id);
      this.outcome.termsCreated += 1;
    }
    this.pendingMappings.push({ source, label, termId: id, version: m.version });
    return id;
  }

  /** The terms a record names, each once, in its order: themes, affected persons, tags, SDGs (looked up as they come). */
  private termIds(r: ImportRecord): string[] {
    const ids: string[] = [];
    for (const t of r.themes ?? []) {
      if (r.themeSource) {
        // a source's own classification: its mapping, else a register theme of that name, else not linked (reported):
        // a theme made from the bare label would have no Arabic name
        const key = themeLabelKey(t);
        if (!key) continue;
        const m = this.themeMappings.get(`${r.themeSource}|${key}`);
        if (m !== undefined || this.themesByLabel.has(key)) {
          this.mappedLabels.add(`${r.themeSource}|${key}`);
          let id = m === undefined ? this.themesByLabel.get(key)! : m.termId;
          if (m && !id && m.code) {
            id = this.defaultTheme(r.themeSource, key, { code: m.code, ar: m.ar, en: m.en, version: m.version });
            m.termId = id;
          }
          pushNew(ids, id);
          continue;
        }
        const u = this.unmapped.get(`${r.themeSource}|${key}`) ?? { source: r.themeSource, label: t.trim(), records: 0 };
        u.records += 1;
        this.unmapped.set(`${r.themeSource}|${key}`, u);
        continue;
      }
      pushNew(ids, this.labelId('theme', t));
    }
    for (const t of r.affectedPersons ?? []) pushNew(ids, this.labelId('affected_person', t));
    for (const t of r.tags ?? []) pushNew(ids, this.labelId('tag', t));
    for (const s of r.sdgs ?? []) {
      const code = s.code.trim();
      if (!code) continue;
      pushNew(ids, this.termId(code.includes('.') ? 'sdg_target' : 'sdg_goal', code, s.label?.trim()));
    }
    return ids;
  }

  /** The term of a taxonomy label as the file writes it (null: a label with no code), looked up once per label. */
  private labelId(kind: LabelKind, label: string): string | null {
    const known = this.labelIds[kind];
    let id = known.get(label);
    if (id === undefined) {
      const code = termCode(label);
      id = code ? this.termId(kind, code, label.trim()) : null;
      known.set(label, id);
    }
    return id;
  }

  /** The term of this kind and code: the register's, or a new one (written by flushPending) labelled `label`. */
  private termId(kind: TermKind, code: string, label: string | undefined): string {
    const key = `${kind}:${code}`;
    let id = this.terms.get(key);
    if (!id) {
      id = newId();
      const l = label || null;
      this.pendingTerms.push({
        id,
        kind,
        code,
        label_ar: l && hasArabic(l) ? l : null,
        label_en: l && !hasArabic(l) ? l : null,
        parent_id: null,
        sort: 0,
        created_at: this.now,
      });
      this.terms.set(key, id);
      this.outcome.termsCreated += 1;
    }
    return id;
  }

  async processChunk(chunk: ImportRecord[]) {
    await this.readThemeMappings(chunk);
    const keyed: { r: ImportRecord; key: string }[] = [];
    for (const r of chunk) {
      this.outcome.total += 1;
      const key = recommendationKey(r);
      const problem = validate(r, key);
      if (problem) {
        this.issue(problem);
        continue;
      }
      if (this.seenKeys.has(key!)) {
        this.issue({ row: r.sourceRow, field: r.externalId ? 'externalId' : 'paragraph', code: 'duplicate_key', message: `The key "${key}" appears twice in this file.` });
        continue;
      }
      this.seenKeys.add(key!);
      keyed.push({ r, key: key! });
    }
    if (this.outcome.invalid > 0 || keyed.length === 0) return; // the file will be rejected; keep counting only

    const existingRows = this.registerWasEmpty
      ? []
      : await this.trx
          .selectFrom('recommendations')
          .select(['id', 'external_id', 'document_id', 'paragraph', 'kind', 'position', 'position_source', 'recommending_states', 'original_lang', 'text_ar', 'text_en', 'text_fr', 'version'])
          .where('external_id', 'in', keyed.map((k) => k.key))
          .execute();
    const existing = new Map(existingRows.map((e) => [e.external_id, e]));
    const existingLinks = new Set<string>();
    if (existingRows.length) {
      const links = await this.trx
        .selectFrom('recommendation_terms')
        .select(['recommendation_id', 'term_id'])
        .where('recommendation_id', 'in', existingRows.map((e) => e.id))
        .execute();
      for (const l of links) existingLinks.add(`${l.recommendation_id}|${l.term_id}`);
    }
    // keys of records merged into another: the one record they now belong to, and what their source last said
    const unfound = keyed.map((k) => k.key).filter((k) => !existing.has(k));
    const aliases =
      this.registerWasEmpty || unfound.length === 0
        ? new Map<string, { recommendation_id: string; fields: string }>()
        : new Map(
            (await this.trx.selectFrom('recommendation_aliases').select(['external_id', 'recommendation_id', 'fields']).where('external_id', 'in', unfound).execute()).map((a) => [
              a.external_id,
              a,
            ]),
          );
    if (aliases.size) {
      const links = await this.trx
        .selectFrom('recommendation_terms')
        .select(['recommendation_id', 'term_id'])
        .where('recommendation_id', 'in', [...new Set([...aliases.values()].map((a) => a.recommendation_id))])
        .execute();
      for (const l of links) existingLinks.add(`${l.recommendation_id}|${l.term_id}`);
    }
    const aliasUpdates: { key: string; fields: string }[] = [];

    const inserts: Insertable<RecommendationsTable>[] = [];
    const newSources: (SearchSource & { analysed?: SearchColumns | undefined })[] = [];
    const reindex: string[] = [];
    const updates: { id: string; set: Record<string, unknown> }[] = [];
    const newLinks: { recommendation_id: string; term_id: string }[] = [];
    for (const { r, key } of keyed) {
      const symbol = r.document.symbol.trim();
      const documentId = this.documents.get(symbol) ?? (await this.newDocumentId(r, symbol));
      const termIds = this.termIds(r);
      const texts = rowTexts(r);
      const states = JSON.stringify(r.recommendingStates ?? []);
      const fields: Partial<Comparable> = {
        paragraph: texts.paragraph,
        kind: r.kind,
        position: r.position ?? null,
        position_source: r.positionSource ?? null,
        recommending_states: states,
      };
      if (texts.text_ar) fields.text_ar = texts.text_ar;
      if (texts.text_en) fields.text_en = texts.text_en;
      if (texts.text_fr) fields.text_fr = texts.text_fr;
      const prior = existing.get(key);
      const alias = prior ? undefined : aliases.get(key);
      if (alias) {
        // merged into another record: this source's fields are kept on the alias; the one record is not duplicated
        if (r.position === undefined) delete fields.position;
        if (r.positionSource === undefined) delete fields.position_source;
        if (!r.recommendingStates) delete fields.recommending_states;
        const stored = JSON.parse(alias.fields) as ImportedFields;
        const next: ImportedFields = { ...stored, ...(fields as ImportedFields), document_id: documentId };
        const missingLinks = termIds.filter((t) => !existingLinks.has(`${alias.recommendation_id}|${t}`));
        for (const termId of missingLinks) {
          newLinks.push({ recommendation_id: alias.recommendation_id, term_id: termId });
          existingLinks.add(`${alias.recommendation_id}|${termId}`);
        }
        if (JSON.stringify(next) !== JSON.stringify(stored)) {
          aliasUpdates.push({ key, fields: JSON.stringify(next) });
          this.outcome.updated += 1;
        } else if (missingLinks.length) this.outcome.updated += 1;
        else this.outcome.unchanged += 1;
        continue;
      }
      // the text of a report held in another language: attached by symbol + paragraph, nothing else changed
      const recLang = r.originalLang ?? (Object.keys(r.texts)[0] as string | undefined);
      if (!r.externalId && documentId && recLang && !this.pendingDocs.some((d) => d.id === documentId)) {
        const langs = await this.languagesOf(documentId);
        if (langs.size > 0 && !langs.has(recLang)) {
          const s = this.secondLanguage.get(documentId) ?? { symbol, lang: recLang, matched: new Set<string>() };
          this.secondLanguage.set(documentId, s);
          if (!prior) {
            this.notHeld.push({ row: r.sourceRow, field: 'paragraph', code: 'paragraph_not_held', message: `Paragraph ${r.paragraph} of ${symbol} is not held in the register: it matches no recommendation.` });
            continue;
          }
          s.matched.add(key);
          const text = texts[`text_${recLang}` as 'text_ar' | 'text_en' | 'text_fr'];
          if (!text || prior[`text_${recLang}` as 'text_ar' | 'text_en' | 'text_fr'] === text) {
            this.outcome.unchanged += 1;
            continue;
          }
          updates.push({ id: prior.id, set: { [`text_${recLang}`]: text, updated_at: this.now, version: prior.version + 1 } });
          reindex.push(prior.id);
          this.outcome.updated += 1;
          continue;
        }
      }
      if (!prior) {
        const id = orderedId();
        // every column written out (no spread of `fields`: one object per new row, built at once)
        inserts.push({
          id,
          document_id: documentId,
          external_id: key,
          external_source: r.externalId ? 'external' : 'symbol-paragraph',
          original_lang: r.originalLang ?? (Object.keys(r.texts)[0] as string | undefined) ?? null,
          text_ar: texts.text_ar,
          text_en: texts.text_en,
          text_fr: texts.text_fr,
          paragraph: texts.paragraph,
          kind: r.kind,
          position: r.position ?? null,
          position_source: r.positionSource ?? null,
          recommending_states: states,
          status: r.status ?? (r.position === 'noted' ? 'no_action' : 'not_started'),
          priority: null,
          is_public: 0,
          follow_up: 0,
          due_date: null,
          notes: null,
          cluster_id: null,
          created_at: this.now,
          updated_at: this.now,
        });
        newSources.push({ id, paragraph: texts.paragraph, document_symbol: texts.document_symbol, text_ar: texts.text_ar, text_en: texts.text_en, text_fr: texts.text_fr, analysed: r.analysed });
        if (!this.registerWasEmpty) this.added.set(id, { row: r.sourceRow, paragraph: r.paragraph ?? null, key });
        for (const termId of termIds) newLinks.push({ recommendation_id: id, term_id: termId });
        this.outcome.new += 1;
        continue;
      }
      // A second-language file only adds its own text; an absent position/source keeps the one held.
      if (r.position === undefined) delete fields.position;
      if (r.positionSource === undefined) delete fields.position_source;
      if (!r.recommendingStates) delete fields.recommending_states;
      const changed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields)) {
        if (prior[k as keyof typeof prior] !== v) changed[k] = v;
      }
      if (prior.document_id !== documentId) changed.document_id = documentId;
      const missingLinks = termIds.filter((t) => !existingLinks.has(`${prior.id}|${t}`));
      for (const termId of missingLinks) newLinks.push({ recommendation_id: prior.id, term_id: termId });
      if (Object.keys(changed).length === 0) {
        if (missingLinks.length) this.outcome.updated += 1;
        else this.outcome.unchanged += 1;
        continue;
      }
      updates.push({ id: prior.id, set: { ...changed, updated_at: this.now, version: prior.version + 1 } });
      reindex.push(prior.id);
      this.outcome.updated += 1;
    }
    await this.flushPending();
    if (updates.length || aliasUpdates.length) await this.settled();
    await updateRows(this.trx, updates);
    for (const a of aliasUpdates) await this.trx.updateTable('recommendation_aliases').set({ fields: a.fields }).where('external_id', '=', a.key).execute();
    if (this.writer) {
      // a first import into an empty register: nothing to update, every row new
      await this.writer.recommendations(inserts);
      await this.writer.searchRows(
        newSources.map((s) => {
          const a = s.analysed ?? analyseSource(s);
          return { recommendation_id: s.id, terms: a.terms, words: a.words, indexed_at: this.now };
        }),
      );
      await this.writer.links(newLinks);
      return;
    }
    await insertRecommendations.run(this.trx, inserts);
    // Full-text index, in the same transaction (rolled back with a dry run or a rejected file):
    // new rows from the values just written, updated rows read back (their texts merge with the held ones).
    await indexSources(this.trx, newSources);
    await indexRecommendations(this.trx, reindex);
    for (let i = 0; i < newLinks.length; i += 1000) await insertLinks.run(this.trx, newLinks.slice(i, i + 1000));
  }
}
