import { z } from 'zod';

/** A comment: at most this many characters (abuse check, issue 16 item 4). */
export const MAX_COMMENT_CHARS = 4000;
/** An attachment to a comment: at most this many bytes (smaller than evidence: it comes from outside). */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

const iso = z.iso.datetime({ offset: true });
const bilingual = z.object({ ar: z.string().trim().min(1).max(1000), en: z.string().trim().min(1).max(1000) });

export const idParams = z.object({ id: z.uuid() });

export const registerBodySchema = z.object({
  name: z.string().trim().min(2).max(200),
  organisation: z.string().trim().min(2).max(300),
  org_kind: z.enum(['nhri', 'civil_society', 'other']),
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(200),
  locale: z.enum(['ar', 'en']).default('ar'),
  /** honeypot: hidden from people, filled in by form-filling robots */
  website: z.string().max(500).optional(),
  /** proof of work: a challenge from GET /api/public/pow-challenge and the nonce found for it (see proof-of-work.ts) */
  pow_challenge: z.string().max(200).optional(),
  pow_nonce: z.string().max(20).optional(),
});
export type RegisterInput = z.infer<typeof registerBodySchema>;

export const stakeholderListQuery = z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional() });
export const decisionBodySchema = z.object({
  decision: z.enum(['approve', 'reject']),
  reason: z.string().trim().max(2000).optional(),
  version: z.number().int().positive(),
});

export const createConsultationSchema = z
  .object({
    subject: z.enum(['recommendations', 'report', 'plan']),
    /** the report or plan id (subject report or plan) */
    subject_id: z.uuid().optional(),
    /** recommendations (subject recommendations), report section ids or plan action ids (a selection; all when absent) */
    item_ids: z.array(z.uuid()).max(2000).optional(),
    title_ar: z.string().trim().min(1).max(300),
    title_en: z.string().trim().min(1).max(300),
    description_ar: z.string().trim().max(5000).default(''),
    description_en: z.string().trim().max(5000).default(''),
    questions: z.array(bilingual).max(20).default([]),
    opens_at: iso,
    closes_at: iso,
    audience: z.enum(['invited', 'open']),
    invite_user_ids: z.array(z.uuid()).max(1000).default([]),
  })
  .refine((v) => v.subject === 'recommendations' || v.subject_id, { message: 'subject_id is required for a report or plan consultation', path: ['subject_id'] });
export type CreateConsultationInput = z.infer<typeof createConsultationSchema>;

export const patchConsultationSchema = z.object({
  version: z.number().int().positive(),
  title_ar: z.string().trim().min(1).max(300).optional(),
  title_en: z.string().trim().min(1).max(300).optional(),
  description_ar: z.string().trim().max(5000).optional(),
  description_en: z.string().trim().max(5000).optional(),
  questions: z.array(bilingual).max(20).optional(),
  opens_at: iso.optional(),
  closes_at: iso.optional(),
  audience: z.enum(['invited', 'open']).optional(),
});
export type PatchConsultationInput = z.infer<typeof patchConsultationSchema>;

export const inviteBodySchema = z.object({ user_ids: z.array(z.uuid()).min(1).max(1000) });

export const commentBodySchema = z.object({
  item_type: z.enum(['recommendation', 'report_section', 'plan_action']),
  item_id: z.uuid(),
  body: z.string().max(MAX_COMMENT_CHARS * 2),
});

export const moderationBodySchema = z.object({
  decision: z.enum(['accept', 'reject']),
  reason: z.string().trim().max(2000).optional(),
  is_public: z.boolean().default(false),
  version: z.number().int().positive(),
});

export const itemCommentsQuery = z
  .object({
    item_type: z.enum(['recommendation', 'report_section', 'plan_action']),
    item_id: z.uuid().optional(),
    /** several items at once (a plan's actions, a report's sections), comma-separated */
    item_ids: z
      .string()
      .max(500 * 37)
      .transform((s) => s.split(',').filter(Boolean))
      .pipe(z.array(z.uuid()).max(500))
      .optional(),
  })
  .refine((q) => q.item_id || q.item_ids, { message: 'Give item_id or item_ids', path: ['item_id'] });

