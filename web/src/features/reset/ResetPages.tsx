import { Alert, Anchor, Box, Button, Container, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import type { ResponseOf, SessionPayload } from '../../api/types.ts';
import { SESSION_KEY, useLogout } from '../../auth/session.ts';
import { Brand } from '../../components/AppLayout.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { Ltr } from '../../components/Ltr.tsx';

/** The frame of the pages a person sees before they can use the app (like the sign-in page). */
function Frame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box className="login-bg">
      <Container size={460} pt={48} pb="xl">
        <Group justify="space-between" mb="xl" wrap="nowrap">
          <Brand inverted />
          <LanguageSwitch size="sm" />
        </Group>
        <Paper shadow="md" p="xl" withBorder component="main" id="main">
          <Stack gap="md">
            <Title order={1} fz={22} c="navy.9">
              {title}
            </Title>
            {children}
          </Stack>
        </Paper>
      </Container>
    </Box>
  );
}

/** A new password typed twice; `onSubmit` gets it once both agree. */
function NewPasswordFields({ value, setValue, again, setAgain, tried }: { value: string; setValue: (v: string) => void; again: string; setAgain: (v: string) => void; tried: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <PasswordInput
        label={t('user.newPassword')}
        description={t('reset.rule')}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        required
        autoComplete="new-password"
        error={tried && !value ? t('login.passwordRequired') : undefined}
        visibilityToggleButtonProps={{ 'aria-label': t('login.togglePassword') }}
      />
      <PasswordInput
        label={t('reset.again')}
        value={again}
        onChange={(e) => setAgain(e.currentTarget.value)}
        required
        autoComplete="new-password"
        error={tried && again !== value ? t('reset.mismatch') : undefined}
        visibilityToggleButtonProps={{ 'aria-label': t('login.togglePassword') }}
      />
    </>
  );
}

/** Opened from the e-mailed link (`/reset-password#token=…`): choose a new password, then sign in with it. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const token = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
  const [value, setValue] = useState('');
  const [again, setAgain] = useState('');
  const [tried, setTried] = useState(false);
  const check = useQuery({
    queryKey: ['password-reset', token],
    queryFn: () => api<ResponseOf<'/api/auth/password-reset/check', 'post'>>('/api/auth/password-reset/check', { method: 'POST', body: { token } }),
    enabled: token.length > 0,
    retry: false,
  });
  const save = useMutation({ mutationFn: () => api<ResponseOf<'/api/auth/password-reset', 'post'>>('/api/auth/password-reset', { method: 'POST', body: { token, password: value } }) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!value || value !== again) return;
    save.mutate();
  };
  const toSignIn = (
    <Anchor href="/" fw={600}>
      {t('reset.toSignIn')}
    </Anchor>
  );
  return (
    <Frame title={t('reset.pageTitle')}>
      {save.isSuccess ? (
        <Stack gap="sm">
          <Alert color="green" variant="light" role="status" data-testid="reset-done">
            {t('reset.done')}
          </Alert>
          {toSignIn}
        </Stack>
      ) : !token || check.isError ? (
        <Stack gap="sm">
          <Alert color="red" variant="light" role="alert" data-testid="reset-invalid">
            {check.isError ? errorMessage(check.error) : t('reset.noToken')}
          </Alert>
          {toSignIn}
        </Stack>
      ) : (
        <form onSubmit={submit} data-testid="reset-form">
          <Stack gap="sm">
            {check.data ? (
              <Text size="sm">
                {t('reset.forAccount')} <Ltr>{check.data.email}</Ltr>
              </Text>
            ) : null}
            {save.isError ? (
              <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
                {errorMessage(save.error)}
              </Alert>
            ) : null}
            <NewPasswordFields value={value} setValue={setValue} again={again} setAgain={setAgain} tried={tried} />
            <Button type="submit" loading={save.isPending} disabled={!check.data}>
              {t('reset.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </Frame>
  );
}

/** All a signed-in user sees while they hold a temporary password an administrator gave them. */
export function PasswordChangeRequiredPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const logout = useLogout();
  const [current, setCurrent] = useState('');
  const [value, setValue] = useState('');
  const [again, setAgain] = useState('');
  const [tried, setTried] = useState(false);
  const save = useMutation({
    mutationFn: () => api('/api/auth/password', { method: 'POST', body: { currentPassword: current, newPassword: value } }),
    onSuccess: () => qc.setQueryData<SessionPayload>(SESSION_KEY, (s) => (s ? { ...s, passwordChangeRequired: false } : s)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!current || !value || value !== again) return;
    save.mutate();
  };
  return (
    <Frame title={t('reset.requiredTitle')}>
      <form onSubmit={submit} data-testid="required-password-form">
        <Stack gap="sm">
          <Text size="sm">{t('reset.requiredBody')}</Text>
          {save.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
              {errorMessage(save.error)}
            </Alert>
          ) : null}
          <PasswordInput
            label={t('reset.temporaryLabel')}
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            required
            autoComplete="current-password"
            error={tried && !current ? t('login.passwordRequired') : undefined}
            visibilityToggleButtonProps={{ 'aria-label': t('login.togglePassword') }}
          />
          <NewPasswordFields value={value} setValue={setValue} again={again} setAgain={setAgain} tried={tried} />
          <Group justify="space-between">
            <Button variant="subtle" color="gray" onClick={() => logout.mutate()}>
              {t('user.signOut')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('reset.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Frame>
  );
}
