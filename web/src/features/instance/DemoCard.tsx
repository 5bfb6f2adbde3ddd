import { Alert, Button, Card, List, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatNumber } from '../../api/format.ts';
import type { ResponseOf } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

type DemoWorkspace = ResponseOf<'/api/admin/demo'>;
type Counts = DemoWorkspace['counts'];

const COUNT_KEYS: (keyof Counts)[] = ['users', 'recommendations', 'documents', 'entities', 'terms', 'clusters', 'plans', 'obligations', 'reports', 'assignments', 'updates'];

/** Removing the demo workspace (admins): says exactly what goes, and what real work stands in the way. */
export function DemoCard() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const demo = useQuery({ queryKey: ['admin', 'demo'], queryFn: () => api<DemoWorkspace>('/api/admin/demo') });
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => api<ResponseOf<'/api/admin/demo', 'delete'>>('/api/admin/demo', { method: 'DELETE' }),
    onSuccess: async () => {
      setConfirming(false);
      // every list may have held demo records
      await qc.invalidateQueries();
    },
  });
  if (!demo.data) return null;
  const d = demo.data;
  const counts = (
    <List size="sm" spacing={2} data-testid="demo-counts">
      {COUNT_KEYS.filter((k) => d.counts[k] > 0).map((k) => (
        <List.Item key={k}>{t(`realweb.demo.counts.${k}`, { n: formatNumber(d.counts[k], lang) })}</List.Item>
      ))}
    </List>
  );
  return (
    <Card data-testid="demo-card">
      <Stack gap="sm">
        <Title order={2} fz="lg">
          {t('realweb.demo.title')}
        </Title>
        {!d.exists ? (
          <Text size="sm" data-testid="demo-none">
            {remove.isSuccess ? t('realweb.demo.removed') : t('realweb.demo.none')}
          </Text>
        ) : (
          <>
            <Text size="sm">{t('realweb.demo.intro')}</Text>
            {counts}
            <Text size="sm" c="dimmed">
              {t('realweb.demo.keeps')}
            </Text>
            {d.blockers.length ? (
              <Alert color="yellow" variant="light" title={t('realweb.demo.blockedTitle')} data-testid="demo-blockers">
                <List size="sm" spacing={2}>
                  {d.blockers.map((b) => (
                    <List.Item key={b.kind}>{t(`realweb.demo.blockers.${b.kind}`, { n: formatNumber(b.count, lang) })}</List.Item>
                  ))}
                </List>
              </Alert>
            ) : null}
            <Button color="red.9" variant="filled" style={{ alignSelf: 'flex-start' }} disabled={d.blockers.length > 0} onClick={() => setConfirming(true)} data-testid="demo-remove">
              {t('realweb.demo.remove')}
            </Button>
          </>
        )}
      </Stack>
      <ConfirmDialog
        opened={confirming}
        title={t('realweb.demo.confirmTitle')}
        confirmLabel={t('realweb.demo.confirm')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirming(false)}
        testId="demo-remove-confirm"
      >
        <Stack gap="xs">
          <Text size="sm">{t('realweb.demo.confirmText')}</Text>
          {counts}
          <Text size="sm">{t('realweb.demo.confirmAccounts')}</Text>
          <List size="sm" spacing={2}>
            {d.emails.map((e) => (
              <List.Item key={e}>
                <Ltr>{e}</Ltr>
              </List.Item>
            ))}
          </List>
          <Text size="sm" fw={700}>
            {t('realweb.demo.irreversible')}
          </Text>
        </Stack>
      </ConfirmDialog>
    </Card>
  );
}
