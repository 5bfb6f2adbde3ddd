import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../db/create-db.ts';
import { badRequest, conflict } from '../shared/errors.ts';
import { nowIso } from '../shared/ids.ts';
import { appVersion } from './backup.service.ts';
import { COLUMN_DOCS, HIDDEN_COLUMNS, NOT_EXPORTED, TABLE_DOCS } from './dictionary.ts';
import { loadOrder, readTable, type Portable } from './tables.ts';

export type ExportFormat = 'json' | 'csv';

export interface ExportResult {
  dir: string;
  format: ExportFormat;
  tables: { name: string; file: string; rows: number }[];
}

/** One CSV field (RFC 4180), the value exactly as stored: quoted when it holds a comma, a quote or a line break. */
function csvField(v: Portable): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Writes every table of the register's content (everything but security material and the derived search index,
 * see dictionary.ts) into `dir`, one file per table, read from one consistent snapshot: JSON (an array of
 * objects, a column per key) or CSV (UTF-8 with BOM, a header row, values exactly as stored), and README.md,
 * the data dictionary: the conventions, then each table's purpose, columns and references.
 */
export async function exportData(database: Database, opts: { dir: string; format: ExportFormat }): Promise<ExportResult> {
  if (opts.format !== 'json' && opts.format !== 'csv') throw badRequest('invalid_format', 'The format is json or csv.');
  const dir = path.resolve(opts.dir);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw conflict('export_dir_not_empty', `${dir} is not empty; export into a new or empty folder.`);
  fs.mkdirSync(dir, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-export-'));
  try {
    const { dialect, db } = database;
    const snap = await dialect.backup.snapshot(db, scratch, async (snapDb) => {
      const tables = loadOrder(await dialect.backup.tables(snapDb)).filter((t) => !(t.name in NOT_EXPORTED));
      const written: (ExportResult['tables'][number] & { columns: string[]; references: { column: string; table: string }[] })[] = [];
      for (const t of tables) {
        const hidden = HIDDEN_COLUMNS[t.name] ?? [];
        const keep = t.columns.map((c, i) => [c, i] as const).filter(([c]) => !hidden.includes(c));
        const columns = keep.map(([c]) => c);
        const file = `${t.name}.${opts.format}`;
        const out = fs.createWriteStream(path.join(dir, file));
        const write = async (text: string) => {
          if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
        };
        let rows = 0;
        await write(opts.format === 'csv' ? `\ufeff${columns.map(csvField).join(',')}\r\n` : '[');
        await readTable(snapDb, t, async (page) => {
          let chunk = '';
          for (const r of page) {
            if (opts.format === 'csv') chunk += `${keep.map(([, i]) => csvField(r[i]!)).join(',')}\r\n`;
            else chunk += `${rows === 0 ? '\n' : ',\n'}${JSON.stringify(Object.fromEntries(keep.map(([c, i]) => [c, r[i]])))}`;
            rows += 1;
          }
          await write(chunk);
        });
        if (opts.format === 'json') await write(rows ? '\n]\n' : ']\n');
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        written.push({ name: t.name, file, rows, columns, references: t.references });
      }
      return written;
    });
    fs.writeFileSync(path.join(dir, 'README.md'), dictionary(snap.result, opts.format, database.dialect.engine));
    return { dir, format: opts.format, tables: snap.result.map(({ name, file, rows }) => ({ name, file, rows })) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function dictionary(tables: { name: string; file: string; rows: number; columns: string[]; references: { column: string; table: string }[] }[], format: ExportFormat, engine: string): string {
  const lines = [
    '# Rasd data export',
    '',
    `Exported ${nowIso()} by Rasd ${appVersion()} from ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, all tables read from one consistent snapshot.`,
    '',
    '## Format and conventions',
    '',
    format === 'csv'
      ? '- One CSV file per table: UTF-8 with a byte-order mark, comma-separated, a header row, RFC 4180 quoting, lines ending in CRLF. Values are exactly as stored (nothing is escaped for spreadsheets: a value starting with `=` is data, not a formula). An empty field is an empty value (NULL).'
      : '- One JSON file per table: an array of objects, one per row, a key per column; `null` is an empty value.',
    '- Identifiers are text (UUIDs); the audit log numbers its rows.',
    '- Dates and times are UTC in ISO 8601 (`2026-12-05T09:30:00.000Z`); dates alone are `YYYY-MM-DD`.',
    '- Yes/no values are 1 and 0. Lists and structured values are JSON text inside the column.',
    '- Columns ending in `_ar`, `_en`, `_fr` hold the Arabic, English and French versions of the same text.',
    '- A column "→ table" holds the id of a row of that table.',
    '',
    `Not exported: ${Object.entries(NOT_EXPORTED).map(([t, why]) => `\`${t}\` (${why})`).join(', ')}; and ${Object.entries(HIDDEN_COLUMNS).map(([t, cols]) => cols.map((c) => `\`${t}.${c}\``).join(', ')).join(', ')}. A backup (\`rasd backup\`) holds everything.`,
    '',
    '## Tables',
    '',
    '| table | file | rows | contents |',
    '|---|---|---|---|',
    ...tables.map((t) => `| ${t.name} | ${t.file} | ${t.rows} | ${TABLE_DOCS[t.name] ?? '(undocumented)'} |`),
    '',
  ];
  for (const t of tables) {
    lines.push(`### ${t.name}`, '', TABLE_DOCS[t.name] ?? '(undocumented)', '', '| column | meaning |', '|---|---|');
    for (const c of t.columns) {
      const ref = t.references.find((r) => r.column === c);
      const doc = COLUMN_DOCS[`${t.name}.${c}`] ?? COLUMN_DOCS[c] ?? (c.endsWith('_at') ? 'date and time (UTC, ISO 8601)' : '');
      lines.push(`| ${c} | ${[doc, ref ? `→ ${ref.table}` : ''].filter(Boolean).join(' ')} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
