import { Alert, Button, Group, Modal, Radio, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import type { AssignmentRole } from '../../api/followup.ts';
import { formatNumber, pickLabel } from '../../api/format.ts';
import { useEntities } from '../../api/queries.ts';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { DateField } from '../../components/DateTimeField.tsx';

/** Assigns one or many recommendations to an entity (lead or supporting) with a due date for updates. */
export function AssignModal({
  recommendationIds,
  opened,
  onClose,
  onDone,
}: {
  recommendationIds: string[];
  opened: boolean;
  onClose: () => void;
  onDone?: (result: { created: number; updated: number }) => void;
}) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const entities = useEntities();
  const [entityId, setEntityId] = useState<string | null>(null);
  const [role, setRole] = useState<AssignmentRole>('lead');
  const [dueDate, setDueDate] = useState('');
  const [touched, setTouched] = useState(false);

  const run = useMutation({
    mutationFn: () =>
      api<{ created: number; updated: number; ids: string[] }>('/api/assignments', {
        method: 'POST',
        body: { recommendationIds, entityId, role, dueDate: dueDate || null },
      }),
    onSuccess: async (res) => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['assignments'] }),
        qc.invalidateQueries({ queryKey: ['workspace'] }),
        qc.invalidateQueries({ queryKey: ['dashboard'] }),
      ]);
      setEntityId(null);
      setDueDate('');
      setTouched(false);
      onDone?.(res);
      onClose();
    },
  });

  const submit = () => {
    setTouched(true);
    if (!entityId) return;
    run.mutate();
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('assign.title')} centered closeButtonProps={{ 'aria-label': t('common.close') }} data-testid="assign-modal">
      <Stack gap="sm">
        <Text size="sm">{t('assign.count', { n: formatNumber(recommendationIds.length, lang) })}</Text>
        <Select
          label={t('assign.entity')}
          placeholder={t('assign.entityPlaceholder')}
          data={(entities.data?.items ?? []).map((e) => ({ value: e.id, label: pickLabel(e.name_ar, e.name_en, lang, e.code) }))}
          value={entityId}
          onChange={setEntityId}
          searchable
          required
          error={touched && !entityId ? t('assign.entityRequired') : undefined}
          nothingFoundMessage={t('assign.noEntity')}
          comboboxProps={{ withinPortal: true }}
          data-testid="assign-entity"
        />
        <Radio.Group label={t('assign.role')} value={role} onChange={(v) => setRole(v as AssignmentRole)}>
          <Group gap="lg" mt={4}>
            <Radio value="lead" label={t('assign.roles.lead')} data-testid="assign-role-lead" />
            <Radio value="supporting" label={t('assign.roles.supporting')} data-testid="assign-role-supporting" />
          </Group>
        </Radio.Group>
        <DateField label={t('assign.dueDate')} description={t('assign.dueDateHint')} value={dueDate} onChange={setDueDate} testId="assign-due" />
        {run.isError ? (
          <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
            {errorMessage(run.error)}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={run.isPending}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={run.isPending} data-testid="assign-submit">
            {t('assign.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
