import { Alert, Box, Button, Code, Container, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorCode, errorMessage } from '../../api/errors.ts';
import { useLogin, usePublicSettings } from '../../auth/session.ts';
import { Brand, DemoBadge } from '../../components/AppLayout.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';


export function LoginPage() {
  const { t } = useTranslation();
  const settings = usePublicSettings();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setMissing(true);
      return;
    }
    setMissing(false);
    login.mutate({ email: email.trim(), password });
  };

  const code = login.isError ? errorCode(login.error) : null;

  return (
    <Box className="login-bg">
      <Container size={460} pt={48} pb="xl">
        <Group justify="space-between" mb="xl" wrap="nowrap">
          <Brand inverted />
          <LanguageSwitch size="sm" />
        </Group>
        <Paper shadow="md" p="xl" withBorder component="main" id="main">
          <Stack gap="md">
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
            {code ? (
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
                <Button type="submit" size="md" loading={login.isPending} fullWidth>
                  {t('login.submit')}
                </Button>
              </Stack>
            </form>
          </Stack>
        </Paper>
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
        <Text ta="center" size="xs" c="dimmed" mt="lg">
          {t('app.tagline')}
        </Text>
      </Container>
    </Box>
  );
}
