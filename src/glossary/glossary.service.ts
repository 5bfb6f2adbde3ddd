/**
 * The bilingual human-rights glossary (issue 13): Arabic/English pairs that expand search queries across the two
 * languages (glossary.expand.ts). Shipped seeded (migration 017), edited by coordinators here and by
 * `rasd glossary import|export`. Every change is audited; an edit carries the version it read.
 */
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB } from '../db/schema.ts';
import { AppError, badRequest, conflict, isUniqueViolation, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import type { GlossaryEntryInput, GlossaryListQuery, GlossaryPatch } from './glossary.schema.ts';

/** Whitespace folded, so that "domestic  workers" and "domestic workers" are one key. */
const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
/** The key a pair is unique by: both sides, cleaned, English case-folded. */
const pairKey = (ar: string, en: string) => `${clean(ar)}\u0000${clean(en).toLowerCase()}`;

export async function listGlossary(db: Kysely<DB>, query: GlossaryListQuery) {
  let q = db.selectFrom('glossary_entries');
  const text = query.q?.trim();
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('term_ar', 'like', like), eb('term_en', 'like', like)]));
  }
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const items = await q
    .selectAll()
    .orderBy('term_ar')
    .orderBy('term_en')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items, total, page: query.page, pageSize: query.pageSize };
}

async function assertNoTwin(db: Kysely<DB>, ar: string, en: string, exceptId?: string) {
  const twins = await db.selectFrom('glossary_entries').select(['id', 'term_en']).where('term_ar', '=', ar).execute();
  if (twins.some((t) => t.id !== exceptId && t.term_en.toLowerCase() === en.toLowerCase())) {
    throw conflict('glossary_duplicate', `The glossary already pairs "${ar}" with "${en}".`);
  }
}

export async function createGlossaryEntry(db: Kysely<DB>, input: GlossaryEntryInput, actorId: string) {
  const term_ar = clean(input.term_ar);
  const term_en = clean(input.term_en);
  return db.transaction().execute(async (trx) => {
    await assertNoTwin(trx, term_ar, term_en);
    const now = nowIso();
    const row = { id: newId(), term_ar, term_en, note: input.note?.trim() || null, version: 1, created_at: now, updated_at: now };
    try {
      await trx.insertInto('glossary_entries').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('glossary_duplicate', `The glossary already pairs "${term_ar}" with "${term_en}".`);
      throw err;
    }
    await recordAudit(trx, { actorId, action: 'glossary.create', subjectType: 'glossary_entry', subjectId: row.id, after: row });
    return row;
  });
}

export async function updateGlossaryEntry(db: Kysely<DB>, id: string, patch: GlossaryPatch, actorId: string) {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('glossary_entries').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw notFound('Glossary entry');
    if (current.version !== patch.version) {
      throw conflict('version_conflict', 'Someone else changed this glossary entry meanwhile. Reload it and try again.', { currentVersion: current.version });
    }
    const next = {
      term_ar: patch.term_ar !== undefined ? clean(patch.term_ar) : current.term_ar,
      term_en: patch.term_en !== undefined ? clean(patch.term_en) : current.term_en,
      note: patch.note !== undefined ? patch.note?.trim() || null : current.note,
    };
    if (next.term_ar === current.term_ar && next.term_en === current.term_en && next.note === current.note) return current;
    await assertNoTwin(trx, next.term_ar, next.term_en, id);
    const res = await trx
      .updateTable('glossary_entries')
      .set({ ...next, version: current.version + 1, updated_at: nowIso() })
      .where('id', '=', id)
      .where('version', '=', patch.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw conflict('version_conflict', 'Someone else changed this glossary entry meanwhile. Reload it and try again.');
    await recordAudit(trx, {
      actorId,
      action: 'glossary.edit',
      subjectType: 'glossary_entry',
      subjectId: id,
      before: { term_ar: current.term_ar, term_en: current.term_en, note: current.note, version: current.version },
      after: { ...next, version: current.version + 1 },
    });
    return { ...current, ...next, version: current.version + 1 };
  });
}

export async function deleteGlossaryEntry(db: Kysely<DB>, id: string, version: number, actorId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('glossary_entries').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw notFound('Glossary entry');
    if (current.version !== version) throw conflict('version_conflict', 'Someone else changed this glossary entry meanwhile. Reload it and try again.', { currentVersion: current.version });
    await trx.deleteFrom('glossary_entries').where('id', '=', id).where('version', '=', version).execute();
    await recordAudit(trx, { actorId, action: 'glossary.delete', subjectType: 'glossary_entry', subjectId: id, before: current });
  });
}

