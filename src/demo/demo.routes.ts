import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { describeDemo, removeDemo } from './demo-remove.ts';
import { demoRemovedSchema, demoWorkspaceSchema } from './demo.schema.ts';

export function demoRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/admin/demo',
    {
      config: { roles: ['admin'] },
      schema: { tags: ['settings'], summary: 'Whether the demo workspace exists, what removing it deletes, and any real work in the way (admin)', response: { 200: demoWorkspaceSchema } },
    },
    async () => describeDemo(ctx.db),
  );
  r.delete(
    '/api/admin/demo',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['settings'],
        summary: "Remove the demo workspace: its accounts and exactly the records it created; 409 demo_in_use when real work hangs off them (admin)",
        response: { 200: demoRemovedSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return { removed: await removeDemo(ctx.db, user.id, ctx.config.dataDir) };
    },
  );
}
