import type { paths } from './schema.gen.ts';

export type Lang = JsonBody<'/api/auth/locale', 'put'>['locale'];
export type Role = JsonBody<'/api/admin/users', 'post'>['role'];

export type SessionPayload = ResponseOf<'/api/auth/session'>;
export type User = NonNullable<SessionPayload['user']>;
export type PublicSettings = ResponseOf<'/api/settings/public'>;

/**
 * What a route answers (its JSON body for status S, 200 unless given), from the types generated from the server's
 * OpenAPI document: the routes declare these answers with zod response schemas (the capability's schema file), so
 * they cannot drift.
 */
export type ResponseOf<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch' | 'delete' = 'get', S extends 200 | 201 | 202 = 200> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer R } } };
}
  ? R
  : never;

export type Reference = ResponseOf<'/api/reference'>;
export type StatusRef = Reference['statuses'][number];
export type MechanismRef = Reference['mechanisms'][number];
export type BodyRef = Reference['bodies'][number];

export type DashboardSummary = ResponseOf<'/api/dashboard/summary'>;

/** What a route takes as its JSON body, from the types generated from the server's OpenAPI document. */
export type JsonBody<P extends keyof paths, M extends 'post' | 'put' | 'patch'> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
/** The query parameters a route takes. */
export type QueryOf<P extends keyof paths, M extends 'get' | 'post' = 'get'> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The curation form's body (PATCH /api/recommendations/:id), as the server's schema says. */
export type CurationPatch = JsonBody<'/api/recommendations/{id}', 'patch'>;
export type RecommendationPatch = Pick<CurationPatch, 'version' | 'status' | 'statusReason' | 'priority' | 'notes'>;
export type Kind = NonNullable<CurationPatch['kind']>;
export type Position = NonNullable<CurationPatch['position']>;
export type Priority = NonNullable<CurationPatch['priority']>;

export type RecommendationList = ResponseOf<'/api/recommendations'>;
export type RecommendationListItem = RecommendationList['items'][number];
export type HighlightSegment = NonNullable<RecommendationListItem['highlights']>[keyof NonNullable<RecommendationListItem['highlights']>] extends (infer S)[] | undefined ? S : never;
export type FacetValue = NonNullable<RecommendationList['facets'][keyof RecommendationList['facets']]>[number];
export type SearchExpansion = NonNullable<RecommendationList['expansion']>;

export const FACET_NAMES = ['mechanism', 'body', 'cycle', 'position', 'kind', 'status', 'theme', 'affected', 'sdg', 'year', 'document', 'cluster', 'entity'] as const;
export type FacetName = (typeof FACET_NAMES)[number];

export type RecommendationDetail = ResponseOf<'/api/recommendations/{id}'>;
export type Term = RecommendationDetail['terms'][number];
export type StatusChange = RecommendationDetail['statusHistory'][number];
/**
 * An entry of a record's audit history. The server declares `before`/`after` as any JSON (what the change recorded);
 * every writer records an object of the changed fields, which is how the history table reads them.
 */
export type AuditEntry = Omit<RecommendationDetail['history'][number], 'before' | 'after'> & {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};
/** A country or state in both languages, from the ISO list (the name as the source wrote it when unknown). */
export type CountryName = RecommendationDetail['recommending_state_names'][number];

export type TermKind = Term['kind'];
export const TERM_KINDS: readonly TermKind[] = ['theme', 'affected_person', 'sdg_goal', 'sdg_target', 'tag'];

export type TaxonomyTerm = ResponseOf<'/api/taxonomies/{kind}'>['items'][number];

export type Entity = ResponseOf<'/api/entities'>['items'][number];

export type EntityImportResult = ResponseOf<'/api/entities/import', 'post'>;

export type AdminUser = ResponseOf<'/api/admin/users'>['items'][number];

export type DocumentItem = ResponseOf<'/api/documents'>['items'][number];


export type DocumentDetail = ResponseOf<'/api/documents/{id}'>;

export type ImportFormatName = QueryOf<'/api/imports', 'post'>['format'] | 'uhri-url';

/** An import run as GET /api/imports/:id answers it (POST /api/imports, /url and /:id/commit answer 202 with the same). */
export type ImportRun = ResponseOf<'/api/imports/{id}'>;
export type ImportResult = NonNullable<ImportRun['result']>;
export type ImportIssue = ImportResult['issues'][number];
export type ImportPreviewRow = ImportResult['preview'][number];
export type ImportParseReport = NonNullable<ImportResult['report']>;
