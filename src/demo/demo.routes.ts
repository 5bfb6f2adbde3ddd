import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { describeDemo, removeDemo } from './demo-remove.ts';

export function demoRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/admin/demo',
    { config: { roles: ['admin'] }, schema: { tags: ['settings'], summary: 'Whether the demo workspace exists, what removing it deletes, and any real work in the way (admin)' } },
    async () => describeDemo(ctx.db),
  );
  app.delete(
    '/api/admin/demo',
    {
      config: { roles: ['admin'] },
      schema: { tags: ['settings'], summary: "Remove the demo workspace: its accounts and exactly the records it created; 409 demo_in_use when real work hangs off them (admin)" },
    },
    async (request) => {
      const user = requireUser(request);
      return { removed: await removeDemo(ctx.db, user.id, ctx.config.dataDir) };
    },
  );
}
