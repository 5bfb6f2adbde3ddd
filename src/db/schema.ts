import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types. Conventions shared by both engines:
 * ids are text (uuid), timestamps are UTC ISO-8601 text, booleans are integers 0/1,
 * lists and structured values are JSON text. Repositories convert at the edge.
 */

export interface SettingsTable {
  key: string;
  value: string; // JSON
  updated_at: string;
}

export interface EntitiesTable {
  id: string;
  code: string;
  name_ar: string;
  name_en: string;
  parent_id: string | null;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** stakeholder: a self-registered NHRI or civil-society account; it reaches only the consultation routes. */
export type Role = 'admin' | 'coordinator' | 'focal_point' | 'contributor' | 'viewer' | 'stakeholder';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  entity_id: string | null;
  locale: 'ar' | 'en';
  disabled_at: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  /** base32 TOTP secret: set when two-factor set-up starts, in use once totp_enabled_at is set */
  totp_secret: string | null;
  totp_enabled_at: string | null;
  /** the last time step a code was accepted for: each code is good once */
  totp_last_step: number | null;
  /** the identity provider's subject, for a user who signed in through OpenID Connect */
  oidc_subject: string | null;
  /** set when an administrator gave a temporary password: the user must choose their own before anything else */
  password_change_required_at: string | null;
}

/** A file stored in the database (FILE_STORAGE=database): its bytes are in file_chunks. */
export interface FilesTable {
  id: string;
  /** what it is: 'evidence' */
  kind: string;
  size: number;
  sha256: string;
  created_at: string;
}

export interface FileChunksTable {
  file_id: string;
  /** 0, 1, 2… in order */
  seq: number;
  /** up to 1 MiB */
  data: Uint8Array;
}

export interface PasswordResetsTable {
  /** sha256 of the link's token */
  id: string;
  user_id: string;
  /** the administrator who sent the link */
  created_by: string | null;
  created_at: string;
  expires_at: string;
  /** set when the link is used (or replaced by a newer one): a link works once */
  used_at: string | null;
}

export interface OidcRequestsTable {
  state: string;
  nonce: string;
  code_verifier: string;
  created_at: string;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  /** sha256 of the normalised code */
  code_hash: string;
  used_at: string | null;
  created_at: string;
}

