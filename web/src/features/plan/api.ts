import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { FacetName, ResponseOf } from '../../api/types.ts';

export type PlanStatus = ResponseOf<'/api/plans/{id}'>['status'];
export type ActionStatus = ResponseOf<'/api/plan-actions/{id}'>['status'];
export type ValueStatus = ResponseOf<'/api/plan-indicators/{id}/values'>['items'][number]['status'];
export const PLAN_NEXT: Record<PlanStatus, PlanStatus[]> = { draft: ['consultation'], consultation: ['draft', 'adopted'], adopted: ['archived'], archived: [] };
export const ACTION_STATUSES: ActionStatus[] = ['not_started', 'on_track', 'delayed', 'completed', 'cancelled'];
export const INDICATOR_TYPES = ['structure', 'process', 'outcome'] as const;
export const FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual', 'biennial', 'once'] as const;
export const DISAGGREGATIONS = ['sex', 'age', 'nationality', 'disability'] as const;
export const BUDGET_SOURCES = ['state_budget', 'partner', 'none'] as const;

export type PlanList = ResponseOf<'/api/plans'>;
export type PlanListItem = PlanList['items'][number];
export type PlanCounts = PlanListItem['counts'];
/** The plan page: pillars → objectives → actions with links and indicators, progress and the dashboard. */
export type PlanTree = ResponseOf<'/api/plans/{id}'>;
export type Pillar = PlanTree['pillars'][number];
export type Objective = Pillar['objectives'][number];
export type PlanActionRow = Objective['actions'][number];
export type Indicator = Objective['indicators'][number];
export type EntityRef = PlanActionRow['partners'][number];
export type Coverage = ResponseOf<'/api/plans/{id}/coverage'>;
export type IndicatorValues = ResponseOf<'/api/plan-indicators/{id}/values'>;
/** A value of an indicator, with the status and review of the progress update that carries it. */
export type IndicatorValue = IndicatorValues['items'][number];

export const planKey = (id: string) => ['plan', id] as const;

export function usePlans() {
  return useQuery({ queryKey: ['plans'], queryFn: () => api<PlanList>('/api/plans') });
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
    queryFn: () => api<IndicatorValues>(`/api/plan-indicators/${encodeURIComponent(id ?? '')}/values`),
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
