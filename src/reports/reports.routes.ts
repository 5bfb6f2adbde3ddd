import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { exportReport } from './report-export.ts';
import {
  articlesSchema,
  commentParams,
  commentSchema,
  compiledReportSchema,
  exportQuery,
  createReportSchema,
  editSectionSchema,
  idParams,
  listReportsQuery,
  patchReportSchema,
  reportCommentSchema,
  reportListSchema,
  reportSchema,
  reportSectionSchema,
  sectionActionSchema,
  sectionHistorySchema,
  sectionParams,
  submitSchema,
  transitionSchema,
} from './reports.schema.ts';
import {
  addComment,
  assertCanReadReport,
  assignArticles,
  createReport,
  editSection,
  getReport,
  listReports,
  patchReport,
  recompileReport,
  resolveComment,
  resolveSourceChange,
  sectionHistory,
  transitionReport,
} from './reports.service.ts';

export function reportsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];
  r.get('/api/reports', { schema: { tags, summary: 'Report drafts', querystring: listReportsQuery, response: { 200: reportListSchema } } }, async (request) => {
    return listReports(ctx.db, request.query, requireUser(request));
  });
  r.post(
    '/api/reports',
    { schema: { tags, summary: "Start the report answering an obligation: sections from its type's template, compiled from approved updates", body: createReportSchema, response: { 201: reportSchema } } },
    async (request, reply) => reply.status(201).send(await createReport(ctx.db, request.body, requireUser(request))),
  );
  r.get(
    '/api/reports/:id/export',
    { schema: { tags, summary: 'The report as DOCX (UN layout, right-to-left Arabic) or PDF (LibreOffice; pdf_unavailable without it)', params: idParams, querystring: exportQuery } },
    async (request, reply) => {
      const user = requireUser(request);
      await assertCanReadReport(ctx.db, request.params.id, user);
      const out = await exportReport(ctx.db, request.params.id, request.query.format, request.query.lang);
      const ascii = out.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return reply
        .header('content-type', out.contentType)
        .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(out.fileName)}`)
        .header('x-content-type-options', 'nosniff')
        .send(out.buffer);
    },
  );
  r.get('/api/reports/:id', { schema: { tags, summary: 'A report with its sections, word counts (UN way) and comments', params: idParams, response: { 200: reportSchema } } }, async (request) => {
    await assertCanReadReport(ctx.db, request.params.id, requireUser(request));
    return getReport(ctx.db, request.params.id);
  });
  r.patch('/api/reports/:id', { schema: { tags, summary: "Edit a report's titles or word limit", params: idParams, body: patchReportSchema, response: { 200: reportSchema } } }, async (request) =>
    patchReport(ctx.db, request.params.id, request.body, requireUser(request)),
  );
  r.post(
    '/api/reports/:id/compile',
    { schema: { tags, summary: 'Compile again: keeps manual edits, marks sections whose sources changed', params: idParams, response: { 200: compiledReportSchema } } },
    async (request) => recompileReport(ctx.db, request.params.id, requireUser(request)),
  );
  r.put(
    '/api/reports/:id/articles',
    {
      schema: {
        tags,
        summary: 'A report laid out by article: assign covered recommendations to articles of the treaty (null takes one back); compiles again',
        params: idParams,
        body: articlesSchema,
        response: { 200: compiledReportSchema },
      },
    },
    async (request) => assignArticles(ctx.db, request.params.id, request.body, requireUser(request)),
  );
  r.patch(
    '/api/reports/:id/sections/:sectionId',
    { schema: { tags, summary: 'Edit a section in either language (send the version you read; stale → 409)', params: sectionParams, body: editSectionSchema, response: { 200: reportSectionSchema } } },
    async (request) => editSection(ctx.db, request.params.id, request.params.sectionId, request.body, requireUser(request)),
  );
  r.get('/api/reports/:id/sections/:sectionId/history', { schema: { tags, summary: "A section's text history", params: sectionParams, response: { 200: sectionHistorySchema } } }, async (request) => {
    await assertCanReadReport(ctx.db, request.params.id, requireUser(request));
    return sectionHistory(ctx.db, request.params.id, request.params.sectionId);
  });
  r.post(
    '/api/reports/:id/sections/:sectionId/accept',
    { schema: { tags, summary: 'Take in the newly compiled text of a section whose sources changed', params: sectionParams, body: sectionActionSchema, response: { 200: reportSectionSchema } } },
    async (request) => resolveSourceChange(ctx.db, request.params.id, request.params.sectionId, 'accept', request.body, requireUser(request)),
  );
  r.post(
    '/api/reports/:id/sections/:sectionId/dismiss',
    { schema: { tags, summary: 'Leave the change: keep the section as it is and clear its marker', params: sectionParams, body: sectionActionSchema, response: { 200: reportSectionSchema } } },
    async (request) => resolveSourceChange(ctx.db, request.params.id, request.params.sectionId, 'dismiss', request.body, requireUser(request)),
  );
  r.post('/api/reports/:id/comments', { schema: { tags, summary: 'Comment on a section (coordinator)', params: idParams, body: commentSchema, response: { 201: reportCommentSchema } } }, async (request, reply) =>
    reply.status(201).send(await addComment(ctx.db, request.params.id, request.body, requireUser(request))),
  );
  r.post('/api/reports/:id/comments/:commentId/resolve', { schema: { tags, summary: 'Resolve a comment (writer)', params: commentParams, response: { 200: reportCommentSchema } } }, async (request) =>
    resolveComment(ctx.db, request.params.id, request.params.commentId, requireUser(request)),
  );
  for (const action of ['review', 'return', 'approve'] as const) {
    r.post(
      `/api/reports/:id/${action}`,
      {
        schema: {
          tags,
          summary: { review: 'Send the draft for review (writer)', return: 'Return to draft (coordinator)', approve: 'Approve (coordinator; all comments resolved)' }[action],
          params: idParams,
          body: transitionSchema.optional(),
          response: { 200: reportSchema },
        },
      },
      async (request) => transitionReport(ctx.db, request.params.id, action, request.body ?? {}, requireUser(request)),
    );
  }
  r.post(
    '/api/reports/:id/submit',
    { schema: { tags, summary: 'Record the submission (date and UN symbol); the report is then locked', params: idParams, body: submitSchema, response: { 200: reportSchema } } },
    async (request) => transitionReport(ctx.db, request.params.id, 'submit', request.body, requireUser(request)),
  );
}
