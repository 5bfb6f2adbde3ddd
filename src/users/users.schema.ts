import { z } from 'zod';

/*
 * The answers about users, as the routes declare them (the OpenAPI document and the web app's generated types come
 * from these; Fastify serialises with them: src/server/response-serializer.ts).
 */
export const ROLE_VALUES = ['admin', 'coordinator', 'focal_point', 'contributor', 'viewer', 'stakeholder'] as const;

/** A user as the API shows it: no password hash, no two-factor secret (only when two-factor was turned on). */
export const publicUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLE_VALUES),
  entity_id: z.string().nullable(),
  locale: z.enum(['ar', 'en']),
  disabled_at: z.string().nullable(),
  last_login_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** when two-factor sign-in was turned on (null: off) */
  totp_enabled_at: z.string().nullable(),
  /** the identity provider's subject, for a user who signed in through OpenID Connect */
  oidc_subject: z.string().nullable(),
  /** set while the user holds a temporary password an administrator gave them */
  password_change_required_at: z.string().nullable(),
});

/** A user in the administrator's list: also until when failed sign-in attempts lock the account (null: not locked). */
export const adminUserSchema = publicUserSchema.extend({ locked_until: z.string().nullable() });
export const userListSchema = z.object({ items: z.array(adminUserSchema) });

/** The signed-in user (null: nobody) and what the session still requires. */
export const sessionSchema = z.object({
  user: publicUserSchema.nullable(),
  csrfToken: z.string().nullable(),
  /** the user's role requires two-factor sign-in and it is not set up yet: nothing else is open */
  twoFactorSetupRequired: z.boolean(),
  /** an administrator gave a temporary password: the user must choose their own before anything else */
  passwordChangeRequired: z.boolean(),
});

/** An administrator's or a user's password change: done. */
export const okSchema = z.object({ ok: z.boolean() });

/** POST /api/admin/users/:id/reset-link: where the link went and until when it works. */
export const resetLinkSentSchema = z.object({ sentTo: z.string(), expiresAt: z.string() });

/** POST /api/admin/users/:id/temporary-password: the password, shown this once. */
export const temporaryPasswordSchema = z.object({ temporaryPassword: z.string() });

/** POST /api/auth/password-reset/check: the link's account and until when it works. */
export const resetLinkCheckSchema = z.object({ email: z.string(), expiresAt: z.string() });

/** POST /api/auth/password-reset: the password is set for this account. */
export const passwordResetDoneSchema = z.object({ ok: z.boolean(), email: z.string() });
