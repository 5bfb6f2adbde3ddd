import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CURATORS, requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { taxonomyListSchema, termRowSchema } from './reference.schema.ts';
import { createTerm, deleteTerm, listTerms, TERM_KINDS, updateTerm } from './taxonomies.service.ts';

const termBody = z.object({
  code: z.string().trim().min(1).max(200),
  label_ar: z.string().max(1000).nullable().optional(),
  label_en: z.string().max(1000).nullable().optional(),
  parent_id: z.string().max(100).nullable().optional(),
  sort: z.number().int().min(-1_000_000).max(1_000_000).optional(),
});

/** Taxonomies are managed without code changes: admins and coordinators edit terms here. */
export function taxonomiesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/taxonomies/:kind',
    { schema: { tags: ['taxonomies'], summary: 'Terms of one taxonomy with usage counts', params: z.object({ kind: z.enum(TERM_KINDS) }), response: { 200: taxonomyListSchema } } },
    async (request) => {
      requireUser(request);
      return { items: await listTerms(ctx.db, request.params.kind) };
    },
  );
  r.post(
    '/api/taxonomies/:kind',
    { config: { roles: CURATORS }, schema: { tags: ['taxonomies'], summary: 'Add a term', params: z.object({ kind: z.enum(TERM_KINDS) }), body: termBody, response: { 201: termRowSchema } } },
    async (request, reply) => {
      const user = requireUser(request);
      return reply.status(201).send(await createTerm(ctx.db, request.params.kind, request.body, user.id));
    },
  );
  r.patch(
    '/api/terms/:id',
    { config: { roles: CURATORS }, schema: { tags: ['taxonomies'], summary: 'Edit a term', params: z.object({ id: z.string().max(100) }), body: termBody.partial().omit({ code: true }), response: { 200: termRowSchema } } },
    async (request) => {
      const user = requireUser(request);
      return updateTerm(ctx.db, request.params.id, request.body, user.id);
    },
  );
  r.delete(
    '/api/terms/:id',
    { config: { roles: CURATORS }, schema: { tags: ['taxonomies'], summary: 'Delete an unused term', params: z.object({ id: z.string().max(100) }), response: { 200: z.object({ ok: z.boolean() }) } } },
    async (request) => {
      const user = requireUser(request);
      await deleteTerm(ctx.db, request.params.id, user.id);
      return { ok: true };
    },
  );
}
