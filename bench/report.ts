/**
 * Report export benchmark (issue 12): a UPR mid-term report covering N recommendations (default 300), each with one
 * approved progress update (text in both languages, a measure, an indicator), on SQLite in a temp folder.
 * Measures, beside the raw engine's read of the same rows (one query joining updates, measures and indicators):
 * compiling the report, its DOCX (Arabic and English) and its PDF through LibreOffice. Targets: DOCX ≤ 1 s, PDF ≤ 5 s.
 *   npm run bench -- report [--count 300] [--runs 5]
 * Prints JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { assign } from '../src/assignments/index.ts';
import type { Actor } from '../src/auth/permissions.ts';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createEntity } from '../src/entities/index.ts';
import { createObligation, createReport, docxToPdf, findSoffice, recompileReport, reportDocx } from '../src/reports/index.ts';
import { newId, nowIso } from '../src/shared/ids.ts';
import { createUpdate, transitionUpdate } from '../src/updates/index.ts';
import { createUser } from '../src/users/index.ts';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const count = Number(arg('count', '300'));
const runs = Number(arg('runs', '5'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-bench-report-'));
const database = createDb(parseDatabaseUrl(`sqlite:${path.join(dir, 'bench.db')}`));
const { db } = database;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time<T>(fn: () => Promise<T>, n = runs): Promise<{ ms: number; result: T }> {
  const ms: number[] = [];
  let result!: T;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    result = await fn();
    ms.push(performance.now() - t);
  }
  return { ms: Math.round(median(ms) * 10) / 10, result };
}

try {
  await migrateToLatest(db, 'sqlite');
  const entity = await createEntity(db, { code: 'MOJ', name_ar: 'وزارة العدل', name_en: 'Ministry of Justice' });
  const user = await createUser(db, { email: 'bench@rasd.example', password: 'Bench-password-123', role: 'coordinator', entityId: null });
  const actor: Actor = { id: user.id, role: 'coordinator', entity_id: null };
  const now = nowIso();
  const documentId = newId();
  await db
    .insertInto('documents')
    .values({ id: documentId, symbol: 'A/HRC/59/98', body_id: 'body-upr', type: 'upr_wg_report', title_ar: null, title_en: null, country: 'WAH', date: '2025-04-02', upr_cycle: 4, upr_session: 49, url: null, created_at: now, updated_at: now })
    .execute();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId();
    ids.push(id);
    await db
      .insertInto('recommendations')
      .values({ id, document_id: documentId, paragraph: `139.${i + 1}`, external_id: `A/HRC/59/98#139.${i + 1}`, external_source: 'bench', original_lang: 'en', text_ar: `توصية ${i + 1}`, text_en: `Recommendation ${i + 1}`, text_fr: null, kind: 'recommendation', position: 'supported', position_source: null, recommending_states: '[]', status: 'not_started', priority: null, is_public: 0, follow_up: 0, due_date: null, notes: null, cluster_id: null, created_at: now, updated_at: now })
      .execute();
  }
  const assigned = await assign(db, { recommendationIds: ids, entityId: entity.id, role: 'lead', dueDate: '2027-01-01' }, actor);
  process.stderr.write(`approving ${assigned.ids.length} updates…\n`);
  for (const [i, a] of assigned.ids.entries()) {
    const u = await createUpdate(
      db,
      a,
      {
        text_ar: `اتخذت الوزارة تدابير تشريعية وإدارية لتنفيذ التوصية رقم ${i + 1}، منها تعديل اللوائح وتدريب الموظفين ومتابعة النتائج سنوياً.`,
        text_en: `The Ministry took legislative and administrative measures to implement recommendation ${i + 1}, including amended regulations, staff training and yearly follow-up of the results.`,
        proposed_status: 'in_progress',
        measures: [{ type: 'legislation', description_ar: 'تعديل اللائحة التنفيذية', description_en: 'Amended implementing regulation' }],
        indicators: [{ name: 'Staff trained', value: 10 + i, unit: 'people' }],
      },
      actor,
    );
    await transitionUpdate(db, u.id, 'submit', {}, actor);
    await transitionUpdate(db, u.id, 'approve', {}, actor);
  }
  const obligation = await createObligation(db, { type: 'upr_midterm', body: 'UPR', dueDate: '2027-10-02', sources: [{ documentId }] }, actor);
  const created = await createReport(db, { obligationId: obligation.id, limitKind: 'upr_national' }, actor);

  const raw = await time(() =>
    sql`select pu.id, pu.text_ar, pu.text_en, m.description_ar, m.description_en, i.name, i.value
        from progress_updates pu join assignments a on a.id = pu.assignment_id
        left join update_measures m on m.update_id = pu.id left join update_indicators i on i.update_id = pu.id
        where pu.status = 'approved' and a.recommendation_id in (select id from recommendations where document_id = ${documentId})`.execute(db),
  );
  const compile = await time(() => recompileReport(db, created.id, actor));
  const docxAr = await time(() => reportDocx(db, created.id, 'ar'));
  const docxEn = await time(() => reportDocx(db, created.id, 'en'));
  let pdf: { ms: number; bytes: number } | { skipped: string };
  if (findSoffice()) {
    const p = await time(() => docxToPdf(docxAr.result.buffer), Math.min(runs, 3));
    pdf = { ms: p.ms, bytes: p.result.length };
  } else pdf = { skipped: 'soffice not installed' };
  console.log(
    JSON.stringify(
      {
        bench: 'report-export',
        engine: 'sqlite',
        recommendations: count,
        sections: created.sections.length,
        words: created.words,
        rawReadMs: raw.ms,
        rawRows: raw.result.rows.length,
        compileMs: compile.ms,
        docx: { arMs: docxAr.ms, enMs: docxEn.ms, arBytes: docxAr.result.buffer.length, targetMs: 1000 },
        pdf: { ...pdf, targetMs: 5000 },
        medianOf: runs,
      },
      null,
      2,
    ),
  );
} finally {
  await database.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}