/* ---------------- the answers (src/server/response-serializer.ts) ---------------- */

const ITEM_TYPE = z.enum(['recommendation', 'report_section', 'plan_action']);
const COMMENT_STATUS = z.enum(['pending', 'accepted', 'rejected']);
const STAKEHOLDER_STATUS = z.enum(['pending', 'approved', 'rejected']);

export const powChallengeSchema = z.object({
  challenge: z.string(),
  /** leading zero bits sha256("<challenge>:<nonce>") must start with */
  bits: z.number(),
  expiresAt: z.string(),
});

/** A registration, received: the confirmation link is mailed; the account then waits for a coordinator. */
export const registeredSchema = z.object({ id: z.string(), status: z.literal('pending'), emailConfirmed: z.boolean() });

export const stakeholderSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  locale: z.enum(['ar', 'en']),
  organisation: z.string(),
  org_kind: z.enum(['nhri', 'civil_society', 'other']),
  status: STAKEHOLDER_STATUS,
  decision_reason: z.string().nullable(),
  decided_at: z.string().nullable(),
  decided_by_name: z.string().nullable(),
  created_at: z.string(),
  email_confirmed_at: z.string().nullable(),
  version: z.number(),
});
export const stakeholderListSchema = z.object({ items: z.array(stakeholderSchema) });
/** The decided registration, and whether the decision could be mailed to the stakeholder. */
export const stakeholderDecisionSchema = stakeholderSchema.extend({ mailed: z.boolean() });

const consultationRow = z.object({
  id: z.string(),
  subject: z.enum(['recommendations', 'report', 'plan']),
  subject_id: z.string().nullable(),
  title_ar: z.string(),
  title_en: z.string(),
  description_ar: z.string(),
  description_en: z.string(),
  questions: z.array(z.object({ ar: z.string(), en: z.string() })),
  opens_at: z.string(),
  closes_at: z.string(),
  audience: z.enum(['invited', 'open']),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
  state: z.enum(['upcoming', 'open', 'closed']),
});

/** A comment as submitted or moderated (without where its attachment is stored). */
export const consultationCommentSchema = z.object({
  id: z.string(),
  consultation_id: z.string(),
  item_type: ITEM_TYPE,
  item_id: z.string(),
  author_id: z.string(),
  body: z.string(),
  attachment_name: z.string().nullable(),
  attachment_mime: z.string().nullable(),
  attachment_size: z.number().nullable(),
  status: COMMENT_STATUS,
  moderation_reason: z.string().nullable(),
  is_public: z.boolean(),
  moderated_by: z.string().nullable(),
  moderated_at: z.string().nullable(),
  created_at: z.string(),
  version: z.number(),
});

/** Curators see every count; a stakeholder only how many items there are. */
const curatorCounts = z.object({ comments: z.number(), pending: z.number(), accepted: z.number(), participants: z.number(), invited: z.number(), items: z.number() });
export const consultationListSchema = z.object({
  items: z.array(consultationRow.extend({ counts: z.union([curatorCounts, z.object({ items: z.number() })]) })),
});

export const consultationSchema = consultationRow.extend({
  items: z.array(z.object({ item_type: ITEM_TYPE, item_id: z.string(), ref: z.string(), label_ar: z.string(), label_en: z.string() })),
  /** curators: every comment; a stakeholder: their own */
  comments: z.array(consultationCommentSchema.omit({ consultation_id: true, moderated_by: true }).extend({ author_name: z.string(), author_organisation: z.string().nullable() })),
  /** curators only (a stakeholder gets an empty list) */
  invitations: z.array(z.object({ user_id: z.string(), name: z.string(), organisation: z.string().nullable(), invited_at: z.string() })),
});

/** Accepted comments beside items, for the secretariat. */
export const acceptedCommentsSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      item_id: z.string(),
      consultation_id: z.string(),
      consultation_title_ar: z.string(),
      consultation_title_en: z.string(),
      author_name: z.string(),
      author_organisation: z.string().nullable(),
      body: z.string(),
      attachment_name: z.string().nullable(),
      is_public: z.boolean(),
      created_at: z.string(),
      moderated_at: z.string().nullable(),
    }),
  ),
});
