import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { referenceSchema } from './reference.schema.ts';

/** Reference lists the web app needs to label codes: statuses, mechanisms, bodies. */
export function referenceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/reference', { schema: { tags: ['reference'], summary: 'Statuses, mechanisms and bodies', response: { 200: referenceSchema } } }, async (request) => {
    requireUser(request);
    const [statuses, mechanisms, bodies] = await Promise.all([
      ctx.db.selectFrom('statuses').selectAll().orderBy('sort').execute(),
      ctx.db.selectFrom('mechanisms').selectAll().orderBy('sort').execute(),
      ctx.db.selectFrom('bodies').selectAll().orderBy('sort').execute(),
    ]);
    return { statuses, mechanisms, bodies };
  });
}
