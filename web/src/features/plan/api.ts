import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { FacetName, FacetValue, Position } from '../../api/types.ts';

export type PlanStatus = 'draft' | 'consultation' | 'adopted' | 'archived';
export type ActionStatus = 'not_started' | 'on_track' | 'delayed' | 'completed' | 'cancelled';
export type ValueStatus = 'draft' | 'submitted' | 'returned' | 'approved';
export const PLAN_NEXT: Record<PlanStatus, PlanStatus[]> = { draft: ['consultation'], consultation: ['draft', 'adopted'], adopted: ['archived'], archived: [] };
export const ACTION_STATUSES: ActionStatus[] = ['not_started', 'on_track', 'delayed', 'completed', 'cancelled'];
export const INDICATOR_TYPES = ['structure', 'process', 'outcome'] as const;
export const FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual', 'biennial', 'once'] as const;
export const DISAGGREGATIONS = ['sex', 'age', 'nationality', 'disability'] as const;
export const BUDGET_SOURCES = ['state_budget', 'partner', 'none'] as const;

export interface PlanListItem {
  id: string;
  title_ar: string;
  title_en: string;
  status: PlanStatus;
  version_number: number;
  lineage_id: string;
  period_start: string;
  period_end: string;
  adopted_at: string | null;
  /** set while this version is shown on the public portal */
  published_at: string | null;
  version: number;
  updated_at: string;
  counts: PlanCounts;
  progress: number | null;
}
export interface PlanCounts {
  pillars: number;
  objectives: number;
  actions: number;
  indicators: number;
  recommendations: number;
}
export interface Indicator {
  id: string;
  action_id: string | null;
  objective_id: string | null;
  name_ar: string;
  name_en: string;
  type: (typeof INDICATOR_TYPES)[number];
  unit: string | null;
  baseline_value: string | null;
  baseline_year: number | null;
  target_value: string | null;
  target_year: number | null;
  data_source: string | null;
  frequency: (typeof FREQUENCIES)[number];
  reporting_entity_id: string | null;
  reporting_code: string | null;
  reporting_name_ar: string | null;
  reporting_name_en: string | null;
  disaggregation: string[];
  latest: { date: string; value: string } | null;
  attainment: number | null;
  expected: number | null;
  off_track: boolean;
  approved_values: number;
  submitted_values: number;
  version: number;
}
export interface EntityRef {
  id: string;
  code: string;
  name_ar: string;
  name_en: string;
}
export interface PlanActionRow {
  id: string;
  plan_id: string;
  objective_id: string;
  code: string;
  title_ar: string;
  title_en: string;
  description_ar: string | null;
  description_en: string | null;
  lead_entity_id: string | null;
  lead_code: string | null;
  lead_name_ar: string | null;
  lead_name_en: string | null;
  start_date: string | null;
  end_date: string | null;
  budget_amount: string | null;
  budget_currency: string | null;
  budget_source: (typeof BUDGET_SOURCES)[number];
  priority: 'high' | 'medium' | 'low';
  status: ActionStatus;
  version: number;
  partners: EntityRef[];
  recommendations: { id: string; paragraph: string | null; position: Position | null; symbol: string }[];
  clusters: { id: string; title_ar: string | null; title_en: string | null }[];
  sdg_targets: { id: string; code: string; label_ar: string | null; label_en: string | null }[];
  indicators: Indicator[];
  progress: number | null;
  overdue: boolean;
}
export interface Objective {
  id: string;
  pillar_id: string;
  code: string;
  title_ar: string;
  title_en: string;
  version: number;
  indicators: Indicator[];
  actions: PlanActionRow[];
  progress: number | null;
}
export interface Pillar {
  id: string;
  code: string;
  title_ar: string;
  title_en: string;
  version: number;
  objectives: Objective[];
  progress: number | null;
  budget: Record<string, number>;
  action_count: number;
}
export interface PlanTree extends Omit<PlanListItem, 'counts' | 'progress'> {
  previous_id: string | null;
  editable: boolean;
  versions: { id: string; version_number: number; status: PlanStatus }[];
  pillars: Pillar[];
  progress: number | null;
  counts: PlanCounts;
  dashboard: {
    pillars: { id: string; code: string; title_ar: string; title_en: string; progress: number | null; actions: number; budget: Record<string, number> }[];
    entities: { entity_id: string | null; code: string | null; name_ar: string | null; name_en: string | null; actions: number; progress: number | null; delayed: number }[];
    delayed: { id: string; code: string; title_ar: string; title_en: string; status: ActionStatus; end_date: string | null; overdue: boolean }[];
    off_track: { id: string; name_ar: string; name_en: string; attainment: number | null; expected: number | null }[];
  };
}
export interface Coverage {
  recommendations: { total: number; answered: number; unanswered: number; percent: number | null };
  clusters: { total: number; answered: number; unanswered: number };
  by_position: Record<string, { total: number; answered: number }>;
  unanswered: {
    total: number;
    page: number;
    pageSize: number;
    /** facet counts of the unanswered ones (each facet ignoring its own filter) */
    facets: Partial<Record<FacetName, FacetValue[]>>;
    items: { id: string; paragraph: string | null; symbol: string; body: string; position: Position | null; cluster_id: string | null; text_ar: string | null; text_en: string | null }[];
  };
}
export interface IndicatorValue {
  id: string;
  date: string;
  value: string;
  source: string | null;
  note: string | null;
  /** the workflow status of the progress update that carries the value */
  status: ValueStatus;
  update_id: string;
  review_comment: string | null;
  entity_id: string;
  reviewed_at: string | null;
}

