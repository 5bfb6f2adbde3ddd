import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUhriJson, buildUhriXlsx, makeZip, type UhriJsonRecord } from '../../bench/gen-uhri.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';
import { sharedDataPath } from '../helpers/shared-data.ts';

type Run = { id: string; status: string; dryRun: boolean; result: any; error: any };

async function upload(h: Harness, c: TestClient, format: string, filename: string, bytes: Buffer, query: Record<string, string> = {}): Promise<Run> {
  const qs = new URLSearchParams({ format, filename, ...query });
  const res = await c.request({ method: 'POST', url: `/api/imports?${qs}`, headers: { 'content-type': 'application/octet-stream' }, payload: bytes });
  if (res.statusCode !== 202) return { id: '', status: `http-${res.statusCode}`, dryRun: true, result: null, error: res.json().error };
  return finish(h, c, res.json().id);
}

async function finish(h: Harness, c: TestClient, id: string): Promise<Run> {
  await h.app.importRuns.inFlight.get(id);
  return (await c.request({ method: 'GET', url: `/api/imports/${id}` })).json();
}

async function countRecs(h: Harness): Promise<number> {
  const r = await h.database.db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

function uhri(records: number, mutate?: (r: UhriJsonRecord, i: number) => void, lang = 'en'): Buffer {
  const parsed = JSON.parse(buildUhriJson({ count: records, seed: 7, lang: lang as 'en', useSharedData: false }).toString('utf8')) as UhriJsonRecord[];
  parsed.forEach((r, i) => mutate?.(r, i));
  return Buffer.from(JSON.stringify(parsed));
}

/** A small zip whose directory declares a 4 GB sheet, as a bomb does (the unit tests inflate a real one). */
function zipBomb(): Buffer {
  const zip = makeZip({ '[Content_Types].xml': '<Types/>', 'xl/worksheets/sheet1.xml': Buffer.alloc(64 * 1024, 0x41) });
  for (let i = 0; i < zip.length - 4; i++) {
    if (zip.readUInt32LE(i) === 0x04034b50) zip.writeUInt32LE(0xfffffff0, i + 22);
    if (zip.readUInt32LE(i) === 0x02014b50) zip.writeUInt32LE(0xfffffff0, i + 24);
  }
  return zip;
}

describeEachEngine('imports through the API', (engine) => {
  let h: Harness;
  let c: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine, { DATA_DIR: fs.mkdtempSync('/tmp/rasd-imp-') });
    c = await h.loginAs('coordinator');
  });
  afterAll(() => closeHarness(h));

  it('previews the Mac Roman UPR Info pledges file without writing, then commits it', async () => {
    const bytes = fs.readFileSync(sharedDataPath('upr-info', 'upr-info-voluntary-pledges-macroman.csv'));
    const preview = await upload(h, c, 'upr-info-csv', 'pledges.csv', bytes);
    expect(preview.status).toBe('succeeded');
    expect(preview.dryRun).toBe(true);
    expect(preview.result).toMatchObject({ total: 947, new: 947, updated: 0, unchanged: 0, invalid: 0 });
    expect(preview.result.preview.length).toBeGreaterThan(0);
    expect(preview.result.preview[0].kind).toBe('pledge');
    expect(await countRecs(h)).toBe(0);

    const commit = await c.request({ method: 'POST', url: `/api/imports/${preview.id}/commit` });
    expect(commit.statusCode).toBe(202);
    const done = await finish(h, c, commit.json().id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ new: 947, invalid: 0 });
    expect(await countRecs(h)).toBe(947);
    // the list of recent runs: the import, then the preview it committed
    const list = await c.request({ method: 'GET', url: '/api/imports' });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((r: Run) => [r.id, r.dryRun, r.status])).toEqual([
      [done.id, false, 'succeeded'],
      [preview.id, true, 'succeeded'],
    ]);

    const again = await upload(h, c, 'upr-info-csv', 'pledges.csv', bytes, { dryRun: 'false' });
    expect(again.result).toMatchObject({ new: 0, updated: 0, unchanged: 947 });
  });

  it('updates by external id on re-import, adds a second language, and keeps local work', async () => {
    const before = await countRecs(h);
    const first = await upload(h, c, 'uhri-json', 'export-full-en.json', uhri(40), { dryRun: 'false' });
    expect(first.result).toMatchObject({ new: 40, invalid: 0 });
    expect(await countRecs(h)).toBe(before + 40);

    const list = (await c.request({ method: 'GET', url: '/api/recommendations?mechanism=TB&pageSize=1&sort=updated' })).json();
    const anyRec = await h.database.db.selectFrom('recommendations').select(['id', 'external_id', 'version']).where('external_source', '=', 'external').where('external_id', 'not like', 'UPRINFO-%').executeTakeFirstOrThrow();
    void list;
    const patch = await c.request({ method: 'PATCH', url: `/api/recommendations/${anyRec.id}`, payload: { version: anyRec.version, status: 'in_progress', notes: 'Local note' } });
    expect(patch.statusCode).toBe(200);

    const changed = uhri(40, (r) => {
      if (r.AnnotationId === anyRec.external_id) r.Text = `${r.Text} Updated wording.`;
    });
    const second = await upload(h, c, 'uhri-json', 'export-full-en.json', changed, { dryRun: 'false' });
    expect(second.result).toMatchObject({ new: 0, updated: 1, unchanged: 39 });
    const rec = (await c.request({ method: 'GET', url: `/api/recommendations/${anyRec.id}` })).json();
    expect(rec.text_en).toContain('Updated wording.');
    expect(rec.status).toBe('in_progress');
    expect(rec.notes).toBe('Local note');

    const arabic = uhri(40, (r) => {
      r.Text = (r.Text ?? '').replace(/^([\d.]+)\s?.*$/s, '$1 توصية باللغة العربية بشأن حقوق الإنسان');
    });
    const ar = await upload(h, c, 'uhri-json', 'export-full-ar.json', arabic, { dryRun: 'false' });
    expect(ar.result).toMatchObject({ new: 0, updated: 40 });
    const both = (await c.request({ method: 'GET', url: `/api/recommendations/${anyRec.id}` })).json();
    expect(both.text_ar).toContain('توصية باللغة العربية');
    expect(both.text_en).toContain('Updated wording.');
  });

  it.each([
    ['truncated JSON', 'uhri-json', 'export-full-en.json', () => uhri(5).subarray(0, 900), 'invalid_json'],
    ['invalid JSON', 'uhri-json', 'export-full-en.json', () => Buffer.from('[{"AnnotationId": nope}]'), 'invalid_json'],
    ['a record missing its text', 'uhri-json', 'x-en.json', () => uhri(3, (r, i) => { if (i === 1) (r as Partial<UhriJsonRecord>).Text = undefined; }), 'missing_field'],
    ['missing columns', 'csv', 'morocco.csv', () => Buffer.from('a,b\n1,2\n'), 'missing_column'],
    ['a .docx without the table', 'ohchr-docx', 'list.docx', () => makeZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>No table here</w:t></w:r></w:p></w:body></w:document>' }), 'no_table'],
    ['an .xlsx that is a zip bomb', 'uhri-xlsx', 'bomb.xlsx', () => zipBomb(), 'zip_bomb'],
  ])('rejects %s with a clear error and changes nothing', async (_name, format, filename, bytes, code) => {
    const before = await countRecs(h);
    const run = await upload(h, c, format, filename, bytes(), { dryRun: 'false', ...(format === 'csv' ? { mapping: 'morocco-didh' } : {}) });
    expect(run.status).toBe('failed');
    expect(run.error.code).toBe(code);
    expect(run.error.message.length).toBeGreaterThan(10);
    expect(await countRecs(h)).toBe(before);
  });

  it('refuses an empty upload with 400', async () => {
    const run = await upload(h, c, 'upr-info-csv', 'empty.csv', Buffer.alloc(0));
    expect(run.status).toBe('http-400');
    expect(run.error.code).toBe('empty_file');
  });

  it('keeps imports for coordinators and admins', async () => {
    const viewer = await h.loginAs('viewer');
    const res = await viewer.request({ method: 'POST', url: '/api/imports?format=csv&filename=a.csv', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('x') });
    expect(res.statusCode).toBe(403);
  });

  it('imports the Morocco Arabic/French file through its mapping, and an XLSX UHRI export', async () => {
    const before = await countRecs(h);
    const bytes = fs.readFileSync(sharedDataPath('morocco-didh', 'recommendations-fr-ar.csv'));
    const run = await upload(h, c, 'csv', 'recommendations-fr-ar.csv', bytes, { mapping: 'morocco-didh', dryRun: 'false' });
    expect(run.result).toMatchObject({ total: 1124, new: 1124, invalid: 0 });
    const withArabic = await h.database.db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).where('external_id', 'like', 'MAR-DIDH-%').where('text_ar', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(withArabic.n)).toBe(855);
    const xlsx = await buildUhriXlsx({ records: JSON.parse(uhri(12, undefined).toString()) });
    const x = await upload(h, c, 'uhri-xlsx', 'export-en.xlsx', Buffer.from(xlsx), { dryRun: 'true' });
    expect(x.status).toBe('succeeded');
    expect(x.result.total).toBe(12);
    expect(await countRecs(h)).toBe(before + 1124);
  });
});
