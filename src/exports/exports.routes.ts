import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { matrixQuerySchema } from './exports.schema.ts';
import { exportMatrix } from './exports.service.ts';

/** RFC 6266 content-disposition with an ASCII fallback and the UTF-8 name. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function exportsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/exports/matrix',
    {
      schema: {
        tags: ['exports'],
        summary:
          'The implementation matrix (XLSX) or the list as CSV, of the recommendations the list shows for the same filters, search and sort (all pages). An empty selection answers 422 empty_selection.',
        querystring: matrixQuerySchema,
      },
    },
    async (request, reply) => {
      // Whoever may read the list may export it (the matrix shows approved updates only, which every reader may read).
      requireUser(request);
      const { format, lang, ...filters } = request.query;
      const file = await exportMatrix(ctx.db, ctx.dialect, filters, format, lang);
      const body = new PassThrough();
      file.write(body).catch((err: unknown) => {
        request.log.error({ err }, 'matrix export failed while streaming');
        body.destroy(err as Error);
      });
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', attachment(file.filename))
        .header('cache-control', 'no-store')
        .header('x-total-count', String(file.count))
        .send(body);
    },
  );
}
