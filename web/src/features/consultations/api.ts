import { useQuery } from '@tanstack/react-query';
import { api, qs } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

/* The answers' types are generated from the server's response schemas (src/consultations/consultations.schema.ts). */
export type ConsultationListItem = ResponseOf<'/api/consultations'>['items'][number];
/** Every count (what a curator gets; a stakeholder gets the number of items only). */
export type Counts = Extract<ConsultationListItem['counts'], { comments: number }>;
/** The counts of a consultation in the list (this app is the secretariat's: a curator always gets them all). */
export const countsOf = (c: ConsultationListItem): Counts =>
  'comments' in c.counts ? c.counts : { comments: 0, pending: 0, accepted: 0, participants: 0, invited: 0, items: c.counts.items };
export type Consultation = ResponseOf<'/api/consultations/{id}'>;
export type Subject = Consultation['subject'];
export type Item = Consultation['items'][number];
export type ItemType = Item['item_type'];
export type Comment = Consultation['comments'][number];
export type CommentStatus = Comment['status'];
export type Stakeholder = ResponseOf<'/api/stakeholders'>['items'][number];
export type StakeholderStatus = Stakeholder['status'];
export type AcceptedComment = ResponseOf<'/api/consultation-comments'>['items'][number];

export const consultationsKey = ['consultations'] as const;
export const useConsultations = () => useQuery({ queryKey: consultationsKey, queryFn: () => api<ResponseOf<'/api/consultations'>>('/api/consultations') });
export const useConsultation = (id: string) =>
  useQuery({ queryKey: [...consultationsKey, id], queryFn: () => api<Consultation>(`/api/consultations/${encodeURIComponent(id)}`) });
export const useStakeholders = (status?: StakeholderStatus) =>
  useQuery({ queryKey: ['stakeholders', status ?? 'all'], queryFn: () => api<ResponseOf<'/api/stakeholders'>>(`/api/stakeholders${qs(status ? { status } : {})}`) });
export const useAcceptedComments = (itemType: ItemType, itemId: string) =>
  useQuery({
    queryKey: ['consultation-comments', itemType, itemId],
    queryFn: () => api<ResponseOf<'/api/consultation-comments'>>(`/api/consultation-comments${qs({ item_type: itemType, item_id: itemId })}`),
  });
/** Accepted comments on several items of one kind at once (a plan's actions, a report's sections), by item id. */
export function useAcceptedCommentsMany(itemType: ItemType, itemIds: string[]) {
  const ids = [...itemIds].sort();
  return useQuery({
    queryKey: ['consultation-comments', itemType, ids.join(',')],
    queryFn: async () => {
      const byItem = new Map<string, AcceptedComment[]>();
      for (let i = 0; i < ids.length; i += 400) {
        const res = await api<ResponseOf<'/api/consultation-comments'>>(`/api/consultation-comments${qs({ item_type: itemType, item_ids: ids.slice(i, i + 400).join(',') })}`);
        for (const c of res.items) byItem.set(c.item_id, [...(byItem.get(c.item_id) ?? []), c]);
      }
      return byItem;
    },
    enabled: ids.length > 0,
  });
}
