import { Alert, Button, FileButton, Group, List, Modal, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatNumber } from '../../api/format.ts';
import type { ResponseOf } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { usePlanMutation } from './api.ts';

interface ImportProblem {
  sheet: string;
  row?: number;
  column?: string;
  code: string;
  value?: string;
}
const LEVELS = ['pillars', 'objectives', 'actions', 'indicators'] as const;
/** What an import adds, changes and removes at each level (a dry run writes nothing). */
type ImportResult = ResponseOf<'/api/plans/import', 'post'>;

/** The server's field names → the labels of the plan's forms. */
const FIELD_LABEL: Record<string, string> = {
  lead_entity_id: 'plan.fields.lead',
  sdg_targets: 'plan.fields.sdgs',
  reporting_entity_id: 'plan.fields.reporting_entity',
  owner: 'plan.import.owner',
  pillar: 'plan.import.pillar',
};

/** Every problem of a refused plan workbook, by sheet, row and column (or the error when it is not a workbook problem). */
export function ImportProblems({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const problems = error instanceof ApiError && error.code === 'plan_import_invalid' ? ((error.details as { problems: ImportProblem[] }).problems ?? []) : null;
  return (
    <Alert color="red" variant="light" role="alert" title={t('plan.import.failed')} data-testid="plan-import-problems">
      {problems ? (
        <List size="sm" spacing={2}>
          {problems.slice(0, 50).map((p, i) => (
            <List.Item key={i}>
              <Ltr>{[p.sheet, p.row ? `#${p.row}` : '', p.column ?? '', p.value ?? ''].filter(Boolean).join(' · ')}</Ltr>: {t(`plan.import.problems.${p.code}`, { defaultValue: p.code })}
            </List.Item>
          ))}
        </List>
      ) : (
        errorMessage(error)
      )}
    </Alert>
  );
}

function Codes({ codes }: { codes: string[] }) {
  return <Ltr>{codes.join('، ')}</Ltr>;
}

/** What the import will do, from its dry run: the rows in the workbook and the counts of changes per level, then the codes added, changed (with the fields) and removed. */
function Preview({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const n = (x: number) => <Ltr>{formatNumber(x, lang)}</Ltr>;
  const field = (f: string) => t(FIELD_LABEL[f] ?? `plan.fields.${f}`, { defaultValue: f });
  return (
    <Stack gap="sm" data-testid="plan-import-preview">
      <Text size="sm">{result.mode === 'create' ? t('plan.import.willCreate') : t('plan.import.willUpdate')}</Text>
      <SimpleGrid cols={2} spacing="xs">
        {LEVELS.map((l) => (
          <Paper key={l} withBorder p="xs" data-testid={`plan-import-row-${l}`}>
            <Text size="sm" fw={600}>
              {t(`plan.counts.${l}`)} {n(result.counts[l])}
            </Text>
            <Text size="xs">
              {t('plan.import.added')}: {n(result.changes[l].added.length)} · {t('plan.import.changed')}: {n(result.changes[l].changed.length)} · {t('plan.import.removed')}:{' '}
              {n(result.changes[l].removed.length)}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      {result.mode === 'update'
        ? LEVELS.map((l) => {
            const c = result.changes[l];
            if (!c.added.length && !c.changed.length && !c.removed.length) return null;
            return (
              <Stack key={l} gap={2}>
                <Text size="sm" fw={600}>
                  {t(`plan.counts.${l}`)}
                </Text>
                <List size="sm" spacing={2}>
                  {c.added.length ? (
                    <List.Item>
                      {t('plan.import.added')}: <Codes codes={c.added} />
                    </List.Item>
                  ) : null}
                  {c.changed.map((x) => (
                    <List.Item key={x.code}>
                      {t('plan.import.changed')}: <Ltr>{x.code}</Ltr> — {x.fields.map(field).join('، ')}
                    </List.Item>
                  ))}
                  {c.removed.length ? (
                    <List.Item>
                      {t('plan.import.removed')}: <Codes codes={c.removed} />
                    </List.Item>
                  ) : null}
                </List>
              </Stack>
            );
          })
        : null}
      {result.mode === 'update' && LEVELS.every((l) => !result.changes[l].added.length && !result.changes[l].changed.length && !result.changes[l].removed.length) ? (
        <Text size="sm" data-testid="plan-import-nothing">
          {t('plan.import.nothing')}
        </Text>
      ) : null}
    </Stack>
  );
}

/**
 * "Import a workbook": the file is first checked by a dry run, whose changes are shown for confirmation; only then is
 * it imported. On the plans list the workbook's own Plan sheet decides (a new draft, or the draft it names); on a
 * plan's page it updates that plan.
 */
export function PlanImportButton({ planId, size }: { planId?: string; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const url = (dryRun: boolean) => `/api/plans/import?${new URLSearchParams({ ...(dryRun ? { dryRun: 'true' } : {}), ...(planId ? { planId } : {}) }).toString()}`;
  const check = useMutation({ mutationFn: (f: File) => api<ImportResult>(url(true), { method: 'POST', raw: f }) });
  const run = usePlanMutation((f: File) => api<ImportResult>(url(false), { method: 'POST', raw: f }));
  const close = () => {
    setFile(null);
    check.reset();
    run.reset();
  };
  return (
    <>
      <FileButton
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        onChange={(f) => {
          if (!f) return;
          run.reset();
          setFile(f);
          check.mutate(f);
        }}
      >
        {(props) => (
          <Button {...props} size={size} variant="default" loading={check.isPending} data-testid="plan-import">
            {t('plan.import.button')}
          </Button>
        )}
      </FileButton>
      <Modal opened={!!file && check.isError} onClose={close} title={t('plan.import.previewTitle')} centered size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack gap="md">
          <ImportProblems error={check.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-testid="plan-import-close">
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ConfirmDialog
        opened={!!file && check.isSuccess}
        title={t('plan.import.previewTitle')}
        confirmLabel={check.data?.mode === 'update' ? t('plan.import.confirmUpdate') : t('plan.import.confirmCreate')}
        onClose={close}
        loading={run.isPending}
        error={run.error}
        testId="plan-import-dialog"
        onConfirm={() =>
          file &&
          run.mutate(file, {
            onSuccess: (r) => {
              close();
              if (r.plan) void navigate(`/plan/${r.plan.id}`);
            },
          })
        }
      >
        {check.data ? <Preview result={check.data} /> : null}
      </ConfirmDialog>
    </>
  );
}
