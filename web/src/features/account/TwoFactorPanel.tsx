import { Alert, Badge, Button, Code, Group, Image, List, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { SESSION_KEY } from '../../auth/session.ts';
import { formatDateTime } from '../../api/format.ts';
import type { ResponseOf } from '../../api/types.ts';
import { useLanguage } from '../../i18n/useLanguage.ts';

type Status = ResponseOf<'/api/auth/two-factor'>;
type Setup = ResponseOf<'/api/auth/two-factor/setup', 'post'>;

const STATUS_KEY = ['two-factor'] as const;

/** Downloads the recovery codes as a text file the person can print or keep. */
function downloadCodes(codes: string[], heading: string) {
  const blob = new Blob([`${heading}\r\n\r\n${codes.join('\r\n')}\r\n`], { type: 'text/plain;charset=utf-8' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'rasd-recovery-codes.txt';
  a.click();
  URL.revokeObjectURL(a.href);
}

/**
 * Two-factor sign-in for the signed-in user: set it up (QR code or key, then a first code, then the recovery
 * codes, shown once), see it, or turn it off with the password (not when the role requires it).
 */
export function TwoFactorPanel({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: STATUS_KEY, queryFn: () => api<Status>('/api/auth/two-factor') });
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const setup = useMutation({ mutationFn: () => api<Setup>('/api/auth/two-factor/setup', { method: 'POST' }) });
  const confirm = useMutation({
    mutationFn: () => api<ResponseOf<'/api/auth/two-factor/confirm', 'post'>>('/api/auth/two-factor/confirm', { method: 'POST', body: { code } }),
    onSuccess: async (data) => {
      setCodes(data.recoveryCodes);
      await qc.invalidateQueries({ queryKey: STATUS_KEY });
    },
  });
  const disable = useMutation({
    mutationFn: () => api('/api/auth/two-factor/disable', { method: 'POST', body: { password } }),
    onSuccess: async () => {
      setPassword('');
      setup.reset();
      await qc.invalidateQueries({ queryKey: STATUS_KEY });
    },
  });
  const finish = async () => {
    await qc.invalidateQueries({ queryKey: SESSION_KEY });
    onDone?.();
  };

  if (status.isError) return <Alert color="red" role="alert">{errorMessage(status.error)}</Alert>;
  if (!status.data) return <Text size="sm" c="dimmed">{t('common.loading')}</Text>;

  if (codes) {
    return (
      <Stack gap="sm" data-testid="two-factor-codes">
        <Alert color="green" variant="light" role="status" title={t('twoFactor.onTitle')}>
          {t('twoFactor.codesIntro')}
        </Alert>
        <SimpleGrid cols={2} spacing={4}>
          {codes.map((c) => (
            <Code key={c} dir="ltr" fz="md" ta="center">
              {c}
            </Code>
          ))}
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => downloadCodes(codes, t('twoFactor.codesFileHeading'))}>
            {t('twoFactor.download')}
          </Button>
          <Button onClick={() => void finish()} data-testid="two-factor-done">
            {t('twoFactor.done')}
          </Button>
        </Group>
      </Stack>
    );
  }

  if (status.data.enabled) {
    const submit = (e: FormEvent) => {
      e.preventDefault();
      if (password) disable.mutate();
    };
    return (
      <Stack gap="sm" data-testid="two-factor-status">
        <Group gap="xs">
          <Badge color="green" variant="light">
            {t('twoFactor.on')}
          </Badge>
          <Text size="sm">
            <bdi>{t('twoFactor.since', { date: formatDateTime(status.data.enabledAt, lang) })}</bdi>
          </Text>
        </Group>
        <Text size="sm">{t('twoFactor.codesLeft', { count: status.data.recoveryCodesLeft })}</Text>
        {status.data.required ? (
          <Text size="sm" c="dimmed">
            {t('twoFactor.requiredNote')}
          </Text>
        ) : (
          <form onSubmit={submit}>
            <Stack gap="xs">
              {disable.isError ? (
                <Alert color="red" variant="light" role="alert">
                  {errorMessage(disable.error)}
                </Alert>
              ) : null}
              <PasswordInput label={t('twoFactor.passwordToTurnOff')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" required />
              <Group justify="flex-end">
                <Button type="submit" color="red" variant="light" loading={disable.isPending} disabled={!password}>
                  {t('twoFactor.turnOff')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    );
  }

  if (!setup.data) {
    return (
      <Stack gap="sm" data-testid="two-factor-status">
        <Text size="sm">{t(status.data.required ? 'twoFactor.requiredIntro' : 'twoFactor.intro')}</Text>
        {setup.isError ? (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(setup.error)}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button onClick={() => setup.mutate()} loading={setup.isPending} data-testid="two-factor-start">
            {t('twoFactor.start')}
          </Button>
        </Group>
      </Stack>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (code.trim()) confirm.mutate();
  };
  return (
    <form onSubmit={submit} data-testid="two-factor-setup">
      <Stack gap="sm">
        <List type="ordered" size="sm" spacing={4}>
          <List.Item>{t('twoFactor.step1')}</List.Item>
          <List.Item>{t('twoFactor.step2')}</List.Item>
        </List>
        <Image src={`data:image/svg+xml;utf8,${encodeURIComponent(setup.data.qrSvg)}`} alt={t('twoFactor.qrAlt')} w={200} h={200} mx="auto" bg="white" />
        <Text size="sm">{t('twoFactor.keyInstead')}</Text>
        <Code dir="ltr" fz="sm" style={{ wordBreak: 'break-all' }} data-testid="two-factor-secret">
          {setup.data.secret}
        </Code>
        {confirm.isError ? (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(confirm.error)}
          </Alert>
        ) : null}
        <TextInput
          label={t('twoFactor.codeLabel')}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          inputMode="numeric"
          autoComplete="one-time-code"
          dir="ltr"
          maxLength={6}
          required
          data-testid="two-factor-code"
        />
        <Group justify="flex-end">
          <Button type="submit" loading={confirm.isPending}>
            {t('twoFactor.confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
