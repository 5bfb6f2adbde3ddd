/**
 * Column mappings through the HTTP API, on both engines: a sample's header and rows, saving a mapping checked
 * against the ColumnMapping shape and the sample's columns, listing, reading, replacing and deleting it,
 * presets read-only, curators only; and a csv preview through the saved mapping.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const CSV = [
  'Symbole,Para,Texte FR,النص,Organe,États,Date',
  'A/HRC/99/1,12.1,"Ratifier le Protocole facultatif, sans réserve.",المصادقة على البروتوكول الاختياري,UPR,France|Brésil,15/03/2024',
  'A/HRC/99/1,12.2,Adopter une loi contre la violence domestique.,اعتماد قانون لمناهضة العنف المنزلي,UPR,Espagne,15/03/2024',
  'CERD/C/XX/CO/1,8,Créer une institution nationale des droits humains.,,CERD,,2023-11-30',
].join('\n');

const MAPPING = {
  document: { symbol: 'Symbole', body: 'Organe', date: 'Date' },
  paragraph: 'Para',
  texts: { fr: 'Texte FR', ar: 'النص' },
  recommendingStates: { columns: ['États'] },
};

async function xlsxOf(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  rows.forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describeEachEngine('column mappings through the API', (engine) => {
  let h: Harness;
  let c: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine, { DATA_DIR: fs.mkdtempSync('/tmp/rasd-map-') });
    c = await h.loginAs('coordinator');
  });
  afterAll(() => closeHarness(h));

  const sample = (format: string, bytes: Buffer, client = c) =>
    client.request({ method: 'POST', url: `/api/imports/mappings/sample?format=${format}`, headers: { 'content-type': 'application/octet-stream' }, payload: bytes });

  it('reads a csv sample: its columns in order, the first rows and the row count, storing nothing', async () => {
    const res = await sample('csv', Buffer.from(CSV, 'utf8'));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.columns).toEqual(['Symbole', 'Para', 'Texte FR', 'النص', 'Organe', 'États', 'Date']);
    expect(body.rowCount).toBe(3);
    expect(body.rows).toHaveLength(3);
    expect(body.rows[0]).toMatchObject({ Symbole: 'A/HRC/99/1', Para: '12.1', 'Texte FR': 'Ratifier le Protocole facultatif, sans réserve.', النص: 'المصادقة على البروتوكول الاختياري' });
    const imports = await h.database.db.selectFrom('import_runs').select('id').execute();
    expect(imports).toEqual([]);
  });

  it('reads an xlsx sample and bounds what it returns (5 rows, cells cut to 200 characters)', async () => {
    const long = 'x'.repeat(500);
    const rows = [['Symbol', 'Text'], ...Array.from({ length: 12 }, (_, i) => [`DOC/${i}`, i === 0 ? long : `text ${i}`])];
    const res = await sample('xlsx', await xlsxOf(rows));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.format).toBe('xlsx');
    expect(body.columns).toEqual(['Symbol', 'Text']);
    expect(body.rowCount).toBe(12);
    expect(body.rows).toHaveLength(5);
    expect(body.rows[0].Text).toBe(`${'x'.repeat(200)}…`);
  });

  it('refuses a sample that is not a csv, an empty file, an xlsx that is not one, and one over 20 MB, naming the problem', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63fcff1f0003030200efa37a6b0000000049454e44ae426082', 'hex');
    const notCsv = await sample('csv', png);
    expect(notCsv.statusCode).toBe(400);
    expect(notCsv.json().error.code).toBe('bad_encoding');
    expect(notCsv.json().error.message_ar).toBeTruthy();

    const empty = await sample('csv', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(['empty_file', 'octet_stream_required']).toContain(empty.json().error.code);
    const blank = await sample('csv', Buffer.from('\n\n  \n'));
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.code).toBe('empty_file');

    const csvAsXlsx = await sample('xlsx', Buffer.from(CSV, 'utf8'));
    expect(csvAsXlsx.statusCode).toBe(400);
    expect(['invalid_zip', 'bad_xlsx']).toContain(csvAsXlsx.json().error.code);

    const tooBig = await sample('csv', Buffer.alloc(21 * 1024 * 1024, 0x61));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.code).toBe('payload_too_large');

    const badFormat = await sample('docx', Buffer.from(CSV, 'utf8'));
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json().error.code).toBe('validation_failed');
  });

  it('saves a mapping, lists it after the presets, reads it back, and offers it in the format metadata', async () => {
    const res = await c.request({ method: 'POST', url: '/api/imports/mappings', payload: { name: 'fr-ar-table', mapping: { ...MAPPING, label: 'Tableau FR/AR' }, columns: ['Symbole', 'Para', 'Texte FR', 'النص', 'Organe', 'États', 'Date'] } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'fr-ar-table', preset: false, label: 'Tableau FR/AR', mapping: { paragraph: 'Para' } });

    const list = (await c.request({ method: 'GET', url: '/api/imports/mappings' })).json().items as { name: string; preset: boolean }[];
    expect(list[0]).toMatchObject({ name: 'morocco-didh', preset: true });
    expect(list.find((m) => m.name === 'fr-ar-table')).toMatchObject({ preset: false, label: 'Tableau FR/AR' });

    const one = await c.request({ method: 'GET', url: '/api/imports/mappings/fr-ar-table' });
    expect(one.json().mapping).toEqual({ ...MAPPING, label: 'Tableau FR/AR' });
    const preset = await c.request({ method: 'GET', url: '/api/imports/mappings/morocco-didh' });
    expect(preset.json()).toMatchObject({ preset: true, mapping: { paragraph: 'CodeRecommendation' } });
    expect((await c.request({ method: 'GET', url: '/api/imports/mappings/nope' })).statusCode).toBe(404);

    const meta = (await c.request({ method: 'GET', url: '/api/imports/meta/formats' })).json();
    expect(meta.mappings).toContain('fr-ar-table');

    const audit = await h.database.db.selectFrom('audit_log').select(['action', 'subject_id']).where('subject_type', '=', 'import_mapping').execute();
    expect(audit).toContainEqual({ action: 'import_mapping.save', subject_id: 'fr-ar-table' });
  });

  it('previews a csv import through the saved mapping, with counts, and nothing is written', async () => {
    const qs = new URLSearchParams({ format: 'csv', filename: 'table.csv', mapping: 'fr-ar-table' });
    const res = await c.request({ method: 'POST', url: `/api/imports?${qs}`, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from(CSV, 'utf8') });
    expect(res.statusCode).toBe(202);
    await h.app.importRuns.inFlight.get(res.json().id);
    const run = (await c.request({ method: 'GET', url: `/api/imports/${res.json().id}` })).json();
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
    expect(run.result).toMatchObject({ total: 3, new: 3, invalid: 0 });
    expect(run.result.preview[0]).toMatchObject({ symbol: 'A/HRC/99/1', paragraph: '12.1', recommendingStates: ['France', 'Brésil'] });
    // every language's text, so that the page can show its own language first
    expect(run.result.preview[0].texts).toEqual({ fr: 'Ratifier le Protocole facultatif, sans réserve.', ar: 'المصادقة على البروتوكول الاختياري' });
    expect(run.result.preview[2].texts).toEqual({ fr: 'Créer une institution nationale des droits humains.' });
    const n = await h.database.db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('a file without a column the mapping needs fails its preview naming the column', async () => {
    const qs = new URLSearchParams({ format: 'csv', filename: 'other.csv', mapping: 'fr-ar-table' });
    const res = await c.request({ method: 'POST', url: `/api/imports?${qs}`, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('Symbole,Para,Texte FR\nA/1,1,x\n') });
    await h.app.importRuns.inFlight.get(res.json().id);
    const run = (await c.request({ method: 'GET', url: `/api/imports/${res.json().id}` })).json();
    expect(run.status).toBe('failed');
    expect(run.error.code).toBe('missing_column');
    expect(run.error.details.issues.map((i: { field: string }) => i.field)).toEqual(expect.arrayContaining(['النص', 'Organe', 'États', 'Date']));
  });

  it('rejects an invalid mapping with the path of each bad field', async () => {
    const res = await c.request({
      method: 'POST',
      url: '/api/imports/mappings',
      payload: { name: 'broken', mapping: { document: { symbol: '' }, texts: { xx: 'T' }, themes: { columns: 'Themes' }, colour: 'blue' } },
    });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('invalid_mapping');
    expect(err.message_ar).toBeTruthy();
    const paths = (err.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['mapping.document.symbol', 'mapping.document.body', 'mapping.themes.columns']));
    expect(paths.some((p) => p === 'mapping' || p.startsWith('mapping.texts'))).toBe(true);

    const noText = await c.request({ method: 'POST', url: '/api/imports/mappings', payload: { name: 'no-text', mapping: { ...MAPPING, texts: {}, paragraph: undefined } } });
    expect(noText.statusCode).toBe(400);
    expect((noText.json().error.details as { path: string }[]).map((d) => d.path)).toEqual(expect.arrayContaining(['mapping.texts', 'mapping.paragraph']));

    const notObject = await c.request({ method: 'POST', url: '/api/imports/mappings', payload: { name: 'x', mapping: 'Symbole' } });
    expect(notObject.json().error.code).toBe('invalid_mapping');
    expect(await c.request({ method: 'GET', url: '/api/imports/mappings/broken' }).then((r) => r.statusCode)).toBe(404);
  });

  it('rejects a mapping naming a column the sample does not have', async () => {
    const res = await c.request({
      method: 'POST',
      url: '/api/imports/mappings',
      payload: { name: 'typo', mapping: { ...MAPPING, paragraph: 'Paragraphe' }, columns: ['Symbole', 'Para', 'Texte FR', 'النص', 'Organe', 'États', 'Date'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('unknown_column');
    expect(res.json().error.details).toEqual([{ path: 'mapping.paragraph', column: 'Paragraphe', message: expect.stringContaining('Paragraphe') }]);
  });

  it('keeps names safe and bounded, and a new mapping never overwrites one by the same name', async () => {
    for (const name of ['../etc', 'Has Space', 'UPPER', 'x'.repeat(65), '-dash-first']) {
      const res = await c.request({ method: 'POST', url: '/api/imports/mappings', payload: { name, mapping: MAPPING } });
      expect(res.statusCode, name).toBe(400);
      expect(res.json().error.code, name).toBe('invalid_mapping_name');
    }
    const again = await c.request({ method: 'POST', url: '/api/imports/mappings', payload: { name: 'fr-ar-table', mapping: MAPPING } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('mapping_exists');
    // PUT replaces on purpose.
    const put = await c.request({ method: 'PUT', url: '/api/imports/mappings/fr-ar-table', payload: { mapping: { ...MAPPING, label: 'v2' } } });
    expect(put.statusCode).toBe(200);
    expect(put.json().label).toBe('v2');
  });

  it('presets are read-only: no overwrite, no delete', async () => {
    const post = await c.request({ method: 'POST', url: '/api/imports/mappings', payload: { name: 'morocco-didh', mapping: MAPPING } });
    expect(post.statusCode).toBe(409);
    expect(post.json().error.code).toBe('mapping_preset_readonly');
    const put = await c.request({ method: 'PUT', url: '/api/imports/mappings/morocco-didh', payload: { mapping: MAPPING } });
    expect(put.statusCode).toBe(409);
    expect(put.json().error.code).toBe('mapping_preset_readonly');
    const del = await c.request({ method: 'DELETE', url: '/api/imports/mappings/morocco-didh' });
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('mapping_preset_readonly');
    expect((await c.request({ method: 'GET', url: '/api/imports/mappings/morocco-didh' })).json().mapping.paragraph).toBe('CodeRecommendation');
  });

  it('viewers and focal points cannot read samples or touch mappings; without CSRF nothing is saved', async () => {
    for (const role of ['viewer', 'focal_point'] as const) {
      const other = await h.loginAs(role);
      expect((await sample('csv', Buffer.from(CSV), other)).statusCode).toBe(403);
      expect((await other.request({ method: 'GET', url: '/api/imports/mappings' })).statusCode).toBe(403);
      expect((await other.request({ method: 'GET', url: '/api/imports/mappings/fr-ar-table' })).statusCode).toBe(403);
      expect((await other.request({ method: 'POST', url: '/api/imports/mappings', payload: { name: 'mine', mapping: MAPPING } })).statusCode).toBe(403);
      expect((await other.request({ method: 'DELETE', url: '/api/imports/mappings/fr-ar-table' })).statusCode).toBe(403);
    }
    const noCsrf = await c.request({ method: 'POST', url: '/api/imports/mappings', payload: { name: 'no-csrf', mapping: MAPPING }, csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    expect((await c.request({ method: 'GET', url: '/api/imports/mappings/no-csrf' })).statusCode).toBe(404);
  });

  it('deletes a saved mapping; it leaves the list and a preview with it then fails', async () => {
    const del = await c.request({ method: 'DELETE', url: '/api/imports/mappings/fr-ar-table' });
    expect(del.statusCode).toBe(204);
    expect((await c.request({ method: 'DELETE', url: '/api/imports/mappings/fr-ar-table' })).statusCode).toBe(404);
    const list = (await c.request({ method: 'GET', url: '/api/imports/mappings' })).json().items as { name: string }[];
    expect(list.map((m) => m.name)).not.toContain('fr-ar-table');
    const qs = new URLSearchParams({ format: 'csv', filename: 'table.csv', mapping: 'fr-ar-table' });
    const res = await c.request({ method: 'POST', url: `/api/imports?${qs}`, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from(CSV, 'utf8') });
    await h.app.importRuns.inFlight.get(res.json().id);
    const run = (await c.request({ method: 'GET', url: `/api/imports/${res.json().id}` })).json();
    expect(run.error.code).toBe('mapping_required');
  });
});