const CSV_HEADER = ['term_ar', 'term_en', 'note'] as const;
const csvCell = (s: string | null) => (s === null ? '' : /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** The whole glossary as UTF-8 CSV (with a BOM, so spreadsheet programs read the Arabic): term_ar,term_en,note. */
export async function exportGlossaryCsv(db: Kysely<DB>): Promise<string> {
  const rows = await db.selectFrom('glossary_entries').select(['term_ar', 'term_en', 'note']).orderBy('term_ar').orderBy('term_en').execute();
  return `\uFEFF${[CSV_HEADER.join(','), ...rows.map((r) => [csvCell(r.term_ar), csvCell(r.term_en), csvCell(r.note)].join(','))].join('\r\n')}\r\n`;
}

export interface GlossaryImportResult {
  dryRun: boolean;
  mode: 'merge' | 'replace';
  rows: number;
  added: number;
  unchanged: number;
  removed: number;
}

const MAX_GLOSSARY_ROWS = 50_000;

/**
 * Reads a glossary CSV (term_ar,term_en[,note]; a header row; UTF-8 with or without BOM). A row with an empty side or
 * a pair given twice is refused with its row numbers and nothing is written. `merge` adds the new pairs (and notes of
 * pairs held without one); `replace` also removes the pairs the file does not hold.
 */
export async function importGlossaryCsv(
  db: Kysely<DB>,
  bytes: Buffer,
  opts: { mode: 'merge' | 'replace'; dryRun: boolean; actorId: string | null },
): Promise<GlossaryImportResult> {
  let rows: string[][];
  try {
    rows = parse(bytes.toString('utf8').replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, max_record_size: 16 * 1024 }) as string[][];
  } catch (err) {
    const e = err as { message?: string };
    throw badRequest('invalid_csv', `The glossary file is not valid CSV: ${(e.message ?? String(err)).split('\n')[0]!.slice(0, 200)}`);
  }
  if (rows.length === 0) throw badRequest('empty_file', 'The glossary file is empty.');
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  for (const required of ['term_ar', 'term_en']) {
    if (col(required) < 0) throw badRequest('missing_column', `Row 1: the column "${required}" is missing (the header is term_ar,term_en[,note]).`, { row: 1, field: required });
  }
  if (rows.length - 1 > MAX_GLOSSARY_ROWS) throw new AppError(422, 'row_too_large', `At most ${MAX_GLOSSARY_ROWS} glossary rows in one file.`);
  const empty: { row: number; field: string }[] = [];
  const firstRow = new Map<string, number>();
  const duplicates: { row: number; sameAs: number; term_ar: string; term_en: string }[] = [];
  const pairs: { term_ar: string; term_en: string; note: string | null }[] = [];
  rows.slice(1).forEach((r, i) => {
    const rowNo = i + 2;
    const term_ar = clean(r[col('term_ar')] ?? '');
    const term_en = clean(r[col('term_en')] ?? '');
    const note = col('note') >= 0 ? clean(r[col('note')] ?? '') || null : null;
    if (!term_ar) empty.push({ row: rowNo, field: 'term_ar' });
    if (!term_en) empty.push({ row: rowNo, field: 'term_en' });
    if (!term_ar || !term_en) return;
    const key = pairKey(term_ar, term_en);
    const seen = firstRow.get(key);
    if (seen !== undefined) duplicates.push({ row: rowNo, sameAs: seen, term_ar, term_en });
    else {
      firstRow.set(key, rowNo);
      pairs.push({ term_ar, term_en, note });
    }
  });
  if (empty.length) {
    const f = empty[0]!;
    throw badRequest('glossary_empty_side', `Row ${f.row}: "${f.field}" is empty; every row pairs an Arabic and an English term (${empty.length} empty cell(s)). Nothing was imported.`, { issues: empty.slice(0, 10), total: empty.length });
  }
  if (duplicates.length) {
    const d = duplicates[0]!;
    throw badRequest('glossary_duplicate_key', `Row ${d.row} repeats row ${d.sameAs} ("${d.term_ar}" / "${d.term_en}"); ${duplicates.length} repeated pair(s). Nothing was imported.`, { issues: duplicates.slice(0, 10), total: duplicates.length });
  }

  const result: GlossaryImportResult = { dryRun: opts.dryRun, mode: opts.mode, rows: pairs.length, added: 0, unchanged: 0, removed: 0 };
  const rollback = new Error('dry run');
  try {
    await db.transaction().execute(async (trx) => {
      const held = await trx.selectFrom('glossary_entries').select(['id', 'term_ar', 'term_en', 'note']).execute();
      const byKey = new Map(held.map((h) => [pairKey(h.term_ar, h.term_en), h]));
      const now = nowIso();
      const fresh: { id: string; term_ar: string; term_en: string; note: string | null; version: number; created_at: string; updated_at: string }[] = [];
      for (const p of pairs) {
        const h = byKey.get(pairKey(p.term_ar, p.term_en));
        if (!h) fresh.push({ id: newId(), ...p, version: 1, created_at: now, updated_at: now });
        else result.unchanged++;
      }
      for (let i = 0; i < fresh.length; i += 200) await trx.insertInto('glossary_entries').values(fresh.slice(i, i + 200)).execute();
      result.added = fresh.length;
      if (opts.mode === 'replace') {
        const keep = new Set(pairs.map((p) => pairKey(p.term_ar, p.term_en)));
        const gone = held.filter((h) => !keep.has(pairKey(h.term_ar, h.term_en))).map((h) => h.id);
        for (let i = 0; i < gone.length; i += 500) await trx.deleteFrom('glossary_entries').where('id', 'in', gone.slice(i, i + 500)).execute();
        result.removed = gone.length;
      }
      await recordAudit(trx, { actorId: opts.actorId, action: 'glossary.import', subjectType: 'glossary', after: result });
      if (opts.dryRun) throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw err;
  }
  return result;
}
