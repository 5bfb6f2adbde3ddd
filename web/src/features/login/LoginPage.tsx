import { Alert, Button, Code, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorCode, errorMessage } from '../../api/errors.ts';
import { useLogin, usePublicSettings } from '../../auth/session.ts';
import { DemoBadge } from '../../components/AppLayout.tsx';
import { AuthFrame } from '../../components/AuthFrame.tsx';
import { PortalLink } from '../portal/PortalLinks.tsx';

const SSO_ERRORS = ['sso_not_configured', 'sso_unavailable', 'sso_refused', 'sso_state_mismatch', 'sso_expired', 'sso_failed', 'sso_no_email', 'sso_no_role', 'sso_unknown_entity', 'account_disabled'];

export function LoginPage() {
  const { t } = useTranslation();
  const settings = usePublicSettings();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [askCode, setAskCode] = useState(false);
  const [missing, setMissing] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setMissing(true);
      return;
    }
    setMissing(false);
    login.mutate(
      { email: email.trim(), password, ...(askCode && otp.trim() ? { code: otp.trim() } : {}) },
      {
        // The password was right and the account uses two-factor: the same form asks for the code.
        onError: (err) => {
          if (errorCode(err) === 'two_factor_required') setAskCode(true);
        },
      },
    );
  };

  const code = login.isError ? errorCode(login.error) : null;
  // Back from the identity provider with a refusal: its code, shown in the reader's language.
  const ssoError = new URLSearchParams(window.location.search).get('sso_error');
  const ssoKnown = ssoError && SSO_ERRORS.includes(ssoError) ? ssoError : ssoError ? 'sso_failed' : null;

  return (
    <AuthFrame
      width={460}
      after={
        <>
          {settings.data?.demoLogins?.length ? (
            <Paper p="md" mt="md" withBorder bg="white" data-testid="demo-logins">
              <Text size="sm" fw={600} mb={4}>
                {t('login.demoTitle')}
              </Text>
              <Text size="sm" c="dimmed" mb="xs">
                {t('login.demoHint')}
              </Text>
              <Stack gap={2}>
                {settings.data.demoLogins.map((a) => (
                  <Code key={a.email} dir="ltr" style={{ alignSelf: 'flex-start' }}>
                    {a.email}
                  </Code>
                ))}
                {settings.data.demoPassword ? (
                  <Text size="sm" mt={4}>
                    {t('login.demoPassword')} <Code dir="ltr">{settings.data.demoPassword}</Code>
                  </Text>
                ) : null}
              </Stack>
            </Paper>
          ) : null}
          <Text ta="center" size="sm" mt="lg">
            <PortalLink />
          </Text>
          <Text ta="center" size="xs" c="dimmed" mt="xs">
            {t('app.tagline')}
          </Text>
        </>
      }
    >
      <Stack gap={4}>
        <Title order={1} fz={24} c="navy.9">
          {t('login.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('login.subtitle')}
        </Text>
      </Stack>
      {settings.data?.demo ? (
        <Group gap="xs">
          <DemoBadge />
        </Group>
      ) : null}
      {ssoKnown && !code ? (
        <Alert color="red" variant="light" role="alert" title={t('login.failedTitle')} data-testid="sso-error">
          {t(`sso.errors.${ssoKnown}`)}
        </Alert>
      ) : null}
      {settings.data?.sso ? (
        <Stack gap="xs">
          <Button component="a" href="/api/auth/oidc/start" variant="outline" size="md" fullWidth data-testid="sso-button">
            {t('sso.button')}
          </Button>
          <Text size="sm" c="dimmed" ta="center">
            {t('sso.or')}
          </Text>
        </Stack>
      ) : null}
      {code === 'two_factor_required' ? (
        <Alert color="blue" variant="light" role="status" title={t('twoFactor.loginCodeTitle')}>
          {errorMessage(login.error)}
        </Alert>
      ) : code ? (
        <Alert color="red" variant="light" role="alert" title={t(code === 'too_many_attempts' ? 'login.lockedTitle' : 'login.failedTitle')}>
          {errorMessage(login.error)}
        </Alert>
      ) : null}
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            label={t('login.email')}
            type="email"
            name="email"
            autoComplete="username"
            dir="ltr"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={missing && !email.trim() ? t('login.emailRequired') : undefined}
          />
          <PasswordInput
            label={t('login.password')}
            name="password"
            autoComplete="current-password"
            dir="ltr"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={missing && !password ? t('login.passwordRequired') : undefined}
            visibilityToggleButtonProps={{ 'aria-label': t('login.togglePassword') }}
          />
          {askCode ? (
            <TextInput
              label={t('twoFactor.loginCodeLabel')}
              description={t('twoFactor.loginCodeHint')}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              dir="ltr"
              maxLength={16}
              value={otp}
              onChange={(e) => setOtp(e.currentTarget.value)}
              autoFocus
              data-testid="login-code"
            />
          ) : null}
          <Button type="submit" size="md" loading={login.isPending} fullWidth>
            {t('login.submit')}
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
