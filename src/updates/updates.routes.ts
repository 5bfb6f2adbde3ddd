import type { FastifyError, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CURATORS, requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { AppError } from '../shared/errors.ts';
import { approveSchema, createUpdateSchema, evidenceSchema, idParams, patchUpdateSchema, progressUpdateSchema, publicSchema, returnSchema, transitionResultSchema, transitionSchema, updateListSchema } from './updates.schema.ts';
import {
  addEvidence,
  createActionUpdate,
  createUpdate,
  listActionUpdates,
  deleteUpdate,
  fileTooLarge,
  getUpdate,
  listUpdates,
  MAX_EVIDENCE_BYTES,
  openEvidence,
  patchUpdate,
  removeEvidence,
  setUpdatePublic,
  transitionUpdate,
} from './updates.service.ts';

/** RFC 6266 content-disposition with an ASCII fallback and the UTF-8 (e.g. Arabic) name. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function updatesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['follow-up'];

  r.get('/api/assignments/:id/updates', { schema: { tags, summary: 'Progress updates of an assignment that I may read', params: idParams, response: { 200: updateListSchema } } }, async (request) => {
    const user = requireUser(request);
    return listUpdates(ctx.db, request.params.id, user);
  });
  r.post(
    '/api/assignments/:id/updates',
    { schema: { tags, summary: 'Start a draft progress update (contributor, focal point, curator)', params: idParams, body: createUpdateSchema, response: { 201: progressUpdateSchema } } },
    async (request, reply) => {
      const user = requireUser(request);
      return reply.status(201).send(await createUpdate(ctx.db, request.params.id, request.body, user));
    },
  );
  r.get('/api/plan-actions/:id/updates', { schema: { tags, summary: 'Progress updates on a plan action that I may read', params: idParams, response: { 200: updateListSchema } } }, async (request) => {
    const user = requireUser(request);
    return listActionUpdates(ctx.db, request.params.id, user);
  });
  r.post(
    '/api/plan-actions/:id/updates',
    {
      schema: {
        tags,
        summary: "Start a draft progress update on a plan action (its lead entity's contributor or focal point, or a curator): reported status, text, measures and indicator values; then the same workflow and evidence as any update",
        params: idParams,
        body: createUpdateSchema,
        response: { 201: progressUpdateSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      return reply.status(201).send(await createActionUpdate(ctx.db, request.params.id, request.body, user));
    },
  );
  r.get('/api/updates/:id', { schema: { tags, summary: 'One progress update with measures, indicators and evidence', params: idParams, response: { 200: progressUpdateSchema } } }, async (request) => {
    const user = requireUser(request);
    return getUpdate(ctx.db, request.params.id, user);
  });
  r.patch(
    '/api/updates/:id',
    { schema: { tags, summary: 'Edit a draft or returned update (send the version you read; stale → 409)', params: idParams, body: patchUpdateSchema, response: { 200: progressUpdateSchema } } },
    async (request) => {
      const user = requireUser(request);
      return patchUpdate(ctx.db, request.params.id, request.body, user);
    },
  );
  r.delete('/api/updates/:id', { schema: { tags, summary: 'Delete a draft', params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    const user = requireUser(request);
    await deleteUpdate(ctx.db, request.params.id, user, ctx.config);
    return reply.status(204).send(null);
  });
  r.post(
    '/api/updates/:id/submit',
    { schema: { tags, summary: 'Submit a draft or returned update for review (focal point)', params: idParams, body: transitionSchema.nullish(), response: { 200: transitionResultSchema } } },
    async (request) => transitionUpdate(ctx.db, request.params.id, 'submit', request.body ?? {}, requireUser(request)),
  );
  r.post(
    '/api/updates/:id/return',
    { schema: { tags, summary: 'Return a submitted update with a comment (coordinator)', params: idParams, body: returnSchema, response: { 200: transitionResultSchema } } },
    async (request) => transitionUpdate(ctx.db, request.params.id, 'return', request.body, requireUser(request)),
  );
  r.post(
    '/api/updates/:id/approve',
    {
      schema: {
        tags,
        summary: "Approve a submitted update (coordinator): the recommendation's status becomes the proposed status",
        params: idParams,
        body: approveSchema.nullish(),
        response: { 200: transitionResultSchema },
      },
    },
    async (request) => transitionUpdate(ctx.db, request.params.id, 'approve', request.body ?? {}, requireUser(request)),
  );
  r.post(
    '/api/updates/:id/public',
    {
      config: { roles: CURATORS },
      schema: { tags, summary: 'Show an approved update on the public portal, or take it back (coordinator; send the version you read)', params: idParams, body: publicSchema, response: { 200: progressUpdateSchema } },
    },
    async (request) => setUpdatePublic(ctx.db, request.params.id, request.body, requireUser(request)),
  );

  r.post(
    '/api/updates/:id/evidence',
    {
      schema: {
        tags,
        summary: 'Attach an evidence file: raw bytes with content-type application/octet-stream and the name in x-filename (URI-encoded)',
        params: idParams,
        response: { 201: evidenceSchema },
      },
      bodyLimit: MAX_EVIDENCE_BYTES,
      config: { rawBody: true },
      // Over the limit is "file_too_large" here, not the generic payload_too_large.
      errorHandler: (err: FastifyError) => {
        if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw fileTooLarge();
        throw err;
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (!Buffer.isBuffer(request.body)) {
        throw new AppError(415, 'unsupported_media_type', 'Send the file as raw bytes with content-type application/octet-stream.');
      }
      const header = request.headers['x-filename'];
      const out = await addEvidence(
        ctx.db,
        request.params.id,
        { fileName: typeof header === 'string' ? header : undefined, bytes: request.body },
        user,
        ctx.config,
      );
      return reply.status(201).send(out);
    },
  );
  r.get('/api/evidence/:id', { schema: { tags, summary: 'Download an evidence file (only for users who may read its update)', params: idParams } }, async (request, reply) => {
    const user = requireUser(request);
    const ev = await openEvidence(ctx.db, request.params.id, user, ctx.config);
    return reply
      .header('content-type', ev.mime)
      .header('content-length', String(ev.size))
      .header('content-disposition', attachment(ev.original_name))
      .header('x-content-type-options', 'nosniff')
      .send(ev.stream);
  });
  r.delete('/api/evidence/:id', { schema: { tags, summary: 'Remove an evidence file from a draft or returned update', params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    const user = requireUser(request);
    await removeEvidence(ctx.db, request.params.id, user, ctx.config);
    return reply.status(204).send(null);
  });
}
