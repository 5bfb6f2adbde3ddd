import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

export const TAG_KINDS = ['theme', 'affected_person', 'sdg_goal', 'sdg_target'] as const;
export type TagKind = (typeof TAG_KINDS)[number];

export interface TagSuggestion {
  id: string;
  term_id: string;
  kind: TagKind;
  code: string;
  label_ar: string | null;
  label_en: string | null;
  /** 0..1 */
  confidence: number;
}

export interface QueueItem {
  id: string;
  paragraph: string | null;
  text_ar: string | null;
  text_en: string | null;
  version: number;
  document_id: string;
  document_symbol: string;
  suggestions: TagSuggestion[];
}

export interface TagQueue {
  total: number;
  suggestions: number;
  documents: { id: string; symbol: string; recommendations: number }[];
  items: QueueItem[];
}

export interface TaggerStatus {
  model: { id: string; trained_at: string; docs: number; labels: number } | null;
  pending: { recommendations: number; suggestions: number };
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
    queryFn: () => api<{ version: number; model: { trained_at: string; docs: number } | null; items: TagSuggestion[] }>(`/api/tagging/recommendations/${encodeURIComponent(id)}`),
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
  train: () => api<{ jobId: string }>('/api/tagging/train', { method: 'POST', body: {} }),
  accept: (v: { id: string; version: number }) => api<{ id: string; version: number }>(`/api/tagging/suggestions/${encodeURIComponent(v.id)}/accept`, { method: 'POST', body: { version: v.version } }),
  reject: (v: { id: string }) => api<{ ok: true }>(`/api/tagging/suggestions/${encodeURIComponent(v.id)}/reject`, { method: 'POST', body: {} }),
  acceptAbove: (v: { recommendationIds: string[]; minConfidence: number; kinds?: TagKind[] }) =>
    api<{ selected: number; recommendations: number; accepted: number }>('/api/tagging/accept', { method: 'POST', body: v }),
};
