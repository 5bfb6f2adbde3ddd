import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB, Position, User } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { nowIso } from '../shared/ids.ts';
import { yielder } from '../shared/yielder.ts';

export type BulkAction =
  | { action: 'add_terms'; termIds: string[] }
  | { action: 'remove_terms'; termIds: string[] }
  | { action: 'set_position'; position: Position | null }
  | { action: 'set_priority'; priority: 'high' | 'medium' | 'low' | null }
  | { action: 'publish' }
  | { action: 'unpublish' };

async function assertTerms(trx: Transaction<DB>, termIds: string[]) {
  if (termIds.length === 0) return;
  const found = await trx.selectFrom('terms').select('id').where('id', 'in', termIds).execute();
  if (found.length !== new Set(termIds).size) throw badRequest('unknown_term', 'One or more terms do not exist.');
}

async function bump(trx: Transaction<DB>, id: string) {
  await trx
    .updateTable('recommendations')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: nowIso() }))
    .where('id', '=', id)
    .execute();
}

/** Replaces the taxonomy terms of one recommendation (optimistic: send the version you read). */
export async function setTerms(db: Kysely<DB>, id: string, version: number, termIds: string[], actor: User) {
  return db.transaction().execute(async (trx) => {
    const rec = await trx.selectFrom('recommendations').select(['id', 'version']).where('id', '=', id).executeTakeFirst();
    if (!rec) throw notFound('Recommendation');
    if (rec.version !== version) throw conflict('version_conflict', 'Someone else changed this recommendation meanwhile. Reload it and try again.', { currentVersion: rec.version });
    await assertTerms(trx, termIds);
    const before = (await trx.selectFrom('recommendation_terms').select('term_id').where('recommendation_id', '=', id).execute()).map((t) => t.term_id);
    await trx.deleteFrom('recommendation_terms').where('recommendation_id', '=', id).execute();
    const unique = [...new Set(termIds)];
    if (unique.length) await trx.insertInto('recommendation_terms').values(unique.map((term_id) => ({ recommendation_id: id, term_id }))).execute();
    await bump(trx, id);
    await recordAudit(trx, { actorId: actor.id, action: 'recommendation.terms', subjectType: 'recommendation', subjectId: id, before: { terms: before }, after: { terms: unique } });
    return { id, version: version + 1 };
  });
}

/** Applies one action to a selection, all or nothing; each recommendation's history records it. */
export async function bulkUpdate(db: Kysely<DB>, ids: string[], op: BulkAction, actor: User) {
  const unique = [...new Set(ids)];
  return db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('recommendations').select(['id', 'position', 'priority', 'is_public']).where('id', 'in', unique).execute();
    if (found.length !== unique.length) throw badRequest('unknown_recommendation', `${unique.length - found.length} of the selected recommendations do not exist.`);
    let changed = 0;
    if (op.action === 'add_terms' || op.action === 'remove_terms') await assertTerms(trx, op.termIds);
    // thousands of statements: SQLite runs each on the server's thread, so other requests are let in between them
    const pause = yielder(25);
    for (const rec of found) {
      await pause();
      let before: unknown;
      let after: unknown;
      switch (op.action) {
        case 'add_terms': {
          const have = new Set((await trx.selectFrom('recommendation_terms').select('term_id').where('recommendation_id', '=', rec.id).execute()).map((t) => t.term_id));
          const add = op.termIds.filter((t) => !have.has(t));
          if (!add.length) continue;
          await trx.insertInto('recommendation_terms').values(add.map((term_id) => ({ recommendation_id: rec.id, term_id }))).execute();
          after = { added_terms: add };
          break;
        }
        case 'remove_terms': {
          const res = await trx.deleteFrom('recommendation_terms').where('recommendation_id', '=', rec.id).where('term_id', 'in', op.termIds).executeTakeFirst();
          if (Number(res.numDeletedRows) === 0) continue;
          after = { removed_terms: op.termIds };
          break;
        }
        case 'set_position':
          if (rec.position === op.position) continue;
          await trx.updateTable('recommendations').set({ position: op.position }).where('id', '=', rec.id).execute();
          before = { position: rec.position };
          after = { position: op.position };
          break;
        case 'set_priority':
          if (rec.priority === op.priority) continue;
          await trx.updateTable('recommendations').set({ priority: op.priority }).where('id', '=', rec.id).execute();
          before = { priority: rec.priority };
          after = { priority: op.priority };
          break;
        case 'publish':
        case 'unpublish': {
          const v = op.action === 'publish' ? 1 : 0;
          if (rec.is_public === v) continue;
          await trx.updateTable('recommendations').set({ is_public: v }).where('id', '=', rec.id).execute();
          before = { is_public: rec.is_public === 1 };
          after = { is_public: v === 1 };
          break;
        }
      }
      await bump(trx, rec.id);
      await recordAudit(trx, { actorId: actor.id, action: `recommendation.bulk.${op.action}`, subjectType: 'recommendation', subjectId: rec.id, before, after });
      changed += 1;
    }
    return { selected: unique.length, changed };
  });
}
