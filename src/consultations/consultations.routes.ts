import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/guards.ts';
import { secretKeyFor } from '../auth/secret-box.ts';
import type { Role } from '../db/schema.ts';
import type { Mailer } from '../notifications/index.ts';
import type { AppContext } from '../server/context.ts';
import type { AbuseGuards } from './abuse.ts';
import { consultationRecordXlsx } from './consultation-record.ts';
import {
  acceptedCommentsSchema,
  commentBodySchema,
  consultationCommentSchema,
  consultationListSchema,
  consultationSchema,
  createConsultationSchema,
  decisionBodySchema,
  idParams,
  inviteBodySchema,
  itemCommentsQuery,
  moderationBodySchema,
  patchConsultationSchema,
  powChallengeSchema,
  registerBodySchema,
  registeredSchema,
  stakeholderDecisionSchema,
  stakeholderListQuery,
  stakeholderListSchema,
} from './consultations.schema.ts';
import {
  acceptedCommentsFor,
  createConsultation,
  getConsultation,
  inviteStakeholders,
  listConsultations,
  moderateComment,
  openAttachment,
  patchConsultation,
  submitComment,
} from './consultations.service.ts';
import { powRequired, issueChallenge, spendProof } from './proof-of-work.ts';
import { decideStakeholder, listStakeholders, registerStakeholder } from './stakeholders.service.ts';

