import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';

/**
 * Sets a password: the signed-in user's own (the current one is asked for), or, for an administrator,
 * another user's (`userId`).
 */
export function PasswordModal({ userId, title, note, onClose }: { userId?: string; title: string; note?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const own = userId === undefined;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const save = useMutation({
    mutationFn: () =>
      own
        ? api('/api/auth/password', { method: 'POST', body: { currentPassword: current, newPassword: next } })
        : api(`/api/admin/users/${userId}/password`, { method: 'POST', body: { password: next } }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if ((own && !current) || !next) return;
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={title} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit} data-testid="password-form">
        <Stack gap="sm">
          {note ? <Text size="sm">{note}</Text> : null}
          {save.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
              {errorMessage(save.error)}
            </Alert>
          ) : null}
          {save.isSuccess ? (
            <Alert color="green" variant="light" role="status">
              {own ? t('user.passwordChanged') : t('users.passwordReset')}
            </Alert>
          ) : null}
          {own ? (
            <PasswordInput label={t('user.currentPassword')} value={current} onChange={(e) => setCurrent(e.currentTarget.value)} required autoComplete="current-password" data-autofocus />
          ) : null}
          <PasswordInput
            label={t('user.newPassword')}
            description={t('users.passwordHint')}
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            required
            autoComplete="new-password"
            data-autofocus={own ? undefined : true}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.close')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={save.isSuccess}>
              {t('user.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
