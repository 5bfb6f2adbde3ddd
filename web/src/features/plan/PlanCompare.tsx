import { Badge, Group, Modal, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { pickLabel } from '../../api/format.ts';
import type { ResponseOf } from '../../api/types.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

interface Named {
  code?: string;
  owner?: string;
  title_ar?: string;
  title_en?: string;
  name_ar?: string;
  name_en?: string;
}
type Comparison = ResponseOf<'/api/plans/{id}/compare'>;

/** Added, removed and changed actions and targets between an older version and this one. */
export function CompareModal({ planId, withId, onClose }: { planId: string; withId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const q = useQuery({ queryKey: ['plan', planId, 'compare', withId], queryFn: () => api<Comparison>(`/api/plans/${encodeURIComponent(planId)}/compare?with=${encodeURIComponent(withId)}`) });
  const label = (n: Named) => pickLabel(n.title_ar ?? n.name_ar, n.title_en ?? n.name_en, lang);
  const d = q.data;
  const section = (title: string, items: Named[], color: string, extra?: (n: Named) => string) => (
    <Stack gap={4}>
      <Text fw={600} size="sm">
        {title}
      </Text>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('plan.compare.none')}
        </Text>
      ) : (
        items.map((n, i) => (
          <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
            <Badge variant="light" color={color} c="dark.8" size="sm">
              <Ltr>{n.code ?? n.owner ?? ''}</Ltr>
            </Badge>
            <Text size="sm">
              {label(n)}
              {extra ? <Text span size="xs" c="dimmed">{` — ${extra(n)}`}</Text> : null}
            </Text>
          </Group>
        ))
      )}
    </Stack>
  );
  return (
    <Modal opened onClose={onClose} size="lg" centered title={d ? t('plan.compare.title', { from: d.from.version_number, to: d.to.version_number }) : t('plan.compare.button')} closeButtonProps={{ 'aria-label': t('common.close') }} data-testid="compare-modal">
      {q.isError ? (
        <ErrorState error={q.error} />
      ) : !d ? (
        <LoadingState />
      ) : (
        <Stack gap="md">
          {section(t('plan.compare.added'), d.actions.added, 'teal')}
          {section(t('plan.compare.removed'), d.actions.removed, 'red')}
          {section(t('plan.compare.changed'), d.actions.changed, 'blue', (n) => (n as Comparison['actions']['changed'][number]).fields.map((f) => t(`plan.compare.fields.${f.field}`)).join(lang === 'ar' ? '، ' : ', '))}
          {section(t('plan.compare.targets'), d.targets.changed, 'grape', (n) =>
            (n as Comparison['targets']['changed'][number]).fields.map((f) => `${t(`plan.compare.fields.${f.field}`)}: ${String(f.from ?? '—')} → ${String(f.to ?? '—')}`).join(lang === 'ar' ? '، ' : ', '),
          )}
        </Stack>
      )}
    </Modal>
  );
}
