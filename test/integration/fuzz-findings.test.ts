/**
 * The 5xx the fuzzing benchmark found (bench/fuzz-targets.ts), pinned one by one on both engines: each is now a coded
 * 4xx (or a no-op) and writes nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

describeEachEngine('what the fuzzing found', (engine) => {
  let h: Harness;
  let c: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine);
    c = await h.loginAs('coordinator');
  });
  afterAll(() => closeHarness(h));
  const audits = async () => Number((await h.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('a term edit with nothing to change, an unknown or circular parent, or a huge sort is refused or a no-op, not a 500', async () => {
    const make = async (code: string, parent_id?: string) => {
      const res = await c.request({ method: 'POST', url: '/api/taxonomies/theme', payload: { code, label_en: code, ...(parent_id ? { parent_id } : {}) } });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { id: string }).id;
    };
    const parent = await make('fz-parent');
    const child = await make('fz-child', parent);
    const before = await audits();
    const empty = await c.request({ method: 'PATCH', url: `/api/terms/${child}`, payload: {} });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ id: child, parent_id: parent });
    const unknown = await c.request({ method: 'PATCH', url: `/api/terms/${child}`, payload: { parent_id: 'no-such-term' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('unknown_parent_term');
    const circular = await c.request({ method: 'PATCH', url: `/api/terms/${parent}`, payload: { parent_id: child } });
    expect(circular.statusCode).toBe(400);
    expect(circular.json().error.code).toBe('invalid_parent_term');
    const created = await c.request({ method: 'POST', url: '/api/taxonomies/tag', payload: { code: 'fz-x', label_en: 'x', parent_id: parent } });
    expect(created.statusCode, 'a parent from another list').toBe(400);
    // found by the second 1,000-case run (seed 15): an empty parent id was taken for "no parent" by the check and then
    // written, failing the foreign key
    const emptyParent = await c.request({ method: 'PATCH', url: `/api/terms/${child}`, payload: { label_ar: 'x', parent_id: '' } });
    expect(emptyParent.statusCode, emptyParent.body).toBe(400);
    expect(emptyParent.json().error.code).toBe('unknown_parent_term');
    const createdEmpty = await c.request({ method: 'POST', url: '/api/taxonomies/theme', payload: { code: 'fz-e', label_en: 'e', parent_id: '' } });
    expect(createdEmpty.statusCode, createdEmpty.body).toBe(400);
    const huge = await c.request({ method: 'PATCH', url: `/api/terms/${child}`, payload: { sort: 2 ** 31 } });
    expect(huge.statusCode).toBe(400);
    expect(await audits()).toBe(before);
  });

  it('an entity under an unknown parent, or under its own unit, is refused, not a 500', async () => {
    const admin = await h.loginAs('admin');
    const before = await audits();
    const res = await admin.request({ method: 'POST', url: '/api/entities', payload: { code: 'FZ1', name_ar: 'جهة', name_en: 'Entity', parent_id: 'nope' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('unknown_parent');
    const empty = await admin.request({ method: 'POST', url: '/api/entities', payload: { code: 'FZ0', name_ar: 'جهة', name_en: 'Entity', parent_id: '' } });
    expect(empty.statusCode, empty.body).toBe(400);
    expect(empty.json().error.code).toBe('unknown_parent');
    expect(await audits()).toBe(before);
    const top = (await admin.request({ method: 'POST', url: '/api/entities', payload: { code: 'FZ2', name_ar: 'أعلى', name_en: 'Top' } })).json() as { id: string; version: number };
    const unit = (await admin.request({ method: 'POST', url: '/api/entities', payload: { code: 'FZ3', name_ar: 'وحدة', name_en: 'Unit', parent_id: top.id } })).json() as { id: string };
    const loop = await admin.request({ method: 'PATCH', url: `/api/entities/${top.id}`, payload: { version: top.version, parent_id: unit.id } });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().error.code).toBe('invalid_parent');
    const moved = await admin.request({ method: 'PATCH', url: `/api/entities/${top.id}`, payload: { version: top.version, parent_id: 'nope' } });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error.code).toBe('unknown_parent');
    const movedEmpty = await admin.request({ method: 'PATCH', url: `/api/entities/${top.id}`, payload: { version: top.version, parent_id: '' } });
    expect(movedEmpty.statusCode).toBe(400);
    expect(movedEmpty.json().error.code).toBe('unknown_parent');
  });

  it('a theme mapping to an empty theme id is refused with a code, not a 500 (found on PostgreSQL by the 1,000-case run)', async () => {
    const before = await audits();
    const res = await c.request({ method: 'PUT', url: `/api/imports/theme-mappings/upr-info/${encodeURIComponent('\u0007Fuzz issue')}`, payload: { termId: '' } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('unknown_theme');
    expect(await audits()).toBe(before);
  });
});
