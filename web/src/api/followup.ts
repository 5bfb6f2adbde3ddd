/** Follow-up (issue 5): assignments, workspace, progress updates, notifications, dashboards, audit. */
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, qs } from './client.ts';
import type { JsonBody, ResponseOf } from './types.ts';

export type AssignmentRole = NonNullable<JsonBody<'/api/assignments', 'post'>['role']>;
export type UpdateStatus = ResponseOf<'/api/updates/{id}'>['status'];
export const MEASURE_TYPES = ['legislation', 'policy', 'programme', 'institution', 'training', 'budget', 'other'] as const;
export type MeasureType = (typeof MEASURE_TYPES)[number];

export type Assignment = ResponseOf<'/api/assignments/{id}'>;
export type Workspace = ResponseOf<'/api/workspace'>;
export type WorkItem = Workspace['drafts'][number];
export type ReviewItem = Workspace['awaitingReview'][number];

export interface Measure {
  id?: string;
  type: MeasureType;
  description_ar: string | null;
  description_en: string | null;
}
export interface Indicator {
  id?: string;
  name: string;
  value: string;
  unit: string | null;
}
export type Evidence = ProgressUpdate['evidence'][number];

/** A value of a plan indicator reported in an update on a plan action. */
export interface PlanValue {
  id?: string;
  indicator_id: string;
  date: string;
  value: string;
  source: string | null;
  note: string | null;
  name_ar?: string;
  name_en?: string;
  unit?: string | null;
}
/** An indicator an update on this action may report. */
export type ReportableIndicator = ProgressUpdate['reportable_indicators'][number];
export type PlanActionStatus = NonNullable<JsonBody<'/api/assignments/{id}/updates', 'post'>['proposed_action_status']>;
export const PLAN_ACTION_STATUSES: PlanActionStatus[] = ['not_started', 'on_track', 'delayed', 'completed', 'cancelled'];

export type ProgressUpdate = ResponseOf<'/api/updates/{id}'>;

export type NotificationItem = ResponseOf<'/api/notifications'>['items'][number];

export type StatusBy = ResponseOf<'/api/dashboard/status'>;
export type StatusByRow = StatusBy['rows'][number];
export const STATUS_DIMENSIONS = ['mechanism', 'body', 'cycle', 'theme', 'sdg', 'entity'] as const;
export type StatusDimension = (typeof STATUS_DIMENSIONS)[number];
export type OverdueDashboard = ResponseOf<'/api/dashboard/overdue'>;
export type Trend = ResponseOf<'/api/dashboard/trend'>;

export type AuditRow = AuditPage['items'][number];
export type AuditPage = ResponseOf<'/api/admin/audit'>;

export const followupKeys = {
  workspace: (entity?: string | null) => ['workspace', entity ?? null] as const,
  assignments: (recommendation: string) => ['assignments', { recommendation }] as const,
  assignment: (id: string) => ['assignment', id] as const,
  assignmentUpdates: (id: string) => ['assignment', id, 'updates'] as const,
  update: (id: string) => ['update', id] as const,
};

export function useWorkspace(entity: string | null, enabled = true) {
  return useQuery({
    queryKey: followupKeys.workspace(entity),
    queryFn: () => api<Workspace>(`/api/workspace${qs({ entity })}`),
    enabled,
  });
}

export function useRecommendationAssignments(recommendationId: string) {
  return useQuery({
    queryKey: followupKeys.assignments(recommendationId),
    queryFn: () => api<ResponseOf<'/api/assignments'>>(`/api/assignments${qs({ recommendation: recommendationId, pageSize: 200 })}`),
  });
}

export function useAssignment(id: string | null | undefined) {
  return useQuery({
    queryKey: followupKeys.assignment(id ?? ''),
    queryFn: () => api<Assignment>(`/api/assignments/${encodeURIComponent(id ?? '')}`),
    enabled: !!id,
  });
}

export function useAssignmentUpdates(id: string) {
  return useQuery({
    queryKey: followupKeys.assignmentUpdates(id),
    queryFn: () => api<ResponseOf<'/api/assignments/{id}/updates'>>(`/api/assignments/${encodeURIComponent(id)}/updates`),
  });
}

export function useUpdate(id: string) {
  return useQuery({ queryKey: followupKeys.update(id), queryFn: () => api<ProgressUpdate>(`/api/updates/${encodeURIComponent(id)}`) });
}

export function useStatusBy(by: StatusDimension) {
  return useQuery({ queryKey: ['dashboard', 'status', by], queryFn: () => api<StatusBy>(`/api/dashboard/status${qs({ by })}`) });
}
export function useOverdue() {
  return useQuery({ queryKey: ['dashboard', 'overdue'], queryFn: () => api<OverdueDashboard>('/api/dashboard/overdue') });
}
export function useTrend(months = 12) {
  return useQuery({ queryKey: ['dashboard', 'trend', months], queryFn: () => api<Trend>(`/api/dashboard/trend${qs({ months })}`) });
}

/** Uploads one evidence file as raw bytes (the server checks the type from the content). */
export function uploadEvidence(updateId: string, file: File): Promise<Evidence> {
  return api<Evidence>(`/api/updates/${encodeURIComponent(updateId)}/evidence`, { method: 'POST', raw: file, headers: { 'x-filename': encodeURIComponent(file.name) } });
}

export const isConflict = (err: unknown) => err instanceof ApiError && err.status === 409 && err.code === 'version_conflict';

/* The server's rules (src/auth/permissions.ts), mirrored only to hide buttons: the server still decides. */
type Who = { role: string; entity_id: string | null };
export const isCuratorUser = (u: Who) => u.role === 'admin' || u.role === 'coordinator';
export const canDraftFor = (u: Who, entityId: string) => isCuratorUser(u) || ((u.role === 'focal_point' || u.role === 'contributor') && u.entity_id === entityId);
export const canSubmitFor = (u: Who, entityId: string) => isCuratorUser(u) || (u.role === 'focal_point' && u.entity_id === entityId);
export const EDITABLE_STATUSES: readonly UpdateStatus[] = ['draft', 'returned'];
