import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { DashboardSummary, Entity, Reference, TaxonomyTerm, TermKind } from './types.ts';

export const referenceQuery = { queryKey: ['reference'], queryFn: () => api<Reference>('/api/reference'), staleTime: 10 * 60_000 };

export function useReference() {
  return useQuery(referenceQuery);
}

export function useDashboardSummary() {
  return useQuery({ queryKey: ['dashboard', 'summary'], queryFn: () => api<DashboardSummary>('/api/dashboard/summary') });
}

export function useEntities(archived = false) {
  return useQuery({
    queryKey: ['entities', { archived }],
    queryFn: () => api<{ items: Entity[] }>(`/api/entities${archived ? '?archived=true' : ''}`),
  });
}

export function useTerms(kind: TermKind) {
  return useQuery({ queryKey: ['terms', kind], queryFn: () => api<{ items: TaxonomyTerm[] }>(`/api/taxonomies/${kind}`) });
}