export interface SessionsTable {
  /** sha256 of the cookie token: a leaked database does not give usable cookies */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface LoginThrottleTable {
  /** "pair:<email>|<address>", "account:<email>" or "ip:<address>" */
  key: string;
  /** attempts reserved in the current window */
  attempts: number;
  window_start: string;
  /** how many times the key was locked since its last successful sign-in (the lock doubles each time) */
  strikes: number;
  locked_until: string | null;
}

export interface KnownDevicesTable {
  /** sha256 of the device cookie's token */
  id: string;
  user_id: string;
  created_at: string;
  last_used_at: string;
}

export interface MechanismsTable {
  id: string;
  code: string;
  name_ar: string;
  name_en: string;
  sort: number;
}

export interface BodiesTable {
  id: string;
  code: string;
  mechanism_id: string;
  name_ar: string;
  name_en: string;
  sort: number;
}

export interface DocumentsTable {
  id: string;
  symbol: string;
  body_id: string;
  type: string;
  title_ar: string | null;
  title_en: string | null;
  country: string | null;
  date: string | null;
  upr_cycle: number | null;
  upr_session: number | null;
  url: string | null;
  created_at: string;
  updated_at: string;
}

export type RecommendationKind = 'recommendation' | 'observation' | 'pledge';
export type Position = 'supported' | 'noted' | 'partially_supported';

export interface RecommendationsTable {
  id: string;
  document_id: string;
  paragraph: string | null;
  /** the key a re-import matches on: the source's id, or "symbol#paragraph" */
  external_id: string;
  external_source: string | null;
  original_lang: string | null;
  text_ar: string | null;
  text_en: string | null;
  text_fr: string | null;
  kind: RecommendationKind;
  position: Position | null;
  position_source: string | null;
  recommending_states: string; // JSON array of names
  status: string;
  priority: string | null;
  is_public: number;
  follow_up: number;
  due_date: string | null;
  notes: string | null;
  cluster_id: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export type TermKind = 'theme' | 'affected_person' | 'sdg_goal' | 'sdg_target' | 'tag';

export interface TermsTable {
  id: string;
  kind: TermKind;
  code: string;
  label_ar: string | null;
  label_en: string | null;
  parent_id: string | null;
  sort: number;
  created_at: string;
}

export interface RecommendationTermsTable {
  recommendation_id: string;
  term_id: string;
}

export interface StatusesTable {
  code: string;
  label_ar: string;
  label_en: string;
  color: string;
  sort: number;
}

export interface StatusHistoryTable {
  id: string;
  recommendation_id: string;
  from_status: string | null;
  to_status: string;
  /** what a person wrote; a change made by the system leaves it null or holds the comment given with it */
  reason: string | null;
  /** a system change's reason as a code (e.g. `update_approved`), rendered in the reader's language */
  reason_code: string | null;
  /** JSON object of the code's parameters (e.g. {"update_id": "…"}) */
  reason_params: string | null;
  changed_by: string | null;
  changed_at: string;
}

export interface GlossaryEntriesTable {
  id: string;
  term_ar: string;
  term_en: string;
  note: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  before: string | null; // JSON
  after: string | null; // JSON
}

/** Row-level change log of the in-memory register (migration 020). */
export interface RegisterChangesTable {
  seq: Generated<number>;
  /** PostgreSQL: the writing transaction's id; unused on SQLite */
  tx: Generated<number | null>;
  recommendation_id: string | null;
  cluster_id: string | null;
  /** 'labels' | 'full' for changes beyond single recommendations */
  scope: string | null;
}

export type ImportRunStatus = 'running' | 'succeeded' | 'failed';

export interface ImportRunsTable {
  id: string;
  format: string;
  filename: string;
  stored_path: string;
  options: string; // JSON
  dry_run: number;
  status: ImportRunStatus;
  processed: number;
  bytes_total: number;
  bytes_read: number;
  result: string | null; // JSON ImportOutcome + preview
  error: string | null; // JSON { code, message, details }
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** Search index rows (see migration 003): the text pipeline's output per recommendation. */
export interface RecommendationSearchTable {
  search_rowid: Generated<number>;
  recommendation_id: string;
  terms: string;
  words: string;
  indexed_at: string;
}

export interface SavedViewsTable {
  id: string;
  user_id: string;
  name: string;
  /** the list's query string, e.g. "q=torture&body=CAT" */
  query: string;
  created_at: string;
}

export type ClusterStatus = 'suggested' | 'accepted';

export interface ClustersTable {
  id: string;
  title_ar: string | null;
  title_en: string | null;
  status: ClusterStatus;
  /** the suggestion job that proposed it (null when made by hand) */
  job_id: string | null;
  /** mean pairwise similarity when suggested, in percent (0..100) */
  similarity_pct: number | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobsTable {
  id: string;
  kind: string;
  status: JobStatus;
  params: string; // JSON
  progress: number;
  total: number;
  phase: string | null;
  result: string | null; // JSON
  error: string | null; // JSON { code, message }
  created_by: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  /** queue columns (migration 004): when it may start (null = run in-process by its owner), lease, tries */
  run_at: string | null;
  locked_by: string | null;
  locked_until: string | null;
  attempts: Generated<number>;
}

/* Follow-up (migration 004) */
export type AssignmentRole = 'lead' | 'supporting';

export interface AssignmentsTable {
  id: string;
  recommendation_id: string | null;
  cluster_id: string | null;
  entity_id: string;
  role: AssignmentRole;
  due_date: string | null; // YYYY-MM-DD
  /** when the current due date was set: updates approved since then answer it */
  due_set_at: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export type UpdateStatus = 'draft' | 'submitted' | 'returned' | 'approved';

export interface ProgressUpdatesTable {
  id: string;
  /** exactly one of assignment_id and action_id is set (migration 013) */
  assignment_id: string | null;
  action_id: string | null;
  entity_id: string;
  author_id: string | null;
  period_start: string | null;
  period_end: string | null;
  text_ar: string | null;
  text_en: string | null;
  proposed_status: string | null;
  /** an action update: the action status the entity reports, applied on approval */
  proposed_action_status: ActionStatus | null;
  status: UpdateStatus;
  review_comment: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  submitted_by: string | null;
  submitted_at: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** shown on the public portal (migration 015): only an approved update, set by a curator */
  is_public: Generated<number>;
}

export type MeasureType = 'legislation' | 'policy' | 'programme' | 'institution' | 'training' | 'budget' | 'other';

export interface UpdateMeasuresTable {
  id: string;
  update_id: string;
  type: MeasureType;
  description_ar: string | null;
  description_en: string | null;
  sort: number;
}

export interface UpdateIndicatorsTable {
  id: string;
  update_id: string;
  name: string;
  value: string;
  unit: string | null;
  sort: number;
}

export interface EvidenceFilesTable {
  id: string;
  update_id: string;
  original_name: string;
  stored_name: string;
  mime: string;
  size: number;
  sha256: string;
  uploaded_by: string | null;
  created_at: string;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  title_ar: string;
  title_en: string;
  body_ar: string | null;
  body_en: string | null;
  link: string | null;
  read_at: string | null;
  created_at: string;
}

export interface ReminderLogTable {
  id: string;
  assignment_id: string;
  kind: 'due' | 'overdue';
  due_date: string;
  sent_on: string;
}

/* Reports to the UN (migration 010) */
export type ObligationType = 'upr_national' | 'upr_midterm' | 'treaty_periodic' | 'loipr_replies' | 'treaty_followup' | 'arab_charter' | 'sp_followup';
export type ObligationStatus = 'planned' | 'drafting' | 'in_review' | 'approved' | 'submitted';

export interface ObligationsTable {
  id: string;
  type: ObligationType;
  body_id: string;
  title_ar: string | null;
  title_en: string | null;
  due_date: string; // YYYY-MM-DD
  owner_id: string | null;
  status: ObligationStatus;
  notes: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface ObligationDocumentsTable {
  id: string;
  obligation_id: string;
  document_id: string;
  paragraphs: string | null; // JSON array, null = whole document
}

export interface ObligationReminderLogTable {
  id: string;
  obligation_id: string;
  kind: 'due' | 'overdue';
  due_date: string;
  sent_on: string;
}

export type ReportStatus = 'draft' | 'in_review' | 'approved' | 'submitted';

export type ReportStructure = 'by_paragraph' | 'by_article';

/** The article of its treaty under which a report laid out by article covers a recommendation. */
export interface ReportArticlesTable {
  report_id: string;
  recommendation_id: string;
  article: string;
  /** 1: pre-assigned from an article the recommendation's text cites; 0: chosen by a person */
  suggested: number;
  assigned_by: string | null;
  assigned_at: string;
}

export interface ReportsTable {
  id: string;
  obligation_id: string;
  type: ObligationType;
  limit_kind: string | null;
  title_ar: string | null;
  title_en: string | null;
  status: ReportStatus;
  /** how the body is laid out when the type offers a choice (treaty reports); null: the type's only layout */
  structure: ReportStructure | null;
  symbol: string | null;
  submitted_on: string | null;
  compiled_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface ReportSectionsTable {
  id: string;
  report_id: string;
  key: string;
  sort: number;
  heading_ar: string;
  heading_en: string;
  text_ar: string;
  text_en: string;
  compiled_ar: string;
  compiled_en: string;
  pending_ar: string | null;
  pending_en: string | null;
  source_hash: string;
  source_changed: number;
  recommendation_ids: string; // JSON array
  updated_by: string | null;
  updated_at: string;
  version: Generated<number>;
}

export interface ReportSectionHistoryTable {
  id: string;
  section_id: string;
  version: number;
  text_ar: string;
  text_en: string;
  reason: 'compile' | 'edit' | 'accept';
  changed_by: string | null;
  changed_at: string;
}

export interface ReportCommentsTable {
  id: string;
  report_id: string;
  section_id: string;
  author_id: string | null;
  body: string;
  resolved_by: string | null;
  resolved_at: string | null;
  created_at: string;
}

export interface CalendarFeedsTable {
  user_id: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}

/* National human rights action plan (migration 009) */
export type PlanStatus = 'draft' | 'consultation' | 'adopted' | 'archived';

export interface PlansTable {
  id: string;
  /** the first version's id: every version of one plan shares it */
  lineage_id: string;
  version_number: number;
  previous_id: string | null;
  title_ar: string;
  title_en: string;
  period_start: string; // YYYY-MM-DD
  period_end: string;
  status: PlanStatus;
  adopted_at: string | null;
  adopted_by: string | null;
  /** set while this (adopted) version is shown on the public portal */
  published_at: string | null;
  published_by: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface PlanPillarsTable {
  id: string;
  plan_id: string;
  code: string;
  title_ar: string;
  title_en: string;
  sort: number;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface PlanObjectivesTable {
  id: string;
  plan_id: string;
  pillar_id: string;
  code: string;
  title_ar: string;
  title_en: string;
  sort: number;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export type ActionStatus = 'not_started' | 'on_track' | 'delayed' | 'completed' | 'cancelled';
export type BudgetSource = 'state_budget' | 'partner' | 'none';
export type ActionPriority = 'high' | 'medium' | 'low';

export interface PlanActionsTable {
  id: string;
  plan_id: string;
  objective_id: string;
  code: string;
  title_ar: string;
  title_en: string;
  description_ar: string | null;
  description_en: string | null;
  lead_entity_id: string | null;
  start_date: string | null;
  end_date: string | null;
  /** decimal text */
  budget_amount: string | null;
  budget_currency: string | null;
  budget_source: BudgetSource;
  priority: ActionPriority;
  status: ActionStatus;
  sort: number;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface PlanActionPartnersTable {
  action_id: string;
  entity_id: string;
}
export interface PlanActionRecommendationsTable {
  action_id: string;
  recommendation_id: string;
}
export interface PlanActionClustersTable {
  action_id: string;
  cluster_id: string;
}
export interface PlanActionSdgsTable {
  action_id: string;
  term_id: string;
}

export type IndicatorType = 'structure' | 'process' | 'outcome';
export type IndicatorFrequency = 'monthly' | 'quarterly' | 'semiannual' | 'annual' | 'biennial' | 'once';

export interface PlanIndicatorsTable {
  id: string;
  plan_id: string;
  action_id: string | null;
  objective_id: string | null;
  /** unique within the plan (migration 024); the app always sets it ("<owner code>-<n>" unless given) */
  code: string | null;
  name_ar: string;
  name_en: string;
  type: IndicatorType;
  unit: string | null;
  baseline_value: string | null; // decimal text
  baseline_year: number | null;
  target_value: string | null; // decimal text
  target_year: number | null;
  data_source: string | null;
  frequency: IndicatorFrequency;
  reporting_entity_id: string | null;
  disaggregation: string; // JSON array of 'sex' | 'age' | 'nationality' | 'disability'
  sort: number;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** A reported value of an indicator, carried by a progress update on an action; it counts once that update is approved. */
export interface PlanIndicatorValuesTable {
  id: string;
  update_id: string;
  indicator_id: string;
  date: string; // YYYY-MM-DD
  value: string; // decimal text
  source: string | null;
  note: string | null;
  sort: number;
}

/* Tag suggestions (migration 018) */
export interface TaggerModelsTable {
  id: string;
  trained_at: string;
  trained_by: string | null;
  job_id: string | null;
  /** labelled recommendations trained on */
  docs: number;
  /** labels of all kinds the model knows */
  labels: number;
  stats: string; // JSON
  model: string; // JSON (src/tagging/model.ts ModelJson)
}

export type TagSuggestionStatus = 'pending' | 'accepted' | 'rejected';

export interface TagSuggestionsTable {
  id: string;
  recommendation_id: string;
  term_id: string;
  kind: TermKind;
  /** 0..1000 */
  confidence: number;
  model_id: string | null;
  status: TagSuggestionStatus;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}

export interface DB {
  theme_mappings: ThemeMappingsTable;
  recommendation_merges: RecommendationMergesTable;
  recommendation_aliases: RecommendationAliasesTable;
  recommendation_pair_decisions: RecommendationPairDecisionsTable;
  settings: SettingsTable;
  entities: EntitiesTable;
  users: UsersTable;
  sessions: SessionsTable;
  recovery_codes: RecoveryCodesTable;
  password_resets: PasswordResetsTable;
  files: FilesTable;
  file_chunks: FileChunksTable;
  oidc_requests: OidcRequestsTable;
  login_throttle: LoginThrottleTable;
  known_devices: KnownDevicesTable;
  mechanisms: MechanismsTable;
  bodies: BodiesTable;
  documents: DocumentsTable;
  recommendations: RecommendationsTable;
  terms: TermsTable;
  recommendation_terms: RecommendationTermsTable;
  statuses: StatusesTable;
  status_history: StatusHistoryTable;
  glossary_entries: GlossaryEntriesTable;
  audit_log: AuditLogTable;
  register_changes: RegisterChangesTable;
  recommendation_search: RecommendationSearchTable;
  saved_views: SavedViewsTable;
  clusters: ClustersTable;
  jobs: JobsTable;
  import_runs: ImportRunsTable;
  assignments: AssignmentsTable;
  progress_updates: ProgressUpdatesTable;
  update_measures: UpdateMeasuresTable;
  update_indicators: UpdateIndicatorsTable;
  evidence_files: EvidenceFilesTable;
  notifications: NotificationsTable;
  reminder_log: ReminderLogTable;
  obligations: ObligationsTable;
  obligation_documents: ObligationDocumentsTable;
  obligation_reminder_log: ObligationReminderLogTable;
  reports: ReportsTable;
  report_sections: ReportSectionsTable;
  report_articles: ReportArticlesTable;
  report_section_history: ReportSectionHistoryTable;
  report_comments: ReportCommentsTable;
  calendar_feeds: CalendarFeedsTable;
  plans: PlansTable;
  plan_pillars: PlanPillarsTable;
  plan_objectives: PlanObjectivesTable;
  plan_actions: PlanActionsTable;
  plan_action_partners: PlanActionPartnersTable;
  plan_action_recommendations: PlanActionRecommendationsTable;
  plan_action_clusters: PlanActionClustersTable;
  plan_action_sdgs: PlanActionSdgsTable;
  plan_indicators: PlanIndicatorsTable;
  plan_indicator_values: PlanIndicatorValuesTable;
  tagger_models: TaggerModelsTable;
  tag_suggestions: TagSuggestionsTable;
  stakeholder_profiles: StakeholderProfilesTable;
  consultations: ConsultationsTable;
  consultation_items: ConsultationItemsTable;
  consultation_invitations: ConsultationInvitationsTable;
  consultation_comments: ConsultationCommentsTable;
  rate_limits: RateLimitsTable;
  pow_spent: PowSpentTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Entity = Selectable<EntitiesTable>;
export type Recommendation = Selectable<RecommendationsTable>;
export type RecommendationUpdate = Updateable<RecommendationsTable>;
export type Document = Selectable<DocumentsTable>;
export type Term = Selectable<TermsTable>;
export type Assignment = Selectable<AssignmentsTable>;
export type ProgressUpdate = Selectable<ProgressUpdatesTable>;
export type EvidenceFile = Selectable<EvidenceFilesTable>;
export type Obligation = Selectable<ObligationsTable>;
export type Report = Selectable<ReportsTable>;
export type ReportSection = Selectable<ReportSectionsTable>;
export type Plan = Selectable<PlansTable>;
export type PlanAction = Selectable<PlanActionsTable>;
export type PlanIndicator = Selectable<PlanIndicatorsTable>;
export type PlanIndicatorValue = Selectable<PlanIndicatorValuesTable>;

/** A source's label (e.g. a UPR Info issue, lower-cased) → one of the register's themes (null: not linked). */
export interface ThemeMappingsTable {
  source: string;
  label: string;
  term_id: string | null;
  /** the theme designated by default (migration 026): linked or created with both names on the first import needing it */
  theme_code: string | null;
  theme_ar: string | null;
  theme_en: string | null;
  version: Generated<number>;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

/** One merge of two records of the same recommendation; `moved` (JSON) says what to restore on unmerge. */
export interface RecommendationMergesTable {
  id: string;
  survivor_id: string;
  merged_id: string;
  moved: string;
  created_by: string | null;
  created_at: string;
  undone_at: string | null;
  undone_by: string | null;
}

/** External ids of records merged into another, with the fields their source last imported (JSON). */
export interface RecommendationAliasesTable {
  external_id: string;
  recommendation_id: string;
  merge_id: string;
  fields: string;
  created_at: string;
}

/** Candidate pairs kept apart by a coordinator (a_id < b_id). */
export interface RecommendationPairDecisionsTable {
  a_id: string;
  b_id: string;
  decision: string;
  decided_by: string | null;
  decided_at: string;
}

/** Consultation (issue 16, migration 027). */
export type StakeholderStatus = 'pending' | 'approved' | 'rejected';
export type StakeholderKind = 'nhri' | 'civil_society' | 'other';
export interface StakeholderProfilesTable {
  user_id: string;
  organisation: string;
  org_kind: StakeholderKind;
  status: StakeholderStatus;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
  version: Generated<number>;
  /** when the registration's mailed link was followed (null: not yet; a coordinator cannot see or decide it) */
  email_confirmed_at: string | null;
  /** sha256 of the confirmation link's token, cleared once used */
  confirm_token_hash: string | null;
  confirm_expires_at: string | null;
}

/** Hits per key (a public form and an address or account) in a window, shared by every instance on the database. */
export interface RateLimitsTable {
  key: string;
  hits: number;
  window_start: string;
}

/** Proof-of-work challenges already used, kept until they expire (a proof is accepted once). */
export interface PowSpentTable {
  id: string;
  expires_at: string;
}

export type ConsultationSubject = 'recommendations' | 'report' | 'plan';
export type ConsultationItemType = 'recommendation' | 'report_section' | 'plan_action';
export type ConsultationAudience = 'invited' | 'open';
export interface ConsultationsTable {
  id: string;
  subject: ConsultationSubject;
  /** the report or plan consulted on; null for a selection of recommendations */
  subject_id: string | null;
  title_ar: string;
  title_en: string;
  description_ar: string;
  description_en: string;
  /** JSON list of { ar, en } */
  questions: string;
  opens_at: string;
  closes_at: string;
  audience: ConsultationAudience;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}
export interface ConsultationItemsTable {
  consultation_id: string;
  item_type: ConsultationItemType;
  item_id: string;
  sort: number;
}
export interface ConsultationInvitationsTable {
  consultation_id: string;
  user_id: string;
  invited_by: string | null;
  invited_at: string;
}
export type CommentStatus = 'pending' | 'accepted' | 'rejected';
export interface ConsultationCommentsTable {
  id: string;
  consultation_id: string;
  item_type: ConsultationItemType;
  item_id: string;
  author_id: string;
  body: string;
  attachment_name: string | null;
  attachment_stored_name: string | null;
  attachment_mime: string | null;
  attachment_size: number | null;
  attachment_sha256: string | null;
  status: CommentStatus;
  moderation_reason: string | null;
  is_public: number;
  moderated_by: string | null;
  moderated_at: string | null;
  created_at: string;
  version: Generated<number>;
}
export type Consultation = Selectable<ConsultationsTable>;
export type ConsultationComment = Selectable<ConsultationCommentsTable>;
