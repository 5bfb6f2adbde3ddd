import { z } from 'zod';

const id = z.string().min(1).max(100);

export const assignBodySchema = z
  .object({
    recommendationIds: z.array(id).min(1).max(2000).optional(),
    clusterId: id.optional(),
    entityId: id,
    role: z.enum(['lead', 'supporting']).default('lead'),
    dueDate: z.iso.date().nullable().optional(),
  })
  .strict()
  .refine((b) => (b.recommendationIds ? 1 : 0) + (b.clusterId ? 1 : 0) === 1, {
    message: 'Send either recommendationIds or clusterId.',
    path: ['recommendationIds'],
  });
export type AssignInput = z.infer<typeof assignBodySchema>;

const bool = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'));

export const listAssignmentsQuery = z.object({
  entity: id.optional(),
  recommendation: id.optional(),
  cluster: id.optional(),
  /** due on or before this date */
  due: z.iso.date().optional(),
  overdue: bool,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListAssignmentsQuery = z.infer<typeof listAssignmentsQuery>;

export const idParams = z.object({ id });
export const workspaceQuery = z.object({ entity: id.optional() });
