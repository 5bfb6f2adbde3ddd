import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { assignBodySchema, assignmentListSchema, assignmentSchema, assignResultSchema, idParams, listAssignmentsQuery, workspaceQuery, workspaceSchema } from './assignments.schema.ts';
import { assign, getAssignment, listAssignments, removeAssignment, workspace } from './assignments.service.ts';

export function assignmentsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/assignments',
    {
      schema: {
        tags: ['follow-up'],
        summary: 'Assign recommendations (one or many) or a cluster to an entity as lead or supporting, with a due date',
        body: assignBodySchema,
        response: { 200: assignResultSchema, 201: assignResultSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const result = await assign(ctx.db, request.body, user);
      return reply.status(result.created > 0 ? 201 : 200).send(result);
    },
  );
  r.get(
    '/api/assignments',
    { schema: { tags: ['follow-up'], summary: 'List assignments (filters: entity, due on or before a date, overdue)', querystring: listAssignmentsQuery, response: { 200: assignmentListSchema } } },
    async (request) => {
      requireUser(request);
      return listAssignments(ctx.db, request.query);
    },
  );
  r.get('/api/assignments/:id', { schema: { tags: ['follow-up'], summary: 'One assignment', params: idParams, response: { 200: assignmentSchema } } }, async (request) => {
    requireUser(request);
    return getAssignment(ctx.db, request.params.id);
  });
  r.delete(
    '/api/assignments/:id',
    { schema: { tags: ['follow-up'], summary: 'Remove an assignment that has no progress updates', params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      const user = requireUser(request);
      await removeAssignment(ctx.db, request.params.id, user);
      return reply.status(204).send(null);
    },
  );
  r.get(
    '/api/workspace',
    { schema: { tags: ['follow-up'], summary: "My entity's workspace: assigned items, due and overdue, drafts awaiting submission", querystring: workspaceQuery, response: { 200: workspaceSchema } } },
    async (request) => {
      const user = requireUser(request);
      return workspace(ctx.db, user, { entity: request.query.entity, reminderDays: ctx.config.reminderDays });
    },
  );
}
