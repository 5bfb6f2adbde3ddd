import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { FileDrop } from './FileDrop.tsx';
import { Ltr } from './Ltr.tsx';

/**
 * A CSV file checked first (a dry run the server answers with counts, writing nothing), then imported on a second
 * click; an error refuses the whole file. Used by the glossary and the entities pages, which differ only in their
 * address, texts and counts (and the glossary's merge/replace choice, passed as `options`).
 */
export function CsvImportDialog<R>({
  opened,
  onClose,
  title,
  hint,
  columns,
  fileLabel,
  url,
  options,
  optionsKey = '',
  counts,
  checkLabel,
  confirmLabel,
  canConfirm,
  danger = () => false,
  previewTitle,
  previewNote,
  doneTitle,
  errorNote,
  onImported,
  testId,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  hint: string;
  /** the file's header row, shown left-to-right as it is written */
  columns: string;
  fileLabel: string;
  /** the import address for a dry run (true) or the import itself (false) */
  url: (dryRun: boolean) => string;
  /** choices that change what the import does; a change of `optionsKey` drops a preview made with the old ones */
  options?: ReactNode;
  optionsKey?: string;
  counts: (r: R) => string;
  checkLabel: string;
  confirmLabel: (preview: R) => string;
  /** false when the preview shows nothing to change */
  canConfirm: (preview: R) => boolean;
  /** the preview removes something: the preview is orange and the confirmation red */
  danger?: (preview: R) => boolean;
  previewTitle: string;
  previewNote?: string;
  doneTitle: string;
  errorNote?: string;
  onImported: () => Promise<unknown>;
  /** prefix of the test ids: `${testId}-file`, `${testId}-preview`, `${testId}-import-error` */
  testId: string;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<R | null>(null);
  const [done, setDone] = useState<R | null>(null);
  const run = useMutation({
    mutationFn: (dryRun: boolean) => api<R>(url(dryRun), { method: 'POST', raw: file ?? new Blob() }),
    onSuccess: async (res, dryRun) => {
      if (dryRun) setPreview(res);
      else {
        setDone(res);
        await onImported();
      }
    },
  });
  const { reset } = run;
  useEffect(() => {
    setPreview(null);
    setDone(null);
    reset();
  }, [optionsKey, file, reset]);
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="sm">
        <Text size="sm">{hint}</Text>
        <Text size="xs" c="dimmed">
          <Ltr>{columns}</Ltr>
        </Text>
        <FileDrop label={fileLabel} accept=".csv,text/csv" file={file} onFile={setFile} testId={`${testId}-file`} />
        {options}
        {run.isError ? (
          <Alert color="red" variant="light" role="alert" title={t('errors.title')} data-testid={`${testId}-import-error`}>
            <Text size="sm">{errorMessage(run.error)}</Text>
            {errorNote ? (
              <Text size="sm" fw={600}>
                {errorNote}
              </Text>
            ) : null}
          </Alert>
        ) : null}
        {preview && !done ? (
          <Alert color={danger(preview) ? 'orange' : 'blue'} variant="light" role="status" title={previewTitle} data-testid={`${testId}-preview`}>
            <Text size="sm">{counts(preview)}</Text>
            {previewNote ? <Text size="sm">{previewNote}</Text> : null}
          </Alert>
        ) : null}
        {done ? (
          <Alert color="green" variant="light" role="status" title={doneTitle}>
            {counts(done)}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {done ? t('common.close') : t('common.cancel')}
          </Button>
          {!preview ? (
            <Button onClick={() => run.mutate(true)} disabled={!file} loading={run.isPending}>
              {checkLabel}
            </Button>
          ) : !done ? (
            <Button onClick={() => run.mutate(false)} loading={run.isPending} color={danger(preview) ? 'red' : undefined} disabled={!canConfirm(preview)}>
              {confirmLabel(preview)}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Modal>
  );
}
