/**
 * Theme mappings: a source's own classification label (a UPR Info issue such as "Women's rights" or "Torture and
 * other CID treatment") → one of the register's themes, so that an import links the theme the committee already
 * has (with its Arabic name) instead of creating an English-only twin. Coordinators edit them (optimistic
 * concurrency on `version`); every change is audited. Used by the import service (import.service.ts).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { DB } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { nowIso } from '../shared/ids.ts';
import { themeLabelKey } from './import.service.ts';

export const THEME_SOURCES = ['upr-info'] as const;
export type ThemeSource = (typeof THEME_SOURCES)[number];

export const themeMappingParams = z.object({ source: z.enum(THEME_SOURCES), label: z.string().min(1).max(200) });
export const themeMappingBody = z.object({
  /** the register theme to link; null: never link this label to a theme */
  termId: z.string().max(100).nullable(),
  /** the version read; absent to create a new mapping */
  version: z.number().int().min(1).optional(),
});
export const themeMappingDeleteQuery = z.object({ version: z.coerce.number().int().min(1) });

export interface ThemeMappingView {
  source: ThemeSource;
  label: string;
  termId: string | null;
  theme: { id: string; code: string; labelAr: string | null; labelEn: string | null } | null;
  /** a seeded mapping not yet linked: the theme it designates (found or created with both names on the first import needing it) */
  defaultTheme: { code: string; labelAr: string | null; labelEn: string | null } | null;
  version: number;
  updatedAt: string;
}

export async function listThemeMappings(db: Kysely<DB>, source?: string): Promise<ThemeMappingView[]> {
  let q = db
    .selectFrom('theme_mappings as m')
    .leftJoin('terms as t', 't.id', 'm.term_id')
    .select(['m.source', 'm.label', 'm.term_id', 'm.theme_code', 'm.theme_ar', 'm.theme_en', 'm.version', 'm.updated_at', 't.code', 't.label_ar', 't.label_en'])
    .orderBy('m.source')
    .orderBy('m.label');
  if (source) q = q.where('m.source', '=', source);
  return (await q.execute()).map((r) => ({
    // written only through THEME_SOURCES (the routes, the seeding migration)
    source: r.source as ThemeSource,
    label: r.label,
    termId: r.term_id,
    theme: r.term_id ? { id: r.term_id, code: r.code ?? '', labelAr: r.label_ar, labelEn: r.label_en } : null,
    defaultTheme: !r.term_id && r.theme_code ? { code: r.theme_code, labelAr: r.theme_ar, labelEn: r.theme_en } : null,
    version: r.version,
    updatedAt: r.updated_at,
  }));
}

/** Creates (no version) or changes (the version read) the mapping of one source label. */
export async function saveThemeMapping(db: Kysely<DB>, source: string, rawLabel: string, body: z.infer<typeof themeMappingBody>, actorId: string) {
  const label = themeLabelKey(rawLabel);
  if (!label) throw badRequest('invalid_label', 'The label is empty.');
  return db.transaction().execute(async (trx) => {
    if (body.termId !== null) {
      // an empty or unknown id is a client's mistake (on PostgreSQL it would fail the foreign key: a 500)
      const term = await trx.selectFrom('terms').select(['id', 'kind']).where('id', '=', body.termId).executeTakeFirst();
      if (!term || term.kind !== 'theme') throw badRequest('unknown_theme', 'The theme chosen does not exist.');
    }
    const prior = await trx.selectFrom('theme_mappings').selectAll().where('source', '=', source).where('label', '=', label).executeTakeFirst();
    const now = nowIso();
    if (!prior) {
      if (body.version !== undefined) throw notFound('Theme mapping');
      await trx.insertInto('theme_mappings').values({ source, label, term_id: body.termId, updated_by: actorId, created_at: now, updated_at: now }).execute();
    } else {
      if (body.version !== prior.version) {
        throw conflict('version_conflict', 'Someone else changed this mapping meanwhile. Reload it and try again.', { currentVersion: prior.version });
      }
      await trx
        .updateTable('theme_mappings')
        // set by hand: the seeded default no longer applies (null then means: link no theme)
        .set({ term_id: body.termId, theme_code: null, theme_ar: null, theme_en: null, version: prior.version + 1, updated_by: actorId, updated_at: now })
        .where('source', '=', source)
        .where('label', '=', label)
        .execute();
    }
    await recordAudit(trx, {
      actorId,
      action: 'theme_mapping.save',
      subjectType: 'theme_mapping',
      subjectId: `${source}|${label}`,
      before: prior ? { termId: prior.term_id, ...(prior.theme_code ? { defaultTheme: prior.theme_code } : {}) } : null,
      after: { termId: body.termId },
    });
    return (await listThemeMappings(trx, source)).find((m) => m.label === label)!;
  });
}

export async function deleteThemeMapping(db: Kysely<DB>, source: string, rawLabel: string, version: number, actorId: string) {
  const label = themeLabelKey(rawLabel);
  await db.transaction().execute(async (trx) => {
    const prior = await trx.selectFrom('theme_mappings').selectAll().where('source', '=', source).where('label', '=', label).executeTakeFirst();
    if (!prior) throw notFound('Theme mapping');
    if (prior.version !== version) throw conflict('version_conflict', 'Someone else changed this mapping meanwhile. Reload it and try again.', { currentVersion: prior.version });
    await trx.deleteFrom('theme_mappings').where('source', '=', source).where('label', '=', label).execute();
    await recordAudit(trx, {
      actorId,
      action: 'theme_mapping.delete',
      subjectType: 'theme_mapping',
      subjectId: `${source}|${label}`,
      before: { termId: prior.term_id, ...(prior.theme_code ? { defaultTheme: prior.theme_code } : {}) },
    });
  });
}
