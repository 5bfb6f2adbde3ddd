import { z } from 'zod';

/*
 * The answers of the demo workspace's admin routes, as the routes declare them (the OpenAPI document and the web app's
 * generated types come from these; Fastify serialises with them: src/server/response-serializer.ts).
 */

/** Records of the demo workspace, per kind. */
export const demoCountsSchema = z.object({
  users: z.number(),
  entities: z.number(),
  documents: z.number(),
  recommendations: z.number(),
  clusters: z.number(),
  plans: z.number(),
  obligations: z.number(),
  reports: z.number(),
  assignments: z.number(),
  updates: z.number(),
  terms: z.number(),
});

export const demoWorkspaceSchema = z.object({
  exists: z.boolean(),
  /** what removal deletes (entities and themes: only those nothing that stays uses) */
  counts: demoCountsSchema,
  /** real work on demo records that removal would lose: removal is refused while any is listed */
  blockers: z.array(
    z.object({
      kind: z.enum(['assignments', 'updates', 'status_changes', 'plan_links', 'cluster_members', 'obligation_sources', 'reports', 'merges', 'plan_versions']),
      count: z.number(),
    }),
  ),
  /** the demo's sign-in e-mails (the accounts removal deletes) */
  emails: z.array(z.string()),
});

export const demoRemovedSchema = z.object({ removed: demoCountsSchema });
