import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import type { RecommendationList, ResponseOf } from '../../api/types.ts';

export type ClusterList = ResponseOf<'/api/clusters'>;
export type ClusterItem = ClusterList['items'][number];
export type ClusterStatus = ClusterItem['status'];
export type ClusterDetail = ResponseOf<'/api/clusters/{id}'>;
export type ClusterMember = ClusterDetail['members'][number];

/** What a clustering job returns. */
export interface ClusteringResult {
  scope?: number;
  considered?: number;
  clusters?: number;
  clustered?: number;
  seconds?: number;
}
/**
 * A background job (GET /api/jobs/:id). The server declares its `result` as any JSON, as the job's kind defines it;
 * `R` is that of the job watched (the clustering's by default).
 */
export type Job<R = ClusteringResult> = Omit<ResponseOf<'/api/jobs/{id}'>, 'result'> & {
  result: R | null;
};

export const clusterKey = (id: string) => ['cluster', id] as const;

export function useClusters(params: { status?: ClusterStatus | null; page: number; pageSize: number }) {
  const sp = new URLSearchParams({ page: String(params.page), pageSize: String(params.pageSize) });
  if (params.status) sp.set('status', params.status);
  return useQuery({ queryKey: ['clusters', sp.toString()], queryFn: () => api<ClusterList>(`/api/clusters?${sp.toString()}`) });
}

export function useCluster(id: string | null | undefined) {
  return useQuery({
    queryKey: clusterKey(id ?? ''),
    queryFn: () => api<ClusterDetail>(`/api/clusters/${encodeURIComponent(id ?? '')}`),
    enabled: !!id,
  });
}

/** Where a cluster's members come from: the body facet of the recommendations in it. */
export function useClusterBodies(id: string) {
  return useQuery({
    queryKey: ['cluster', id, 'bodies'],
    queryFn: () => api<RecommendationList>(`/api/recommendations?cluster=${encodeURIComponent(id)}&pageSize=1`),
    select: (d) => ({ bodies: d.facets.body ?? [], mechanisms: d.facets.mechanism ?? [], cycles: d.facets.cycle ?? [] }),
    staleTime: 60_000,
  });
}

export function useJob<R = ClusteringResult>(id: string | null) {
  return useQuery({
    queryKey: ['job', id],
    queryFn: () => api<Job<R>>(`/api/jobs/${encodeURIComponent(id ?? '')}`),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'succeeded' || q.state.data.status === 'failed') ? false : 400),
  });
}

/** Any change to clusters: refresh the lists, the cluster pages and the recommendations (cluster facet). */
export function useClusterMutation<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>, opts: { gone?: (result: TResult, vars: TVars) => string | null } = {}) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (result, vars) => {
      // A cluster that no longer exists (dissolved, emptied): leave its page; mark it stale without refetching a 404.
      const gone = opts.gone?.(result, vars);
      if (gone) {
        void navigate('/clusters');
        await qc.invalidateQueries({ queryKey: clusterKey(gone), exact: true, refetchType: 'none' });
      }
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['clusters'] }),
        qc.invalidateQueries({ queryKey: ['cluster'], predicate: (q) => q.queryKey[1] !== gone }),
        qc.invalidateQueries({ queryKey: ['recommendations'] }),
        qc.invalidateQueries({ queryKey: ['recommendation'] }),
      ]);
    },
  });
}

export const clusterApi = {
  /** `country`: one state's recommendations only (empty: the whole register) */
  suggest: (country: string) => api<ResponseOf<'/api/clusters/suggest', 'post', 202>>('/api/clusters/suggest', { method: 'POST', body: country ? { country } : {} }),
  accept: (v: { id: string; version: number }) => api<ResponseOf<'/api/clusters/{id}/accept', 'post'>>(`/api/clusters/${encodeURIComponent(v.id)}/accept`, { method: 'POST', body: { version: v.version } }),
  rename: (v: { id: string; version: number; title_ar: string | null; title_en: string | null }) =>
    api<ResponseOf<'/api/clusters/{id}', 'patch'>>(`/api/clusters/${encodeURIComponent(v.id)}`, { method: 'PATCH', body: { version: v.version, title_ar: v.title_ar, title_en: v.title_en } }),
  split: (v: { id: string; version: number; recommendationIds: string[] }) =>
    api<ResponseOf<'/api/clusters/{id}/split', 'post', 201>>(`/api/clusters/${encodeURIComponent(v.id)}/split`, {
      method: 'POST',
      body: { version: v.version, recommendationIds: v.recommendationIds },
    }),
  merge: (v: { ids: string[] }) => api<ResponseOf<'/api/clusters/merge', 'post'>>('/api/clusters/merge', { method: 'POST', body: { ids: v.ids } }),
  removeMember: (v: { id: string; recommendationId: string }) =>
    api<ResponseOf<'/api/clusters/{id}/members/{recommendationId}', 'delete'>>(`/api/clusters/${encodeURIComponent(v.id)}/members/${encodeURIComponent(v.recommendationId)}`, { method: 'DELETE' }),
  dissolve: (v: { id: string }) => api<void>(`/api/clusters/${encodeURIComponent(v.id)}`, { method: 'DELETE' }),
};
