import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../server/context.ts';
import { publicSettings } from './settings.service.ts';

export function settingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/settings/public',
    { config: { anonymous: true }, schema: { tags: ['settings'], summary: 'State name, demo flag and whether sign-in through the identity provider is on, shown before sign-in' } },
    async () => ({ ...(await publicSettings(ctx.db)), sso: ctx.config.oidc !== null }),
  );
}
