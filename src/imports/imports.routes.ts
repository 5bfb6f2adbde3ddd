import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CURATORS, requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { badRequest } from '../shared/errors.ts';
import { FORMATS } from './formats.ts';
import { mappingPresets } from './generic-mapping.ts';
import { ImportRuns, MAX_UPLOAD_BYTES, type RunOptions } from './import-runs.service.ts';
import { importFormatsSchema, importRunListSchema, importRunSchema, themeMappingListSchema, themeMappingSchema } from './imports.schema.ts';
import { createMappingBody, mappingDetailSchema, mappingListSchema, mappingNameParam, sampleQuery, sampleTableSchema, saveMappingBody } from './mappings.schema.ts';
import { deleteThemeMapping, listThemeMappings, saveThemeMapping, THEME_SOURCES, themeMappingBody, themeMappingDeleteQuery, themeMappingParams } from './theme-mappings.ts';
import { deleteNamedMapping, getMapping, listMappings, listSavedMappings, MAX_SAMPLE_BYTES, readSample, saveNamedMapping } from './mappings.ts';

const optionsSchema = z.object({
  country: z.string().max(200).optional(),
  body: z.string().max(40).optional(),
  lang: z.enum(['ar', 'en', 'fr', 'es', 'ru', 'zh']).optional(),
  encoding: z.enum(['utf8', 'macroman', 'latin1']).optional(),
  symbol: z.string().max(100).optional(),
  uprCycle: z.coerce.number().int().min(1).max(20).optional(),
  uprSession: z.coerce.number().int().min(1).max(200).optional(),
  mapping: z.string().max(100).optional(),
});

const uploadQuery = optionsSchema.extend({
  format: z.enum(FORMATS).exclude(['uhri-url']),
  filename: z.string().min(1).max(300),
  dryRun: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
});

const clean = (o: Record<string, unknown>): RunOptions =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as RunOptions;

