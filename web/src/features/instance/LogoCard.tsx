import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { usePublicSettings } from '../../auth/session.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { FileDrop } from '../../components/FileDrop.tsx';

/** The state's logo: PNG or JPEG up to 512 KB, shown in the header and on the sign-in page (admins). */
export function LogoCard() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const settings = usePublicSettings();
  const [file, setFile] = useState<File | null>(null);
  const [confirming, setConfirming] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: ['settings'] });
  const upload = useMutation({
    mutationFn: (f: File) => api<{ sha256: string }>('/api/admin/settings/logo', { method: 'PUT', raw: f }),
    onSuccess: async () => {
      setFile(null);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api<void>('/api/admin/settings/logo', { method: 'DELETE' }),
    onSuccess: async () => {
      setConfirming(false);
      await refresh();
    },
  });
  const logo = settings.data?.logo ?? null;
  return (
    <Card data-testid="logo-card">
      <Stack gap="sm">
        <Title order={2} fz="lg">
          {t('realweb.logo.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('realweb.logo.hint')}
        </Text>
        {logo ? (
          <Group gap="md" wrap="wrap">
            <img src={`/api/settings/logo?v=${logo}`} alt={t('realweb.logo.current')} className="logo-preview" data-testid="logo-preview" />
            <Button variant="default" color="red" onClick={() => setConfirming(true)} data-testid="logo-remove">
              {t('realweb.logo.remove')}
            </Button>
          </Group>
        ) : (
          <Text size="sm" data-testid="logo-none">
            {t('realweb.logo.none')}
          </Text>
        )}
        <FileDrop label={logo ? t('realweb.logo.replace') : t('realweb.logo.choose')} hint={t('realweb.logo.types')} accept="image/png,image/jpeg" file={file} onFile={setFile} testId="logo-file" />
        {upload.isError ? (
          <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
            {errorMessage(upload.error)}
          </Alert>
        ) : null}
        {upload.isSuccess && !file ? (
          <Alert color="green" variant="light" role="status">
            {t('realweb.logo.saved')}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button disabled={!file} loading={upload.isPending} onClick={() => file && upload.mutate(file)} data-testid="logo-upload">
            {t('realweb.logo.upload')}
          </Button>
        </Group>
      </Stack>
      <ConfirmDialog
        opened={confirming}
        title={t('realweb.logo.confirmTitle')}
        confirmLabel={t('realweb.logo.remove')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirming(false)}
        testId="logo-remove-confirm"
      >
        {t('realweb.logo.confirmText')}
      </ConfirmDialog>
    </Card>
  );
}
