import { z } from 'zod';
import { ROLE_VALUES } from '../users/index.ts';

/*
 * The answers of the two-factor routes, as the routes declare them (the OpenAPI document and the web app's generated
 * types come from these; Fastify serialises with them: src/server/response-serializer.ts).
 */
export const twoFactorStatusSchema = z.object({
  enabled: z.boolean(),
  enabledAt: z.string().nullable(),
  /** the user's role must use two-factor sign-in */
  required: z.boolean(),
  recoveryCodesLeft: z.number(),
});

export const twoFactorSetupSchema = z.object({
  /** the new secret (base32), for typing into the app by hand */
  secret: z.string(),
  /** its otpauth:// address */
  uri: z.string(),
  /** the address as a QR code (SVG markup) */
  qrSvg: z.string(),
});

/** Ten recovery codes, shown once. */
export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });

export const twoFactorPolicySchema = z.object({
  /** the roles that must use two-factor sign-in */
  roles: z.array(z.enum(ROLE_VALUES)),
  /** the roles it can be required of */
  allowed: z.array(z.enum(ROLE_VALUES)),
});
