import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export const TAG_KINDS = ['theme', 'affected_person', 'sdg_goal', 'sdg_target'] as const;
export type TagKind = (typeof TAG_KINDS)[number];

export type TaggerStatus = ResponseOf<'/api/tagging'>;
export type TagQueue = ResponseOf<'/api/tagging/queue'>;
export type QueueItem = TagQueue['items'][number];
export type TagSuggestion = QueueItem['suggestions'][number];
export type RecommendationSuggestions = ResponseOf<'/api/tagging/recommendations/{id}'>;
/** A training job's result (the job's `result`, as src/tagging/tagging.service.ts TrainResult gives it). */
export interface TrainResult {
  docs: number;
  suggestions: number;
  recommendations: number;
}

export interface QueueParams {
  page: number;
  pageSize: number;
  minConfidence: number;
  kind: TagKind | null;
  document: string | null;
}

export function useTaggerStatus() {
  return useQuery({ queryKey: ['tagging', 'status'], queryFn: () => api<TaggerStatus>('/api/tagging') });
}

export function useTagQueue(p: QueueParams) {
  const sp = new URLSearchParams({ page: String(p.page), pageSize: String(p.pageSize), minConfidence: String(p.minConfidence) });
  if (p.kind) sp.set('kind', p.kind);
  if (p.document) sp.set('document', p.document);
  return useQuery({ queryKey: ['tagging', 'queue', sp.toString()], queryFn: () => api<TagQueue>(`/api/tagging/queue?${sp.toString()}`) });
}

export function useRecommendationSuggestions(id: string) {
  return useQuery({
    queryKey: ['tagging', 'recommendation', id],
    queryFn: () => api<RecommendationSuggestions>(`/api/tagging/recommendations/${encodeURIComponent(id)}`),
  });
}

/** Any decision: refresh the queue, the status, the recommendation pages and the list (facets). */
export function useTaggingMutation<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['tagging'] }),
        qc.invalidateQueries({ queryKey: ['recommendation'] }),
        qc.invalidateQueries({ queryKey: ['recommendations'] }),
      ]);
    },
  });
}

export const taggingApi = {
  train: () => api<ResponseOf<'/api/tagging/train', 'post', 202>>('/api/tagging/train', { method: 'POST', body: {} }),
  accept: (v: { id: string; version: number }) => api<ResponseOf<'/api/tagging/suggestions/{id}/accept', 'post'>>(`/api/tagging/suggestions/${encodeURIComponent(v.id)}/accept`, { method: 'POST', body: { version: v.version } }),
  reject: (v: { id: string }) => api<ResponseOf<'/api/tagging/suggestions/{id}/reject', 'post'>>(`/api/tagging/suggestions/${encodeURIComponent(v.id)}/reject`, { method: 'POST', body: {} }),
  acceptAbove: (v: { recommendationIds: string[]; minConfidence: number; kinds?: TagKind[] }) =>
    api<ResponseOf<'/api/tagging/accept', 'post'>>('/api/tagging/accept', { method: 'POST', body: v }),
};
