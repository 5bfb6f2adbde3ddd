import { z } from 'zod';

export const OBLIGATION_TYPES = ['upr_national', 'upr_midterm', 'treaty_periodic', 'loipr_replies', 'treaty_followup', 'arab_charter', 'sp_followup'] as const;
export const OBLIGATION_STATUSES = ['planned', 'drafting', 'in_review', 'approved', 'submitted'] as const;

const id = z.string().min(1).max(100);
const source = z
  .object({
    documentId: id,
    /** paragraph numbers answered (e.g. "156.23", "12"); omitted = the whole document */
    paragraphs: z.array(z.string().trim().min(1).max(40)).max(2000).optional(),
  })
  .strict();

const fields = {
  title_ar: z.string().trim().max(500).nullable().optional(),
  title_en: z.string().trim().max(500).nullable().optional(),
  dueDate: z.iso.date(),
  ownerId: id.nullable().optional(),
  notes: z.string().max(10_000).nullable().optional(),
  sources: z.array(source).max(100).optional(),
};

export const createObligationSchema = z
  .object({
    type: z.enum(OBLIGATION_TYPES),
    /** the body owed (id like "body-cedaw" or code like "CEDAW"); checked by the service (code body_required) */
    body: z.string().trim().max(100).optional(),
    ...fields,
  })
  .strict();
export type CreateObligationInput = z.infer<typeof createObligationSchema>;

export const patchObligationSchema = z
  .object({
    version: z.number().int().min(1),
    status: z.enum(OBLIGATION_STATUSES).optional(),
    body: z.string().trim().min(1).max(100).optional(),
    ...fields,
    dueDate: fields.dueDate.optional(),
  })
  .strict();
export type PatchObligationInput = z.infer<typeof patchObligationSchema>;

export const listObligationsQuery = z.object({
  type: z.enum(OBLIGATION_TYPES).optional(),
  body: z.string().max(100).optional(),
  status: z.enum([...OBLIGATION_STATUSES, 'overdue']).optional(),
  owner: id.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export type ListObligationsQuery = z.infer<typeof listObligationsQuery>;

export const calendarQuery = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  body: z.string().max(100).optional(),
  entity: id.optional(),
});
export type CalendarQuery = z.infer<typeof calendarQuery>;

export const idParams = z.object({ id });
export const versionBody = z.object({ version: z.number().int().min(1) }).strict();
