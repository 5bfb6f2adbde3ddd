import { z } from 'zod';
import { ACTION_STATUSES } from '../updates/index.ts';
import { ROLE_VALUES } from '../users/index.ts';

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

/* ---------------- the answers (src/server/response-serializer.ts) ---------------- */

const REPORT_STATUSES = ['draft', 'in_review', 'approved', 'submitted'] as const;
/**
 * An obligation's (or its report's) stored type: one of OBLIGATION_TYPES, but a row written by a newer version of Rasd
 * may hold a type this one does not know, and the lists must still answer (test/integration/reports-bad-input.test.ts).
 */
export const storedObligationType = z.string();
const obligationStatus = z.enum(OBLIGATION_STATUSES);

/** An obligation as listed and shown: its row, its body and owner, and whether it is overdue. */
const obligationRow = z.object({
  id: z.string(),
  type: storedObligationType,
  body_id: z.string(),
  title_ar: z.string().nullable(),
  title_en: z.string().nullable(),
  due_date: z.string(),
  owner_id: z.string().nullable(),
  status: obligationStatus,
  notes: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
  body_code: z.string(),
  body_name_ar: z.string(),
  body_name_en: z.string(),
  owner_name: z.string().nullable(),
  overdue: z.boolean(),
  /** the status, or "overdue" when past due and not submitted */
  displayStatus: z.enum([...OBLIGATION_STATUSES, 'overdue']),
});

export const obligationListSchema = z.object({
  items: z.array(obligationRow.extend({ reports: z.array(z.object({ id: z.string(), status: z.enum(REPORT_STATUSES) })) })),
});

export const obligationDetailSchema = obligationRow.extend({
  sources: z.array(z.object({ documentId: z.string(), symbol: z.string(), paragraphs: z.array(z.string()).nullable() })),
  reports: z.array(
    z.object({ id: z.string(), status: z.enum(REPORT_STATUSES), type: storedObligationType, title_ar: z.string().nullable(), title_en: z.string().nullable(), updated_at: z.string() }),
  ),
});

export const obligationSuggestionsSchema = z.object({
  items: z.array(
    z.object({
      type: z.enum(OBLIGATION_TYPES),
      bodyId: z.string(),
      bodyCode: z.string(),
      documentId: z.string(),
      symbol: z.string(),
      basisDate: z.string(),
      dueDate: z.string(),
      paragraphs: z.array(z.string()).nullable(),
      /** which rule suggested the date (e.g. upr_midterm_2_5_years) */
      rule: z.string(),
      alreadyPlanned: z.boolean(),
    }),
  ),
});

export const obligationOwnersSchema = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(ROLE_VALUES), entity_id: z.string().nullable() })),
});

const calendarObligation = z.object({
  kind: z.literal('obligation'),
  id: z.string(),
  date: z.string(),
  type: storedObligationType,
  bodyCode: z.string(),
  title_ar: z.string().nullable(),
  title_en: z.string().nullable(),
  status: obligationStatus,
  overdue: z.boolean(),
});
const calendarAssignment = z.object({
  kind: z.literal('assignment'),
  id: z.string(),
  date: z.string(),
  entityId: z.string(),
  entity_ar: z.string(),
  entity_en: z.string(),
  /** symbol and paragraph of the recommendation; null for a cluster's assignment */
  label: z.string().nullable(),
  cluster_ar: z.string().nullable(),
  cluster_en: z.string().nullable(),
  recommendationId: z.string().nullable(),
  answered: z.boolean(),
  overdue: z.boolean(),
});
const calendarAction = z.object({
  kind: z.literal('action'),
  id: z.string(),
  date: z.string(),
  planId: z.string(),
  code: z.string(),
  title_ar: z.string(),
  title_en: z.string(),
  actionStatus: z.enum(ACTION_STATUSES),
  entityId: z.string().nullable(),
  entity_ar: z.string().nullable(),
  entity_en: z.string().nullable(),
  /** how the filtered entity takes part; null without an entity filter */
  entityRole: z.enum(['lead', 'partner']).nullable(),
  overdue: z.boolean(),
});
export const calendarSchema = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(z.discriminatedUnion('kind', [calendarObligation, calendarAssignment, calendarAction])),
});

export const feedStatusSchema = z.object({ active: z.boolean(), created_at: z.string().nullable(), last_used_at: z.string().nullable() });
/** The secret feed address, shown once. */
export const feedCreatedSchema = z.object({ url: z.string(), created_at: z.string() });
