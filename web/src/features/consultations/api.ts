import { useQuery } from '@tanstack/react-query';
import { api, qs } from '../../api/client.ts';

export type Subject = 'recommendations' | 'report' | 'plan';
export type ItemType = 'recommendation' | 'report_section' | 'plan_action';
export type CommentStatus = 'pending' | 'accepted' | 'rejected';
export type StakeholderStatus = 'pending' | 'approved' | 'rejected';

export interface Counts {
  comments: number;
  pending: number;
  accepted: number;
  participants: number;
  invited: number;
  items: number;
}
export interface ConsultationListItem {
  id: string;
  subject: Subject;
  title_ar: string;
  title_en: string;
  opens_at: string;
  closes_at: string;
  audience: 'open' | 'invited';
  state: 'upcoming' | 'open' | 'closed';
  counts: Counts;
  version: number;
}
export interface Item {
  item_type: ItemType;
  item_id: string;
  ref: string;
  label_ar: string;
  label_en: string;
}
export interface Comment {
  id: string;
  item_type: ItemType;
  item_id: string;
  author_name: string;
  author_organisation: string | null;
  body: string;
  attachment_name: string | null;
  attachment_size: number | null;
  status: CommentStatus;
  moderation_reason: string | null;
  is_public: boolean;
  created_at: string;
  version: number;
}
export interface Consultation extends Omit<ConsultationListItem, 'counts'> {
  subject_id: string | null;
  description_ar: string;
  description_en: string;
  questions: { ar: string; en: string }[];
  items: Item[];
  comments: Comment[];
  invitations: { user_id: string; name: string; organisation: string | null; invited_at: string }[];
}
export interface Stakeholder {
  id: string;
  name: string;
  email: string;
  organisation: string;
  org_kind: 'nhri' | 'civil_society' | 'other';
  status: StakeholderStatus;
  decision_reason: string | null;
  decided_at: string | null;
  decided_by_name: string | null;
  created_at: string;
  version: number;
}
export interface AcceptedComment {
  id: string;
  item_id: string;
  consultation_id: string;
  consultation_title_ar: string;
  consultation_title_en: string;
  author_name: string;
  author_organisation: string | null;
  body: string;
  attachment_name: string | null;
  is_public: boolean;
  created_at: string;
}

export const consultationsKey = ['consultations'] as const;
export const useConsultations = () => useQuery({ queryKey: consultationsKey, queryFn: () => api<{ items: ConsultationListItem[] }>('/api/consultations') });
export const useConsultation = (id: string) =>
  useQuery({ queryKey: [...consultationsKey, id], queryFn: () => api<Consultation>(`/api/consultations/${encodeURIComponent(id)}`) });
export const useStakeholders = (status?: StakeholderStatus) =>
  useQuery({ queryKey: ['stakeholders', status ?? 'all'], queryFn: () => api<{ items: Stakeholder[] }>(`/api/stakeholders${qs(status ? { status } : {})}`) });
export const useAcceptedComments = (itemType: ItemType, itemId: string) =>
  useQuery({
    queryKey: ['consultation-comments', itemType, itemId],
    queryFn: () => api<{ items: AcceptedComment[] }>(`/api/consultation-comments${qs({ item_type: itemType, item_id: itemId })}`),
  });
/** Accepted comments on several items of one kind at once (a plan's actions, a report's sections), by item id. */
export function useAcceptedCommentsMany(itemType: ItemType, itemIds: string[]) {
  const ids = [...itemIds].sort();
  return useQuery({
    queryKey: ['consultation-comments', itemType, ids.join(',')],
    queryFn: async () => {
      const byItem = new Map<string, AcceptedComment[]>();
      for (let i = 0; i < ids.length; i += 400) {
        const res = await api<{ items: AcceptedComment[] }>(`/api/consultation-comments${qs({ item_type: itemType, item_ids: ids.slice(i, i + 400).join(',') })}`);
        for (const c of res.items) byItem.set(c.item_id, [...(byItem.get(c.item_id) ?? []), c]);
      }
      return byItem;
    },
    enabled: ids.length > 0,
  });
}
