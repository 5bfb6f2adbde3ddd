/** Real data loaders for the search/cluster tests: the Morocco DIDH file and a UPR Info subset. */
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { importRecords, parseFile, resolvePresetMapping, type ImportRecord } from '../../src/imports/index.ts';
import { sharedDataPath } from './shared-data.ts';

export async function importMorocco(db: Kysely<DB>) {
  const records = await parseFile('csv', sharedDataPath('morocco-didh', 'recommendations-fr-ar.csv'), {
    mapping: resolvePresetMapping('morocco-didh')!,
  });
  return importRecords(db, records, { source: 'test morocco-didh' });
}

/** UPR Info recommendations to the given states under review only. */
export async function importUprInfo(db: Kysely<DB>, states: readonly string[]) {
  const all = await parseFile('upr-info-csv', sharedDataPath('upr-info', 'upr-info-sessions-1-20.csv'));
  const wanted = new Set(states.map((s) => s.toLowerCase()));
  async function* subset(): AsyncGenerator<ImportRecord> {
    for await (const r of all) if (wanted.has((r.document.country ?? '').toLowerCase())) yield r;
  }
  return importRecords(db, subset(), { source: `test upr-info ${states.join(',')}` });
}
