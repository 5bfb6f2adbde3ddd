import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerErrorHandling } from './error-handler.ts';
import { droppedProperty, responseSerializerCompiler } from './response-serializer.ts';

const full = z.object({ items: z.array(z.object({ id: z.string(), title: z.string(), notes: z.string().nullable() })), total: z.number() });
/** the same answer's schema with one field forgotten */
const lacking = z.object({ items: z.array(z.object({ id: z.string(), title: z.string() })), total: z.number() });
const answer = { items: [{ id: 'a', title: 'A', notes: null }, { id: 'b', title: 'B', notes: 'n' }], total: 2 };

async function appWith(schema: z.ZodType, strict: boolean) {
  const app = Fastify({ logger: false });
  app.setSerializerCompiler(responseSerializerCompiler(strict));
  registerErrorHandling(app);
  app.withTypeProvider<ZodTypeProvider>().get('/x', { schema: { response: { 200: schema } } }, async () => answer as never);
  app.get('/wrong', { schema: { response: { 200: full } } }, async () => ({ items: [{ id: 1 }], total: 'many' }));
  await app.ready();
  return app;
}

describe('response serializer', () => {
  it('under test, refuses an answer holding a property its schema lacks, naming it', async () => {
    const app = await appWith(lacking, true);
    const res = await app.inject({ url: '/x' });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('response_schema_drift');
    expect(res.json().error.details).toEqual({ property: 'items[0].notes' });
    await app.close();
  });

  it('with the complete schema, answers everything', async () => {
    const app = await appWith(full, true);
    const res = await app.inject({ url: '/x' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(answer);
    await app.close();
  });

  it('in production, drops the property silently (the schema is a whitelist)', async () => {
    const app = await appWith(lacking, false);
    const res = await app.inject({ url: '/x' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }], total: 2 });
    await app.close();
  });

  it('a value of the wrong type is a 500 in both modes, named under test', async () => {
    for (const strict of [true, false]) {
      const app = await appWith(full, strict);
      const res = await app.inject({ url: '/wrong' });
      expect(res.statusCode).toBe(500);
      expect(res.json().error.code).toBe(strict ? 'response_schema_drift' : 'internal_error');
      await app.close();
    }
  });

  it('droppedProperty compares as JSON: undefined values and dates are not drift', () => {
    expect(droppedProperty({ a: 1, b: [{ c: 1, d: 2 }] }, { a: 1, b: [{ c: 1 }] })).toBe('b[0].d');
    expect(droppedProperty({ a: { b: { c: 1 } } }, { a: { b: {} } })).toBe('a.b.c');
    expect(droppedProperty({ a: 1 }, { a: 1 })).toBeNull();
    expect(droppedProperty([{ a: 1 }], [{}])).toBe('[0].a');
  });
});
