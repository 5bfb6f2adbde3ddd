import { Anchor, Card, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, pickLabel } from '../../api/format.ts';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { type AcceptedComment, type ItemType, useAcceptedComments } from './api.ts';

/** What stakeholders said about an item in consultations, once a coordinator accepted it: shown beside the item. */
export function StakeholderInput({ itemType, itemId }: { itemType: ItemType; itemId: string }) {
  const q = useAcceptedComments(itemType, itemId);
  return <StakeholderInputList items={q.data?.items ?? []} />;
}

/** The accepted comments given (e.g. one plan action's, from a batch read). */
export function StakeholderInputList({ items, compact = false }: { items: AcceptedComment[]; compact?: boolean }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  if (items.length === 0) return null;
  return (
    <Card withBorder data-testid="stakeholder-input" padding={compact ? 'xs' : 'md'}>
      <Title order={compact ? 4 : 2} fz={compact ? 'sm' : 'lg'} mb="xs">
        {t('consult.besideTitle')}
      </Title>
      <Stack gap="sm">
        {items.map((c) => (
          <div key={c.id}>
            <Text size="sm" fw={600}>
              {c.author_organisation ?? c.author_name}
            </Text>
            <Text style={{ whiteSpace: 'pre-line' }}>{c.body}</Text>
            <Text size="xs" c="dimmed">
              <Anchor component={Link} to={`/consultations/${c.consultation_id}`} size="xs">
                {pickLabel(c.consultation_title_ar, c.consultation_title_en, lang)}
              </Anchor>{' '}
              · {formatDate(c.created_at, lang)}
              {c.is_public ? ` · ${t('consult.public')}` : ''}
            </Text>
          </div>
        ))}
      </Stack>
    </Card>
  );
}
