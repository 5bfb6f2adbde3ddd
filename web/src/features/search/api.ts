import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export type SavedView = ResponseOf<'/api/views'>['items'][number];

export interface SimilarItem {
  id: string;
  score: number;
  paragraph: string | null;
  text_ar: string | null;
  text_en: string | null;
  text_fr: string | null;
  status: string;
  cluster_id: string | null;
  document_symbol: string;
  upr_cycle: number | null;
  body_code: string;
  mechanism_code: string;
}

const VIEWS_KEY = ['views'] as const;

export function useSavedViews(enabled = true) {
  return useQuery({ queryKey: VIEWS_KEY, queryFn: () => api<ResponseOf<'/api/views'>>('/api/views'), enabled });
}

export function useSaveView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; query: string }) => api<SavedView>('/api/views', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: VIEWS_KEY }),
  });
}

export function useDeleteView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/views/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: VIEWS_KEY }),
  });
}

export function useSimilar(id: string) {
  return useQuery({
    queryKey: ['recommendation', id, 'similar'],
    queryFn: () => api<{ items: SimilarItem[] }>(`/api/recommendations/${encodeURIComponent(id)}/similar?limit=8`),
  });
}

/** The part of a list URL worth saving: everything but the page number. */
export function viewQuery(search: URLSearchParams): string {
  const sp = new URLSearchParams(search);
  sp.delete('page');
  return sp.toString();
}
