import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { listMyNotifications, markRead } from './notifications.service.ts';

/* The answers, as the routes declare them (OpenAPI, the web app's generated types; src/server/response-serializer.ts). */
const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title_ar: z.string(),
  title_en: z.string(),
  body_ar: z.string().nullable(),
  body_en: z.string().nullable(),
  link: z.string().nullable(),
  read_at: z.string().nullable(),
  created_at: z.string(),
});
const notificationListSchema = z.object({ items: z.array(notificationSchema), unread: z.number(), page: z.number(), pageSize: z.number() });

export function notificationsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My in-app notifications, newest first, with the unread count',
        querystring: z.object({
          unread: z.enum(['true', 'false']).optional(),
          page: z.coerce.number().int().min(1).max(100_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: notificationListSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return listMyNotifications(ctx.db, user.id, { ...request.query, unread: request.query.unread === 'true' });
    },
  );
  r.post(
    '/api/notifications/:id/read',
    { schema: { tags: ['notifications'], summary: 'Mark one of my notifications read', params: z.object({ id: z.string().min(1).max(100) }), response: { 200: z.object({ id: z.string(), read: z.boolean() }) } } },
    async (request) => {
      const user = requireUser(request);
      return markRead(ctx.db, user.id, request.params.id);
    },
  );
}
