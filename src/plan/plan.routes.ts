import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CURATORS, requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { createIndicator, deleteIndicator, listValues, patchIndicator } from './plan-indicators.service.ts';
import { comparePlans } from './plan-compare.service.ts';
import { planDocx } from './plan-docx.ts';
import { importPlanXlsx, planTemplateXlsx, planXlsx } from './plan-xlsx.ts';
import { badRequest } from '../shared/errors.ts';
import { listPlans, planCoverage, planPageJson } from './plan-read.service.ts';
import {
  compareQuery,
  coverageQuery,
  coverageSchema,
  createActionSchema,
  createIndicatorSchema,
  createObjectiveSchema,
  createPillarSchema,
  createPlanSchema,
  exportQuery,
  importQuery,
  fromClusterSchema,
  idParams,
  indicatorSchema,
  indicatorValuesSchema,
  objectiveRowSchema,
  pillarRowSchema,
  planActionSchema,
  planCompareSchema,
  planImportResultSchema,
  planListSchema,
  planPageSchema,
  planRowSchema,
  patchActionSchema,
  patchIndicatorSchema,
  patchObjectiveSchema,
  patchPillarSchema,
  patchPlanSchema,
  planPublicationSchema,
  planStatusSchema,
  versionQuery,
} from './plan.schema.ts';
import {
  actionFromCluster,
  createAction,
  createObjective,
  createPillar,
  createPlan,
  deleteAction,
  deleteSection,
  getAction,
  newPlanVersion,
  patchAction,
  patchPlan,
  patchSection,
  setPlanPublication,
  setPlanStatus,
} from './plan.service.ts';

