import type { FastifyError, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { AppError } from '../shared/errors.ts';
import { MAX_LOGO_BYTES, logoTooLarge, readLogo, removeLogo, setLogo } from './logo.service.ts';
import { instanceSettingsSchema, logoMetaSchema, publicSettingsSchema } from './settings.schema.ts';
import { instanceSettings, publicSettings, updateInstanceSettings } from './settings.service.ts';

const names = z.object({ ar: z.string().trim().max(200), en: z.string().trim().max(200) }).strict();
const instanceBody = z.object({ version: z.number().int().min(0), stateName: names, appTitle: names }).strict();

export function settingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/settings/public',
    {
      config: { anonymous: true },
      schema: { tags: ['settings'], summary: 'State name, demo flag and whether sign-in through the identity provider is on, shown before sign-in', response: { 200: publicSettingsSchema } },
    },
    async () => ({ ...(await publicSettings(ctx.db)), sso: ctx.config.oidc !== null }),
  );
  r.get('/api/admin/settings/instance', { config: { roles: ['admin'] }, schema: { tags: ['settings'], summary: "The state's names and the app's title (admin)", response: { 200: instanceSettingsSchema } } }, async () =>
    instanceSettings(ctx.db),
  );
  r.put(
    '/api/admin/settings/instance',
    { config: { roles: ['admin'] }, schema: { tags: ['settings'], summary: "Set the state's names (Arabic, English) and the app's title; send the version read (admin)", body: instanceBody, response: { 200: instanceSettingsSchema } } },
    async (request) => {
      const user = requireUser(request);
      return updateInstanceSettings(ctx.db, request.body, user.id);
    },
  );

  r.get(
    '/api/settings/logo',
    {
      config: { anonymous: true },
      schema: {
        tags: ['settings'],
        summary: "The state's logo (PNG or JPEG). With ?v=<sha-256> as the public settings give it, cached for a year; otherwise revalidated by ETag",
        querystring: z.object({ v: z.string().max(64).optional() }),
      },
    },
    async (request, reply) => {
      const logo = await readLogo(ctx.db);
      if (!logo) throw new AppError(404, 'not_found', 'No logo is set.');
      const etag = `"${logo.meta.sha256}"`;
      reply
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', request.query.v === logo.meta.sha256 ? 'public, max-age=31536000, immutable' : 'public, no-cache');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.header('content-type', logo.meta.mime).send(logo.bytes);
    },
  );
  r.put(
    '/api/admin/settings/logo',
    {
      config: { roles: ['admin'], rawBody: true },
      bodyLimit: MAX_LOGO_BYTES,
      // over the limit is "logo_too_large" here, not the generic payload_too_large
      errorHandler: (err: FastifyError) => {
        if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw logoTooLarge();
        throw err;
      },
      schema: { tags: ['settings'], summary: "Set the state's logo: raw PNG or JPEG bytes with content-type application/octet-stream, at most 512 KB (admin)", response: { 200: logoMetaSchema } },
    },
    async (request) => {
      const user = requireUser(request);
      if (!Buffer.isBuffer(request.body)) throw new AppError(415, 'unsupported_media_type', 'Send the image as raw bytes with content-type application/octet-stream.');
      return setLogo(ctx.db, request.body, user.id);
    },
  );
  r.delete('/api/admin/settings/logo', { config: { roles: ['admin'] }, schema: { tags: ['settings'], summary: "Remove the state's logo (admin); 204 without a body", response: { 204: z.null() } } }, async (request, reply) => {
    const user = requireUser(request);
    await removeLogo(ctx.db, user.id);
    return reply.status(204).send(null);
  });
}
