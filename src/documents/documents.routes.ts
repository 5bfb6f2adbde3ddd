import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { documentDetailSchema, documentListSchema } from './documents.schema.ts';
import { getDocument, listDocuments } from './documents.service.ts';

export function documentsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Source documents with their recommendation counts',
        querystring: z.object({
          q: z.string().max(200).optional(),
          body: z.string().max(40).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: documentListSchema },
      },
    },
    async (request) => {
      requireUser(request);
      return listDocuments(ctx.db, ctx.dialect, request.query);
    },
  );
  r.get(
    '/api/documents/:id',
    { schema: { tags: ['documents'], summary: 'One source document (its recommendations: GET /api/recommendations?document=SYMBOL)', params: z.object({ id: z.string().max(100) }), response: { 200: documentDetailSchema } } },
    async (request) => {
      requireUser(request);
      return getDocument(ctx.db, request.params.id);
    },
  );
}
