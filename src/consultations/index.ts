import type { FastifyInstance } from 'fastify';
import { createMailer } from '../notifications/index.ts';
import type { AppContext } from '../server/context.ts';
import { AbuseGuards } from './abuse.ts';
import { consultationPages } from './consultations.pages.ts';
import { consultationsApiRoutes } from './consultations.routes.ts';

export { acceptedCommentsFor } from './consultations.service.ts';
export { MAX_ATTACHMENT_BYTES, MAX_COMMENT_CHARS } from './consultations.schema.ts';

/** Consultation (issue 16): the stakeholder role, consultations, comments and their moderation; API and portal pages. */
export function consultationsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const guards = new AbuseGuards(ctx.db);
  const mailer = createMailer({ smtpUrl: ctx.config.smtpUrl, from: ctx.config.mailFrom });
  app.addHook('onClose', async () => mailer.close());
  consultationsApiRoutes(app, ctx, guards, mailer);
  consultationPages(app, ctx, guards, mailer);
}
