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
