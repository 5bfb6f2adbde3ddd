import { Alert, Button, Card, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';
import { errorMessage } from '../../api/errors.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { DemoCard } from './DemoCard.tsx';
import { LogoCard } from './LogoCard.tsx';

type Instance = ResponseOf<'/api/admin/settings/instance'>;

/** The instance is the state's own: its names and the app's title (admins). */
export function InstancePage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const current = useQuery({ queryKey: ['instance'], queryFn: () => api<Instance>('/api/admin/settings/instance') });
  const [form, setForm] = useState<Instance | null>(null);
  useEffect(() => {
    if (current.data) setForm(current.data);
  }, [current.data]);
  const save = useMutation({
    mutationFn: (body: Instance) => api<Instance>('/api/admin/settings/instance', { method: 'PUT', body }),
    onSuccess: async (saved) => {
      setForm(saved);
      await qc.invalidateQueries({ queryKey: ['instance'] });
      await qc.invalidateQueries({ queryKey: ['settings'] });
    },
  });
  if (current.isLoading || !form) return current.isError ? <ErrorState error={current.error} onRetry={() => void current.refetch()} /> : <LoadingState />;
  const set = (field: 'stateName' | 'appTitle', lang: 'ar' | 'en', v: string) => setForm({ ...form, [field]: { ...form[field], [lang]: v } });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };
  return (
    <Stack gap="md">
      <PageHeader title={t('arabic.instance.title')} subtitle={t('arabic.instance.subtitle')} />
      <Card>
        <form onSubmit={submit}>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('arabic.instance.stateAr')} value={form.stateName.ar} onChange={(e) => set('stateName', 'ar', e.currentTarget.value)} dir="rtl" lang="ar" data-testid="instance-state-ar" />
              <TextInput label={t('arabic.instance.stateEn')} value={form.stateName.en} onChange={(e) => set('stateName', 'en', e.currentTarget.value)} dir="ltr" lang="en" data-testid="instance-state-en" />
              <TextInput label={t('arabic.instance.titleAr')} description={t('arabic.instance.titleHint')} value={form.appTitle.ar} onChange={(e) => set('appTitle', 'ar', e.currentTarget.value)} dir="rtl" lang="ar" />
              <TextInput label={t('arabic.instance.titleEn')} description={t('arabic.instance.titleHint')} value={form.appTitle.en} onChange={(e) => set('appTitle', 'en', e.currentTarget.value)} dir="ltr" lang="en" />
            </SimpleGrid>
            {save.isError ? (
              <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
                {errorMessage(save.error)}
              </Alert>
            ) : null}
            {save.isSuccess ? (
              <Alert color="green" variant="light" role="status">
                {t('arabic.instance.saved')}
              </Alert>
            ) : null}
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending} data-testid="instance-save">
                {t('edit.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      <LogoCard />
      <DemoCard />
    </Stack>
  );
}
