import { Alert, Button, Code, CopyButton, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatDateTime } from '../../api/format.ts';
import type { AdminUser, ResponseOf } from '../../api/types.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

type Method = 'link' | 'temporary';
/** what each way answers: the address and expiry of the link, or the temporary password */
type ResetResult = Partial<ResponseOf<'/api/admin/users/{id}/reset-link', 'post'> & ResponseOf<'/api/admin/users/{id}/temporary-password', 'post'>>;

/**
 * An administrator resets another user's password: a single-use link by e-mail, or a temporary password shown
 * here once, which the user must change at their next sign-in. Either way the user's sessions end; the dialog
 * says so before the button is pressed (the confirmation).
 */
export function AdminResetModal({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const [method, setMethod] = useState<Method>('link');
  const reset = useMutation({
    mutationFn: (m: Method) => api<ResetResult>(`/api/admin/users/${user.id}/${m === 'link' ? 'reset-link' : 'temporary-password'}`, { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
  const result = reset.data;
  return (
    <Modal opened onClose={onClose} title={t('reset.adminTitle', { name: user.name })} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="sm" data-testid="admin-reset">
        {reset.isError ? (
          <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
            {errorMessage(reset.error)}
          </Alert>
        ) : null}
        {result?.temporaryPassword ? (
          <Alert color="green" variant="light" role="status" title={t('reset.temporaryDone')}>
            <Stack gap="xs">
              <Text size="sm">{t('reset.temporaryOnce')}</Text>
              <Group gap="xs" wrap="nowrap">
                <Code fz="lg" dir="ltr" data-testid="temporary-password">
                  {result.temporaryPassword}
                </Code>
                <CopyButton value={result.temporaryPassword}>
                  {({ copied, copy }) => (
                    <Button size="compact-sm" variant="light" onClick={copy}>
                      {copied ? t('reset.copied') : t('reset.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            </Stack>
          </Alert>
        ) : result?.sentTo ? (
          <Alert color="green" variant="light" role="status" title={t('reset.linkDone')} data-testid="reset-link-sent">
            <Text size="sm">
              {t('reset.linkSentTo')} <Ltr>{result.sentTo}</Ltr>
            </Text>
            <Text size="sm">
              <bdi>{t('reset.linkValidUntil', { when: formatDateTime(result.expiresAt ?? null, lang) })}</bdi>
            </Text>
          </Alert>
        ) : (
          <>
            <Radio.Group value={method} onChange={(v) => setMethod(v as Method)} label={t('reset.how')}>
              <Stack gap="xs" mt="xs">
                <Radio value="link" label={t('reset.byLink')} description={t('reset.byLinkHint')} />
                <Radio value="temporary" label={t('reset.byTemporary')} description={t('reset.byTemporaryHint')} />
              </Stack>
            </Radio.Group>
            <Text size="sm" fw={600}>
              {t('reset.sessionsEnd', { name: user.name })}
            </Text>
          </>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.close')}
          </Button>
          {result ? null : (
            <Button color="red.9" onClick={() => reset.mutate(method)} loading={reset.isPending} data-testid="admin-reset-confirm">
              {method === 'link' ? t('reset.sendLink') : t('reset.giveTemporary')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