const CURATORS: readonly Role[] = ['admin', 'coordinator'];
const STAKEHOLDER: readonly Role[] = ['stakeholder'];
/** Everyone inside the secretariat and the entities: what stakeholders said, once accepted, beside the item. */
const INTERNAL: readonly Role[] = ['admin', 'coordinator', 'focal_point', 'contributor', 'viewer'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function consultationsApiRoutes(app: FastifyInstance, ctx: AppContext, guards: AbuseGuards, mailer: Mailer): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['consultation'];

  r.post(
    '/api/public/stakeholders/register',
    {
      config: { anonymous: true },
      schema: {
        tags,
        summary: 'A stakeholder (NHRI, civil society) registers with a proof of work (pow_challenge, pow_nonce): a confirmation link is mailed; once confirmed, the account waits for a coordinator’s approval. Rate-limited per address (counted in the database); a filled honeypot field is refused',
        body: registerBodySchema,
        response: { 201: registeredSchema },
      },
    },
    async (request, reply) => {
      const { pow_challenge, pow_nonce } = request.body;
      if (!pow_challenge || !pow_nonce) throw powRequired();
      await spendProof(ctx.db, secretKeyFor(ctx.config), pow_challenge, pow_nonce);
      await guards.registration(request.ip, true);
      const out = await registerStakeholder(ctx.db, mailer, request.body, { publicUrl: ctx.config.publicUrl });
      return reply.status(201).send({ id: out.id, status: 'pending', emailConfirmed: false });
    },
  );
  r.get(
    '/api/public/pow-challenge',
    {
      config: { anonymous: true },
      schema: {
        tags,
        summary:
          'A proof-of-work challenge for the public forms (valid an hour, usable once): find a nonce (decimal digits) such that sha256("<challenge>:<nonce>") starts with `bits` zero bits',
        response: { 200: powChallengeSchema },
      },
    },
    async (_request, reply) => {
      const challenge = issueChallenge(secretKeyFor(ctx.config));
      const [expires, , bits] = challenge.split('.');
      return reply.header('cache-control', 'no-store').send({ challenge, bits: Number(bits), expiresAt: new Date(Number(expires)).toISOString() });
    },
  );

  r.get('/api/stakeholders', { config: { roles: CURATORS }, schema: { tags, summary: 'Registered stakeholders, newest first (filter by status)', querystring: stakeholderListQuery, response: { 200: stakeholderListSchema } } }, async (request) =>
    listStakeholders(ctx.db, request.query.status),
  );
  r.post(
    '/api/stakeholders/:id/decision',
    { config: { roles: CURATORS }, schema: { tags, summary: 'Approve or reject (with a reason) a stakeholder’s registration; audited and mailed', params: idParams, body: decisionBodySchema, response: { 200: stakeholderDecisionSchema } } },
    async (request) => {
      const { mailError, ...out } = await decideStakeholder(ctx.db, mailer, request.params.id, request.body, requireUser(request).id);
      if (mailError) request.log.warn({ err: mailError }, 'the stakeholder decision could not be mailed');
      return out;
    },
  );

  r.get('/api/consultations', { config: { roles: [...CURATORS, 'stakeholder'] }, schema: { tags, summary: 'Consultations with their counts (a stakeholder: those open to them)', response: { 200: consultationListSchema } } }, async (request) =>
    listConsultations(ctx.db, requireUser(request)),
  );
  r.post('/api/consultations', { config: { roles: CURATORS }, schema: { tags, summary: 'Open a consultation on recommendations, a report draft or the action-plan draft', body: createConsultationSchema, response: { 201: consultationSchema } } }, async (request, reply) =>
    reply.status(201).send(await createConsultation(ctx.db, request.body, requireUser(request))),
  );
  r.get(
    '/api/consultations/:id',
    { config: { roles: [...CURATORS, 'stakeholder'] }, schema: { tags, summary: 'One consultation: items, invitations and comments (a stakeholder: the items and their own comments)', params: idParams, response: { 200: consultationSchema } } },
    async (request) => getConsultation(ctx.db, request.params.id, requireUser(request)),
  );
  r.patch(
    '/api/consultations/:id',
    { config: { roles: CURATORS }, schema: { tags, summary: 'Change the period, titles, questions or audience (version-checked)', params: idParams, body: patchConsultationSchema, response: { 200: consultationSchema } } },
    async (request) => patchConsultation(ctx.db, request.params.id, request.body, requireUser(request)),
  );
  r.post(
    '/api/consultations/:id/invitations',
    { config: { roles: CURATORS }, schema: { tags, summary: 'Invite approved stakeholders', params: idParams, body: inviteBodySchema, response: { 200: consultationSchema } } },
    async (request) => inviteStakeholders(ctx.db, request.params.id, request.body.user_ids, requireUser(request)),
  );
  r.post(
    '/api/consultations/:id/comments',
    { config: { roles: STAKEHOLDER }, schema: { tags, summary: 'A stakeholder comments on one item during the period (rate-limited, size-capped); attachments go through the portal form', params: idParams, body: commentBodySchema, response: { 201: consultationCommentSchema } } },
    async (request, reply) => {
      const user = requireUser(request);
      // an approved account's session with its CSRF header, not an anonymous form: the ordinary limits, no proof of work
      await guards.comment(user.id, request.ip, true);
      return reply.status(201).send(await submitComment(ctx.db, request.params.id, request.body, user, ctx.config));
    },
  );
  r.post(
    '/api/consultation-comments/:id/moderation',
    { config: { roles: CURATORS }, schema: { tags, summary: 'Accept or reject (with a reason) a comment; an accepted one may be shown in public', params: idParams, body: moderationBodySchema, response: { 200: consultationCommentSchema } } },
    async (request) => moderateComment(ctx.db, request.params.id, request.body, requireUser(request)),
  );
  r.get(
    '/api/consultation-comments/:id/attachment',
    { config: { roles: [...CURATORS, 'stakeholder'] }, schema: { tags, summary: 'Download a comment’s attachment (curators, or its author)', params: idParams } },
    async (request, reply) => {
      const file = await openAttachment(ctx.db, request.params.id, requireUser(request), ctx.config.dataDir);
      return reply
        .header('content-type', file.mime)
        .header('content-length', String(file.size))
        .header('content-disposition', attachment(file.name))
        .header('x-content-type-options', 'nosniff')
        .send(file.stream);
    },
  );
  r.get(
    '/api/consultation-comments',
    { config: { roles: INTERNAL }, schema: { tags, summary: 'Accepted stakeholder comments on an item (recommendation, report section, plan action), or on several (item_ids, comma-separated)', querystring: itemCommentsQuery, response: { 200: acceptedCommentsSchema } } },
    async (request) => acceptedCommentsFor(ctx.db, request.query.item_type, request.query.item_ids ?? [request.query.item_id!]),
  );
  r.get(
    '/api/consultations/:id/record.xlsx',
    {
      config: { roles: CURATORS },
      schema: { tags, summary: 'The consultation record for a report’s methodology: invited, participants, counts, dates (XLSX)', params: idParams, querystring: z.object({ lang: z.enum(['ar', 'en']).default('ar') }) },
    },
    async (request, reply) => {
      const bytes = await consultationRecordXlsx(ctx.db, request.params.id, requireUser(request), request.query.lang);
      return reply.header('content-type', XLSX).header('content-disposition', `attachment; filename="consultation-record-${request.query.lang}.xlsx"`).send(bytes);
    },
  );
}
