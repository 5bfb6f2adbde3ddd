import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB, Entity } from '../db/schema.ts';
import { AppError, badRequest, conflict, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';

export async function listEntities(db: Kysely<DB>, includeArchived = false) {
  let q = db.selectFrom('entities').selectAll();
  if (!includeArchived) q = q.where('archived_at', 'is', null);
  return q.orderBy('code').execute();
}

export interface EntityInput {
  code: string;
  name_ar: string;
  name_en: string;
  parent_id?: string | null;
}

export async function createEntity(db: Kysely<DB>, input: EntityInput, actorId: string | null = null): Promise<Entity> {
  const now = nowIso();
  const entity: Entity = {
    id: newId(),
    code: input.code.trim(),
    name_ar: input.name_ar.trim(),
    name_en: input.name_en.trim(),
    parent_id: input.parent_id ?? null,
    archived_at: null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await db.transaction().execute(async (trx) => {
    await checkEntityParent(trx, entity.id, entity.parent_id);
    await trx.insertInto('entities').values(entity).execute();
    await recordAudit(trx, { actorId, action: 'entity.create', subjectType: 'entity', subjectId: entity.id, after: entity });
  });
  return entity;
}

export interface EntityImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

/** CSV with a header `code,name_ar,name_en[,parent_code]`; all or nothing, row-precise errors. */
const MAX_ENTITY_COLUMNS = 50;
const MAX_ENTITY_ROW_CHARS = 64 * 1024;

export async function importEntitiesCsv(db: Kysely<DB>, bytes: Buffer, opts: { dryRun?: boolean; actorId?: string | null } = {}): Promise<EntityImportResult> {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\uFEFF/, '');
  if (!text.trim()) throw badRequest('empty_file', 'The entities file is empty.');
  let rows: string[][];
  try {
    rows = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      // caps checked while reading (issue 18): an entity has a handful of short columns
      max_record_size: MAX_ENTITY_ROW_CHARS,
      cast: (value: string, ctx: { index: number; records: number }) => {
        if (ctx.index >= MAX_ENTITY_COLUMNS) {
          throw new AppError(422, 'too_many_columns', `Row ${ctx.records + 1} has more than ${MAX_ENTITY_COLUMNS} columns; an entities file has code, name_ar, name_en and parent_code.`, { row: ctx.records + 1 });
        }
        return value;
      },
    }) as string[][];
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as { message?: string; code?: string; records?: number };
    if (e.code === 'CSV_MAX_RECORD_SIZE') throw new AppError(422, 'row_too_large', `Row ${(e.records ?? 0) + 1} of the entities file is longer than ${MAX_ENTITY_ROW_CHARS / 1024} KB.`, { row: (e.records ?? 0) + 1 });
    throw badRequest('invalid_csv', `The entities file is not valid CSV: ${(e.message ?? String(err)).split('\n')[0]!.slice(0, 200)}`);
  }
  const header = rows[0]!.map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  for (const required of ['code', 'name_ar', 'name_en']) {
    if (col(required) < 0) throw badRequest('missing_column', `Row 1: the column "${required}" is missing (found: ${header.slice(0, 10).join(', ')}${header.length > 10 ? ` … and ${header.length - 10} more` : ''}).`, { row: 1, field: required });
  }
  const result: EntityImportResult = { created: 0, updated: 0, unchanged: 0 };
  const rollback = new Error('dry run');
  try {
    await db.transaction().execute(async (trx) => {
      const byCode = new Map((await trx.selectFrom('entities').selectAll().execute()).map((e) => [e.code, e]));
      const parents: { code: string; parent: string; row: number }[] = [];
      for (const [i, row] of rows.slice(1).entries()) {
        const rowNo = i + 2;
        const code = row[col('code')]?.trim() ?? '';
        const name_ar = row[col('name_ar')]?.trim() ?? '';
        const name_en = row[col('name_en')]?.trim() ?? '';
        for (const [field, v] of [['code', code], ['name_ar', name_ar], ['name_en', name_en]] as const) {
          if (!v) throw badRequest('missing_field', `Row ${rowNo}: "${field}" is empty.`, { row: rowNo, field });
        }
        const parent = col('parent_code') >= 0 ? (row[col('parent_code')]?.trim() ?? '') : '';
        if (parent) parents.push({ code, parent, row: rowNo });
        const prior = byCode.get(code);
        const now = nowIso();
        if (!prior) {
          const e: Entity = { id: newId(), code, name_ar, name_en, parent_id: null, archived_at: null, created_at: now, updated_at: now, version: 1 };
          await trx.insertInto('entities').values(e).execute();
          await recordAudit(trx, { actorId: opts.actorId ?? null, action: 'entity.create', subjectType: 'entity', subjectId: e.id, after: e });
          byCode.set(code, e);
          result.created += 1;
        } else if (prior.name_ar !== name_ar || prior.name_en !== name_en) {
          await trx.updateTable('entities').set({ name_ar, name_en, updated_at: now, version: prior.version + 1 }).where('id', '=', prior.id).execute();
          await recordAudit(trx, { actorId: opts.actorId ?? null, action: 'entity.update', subjectType: 'entity', subjectId: prior.id, before: { name_ar: prior.name_ar, name_en: prior.name_en }, after: { name_ar, name_en } });
          result.updated += 1;
        } else {
          result.unchanged += 1;
        }
      }
      for (const p of parents) {
        const parent = byCode.get(p.parent);
        if (!parent) throw badRequest('unknown_parent', `Row ${p.row}: no entity with code "${p.parent}".`, { row: p.row, field: 'parent_code' });
        await trx.updateTable('entities').set({ parent_id: parent.id }).where('code', '=', p.code).execute();
      }
      if (opts.dryRun) throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw err;
  }
  return result;
}

/** The parent is an existing entity, and not the entity itself nor one below it. */
async function checkEntityParent(trx: Kysely<DB>, id: string, parentId: string | null): Promise<void> {
  const seen = new Set<string>([id]);
  // an empty id is looked up like any other (and refused), not taken for "no parent"
  for (let at = parentId; at !== null; ) {
    if (seen.has(at)) throw badRequest('invalid_parent', 'An entity cannot be placed under itself or under one of its own units.', { field: 'parent_id' });
    seen.add(at);
    const row: { parent_id: string | null } | undefined = await trx.selectFrom('entities').select('parent_id').where('id', '=', at).executeTakeFirst();
    if (!row) throw badRequest('unknown_parent', 'The parent entity does not exist.', { field: 'parent_id' });
    at = row.parent_id;
  }
}

/** Edits names/parent, or archives/restores; stale versions get 409. */
export async function updateEntity(
  db: Kysely<DB>,
  id: string,
  input: { version: number; name_ar?: string; name_en?: string; parent_id?: string | null; archived?: boolean },
  actorId: string,
): Promise<Entity> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('entities').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('Entity');
    if (before.version !== input.version) throw conflict('version_conflict', 'Someone else changed this entity meanwhile. Reload it and try again.', { currentVersion: before.version });
    if (input.parent_id === id) throw badRequest('invalid_parent', 'An entity cannot be its own parent.');
    if (input.parent_id != null) await checkEntityParent(trx, id, input.parent_id);
    const now = nowIso();
    const patch: Partial<Entity> = {};
    if (input.name_ar !== undefined) patch.name_ar = input.name_ar.trim();
    if (input.name_en !== undefined) patch.name_en = input.name_en.trim();
    if (input.parent_id !== undefined) patch.parent_id = input.parent_id;
    if (input.archived !== undefined) patch.archived_at = input.archived ? (before.archived_at ?? now) : null;
    await trx.updateTable('entities').set({ ...patch, updated_at: now, version: before.version + 1 }).where('id', '=', id).execute();
    const action = input.archived === true ? 'entity.archive' : input.archived === false && before.archived_at ? 'entity.restore' : 'entity.update';
    await recordAudit(trx, { actorId, action, subjectType: 'entity', subjectId: id, before, after: patch });
    return { ...before, ...patch, updated_at: now, version: before.version + 1 };
  });
}
