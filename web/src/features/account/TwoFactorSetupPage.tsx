import { Button, Group, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLogout } from '../../auth/session.ts';
import { AuthFrame } from '../../components/AuthFrame.tsx';
import { TwoFactorPanel } from './TwoFactorPanel.tsx';

/** All a signed-in user sees while their role requires two-factor sign-in and they have not set it up. */
export function TwoFactorSetupPage() {
  const { t } = useTranslation();
  const logout = useLogout();
  return (
    <AuthFrame width={480}>
      <Title order={1} fz={22} c="navy.9">
        {t('twoFactor.setupPageTitle')}
      </Title>
      <TwoFactorPanel />
      <Group justify="flex-start">
        <Button variant="subtle" color="gray" onClick={() => logout.mutate()}>
          {t('user.signOut')}
        </Button>
      </Group>
    </AuthFrame>
  );
}
