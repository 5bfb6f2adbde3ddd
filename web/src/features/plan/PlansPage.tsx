import { Alert, Anchor, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../api/errors.ts';
import { formatDate, formatNumber, pickLabel } from '../../api/format.ts';
import type { User } from '../../api/types.ts';
import { canCurate } from '../../auth/session.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { planApi, usePlanMutation, usePlans } from './api.ts';
import { PlanImportButton } from './PlanImport.tsx';
import { PlanStatusBadge, ProgressBar } from './parts.tsx';
import { DateField } from '../../components/DateTimeField.tsx';

function CreatePlanModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [f, setF] = useState({ title_ar: '', title_en: '', period_start: '', period_end: '' });
  const [touched, setTouched] = useState(false);
  const create = usePlanMutation(planApi.create);
  const missing = (k: keyof typeof f) => touched && !f[k].trim();
  const submit = () => {
    setTouched(true);
    if (Object.values(f).some((v) => !v.trim())) return;
    create.mutate(f, { onSuccess: (p) => void navigate(`/plan/${p.id}`) });
  };
  const field = (k: keyof typeof f, type = 'text', dir?: 'rtl' | 'ltr') => (
    <TextInput
      label={t(`plan.fields.${k}`)}
      type={type}
      dir={dir}
      required
      value={f[k]}
      onChange={(e) => setF({ ...f, [k]: e.currentTarget.value })}
      error={missing(k) ? t('plan.required') : undefined}
      data-testid={`plan-${k}`}
    />
  );
  return (
    <Modal opened={opened} onClose={onClose} title={t('plan.create')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="sm">
        {field('title_ar', 'text', 'rtl')}
        {field('title_en', 'text', 'ltr')}
        <SimpleGrid cols={2}>
          {(['period_start', 'period_end'] as const).map((k) => (
            <DateField key={k} label={t(`plan.fields.${k}`)} required value={f[k]} onChange={(v) => setF({ ...f, [k]: v })} error={missing(k) ? t('plan.required') : undefined} testId={`plan-${k}`} />
          ))}
        </SimpleGrid>
        {create.isError ? (
          <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
            {errorMessage(create.error)}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={create.isPending} data-testid="plan-create-submit">
            {t('plan.createSubmit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function PlansPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const plans = usePlans();
  const [open, setOpen] = useState(false);
  return (
    <Stack gap="md">
      <PageHeader
        title={t('plan.title')}
        subtitle={t('plan.subtitle')}
        actions={
          canCurate(user) ? (
            <Group gap="xs" wrap="wrap">
              <Button component="a" href="/api/plans/template" download variant="subtle" data-testid="plan-template">
                {t('plan.import.template')}
              </Button>
              <PlanImportButton />
              <Button onClick={() => setOpen(true)} data-testid="plan-new">
                {t('plan.create')}
              </Button>
            </Group>
          ) : undefined
        }
      />
      <CreatePlanModal opened={open} onClose={() => setOpen(false)} />
      <Paper withBorder p={0}>
        {plans.isError ? (
          <Stack p="md">
            <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />
          </Stack>
        ) : !plans.data ? (
          <LoadingState />
        ) : plans.data.items.length === 0 ? (
          <Stack p="xl" align="center" gap="xs">
            <Text fw={600}>{t('plan.empty')}</Text>
            <Text c="dimmed" size="sm">
              {canCurate(user) ? t('plan.emptyCurator') : t('plan.emptyHint')}
            </Text>
          </Stack>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('plan.tableCaption')}>
            <Table miw={760} className="rec-table" striped highlightOnHover data-testid="plans-table">
              <Table.Caption className="visually-hidden">{t('plan.tableCaption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('plan.col.title')}</Table.Th>
                  <Table.Th w={120}>{t('plan.col.status')}</Table.Th>
                  <Table.Th w={80}>{t('plan.col.version')}</Table.Th>
                  <Table.Th w={210}>{t('plan.col.period')}</Table.Th>
                  <Table.Th w={90}>{t('plan.col.actions')}</Table.Th>
                  <Table.Th w={190}>{t('plan.col.progress')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {plans.data.items.map((p) => (
                  <Table.Tr key={p.id} data-testid="plan-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/plan/${p.id}`} size="sm" fw={500} c="dark.8">
                        {pickLabel(p.title_ar, p.title_en, lang)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <PlanStatusBadge status={p.status} />
                    </Table.Td>
                    <Table.Td>
                      <Ltr>{`v${p.version_number}`}</Ltr>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        <bdi>{formatDate(p.period_start, lang)}</bdi> – <bdi>{formatDate(p.period_end, lang)}</bdi>
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Ltr>{formatNumber(p.counts.actions, lang)}</Ltr>
                    </Table.Td>
                    <Table.Td>
                      <ProgressBar value={p.progress} label={t('plan.progressOf', { name: pickLabel(p.title_ar, p.title_en, lang) })} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </Paper>
    </Stack>
  );
}
