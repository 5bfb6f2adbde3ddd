import { Anchor, Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatNumber, pickLabel } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import type { Lang } from '../../api/types.ts';
import '../../components/search.css';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { type ClusterItem, type ClusterStatus, useCluster } from './api.ts';

export function clusterTitle(c: { title_ar: string | null; title_en: string | null }, lang: Lang, fallback: string): { text: string; lang: Lang } {
  const own = lang === 'ar' ? c.title_ar : c.title_en;
  if (own && own.trim()) return { text: own, lang };
  const other = lang === 'ar' ? c.title_en : c.title_ar;
  if (other && other.trim()) return { text: other, lang: lang === 'ar' ? 'en' : 'ar' };
  return { text: fallback, lang };
}

export function ClusterStatusBadge({ status }: { status: ClusterStatus }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant={status === 'accepted' ? 'filled' : 'outline'} color={status === 'accepted' ? 'rasd.8' : 'gray.7'} c={status === 'accepted' ? 'white' : 'dark.7'} bg={status === 'accepted' ? undefined : 'white'} data-testid="cluster-status">
      {t(`clusters.status.${status}`)}
    </Badge>
  );
}

/** A small stacked bar of the members' statuses, with the counts in text for those who do not see it. */
export function StatusMiniBar({ statuses, total }: { statuses: Record<string, number>; total: number }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  const known = [...(ref.data?.statuses ?? [])].sort((a, b) => a.sort - b.sort);
  const parts = known.filter((s) => (statuses[s.code] ?? 0) > 0).map((s) => ({ code: s.code, color: s.color, n: statuses[s.code] ?? 0, label: pickLabel(s.label_ar, s.label_en, lang, s.code) }));
  for (const [code, n] of Object.entries(statuses)) if (!known.some((s) => s.code === code) && n > 0) parts.push({ code, color: '#868e96', n, label: code });
  const text = parts.map((p) => `${p.label}: ${formatNumber(p.n, lang)}`).join(lang === 'ar' ? '، ' : ', ');
  return (
    <span title={text}>
      <span className="mini-stack" aria-hidden="true">
        {parts.map((p) => (
          <span key={p.code} style={{ width: `${(p.n / Math.max(1, total)) * 100}%`, background: p.color }} />
        ))}
      </span>
      <span className="visually-hidden">
        {t('clusters.breakdown')}: {text}
      </span>
    </span>
  );
}

/** On a recommendation's page: the cluster it belongs to, as a link. */
export function ClusterLink({ id }: { id: string }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const c = useCluster(id);
  if (!c.data) return null;
  const title = clusterTitle(c.data, lang, t('clusters.untitled'));
  return (
    <Group gap={6} wrap="nowrap" data-testid="rec-cluster">
      <Text size="sm" c="dimmed" style={{ flex: 'none' }}>
        {t('clusters.memberOf')}:
      </Text>
      <Anchor component={Link} to={`/clusters/${id}`} size="sm" lang={title.lang} className="cluster-title">
        {title.text}
      </Anchor>
      <ClusterStatusBadge status={c.data.status} />
      <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
        {t('clusters.membersN', { n: formatNumber(c.data.member_count, lang) })}
      </Text>
    </Group>
  );
}

export type { ClusterItem };
