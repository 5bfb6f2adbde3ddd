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

export type Role = 'admin' | 'coordinator' | 'focal_point' | 'contributor' | 'viewer';

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

export interface LoginFailuresTable {
  id: Generated<number>;
  /** lower-cased email, or "ip:<address>" */
  key: string;
  at: string;
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
  reason: string | null;
  changed_by: string | null;
  changed_at: string;
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

export interface DB {
  settings: SettingsTable;
  entities: EntitiesTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  mechanisms: MechanismsTable;
  bodies: BodiesTable;
  documents: DocumentsTable;
  recommendations: RecommendationsTable;
  terms: TermsTable;
  recommendation_terms: RecommendationTermsTable;
  statuses: StatusesTable;
  status_history: StatusHistoryTable;
  audit_log: AuditLogTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Entity = Selectable<EntitiesTable>;
export type Recommendation = Selectable<RecommendationsTable>;
export type RecommendationUpdate = Updateable<RecommendationsTable>;
export type Document = Selectable<DocumentsTable>;
export type Term = Selectable<TermsTable>;
