import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../server/context.ts';
import { requireUser } from './guards.ts';
import { secretKeysFor } from './secret-box.ts';
import { okSchema } from '../users/index.ts';
import { recoveryCodesSchema, twoFactorPolicySchema, twoFactorSetupSchema, twoFactorStatusSchema } from './two-factor.schema.ts';
import { confirmSetup, disableOwn, requiredRoles, resetFor, setRequiredRoles, startSetup, TWO_FACTOR_ROLES, twoFactorStatus } from './two-factor.service.ts';

export function twoFactorRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const open = { duringTwoFactorSetup: true };

  r.get('/api/auth/two-factor', { config: open, schema: { tags: ['auth'], summary: 'My two-factor sign-in: on or off, required or not, recovery codes left', response: { 200: twoFactorStatusSchema } } }, async (request) =>
    twoFactorStatus(ctx.db, requireUser(request)),
  );
  r.post(
    '/api/auth/two-factor/setup',
    { config: open, schema: { tags: ['auth'], summary: 'Start setting up two-factor sign-in: a new secret, its otpauth address and QR code (SVG)', response: { 200: twoFactorSetupSchema } } },
    async (request) => startSetup(ctx.db, requireUser(request), secretKeysFor(ctx.config)),
  );
  r.post(
    '/api/auth/two-factor/confirm',
    {
      config: open,
      schema: { tags: ['auth'], summary: 'Confirm set-up with a code from the app: turns two-factor on and returns ten recovery codes, shown once', body: z.object({ code: z.string().min(1).max(16) }), response: { 200: recoveryCodesSchema } },
    },
    async (request) => confirmSetup(ctx.db, requireUser(request).id, request.body.code, secretKeysFor(ctx.config)),
  );
  r.post(
    '/api/auth/two-factor/disable',
    { schema: { tags: ['auth'], summary: 'Turn my two-factor sign-in off (the password is required)', body: z.object({ password: z.string().min(1).max(200) }), response: { 200: okSchema } } },
    async (request) => {
      await disableOwn(ctx.db, requireUser(request).id, request.body.password);
      return { ok: true };
    },
  );
  r.post(
    '/api/admin/users/:id/two-factor/reset',
    { config: { roles: ['admin'] }, schema: { tags: ['users'], summary: "Clear a user's two-factor sign-in (a lost phone); they set it up again (admin)", params: z.object({ id: z.string().max(100) }), response: { 200: okSchema } } },
    async (request) => {
      await resetFor(ctx.db, request.params.id, requireUser(request).id);
      return { ok: true };
    },
  );
  r.get('/api/admin/two-factor-policy', { config: { roles: ['admin'] }, schema: { tags: ['users'], summary: 'The roles that must use two-factor sign-in (admin)', response: { 200: twoFactorPolicySchema } } }, async () => ({
    roles: await requiredRoles(ctx.db),
    allowed: [...TWO_FACTOR_ROLES],
  }));
  r.put(
    '/api/admin/two-factor-policy',
    { config: { roles: ['admin'] }, schema: { tags: ['users'], summary: 'Set the roles that must use two-factor sign-in (admin)', body: z.object({ roles: z.array(z.enum(['admin', 'coordinator'])).max(2) }), response: { 200: twoFactorPolicySchema } } },
    async (request) => ({ roles: await setRequiredRoles(ctx.db, request.body.roles, requireUser(request).id), allowed: [...TWO_FACTOR_ROLES] }),
  );
}
