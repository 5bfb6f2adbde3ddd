import { Box, Button, Container, Group, Paper, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLogout } from '../../auth/session.ts';
import { Brand } from '../../components/AppLayout.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { TwoFactorPanel } from './TwoFactorPanel.tsx';

/** All a signed-in user sees while their role requires two-factor sign-in and they have not set it up. */
export function TwoFactorSetupPage() {
  const { t } = useTranslation();
  const logout = useLogout();
  return (
    <Box className="login-bg">
      <Container size={480} pt={48} pb="xl">
        <Group justify="space-between" mb="xl" wrap="nowrap">
          <Brand inverted />
          <LanguageSwitch size="sm" />
        </Group>
        <Paper shadow="md" p="xl" withBorder component="main" id="main">
          <Stack gap="md">
            <Title order={1} fz={22} c="navy.9">
              {t('twoFactor.setupPageTitle')}
            </Title>
            <TwoFactorPanel />
            <Group justify="flex-start">
              <Button variant="subtle" color="gray" onClick={() => logout.mutate()}>
                {t('user.signOut')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      </Container>
    </Box>
  );
}
