import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CURATORS, requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { z } from 'zod';
import {
  glossaryEntryBody,
  glossaryEntrySchema,
  glossaryImportResultSchema,
  glossaryListQuery,
  glossaryPageSchema,
  glossaryPatchBody,
  idParams,
  importQuery,
  versionQuery,
} from './glossary.schema.ts';
import { createGlossaryEntry, deleteGlossaryEntry, exportGlossaryCsv, importGlossaryCsv, listGlossary, updateGlossaryEntry } from './glossary.service.ts';

/** The bilingual glossary: read by every user, edited by coordinators (curators). */
export function glossaryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/glossary', { schema: { tags: ['glossary'], summary: 'Glossary entries (Arabic/English pairs), searchable and paged', querystring: glossaryListQuery, response: { 200: glossaryPageSchema } } }, async (request) => {
    requireUser(request);
    return listGlossary(ctx.db, request.query);
  });
  r.post('/api/glossary', { config: { roles: CURATORS }, schema: { tags: ['glossary'], summary: 'Add an Arabic/English pair', body: glossaryEntryBody, response: { 201: glossaryEntrySchema } } }, async (request, reply) => {
    const user = requireUser(request);
    return reply.status(201).send(await createGlossaryEntry(ctx.db, request.body, user.id));
  });
  r.patch(
    '/api/glossary/:id',
    { config: { roles: CURATORS }, schema: { tags: ['glossary'], summary: 'Edit a pair (send the version you read)', params: idParams, body: glossaryPatchBody, response: { 200: glossaryEntrySchema } } },
    async (request) => {
      const user = requireUser(request);
      return updateGlossaryEntry(ctx.db, request.params.id, request.body, user.id);
    },
  );
  r.delete(
    '/api/glossary/:id',
    { config: { roles: CURATORS }, schema: { tags: ['glossary'], summary: 'Delete a pair (send the version you read)', params: idParams, querystring: versionQuery, response: { 204: z.null() } } },
    async (request, reply) => {
      const user = requireUser(request);
      await deleteGlossaryEntry(ctx.db, request.params.id, request.query.version, user.id);
      return reply.status(204).send(null);
    },
  );
  r.get('/api/glossary/export.csv', { schema: { tags: ['glossary'], summary: 'The whole glossary as CSV (term_ar,term_en,note)' } }, async (request, reply) => {
    requireUser(request);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="glossary.csv"')
      .send(await exportGlossaryCsv(ctx.db));
  });
  r.post(
    '/api/glossary/import',
    {
      bodyLimit: 5 * 1024 * 1024,
      config: { roles: CURATORS, rawBody: true },
      schema: {
        tags: ['glossary'],
        summary: 'Import a glossary CSV (term_ar,term_en[,note]) sent as application/octet-stream; an empty side or a repeated pair refuses the file',
        querystring: importQuery,
        response: { 200: glossaryImportResultSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      return importGlossaryCsv(ctx.db, body, { mode: request.query.mode, dryRun: request.query.dryRun === 'true', actorId: user.id });
    },
  );
}