/** The national human rights action plan (issue 11). Edits send the version they read (stale → 409 version_conflict). */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function planRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['plan'];

  r.get('/api/plans', { schema: { tags, summary: 'Action plans (every version) with counts and progress: a summary, no plan tree', response: { 200: planListSchema } } }, async (request) => {
    requireUser(request);
    return listPlans(ctx.db);
  });
  r.post('/api/plans', { schema: { tags, summary: 'Create a draft plan (coordinator)', body: createPlanSchema, response: { 201: planRowSchema } } }, async (request, reply) => {
    const user = requireUser(request);
    return reply.status(201).send(await createPlan(ctx.db, request.body, user));
  });
  r.get('/api/plans/template', { schema: { tags, summary: 'The XLSX template for a plan (sheets Plan, Pillars, Objectives, Actions, Indicators; English keys and Arabic headers)' } }, async (request, reply) => {
    requireUser(request);
    return reply.header('content-type', XLSX).header('content-disposition', 'attachment; filename="action-plan-template.xlsx"').send(await planTemplateXlsx());
  });
  r.post(
    '/api/plans/import',
    {
      bodyLimit: 20 * 1024 * 1024,
      config: { roles: CURATORS, rawBody: true },
      schema: { tags, summary:
          "Create a draft plan from an XLSX workbook (application/octet-stream), or update a draft in place (?planId=, else the Plan sheet's id): rows matched by code, all or nothing; an adopted or archived plan answers 409 plan_import_frozen; ?dryRun=true reports the changes and writes nothing",
        querystring: importQuery, response: { 200: planImportResultSchema, 201: planImportResultSchema } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (!Buffer.isBuffer(request.body)) throw badRequest('octet_stream_required', 'Send the file as the raw body with content-type application/octet-stream.');
      const result = await importPlanXlsx(ctx.db, request.body, user, { dryRun: request.query.dryRun, planId: request.query.planId });
      return reply.status(result.dryRun || result.mode === 'update' ? 200 : 201).send(result);
    },
  );
  r.get('/api/plans/:id', { schema: { tags, summary: 'A plan: pillars → objectives → actions with indicators, progress roll-up and dashboard', params: idParams, response: { 200: planPageSchema } } }, async (request, reply) => {
    const json = await planPageJson(ctx.db, ctx.dialect, request.params.id, requireUser(request));
    // JSON text already (kept per plan while nothing it reads changes): sent as it is, checked against the response
    // schema under test (src/server/response-serializer.ts)
    return reply.type('application/json; charset=utf-8').send(json as never);
  });
  r.patch('/api/plans/:id', { schema: { tags, summary: 'Edit a draft plan (an adopted one answers 409 plan_adopted)', params: idParams, body: patchPlanSchema, response: { 200: planRowSchema } } }, async (request) => {
    return patchPlan(ctx.db, request.params.id, request.body, requireUser(request));
  });
  r.post('/api/plans/:id/status', { schema: { tags, summary: 'Move a plan: draft ⇄ consultation → adopted → archived', params: idParams, body: planStatusSchema, response: { 200: planRowSchema } } }, async (request) => {
    return setPlanStatus(ctx.db, request.params.id, request.body, requireUser(request));
  });
  r.post(
    '/api/plans/:id/publication',
    {
      config: { roles: CURATORS },
      schema: { tags, summary: 'Publish an adopted plan version on the public portal (published: true), or withdraw it (false)', params: idParams, body: planPublicationSchema, response: { 200: planRowSchema } },
    },
    async (request) => setPlanPublication(ctx.db, request.params.id, request.body, requireUser(request)),
  );
  r.post('/api/plans/:id/versions', { schema: { tags, summary: 'Start a new draft version from an adopted one (copies the whole plan)', params: idParams, response: { 201: planRowSchema } } }, async (request, reply) => {
    return reply.status(201).send(await newPlanVersion(ctx.db, request.params.id, requireUser(request)));
  });
  r.get('/api/plans/:id/coverage', { schema: { tags, summary: "Which recommendations and clusters the plan answers, over a selection made with the register list's filters (q and facets), and the unanswered ones (supported first) with their facet counts", params: idParams, querystring: coverageQuery, response: { 200: coverageSchema } } }, async (request) => {
    requireUser(request);
    return planCoverage(ctx.db, ctx.dialect, request.params.id, request.query);
  });
  r.get(
    '/api/plans/:id/export',
    { schema: { tags, summary: 'The plan document (DOCX: cover, contents, a chapter per pillar, annex of recommendations), in Arabic (right to left) or English', params: idParams, querystring: exportQuery } },
    async (request, reply) => {
      const user = requireUser(request);
      if (request.query.format === 'xlsx') {
        const { buffer, fileName } = await planXlsx(ctx.db, request.params.id, user);
        return reply.header('content-type', XLSX).header('content-disposition', `attachment; filename="${fileName}"`).send(buffer);
      }
      const { buffer, fileName } = await planDocx(ctx.db, request.params.id, request.query.lang, user);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(buffer);
    },
  );
  r.get(
    '/api/plans/:id/compare',
    { schema: { tags, summary: 'Compare this version with another version of the same plan (?with=ID, the older one): added, removed and changed actions and targets', params: idParams, querystring: compareQuery, response: { 200: planCompareSchema } } },
    async (request) => comparePlans(ctx.db, request.query.with, request.params.id, requireUser(request)),
  );
  r.post('/api/plans/:id/pillars', { schema: { tags, summary: 'Add a pillar', params: idParams, body: createPillarSchema, response: { 201: pillarRowSchema } } }, async (request, reply) => {
    return reply.status(201).send(await createPillar(ctx.db, request.params.id, request.body, requireUser(request)));
  });
  r.post('/api/plans/:id/actions/from-cluster', { schema: { tags, summary: 'Turn a cluster into a draft action (recommendations linked, lead entity from its assignments)', params: idParams, body: fromClusterSchema, response: { 201: planActionSchema } } }, async (request, reply) => {
    return reply.status(201).send(await actionFromCluster(ctx.db, request.params.id, request.body, requireUser(request)));
  });

  r.patch('/api/plan-pillars/:id', { schema: { tags, summary: 'Edit a pillar', params: idParams, body: patchPillarSchema, response: { 200: pillarRowSchema } } }, async (request) => {
    return patchSection(ctx.db, 'plan_pillars', request.params.id, request.body, requireUser(request));
  });
  r.delete('/api/plan-pillars/:id', { schema: { tags, summary: 'Delete a pillar and everything under it', params: idParams, querystring: versionQuery, response: { 204: z.null() } } }, async (request, reply) => {
    await deleteSection(ctx.db, 'plan_pillars', request.params.id, request.query.version, requireUser(request));
    return reply.status(204).send(null);
  });
  r.post('/api/plan-pillars/:id/objectives', { schema: { tags, summary: 'Add an objective to a pillar', params: idParams, body: createObjectiveSchema, response: { 201: objectiveRowSchema } } }, async (request, reply) => {
    return reply.status(201).send(await createObjective(ctx.db, request.params.id, request.body, requireUser(request)));
  });
  r.patch('/api/plan-objectives/:id', { schema: { tags, summary: 'Edit an objective', params: idParams, body: patchObjectiveSchema, response: { 200: objectiveRowSchema } } }, async (request) => {
    return patchSection(ctx.db, 'plan_objectives', request.params.id, request.body, requireUser(request));
  });
  r.delete('/api/plan-objectives/:id', { schema: { tags, summary: 'Delete an objective and everything under it', params: idParams, querystring: versionQuery, response: { 204: z.null() } } }, async (request, reply) => {
    await deleteSection(ctx.db, 'plan_objectives', request.params.id, request.query.version, requireUser(request));
    return reply.status(204).send(null);
  });
  r.post('/api/plan-objectives/:id/actions', { schema: { tags, summary: 'Add an action to an objective', params: idParams, body: createActionSchema, response: { 201: planActionSchema } } }, async (request, reply) => {
    return reply.status(201).send(await createAction(ctx.db, request.params.id, request.body, requireUser(request)));
  });
  r.post('/api/plan-objectives/:id/indicators', { schema: { tags, summary: 'Add an indicator to an objective', params: idParams, body: createIndicatorSchema, response: { 201: indicatorSchema } } }, async (request, reply) => {
    return reply.status(201).send(await createIndicator(ctx.db, { objectiveId: request.params.id }, request.body, requireUser(request)));
  });

  r.get('/api/plan-actions/:id', { schema: { tags, summary: 'One action with its links', params: idParams, response: { 200: planActionSchema } } }, async (request) => {
    requireUser(request);
    return getAction(ctx.db, request.params.id);
  });
  r.patch('/api/plan-actions/:id', { schema: { tags, summary: 'Edit an action (on an adopted plan only its status)', params: idParams, body: patchActionSchema, response: { 200: planActionSchema } } }, async (request) => {
    return patchAction(ctx.db, request.params.id, request.body, requireUser(request));
  });
  r.delete('/api/plan-actions/:id', { schema: { tags, summary: 'Delete an action', params: idParams, querystring: versionQuery, response: { 204: z.null() } } }, async (request, reply) => {
    await deleteAction(ctx.db, request.params.id, request.query.version, requireUser(request));
    return reply.status(204).send(null);
  });
  r.post('/api/plan-actions/:id/indicators', { schema: { tags, summary: 'Add an indicator to an action', params: idParams, body: createIndicatorSchema, response: { 201: indicatorSchema } } }, async (request, reply) => {
    return reply.status(201).send(await createIndicator(ctx.db, { actionId: request.params.id }, request.body, requireUser(request)));
  });

  r.patch('/api/plan-indicators/:id', { schema: { tags, summary: 'Edit an indicator', params: idParams, body: patchIndicatorSchema, response: { 200: indicatorSchema } } }, async (request) => {
    return patchIndicator(ctx.db, request.params.id, request.body, requireUser(request));
  });
  r.delete('/api/plan-indicators/:id', { schema: { tags, summary: 'Delete an indicator and its values', params: idParams, querystring: versionQuery, response: { 204: z.null() } } }, async (request, reply) => {
    await deleteIndicator(ctx.db, request.params.id, request.query.version, requireUser(request));
    return reply.status(204).send(null);
  });
  r.get('/api/plan-indicators/:id/values', { schema: { tags, summary: "An indicator's values that I may read (those of approved updates for everyone); values are reported in progress updates on the action", params: idParams, response: { 200: indicatorValuesSchema } } }, async (request) => {
    return listValues(ctx.db, request.params.id, requireUser(request));
  });
}
