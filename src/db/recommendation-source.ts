import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';

/**
 * The one join from a recommendation to its source: `recommendations as r` with its document (`d`), the document's
 * treaty body or mechanism body (`b`) and that body's mechanism (`m`). Every list, detail, index and dashboard that
 * names a recommendation's symbol, body or mechanism starts here.
 */
export function recommendationsWithSource(db: Kysely<DB> | Transaction<DB>) {
  return db
    .selectFrom('recommendations as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .innerJoin('bodies as b', 'b.id', 'd.body_id')
    .innerJoin('mechanisms as m', 'm.id', 'b.mechanism_id');
}
