import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatDateTime } from '../../api/format.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

type SessionView = ResponseOf<'/api/auth/sessions'>['items'][number];

const KEY = ['auth', 'sessions'] as const;

/** The signed-in user's sessions (one per browser they signed in from), each of which they may end. */
export function SessionsModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const [ending, setEnding] = useState<SessionView | null>(null);
  const sessions = useQuery({ queryKey: KEY, queryFn: () => api<ResponseOf<'/api/auth/sessions'>>('/api/auth/sessions') });
  const end = useMutation({
    mutationFn: (id: string) => api<{ ok: true; current: boolean }>(`/api/auth/sessions/${id}`, { method: 'DELETE' }),
    onSuccess: async (r) => {
      if (r.current) {
        window.location.assign('/');
        return;
      }
      setEnding(null);
      await qc.invalidateQueries({ queryKey: KEY });
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('sessions.title')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="sm" data-testid="sessions">
        <Text size="sm">{t('sessions.intro')}</Text>
        {sessions.isError ? (
          <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
            {errorMessage(sessions.error)}
          </Alert>
        ) : null}
        {(sessions.data?.items ?? []).map((s) => (
          <Paper key={s.id} withBorder p="sm" radius="md" data-testid="session-row">
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Stack gap={2}>
                <Text size="sm">
                  {t('sessions.signedIn')} <Ltr>{formatDateTime(s.created_at, lang)}</Ltr>
                </Text>
                <Text size="xs" c="dimmed">
                  {t('sessions.expires')} <Ltr>{formatDateTime(s.expires_at, lang)}</Ltr>
                </Text>
                {s.current ? (
                  <Badge variant="outline" color="green.9" c="dark.7" bg="white" w="fit-content">
                    {t('sessions.current')}
                  </Badge>
                ) : null}
              </Stack>
              <Button size="xs" variant="outline" color="red.9" onClick={() => setEnding(s)} data-testid="session-end">
                {s.current ? t('sessions.endCurrent') : t('sessions.end')}
              </Button>
            </Group>
          </Paper>
        ))}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.close')}
          </Button>
        </Group>
      </Stack>
      <ConfirmDialog
        opened={ending !== null}
        title={ending?.current ? t('sessions.endCurrent') : t('sessions.end')}
        confirmLabel={ending?.current ? t('sessions.endCurrent') : t('sessions.end')}
        onConfirm={() => ending && end.mutate(ending.id)}
        onClose={() => {
          setEnding(null);
          end.reset();
        }}
        loading={end.isPending}
        danger
        error={end.isError ? end.error : undefined}
        testId="session-end-confirm"
      >
        {ending?.current ? t('sessions.confirmCurrent') : t('sessions.confirm')}
      </ConfirmDialog>
    </Modal>
  );
}
