import { Alert, Button, CopyButton, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatDateTime } from '../../api/format.ts';
import type { ResponseOf } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import type { FeedCreated } from './api.ts';

/** My secret iCalendar address (for Outlook and other calendars): create, replace, revoke. */
export function FeedCard() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: ['calendar-feed'], queryFn: () => api<ResponseOf<'/api/calendar/feed'>>('/api/calendar/feed') });
  const [url, setUrl] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<null | 'replace' | 'revoke'>(null);
  const create = useMutation({
    mutationFn: () => api<FeedCreated>('/api/calendar/feed', { method: 'POST' }),
    onSuccess: (r) => {
      setUrl(r.url);
      setConfirm(null);
      void qc.invalidateQueries({ queryKey: ['calendar-feed'] });
    },
  });
  const revoke = useMutation({
    mutationFn: () => api('/api/calendar/feed', { method: 'DELETE' }),
    onSuccess: () => {
      setUrl(null);
      setConfirm(null);
      void qc.invalidateQueries({ queryKey: ['calendar-feed'] });
    },
  });
  const active = status.data?.active ?? false;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="feed-title">
      <Title order={2} fz="md" id="feed-title" c="navy.9">
        {t('reports.feed.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('reports.feed.help')}
      </Text>
      <Stack gap="xs">
        {url ? (
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TextInput flex={1} readOnly dir="ltr" value={url} label={t('reports.feed.address')} description={t('reports.feed.shownOnce')} data-testid="feed-url" />
            <CopyButton value={url}>{({ copied, copy }) => <Button variant="default" onClick={copy}>{copied ? t('reports.feed.copied') : t('reports.feed.copy')}</Button>}</CopyButton>
          </Group>
        ) : active ? (
          <Text size="sm">
            {t('reports.feed.active', { date: formatDateTime(status.data?.created_at, lang) })}
          </Text>
        ) : null}
        <Group gap="xs">
          <Button size="xs" variant={active ? 'default' : 'filled'} onClick={() => (active ? setConfirm('replace') : create.mutate())} loading={create.isPending && !confirm}>
            {active ? t('reports.feed.replace') : t('reports.feed.create')}
          </Button>
          {active ? (
            <Button size="xs" variant="default" color="red.9" onClick={() => setConfirm('revoke')}>
              {t('reports.feed.revoke')}
            </Button>
          ) : null}
        </Group>
        {create.isError && !confirm ? (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(create.error)}
          </Alert>
        ) : null}
      </Stack>
      <ConfirmDialog
        opened={confirm !== null}
        title={confirm ? t(`reports.feed.confirm.${confirm}.title`) : ''}
        confirmLabel={confirm ? t(`reports.feed.confirm.${confirm}.button`) : ''}
        onConfirm={() => (confirm === 'revoke' ? revoke.mutate() : create.mutate())}
        onClose={() => setConfirm(null)}
        loading={create.isPending || revoke.isPending}
        danger
        error={confirm === 'revoke' ? revoke.error : create.error}
      >
        <Text size="sm">{confirm ? t(`reports.feed.confirm.${confirm}.body`) : ''}</Text>
      </ConfirmDialog>
    </Paper>
  );
}
