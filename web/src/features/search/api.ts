import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export type SavedView = ResponseOf<'/api/views'>['items'][number];

export type SimilarList = ResponseOf<'/api/recommendations/{id}/similar'>;
export type SimilarItem = SimilarList['items'][number];

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
    queryFn: () => api<SimilarList>(`/api/recommendations/${encodeURIComponent(id)}/similar?limit=8`),
  });
}

/** The part of a list URL worth saving: everything but the page number. */
export function viewQuery(search: URLSearchParams): string {
  const sp = new URLSearchParams(search);
  sp.delete('page');
  return sp.toString();
}
