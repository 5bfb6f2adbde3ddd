import { ActionIcon, Alert, Anchor, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { type Evidence, uploadEvidence } from '../../api/followup.ts';
import { formatDateTime, formatNumber } from '../../api/format.ts';
import { FileDrop } from '../../components/FileDrop.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

const ACCEPT = '.pdf,.docx,.xlsx,.png,.jpg,.jpeg,.gif,.webp,application/pdf,image/*';
const MAX_MB = 10;

export function fileSize(bytes: number, lang: 'ar' | 'en', t: (k: string) => string): string {
  if (bytes >= 1024 * 1024) return `${formatNumber(Math.round((bytes / 1024 / 1024) * 10) / 10, lang)} ${t('files.mb')}`;
  return `${formatNumber(Math.max(1, Math.round(bytes / 1024)), lang)} ${t('files.kb')}`;
}

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
};

/** Evidence files of an update: download links for readers; upload and remove while the update is editable. */
export function EvidenceList({ updateId, items, editable, onChanged }: { updateId: string; items: Evidence[]; editable: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);

  const upload = useMutation({
    mutationFn: (f: File) => {
      // Checked here for a quick answer; the server checks size and type from the content anyway.
      if (f.size > MAX_MB * 1024 * 1024) return Promise.reject(Object.assign(new Error('too large'), { status: 413, code: 'file_too_large' }));
      return uploadEvidence(updateId, f);
    },
    onSuccess: () => {
      setFile(null);
      setInputKey((k) => k + 1);
      onChanged();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/api/evidence/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: onChanged,
  });
  const uploadError = upload.error as (Error & { code?: string }) | null;

  return (
    <Stack gap="sm" data-testid="evidence">
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('evidence.none')}
        </Text>
      ) : (
        <Table verticalSpacing={4} className="rec-table" data-testid="evidence-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('evidence.file')}</Table.Th>
              <Table.Th>{t('evidence.type')}</Table.Th>
              <Table.Th>{t('evidence.size')}</Table.Th>
              <Table.Th>{t('evidence.added')}</Table.Th>
              {editable ? <Table.Th>{t('evidence.remove')}</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((e) => (
              <Table.Tr key={e.id} data-testid="evidence-row">
                <Table.Td>
                  <Anchor href={`/api/evidence/${e.id}`} download={e.original_name} size="sm">
                    <bdi>{e.original_name}</bdi>
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Ltr>{TYPE_NAMES[e.mime] ?? e.mime}</Ltr>
                </Table.Td>
                <Table.Td>
                  <bdi>{fileSize(e.size, lang, t)}</bdi>
                </Table.Td>
                <Table.Td>
                  <bdi>{formatDateTime(e.created_at, lang)}</bdi>
                </Table.Td>
                {editable ? (
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red.9" c="red.9" onClick={() => remove.mutate(e.id)} loading={remove.isPending && remove.variables === e.id} aria-label={t('evidence.removeFile', { name: e.original_name })}>
                      <span aria-hidden="true">✕</span>
                    </ActionIcon>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {remove.isError ? (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(remove.error)}
        </Alert>
      ) : null}
      {editable ? (
        <Group align="flex-start" gap="sm" key={inputKey}>
          <div style={{ flex: 1, minWidth: 260 }}>
            <FileDrop
              label={t('evidence.add')}
              hint={t('evidence.hint', { mb: formatNumber(MAX_MB, lang) })}
              accept={ACCEPT}
              file={file}
              onFile={(f) => {
                setFile(f);
                upload.reset();
                if (f) upload.mutate(f);
              }}
              testId="evidence-input"
            />
          </div>
        </Group>
      ) : null}
      {upload.isPending ? (
        <Text size="sm" role="status">
          {t('evidence.uploading')}
        </Text>
      ) : null}
      {uploadError ? (
        <Alert color="red" variant="light" role="alert" title={t('evidence.uploadFailed')} data-testid="evidence-error">
          {uploadError.code === 'file_too_large' ? t('errors.file_too_large') : errorMessage(uploadError)}
        </Alert>
      ) : null}
    </Stack>
  );
}
