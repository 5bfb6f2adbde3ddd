import { Alert, Badge, Button, Group, Modal, Paper, PasswordInput, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatDateTime, pickLabel } from '../../api/format.ts';
import { useEntities } from '../../api/queries.ts';
import type { AdminUser, Lang, ResponseOf, Role } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { AdminResetModal } from '../reset/AdminResetModal.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

const ROLES: readonly Role[] = ['admin', 'coordinator', 'focal_point', 'contributor', 'viewer'];
const NEEDS_ENTITY: readonly Role[] = ['focal_point', 'contributor'];
const USERS_KEY = ['admin', 'users'] as const;

function CreateUserModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const entities = useEntities();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [entityId, setEntityId] = useState<string | null>(null);
  const [locale, setLocale] = useState<Lang>(lang);
  const [tried, setTried] = useState(false);
  const needsEntity = NEEDS_ENTITY.includes(role);
  const create = useMutation({
    mutationFn: () =>
      api<ResponseOf<'/api/admin/users', 'post', 201>>('/api/admin/users', {
        method: 'POST',
        body: { email: email.trim(), password, name: name.trim() || undefined, role, entityId: needsEntity ? entityId : entityId || null, locale },
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: USERS_KEY });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!email.trim() || !password || (needsEntity && !entityId)) return;
    create.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('users.createTitle')} centered size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit} data-testid="user-form">
        <Stack gap="sm">
          {create.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
              {errorMessage(create.error)}
            </Alert>
          ) : null}
          <TextInput label={t('users.col.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} dir="ltr" required error={tried && !email.trim() ? t('entities.required') : undefined} data-autofocus />
          <TextInput label={t('users.col.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <PasswordInput
            label={t('login.password')}
            description={t('users.passwordHint')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            required
            error={tried && !password ? t('entities.required') : undefined}
            visibilityToggleButtonProps={{ 'aria-label': t('login.togglePassword') }}
          />
          <Select label={t('users.col.role')} data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} value={role} onChange={(v) => v && setRole(v as Role)} allowDeselect={false} />
          <Select
            label={t('users.col.entity')}
            description={needsEntity ? t('users.entityRequired') : t('users.entityOptional')}
            data={(entities.data?.items ?? []).map((x) => ({ value: x.id, label: `${x.code} — ${pickLabel(x.name_ar, x.name_en, lang, x.code)}` }))}
            value={entityId}
            onChange={setEntityId}
            searchable
            clearable
            required={needsEntity}
            error={tried && needsEntity && !entityId ? t('users.entityMissing') : undefined}
          />
          <Select
            label={t('users.locale')}
            data={(['ar', 'en'] as const).map((l) => ({ value: l, label: t(`arabic.languageName.${l}`) }))}
            value={locale}
            onChange={(v) => v && setLocale(v as Lang)}
            allowDeselect={false}
          />
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('users.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: USERS_KEY, queryFn: () => api<{ items: AdminUser[] }>('/api/admin/users') });
  const entities = useEntities(true);
  const [creating, setCreating] = useState(false);
  const [disabling, setDisabling] = useState<AdminUser | null>(null);
  const [resetting, setResetting] = useState<AdminUser | null>(null);
  const [clearing2fa, setClearing2fa] = useState<AdminUser | null>(null);
  const reset2fa = useMutation({
    mutationFn: (u: AdminUser) => api(`/api/admin/users/${u.id}/two-factor/reset`, { method: 'POST' }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: USERS_KEY });
      setClearing2fa(null);
    },
  });
  const disable = useMutation({
    mutationFn: (u: AdminUser) => api(`/api/admin/users/${u.id}/disable`, { method: 'POST' }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: USERS_KEY });
      setDisabling(null);
    },
  });
  const unlock = useMutation({
    mutationFn: (u: AdminUser) => api(`/api/admin/users/${u.id}/unlock`, { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: USERS_KEY }),
  });
  const entityName = (id: string | null) => {
    if (!id) return '—';
    const e = entities.data?.items.find((x) => x.id === id);
    return e ? pickLabel(e.name_ar, e.name_en, lang, e.code) : '—';
  };
  return (
    <Stack gap="md">
      <PageHeader title={t('users.title')} subtitle={t('users.subtitle')} actions={<Button onClick={() => setCreating(true)}>{t('users.add')}</Button>} />
      <Paper withBorder p={0}>
        {list.isError ? (
          <Stack p="md">
            <ErrorState error={list.error} onRetry={() => void list.refetch()} />
          </Stack>
        ) : !list.data ? (
          <LoadingState />
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('users.title')}>
            <Table className="rec-table" striped highlightOnHover miw={860} data-testid="users-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.col.name')}</Table.Th>
                  <Table.Th>{t('users.col.email')}</Table.Th>
                  <Table.Th>{t('users.col.role')}</Table.Th>
                  <Table.Th>{t('users.col.entity')}</Table.Th>
                  <Table.Th>{t('users.col.status')}</Table.Th>
                  <Table.Th>{t('users.col.lastLogin')}</Table.Th>
                  <Table.Th>{t('entities.col.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((u) => (
                  <Table.Tr key={u.id}>
                    <Table.Td>{u.name}</Table.Td>
                    <Table.Td>
                      <Ltr>{u.email}</Ltr>
                    </Table.Td>
                    <Table.Td>{t(`roles.${u.role}`)}</Table.Td>
                    <Table.Td>{entityName(u.entity_id)}</Table.Td>
                    {/* wide enough for the status badge (it was cut to "…" beside the actions column) */}
                    <Table.Td miw={104}>
                      {u.disabled_at ? (
                        <Badge variant="outline" color="gray" c="dark.6">
                          {t('users.disabled')}
                        </Badge>
                      ) : (
                        <Badge variant="outline" color="green.9" c="dark.7" bg="white" leftSection={<span className="status-dot" style={{ background: "#2b8a3e" }} aria-hidden="true" />}>
                          {t('users.active')}
                        </Badge>
                      )}
                      {u.totp_enabled_at ? (
                        <Text size="xs" c="blue.9" mt={4} data-testid="user-2fa">
                          {t('twoFactor.badge')}
                        </Text>
                      ) : null}
                      {u.password_change_required_at ? (
                        <Text size="xs" c="orange.9" mt={4} data-testid="user-temporary-password">
                          {t('reset.mustChange')}
                        </Text>
                      ) : null}
                      {u.locked_until ? (
                        <Text size="xs" c="orange.9" mt={4} data-testid="user-locked">
                          🔒 <bdi>{t('users.locked', { until: formatDateTime(u.locked_until, lang) })}</bdi>
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">
                        <bdi>{formatDateTime(u.last_login_at, lang) || '—'}</bdi>
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {u.locked_until ? (
                        <Button size="compact-sm" variant="subtle" onClick={() => unlock.mutate(u)} loading={unlock.isPending && unlock.variables?.id === u.id} aria-label={t('users.unlockNamed', { name: u.name })}>
                          {t('users.unlock')}
                        </Button>
                      ) : null}
                      <Button size="compact-sm" variant="subtle" onClick={() => setResetting(u)} aria-label={t('reset.adminTitle', { name: u.name })}>
                        {t('reset.button')}
                      </Button>
                      {u.totp_enabled_at ? (
                        <Button size="compact-sm" variant="subtle" onClick={() => setClearing2fa(u)} aria-label={t('twoFactor.resetNamed', { name: u.name })}>
                          {t('twoFactor.reset')}
                        </Button>
                      ) : null}
                      {u.disabled_at ? null : (
                        <Button size="compact-sm" variant="subtle" color="red" c="red.9" onClick={() => setDisabling(u)} aria-label={t('users.disableNamed', { name: u.name })}>
                          {t('users.disable')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </Paper>
      {creating ? <CreateUserModal onClose={() => setCreating(false)} /> : null}
      {resetting ? <AdminResetModal user={resetting} onClose={() => setResetting(null)} /> : null}
      <ConfirmDialog
        opened={!!disabling}
        onClose={() => {
          setDisabling(null);
          disable.reset();
        }}
        title={t('users.disableTitle')}
        confirmLabel={t('users.disable')}
        danger
        onConfirm={() => disabling && disable.mutate(disabling)}
        loading={disable.isPending}
        error={disable.error}
      >
        <Text size="sm">{t('users.disableBody', { name: disabling?.name ?? '' })}</Text>
      </ConfirmDialog>
      <ConfirmDialog
        opened={!!clearing2fa}
        onClose={() => {
          setClearing2fa(null);
          reset2fa.reset();
        }}
        title={t('twoFactor.resetNamed', { name: clearing2fa?.name ?? '' })}
        confirmLabel={t('twoFactor.reset')}
        danger
        onConfirm={() => clearing2fa && reset2fa.mutate(clearing2fa)}
        loading={reset2fa.isPending}
        error={reset2fa.error}
      >
        <Text size="sm">{t('twoFactor.resetBody', { name: clearing2fa?.name ?? '' })}</Text>
      </ConfirmDialog>
      <TwoFactorPolicy />
    </Stack>
  );
}

/** The administrators' switch that makes two-factor sign-in compulsory for administrators and coordinators. */
function TwoFactorPolicy() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const key = ['admin', 'two-factor-policy'] as const;
  const policy = useQuery({ queryKey: key, queryFn: () => api<ResponseOf<'/api/admin/two-factor-policy'>>('/api/admin/two-factor-policy') });
  const save = useMutation({
    mutationFn: (on: boolean) => api<ResponseOf<'/api/admin/two-factor-policy', 'put'>>('/api/admin/two-factor-policy', { method: 'PUT', body: { roles: on ? ['admin', 'coordinator'] : [] } }),
    onSuccess: (data) => qc.setQueryData(key, data),
  });
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Text fw={600}>{t('twoFactor.policyTitle')}</Text>
        {save.isError ? (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(save.error)}
          </Alert>
        ) : null}
        <Switch
          label={t('twoFactor.policyLabel')}
          description={t('twoFactor.policyHint')}
          checked={(policy.data?.roles.length ?? 0) > 0}
          disabled={!policy.data || save.isPending}
          onChange={(e) => save.mutate(e.currentTarget.checked)}
          data-testid="two-factor-policy"
        />
      </Stack>
    </Paper>
  );
}