export const planKey = (id: string) => ['plan', id] as const;

export function usePlans() {
  return useQuery({ queryKey: ['plans'], queryFn: () => api<{ items: PlanListItem[] }>('/api/plans') });
}
export function usePlan(id: string) {
  return useQuery({ queryKey: planKey(id), queryFn: () => api<PlanTree>(`/api/plans/${encodeURIComponent(id)}`) });
}
/** The coverage of the register selection made with the list's own filters (`q` and facets), and a page of the unanswered ones. */
export function useCoverage(id: string, params: { q?: string; filters: Partial<Record<FacetName, string | null>>; page: number }) {
  const sp = new URLSearchParams({ page: String(params.page), pageSize: '25' });
  if (params.q) sp.set('q', params.q);
  for (const [facet, value] of Object.entries(params.filters)) if (value) sp.set(facet, value);
  return useQuery({
    queryKey: ['plan', id, 'coverage', sp.toString()],
    queryFn: () => api<Coverage>(`/api/plans/${encodeURIComponent(id)}/coverage?${sp.toString()}`),
    placeholderData: keepPreviousData,
  });
}
export function useIndicatorValues(id: string | null) {
  return useQuery({
    queryKey: ['plan-indicator', id, 'values'],
    queryFn: () => api<{ items: IndicatorValue[] }>(`/api/plan-indicators/${encodeURIComponent(id ?? '')}/values`),
    enabled: !!id,
  });
}

/** Any plan change: refresh the plan, its coverage, the list and the indicator histories. */
export function usePlanMutation<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['plans'] }),
        qc.invalidateQueries({ queryKey: ['plan'] }),
        qc.invalidateQueries({ queryKey: ['plan-indicator'] }),
      ]);
    },
  });
}

const enc = encodeURIComponent;
export const planApi = {
  create: (b: { title_ar: string; title_en: string; period_start: string; period_end: string }) => api<{ id: string }>('/api/plans', { method: 'POST', body: b }),
  setStatus: (v: { id: string; version: number; status: PlanStatus }) => api<{ id: string }>(`/api/plans/${enc(v.id)}/status`, { method: 'POST', body: { version: v.version, status: v.status } }),
  setPublication: (v: { id: string; version: number; published: boolean }) =>
    api<{ id: string }>(`/api/plans/${enc(v.id)}/publication`, { method: 'POST', body: { version: v.version, published: v.published } }),
  newVersion: (v: { id: string }) => api<{ id: string }>(`/api/plans/${enc(v.id)}/versions`, { method: 'POST', body: {} }),
  addPillar: (v: { planId: string; code: string; title_ar: string; title_en: string }) =>
    api(`/api/plans/${enc(v.planId)}/pillars`, { method: 'POST', body: { code: v.code, title_ar: v.title_ar, title_en: v.title_en } }),
  editSection: (v: { kind: 'pillar' | 'objective'; id: string; version: number; code: string; title_ar: string; title_en: string }) =>
    api(`/api/plan-${v.kind === 'pillar' ? 'pillars' : 'objectives'}/${enc(v.id)}`, { method: 'PATCH', body: { version: v.version, code: v.code, title_ar: v.title_ar, title_en: v.title_en } }),
  deleteSection: (v: { kind: 'pillar' | 'objective' | 'action' | 'indicator'; id: string; version: number }) =>
    api(`/api/plan-${v.kind === 'pillar' ? 'pillars' : v.kind === 'objective' ? 'objectives' : v.kind === 'action' ? 'actions' : 'indicators'}/${enc(v.id)}?version=${v.version}`, { method: 'DELETE' }),
  addObjective: (v: { pillarId: string; code: string; title_ar: string; title_en: string }) =>
    api(`/api/plan-pillars/${enc(v.pillarId)}/objectives`, { method: 'POST', body: { code: v.code, title_ar: v.title_ar, title_en: v.title_en } }),
  addAction: (v: { objectiveId: string; body: Record<string, unknown> }) => api(`/api/plan-objectives/${enc(v.objectiveId)}/actions`, { method: 'POST', body: v.body }),
  editAction: (v: { id: string; body: Record<string, unknown> }) => api(`/api/plan-actions/${enc(v.id)}`, { method: 'PATCH', body: v.body }),
  fromCluster: (v: { planId: string; objective_id: string; cluster_id: string }) =>
    api(`/api/plans/${enc(v.planId)}/actions/from-cluster`, { method: 'POST', body: { objective_id: v.objective_id, cluster_id: v.cluster_id } }),
  addIndicator: (v: { owner: 'action' | 'objective'; ownerId: string; body: Record<string, unknown> }) =>
    api(`/api/plan-${v.owner === 'action' ? 'actions' : 'objectives'}/${enc(v.ownerId)}/indicators`, { method: 'POST', body: v.body }),
  editIndicator: (v: { id: string; body: Record<string, unknown> }) => api(`/api/plan-indicators/${enc(v.id)}`, { method: 'PATCH', body: v.body }),
  /** Starts a draft progress update on an action (its lead entity reports status, values and evidence there). */
  reportOn: (v: { actionId: string }) => api<{ id: string }>(`/api/plan-actions/${enc(v.actionId)}/updates`, { method: 'POST', body: {} }),
};
