import { z } from 'zod';

/*
 * The settings' answers, as the routes declare them (the OpenAPI document and the web app's generated types come from
 * these; Fastify serialises with them: src/server/response-serializer.ts).
 */
const names = z.object({ ar: z.string(), en: z.string() });

/** What every visitor sees before signing in. */
export const publicSettingsSchema = z.object({
  stateName: names,
  /** the application's own title (empty: the product name) */
  appTitle: names,
  demo: z.boolean(),
  /** the demo's sign-in accounts still active, only while the demo workspace exists (empty otherwise) */
  demoLogins: z.array(z.object({ role: z.string(), email: z.string() })),
  demoPassword: z.string().nullable(),
  /** the state's logo: its sha-256 (the cache key of `/api/settings/logo?v=`), or null when none is set */
  logo: z.string().nullable(),
  /** sign-in through the identity provider (OpenID Connect) is on */
  sso: z.boolean(),
});

/** The state's names and the app's title, as the admin settings form edits them. */
export const instanceSettingsSchema = z.object({
  stateName: names,
  appTitle: names,
  /** optimistic concurrency: send the version read */
  version: z.number(),
});

export const logoMetaSchema = z.object({
  mime: z.enum(['image/png', 'image/jpeg']),
  /** sha-256 of the bytes (hex): the ETag and the cache-busting part of the logo's address */
  sha256: z.string(),
  size: z.number(),
  updatedAt: z.string(),
});
