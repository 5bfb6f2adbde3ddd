import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB, Entity } from '../db/schema.ts';
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
    await trx.insertInto('entities').values(entity).execute();
    await recordAudit(trx, { actorId, action: 'entity.create', subjectType: 'entity', subjectId: entity.id, after: entity });
  });
  return entity;
}
