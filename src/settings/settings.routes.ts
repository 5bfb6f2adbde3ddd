import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { instanceSettings, publicSettings, updateInstanceSettings } from './settings.service.ts';

const names = z.object({ ar: z.string().trim().max(200), en: z.string().trim().max(200) }).strict();
const instanceBody = z.object({ version: z.number().int().min(0), stateName: names, appTitle: names }).strict();

export function settingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/settings/public',
    { config: { anonymous: true }, schema: { tags: ['settings'], summary: 'State name, demo flag and whether sign-in through the identity provider is on, shown before sign-in' } },
    async () => ({ ...(await publicSettings(ctx.db)), sso: ctx.config.oidc !== null }),
  );
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/admin/settings/instance', { config: { roles: ['admin'] }, schema: { tags: ['settings'], summary: "The state's names and the app's title (admin)" } }, async () =>
    instanceSettings(ctx.db),
  );
  r.put(
    '/api/admin/settings/instance',
    { config: { roles: ['admin'] }, schema: { tags: ['settings'], summary: "Set the state's names (Arabic, English) and the app's title; send the version read (admin)", body: instanceBody } },
    async (request) => {
      const user = requireUser(request);
      return updateInstanceSettings(ctx.db, request.body, user.id);
    },
  );
}
