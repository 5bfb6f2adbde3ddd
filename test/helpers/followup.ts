import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { newId, nowIso } from '../../src/shared/ids.ts';

/** A tiny, valid one-page PDF (correct xref offsets), built byte by byte. */
export function tinyPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A Windows executable header (MZ … PE). */
export function fakeExe(): Buffer {
  const b = Buffer.alloc(512);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
}

/** Inserts a document (of the given body) and `n` recommendations, status not_started. */
export async function makeRecommendations(db: Kysely<DB>, n: number, opts: { body?: string; symbol?: string } = {}): Promise<string[]> {
  const now = nowIso();
  const documentId = newId();
  const symbol = opts.symbol ?? `CAT/C/TST/CO/${newId().slice(0, 6)}`;
  await db
    .insertInto('documents')
    .values({ id: documentId, symbol, body_id: `body-${(opts.body ?? 'CAT').toLowerCase()}`, type: 'concluding_observations', title_ar: null, title_en: null, country: 'TST', date: '2025-05-01', upr_cycle: null, upr_session: null, url: null, created_at: now, updated_at: now })
    .execute();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = newId();
    ids.push(id);
    await db
      .insertInto('recommendations')
      .values({
        id,
        document_id: documentId,
        paragraph: `${10 + i}`,
        external_id: `${symbol}#${10 + i}`,
        external_source: 'test',
        original_lang: 'en',
        text_ar: `توصية اختبار ${i}`,
        text_en: `Test recommendation ${i}`,
        text_fr: null,
        kind: 'observation',
        position: null,
        position_source: null,
        recommending_states: '[]',
        status: 'not_started',
        priority: null,
        is_public: 0,
        follow_up: 0,
        due_date: null,
        notes: null,
        cluster_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  return ids;
}
