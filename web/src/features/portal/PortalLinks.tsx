import { Anchor, Card, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import type { ProgressUpdate } from '../../api/followup.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

/** The public portal's address in the current language (a server-rendered page: a full navigation, not a route). */
export function usePortalHref(path = '/'): string {
  const { lang } = useLanguage();
  return `/public/${lang === 'ar' ? 'ar' : 'en'}${path}`;
}

/** A link to the public portal (sign-in page, sidebar). */
export function PortalLink({ size = 'sm', c }: { size?: 'xs' | 'sm' | 'md'; c?: string }) {
  const { t } = useTranslation();
  const href = usePortalHref('/');
  return (
    <Anchor href={href} size={size} c={c} title={t('portal.linkHint')} data-testid="portal-link">
      {t('portal.link')}
    </Anchor>
  );
}

/** On a published recommendation: its page on the public portal. */
export function PortalRecommendationLink({ id }: { id: string }) {
  const { t } = useTranslation();
  const href = usePortalHref(`/recommendations/${encodeURIComponent(id)}`);
  return (
    <Anchor href={href} size="sm" data-testid="portal-rec-link">
      {t('portal.viewOnPortal')}
    </Anchor>
  );
}

/**
 * For a curator, on an approved update: show it on the public portal (beside its published recommendations) or
 * take it back. Publishing asks for confirmation first.
 */
export function UpdatePublicCard({ u, onDone }: { u: ProgressUpdate; onDone: (next: ProgressUpdate) => void }) {
  const { t } = useTranslation();
  const isPublic = u.is_public === 1;
  const [confirm, setConfirm] = useState(false);
  const set = useMutation({
    mutationFn: (value: boolean) => api<ProgressUpdate>(`/api/updates/${u.id}/public`, { method: 'POST', body: { version: u.version, public: value } }),
    onSuccess: (next) => {
      setConfirm(false);
      onDone(next);
    },
  });
  return (
    <Card withBorder component="section" aria-labelledby="u-public" data-testid="update-public">
      <Stack gap="xs">
        <Title order={2} fz="md" id="u-public" c="navy.9">
          {t('portal.updateTitle')}
        </Title>
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Switch
            label={t('portal.updatePublic')}
            description={t('portal.updatePublicHint')}
            checked={isPublic}
            disabled={set.isPending}
            onChange={(e) => (e.currentTarget.checked ? setConfirm(true) : set.mutate(false))}
            data-testid="update-public-switch"
          />
        </Group>
        {set.isError && !confirm ? (
          <Text size="sm" c="red.8" role="alert">
            {errorMessage(set.error)}
          </Text>
        ) : null}
      </Stack>
      <ConfirmDialog
        opened={confirm}
        title={t('portal.confirmTitle')}
        confirmLabel={t('portal.confirmPublish')}
        onConfirm={() => set.mutate(true)}
        onClose={() => {
          setConfirm(false);
          set.reset();
        }}
        loading={set.isPending}
        error={set.error}
        testId="update-public-confirm"
      >
        <Text size="sm">{t('portal.confirmText')}</Text>
      </ConfirmDialog>
    </Card>
  );
}