export function importsRoutes(app: FastifyInstance, ctx: AppContext, runs: ImportRuns): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/imports',
    {
      bodyLimit: MAX_UPLOAD_BYTES,
      config: { roles: CURATORS, rawBody: true },
      schema: {
        tags: ['imports'],
        summary: 'Upload a file (application/octet-stream) and start a preview (dry run) or an import; poll GET /api/imports/:id',
        querystring: uploadQuery, response: { 202: importRunSchema } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (!Buffer.isBuffer(request.body)) throw badRequest('octet_stream_required', 'Send the file as the raw body with content-type application/octet-stream.');
      const { format, filename, dryRun, ...options } = request.query;
      const run = await runs.start({ format, filename, bytes: request.body, options: clean(options), dryRun, actorId: user.id });
      return reply.status(202).send(run);
    },
  );

  r.post(
    '/api/imports/url',
    {
      config: { roles: CURATORS },
      schema: {
        tags: ['imports'],
        summary: 'Download a UHRI JSON export from an address and preview or import it',
        body: optionsSchema.extend({ url: z.string().max(2000).optional(), dryRun: z.boolean().default(true) }), response: { 202: importRunSchema } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { dryRun, url, ...options } = request.body;
      const address = url || ctx.config.uhriUrl || undefined;
      const run = await runs.start({ format: 'uhri-url', filename: 'uhri-export.json', options: clean({ ...options, url: address }), dryRun, actorId: user.id });
      return reply.status(202).send(run);
    },
  );

  r.post(
    '/api/imports/:id/commit',
    { config: { roles: CURATORS }, schema: { tags: ['imports'], summary: 'Import for real what a successful preview showed', params: z.object({ id: z.string().max(100) }), response: { 202: importRunSchema } } },
    async (request, reply) => {
      const user = requireUser(request);
      return reply.status(202).send(await runs.commit(request.params.id, user.id));
    },
  );

  r.get('/api/imports', { config: { roles: CURATORS }, schema: { tags: ['imports'], summary: 'Recent imports and previews', response: { 200: importRunListSchema } } }, async () => {
    return { items: await runs.list() };
  });

  r.get(
    '/api/imports/:id',
    { config: { roles: CURATORS }, schema: { tags: ['imports'], summary: 'One import: status, progress, counts, preview, errors', params: z.object({ id: z.string().max(100) }), response: { 200: importRunSchema } } },
    async (request) => {
      return runs.get(request.params.id);
    },
  );

  r.get('/api/imports/meta/formats', { config: { roles: CURATORS }, schema: { tags: ['imports'], summary: 'Formats and column mappings available', response: { 200: importFormatsSchema } } }, async () => {
    return { formats: [...FORMATS], mappings: [...Object.keys(mappingPresets), ...(await listSavedMappings(ctx.db))] };
  });

  // Theme mappings: a source's classification label (a UPR Info issue) → one of the register's themes.

  r.get(
    '/api/imports/theme-mappings',
    {
      config: { roles: CURATORS },
      schema: { tags: ['imports'], summary: "Theme mappings: a source's labels (UPR Info issues) linked to the register's themes", querystring: z.object({ source: z.enum(THEME_SOURCES).optional() }), response: { 200: themeMappingListSchema } },
    },
    async (request) => ({ items: await listThemeMappings(ctx.db, request.query.source) }),
  );

  r.put(
    '/api/imports/theme-mappings/:source/:label',
    {
      config: { roles: CURATORS },
      schema: { tags: ['imports'], summary: 'Map a source label to a theme (termId null: never link it); send the version read to change one', params: themeMappingParams, body: themeMappingBody, response: { 200: themeMappingSchema } },
    },
    async (request) => {
      const user = requireUser(request);
      return saveThemeMapping(ctx.db, request.params.source, request.params.label, request.body, user.id);
    },
  );

  r.delete(
    '/api/imports/theme-mappings/:source/:label',
    { config: { roles: CURATORS }, schema: { tags: ['imports'], summary: 'Remove a theme mapping', params: themeMappingParams, querystring: themeMappingDeleteQuery, response: { 204: z.null() } } },
    async (request, reply) => {
      const user = requireUser(request);
      await deleteThemeMapping(ctx.db, request.params.source, request.params.label, request.query.version, user.id);
      return reply.status(204).send(null);
    },
  );

  // Column mappings for csv/xlsx: presets (read-only) and saved ones.

  r.post(
    '/api/imports/mappings/sample',
    {
      bodyLimit: MAX_SAMPLE_BYTES,
      config: { roles: CURATORS, rawBody: true },
      schema: {
        tags: ['imports'],
        summary: 'Read the header and first rows of a sample csv/xlsx (application/octet-stream), for the mapping editor; nothing is stored',
        querystring: sampleQuery, response: { 200: sampleTableSchema } },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) throw badRequest('octet_stream_required', 'Send the file as the raw body with content-type application/octet-stream.');
      return readSample(request.body, request.query.format, request.query.encoding, runs.workerHeapMb);
    },
  );

  r.get('/api/imports/mappings', { config: { roles: CURATORS }, schema: { tags: ['imports'], summary: 'Column mappings: presets and saved ones', response: { 200: mappingListSchema } } }, async () => {
    return { items: await listMappings(ctx.db) };
  });

  r.get(
    '/api/imports/mappings/:name',
    { config: { roles: CURATORS }, schema: { tags: ['imports'], summary: 'One column mapping', params: mappingNameParam, response: { 200: mappingDetailSchema } } },
    async (request) => {
      return getMapping(ctx.db, request.params.name);
    },
  );

  r.post(
    '/api/imports/mappings',
    { config: { roles: CURATORS }, schema: { tags: ['imports'], summary: 'Save a new column mapping (409 mapping_exists if the name is taken)', body: createMappingBody, response: { 201: mappingDetailSchema } } },
    async (request, reply) => {
      const user = requireUser(request);
      const { name, mapping, columns } = request.body;
      return reply.status(201).send(await saveNamedMapping(ctx.db, { name, mapping, ...(columns ? { columns } : {}), actorId: user.id, mode: 'create' }));
    },
  );

  r.put(
    '/api/imports/mappings/:name',
    { config: { roles: CURATORS }, schema: { tags: ['imports'], summary: 'Create or replace a saved column mapping (presets are read-only)', params: mappingNameParam, body: saveMappingBody, response: { 200: mappingDetailSchema } } },
    async (request) => {
      const user = requireUser(request);
      const { mapping, columns } = request.body;
      return saveNamedMapping(ctx.db, { name: request.params.name, mapping, ...(columns ? { columns } : {}), actorId: user.id, mode: 'replace' });
    },
  );

  r.delete(
    '/api/imports/mappings/:name',
    { config: { roles: CURATORS }, schema: { tags: ['imports'], summary: 'Delete a saved column mapping (presets are read-only)', params: mappingNameParam, response: { 204: z.null() } } },
    async (request, reply) => {
      const user = requireUser(request);
      await deleteNamedMapping(ctx.db, request.params.name, user.id);
      return reply.status(204).send(null);
    },
  );
}
