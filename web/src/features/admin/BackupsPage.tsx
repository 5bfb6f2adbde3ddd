import { Alert, Badge, Button, Code, Group, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatDateTime, formatNumber } from '../../api/format.ts';
import type { Lang, ResponseOf } from '../../api/types.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

type BackupStatus = ResponseOf<'/api/admin/backups'>;

/** The backup job as GET /api/jobs/:id answers it; a backup's result (any JSON to the server) is its file. */
type JobView = Omit<ResponseOf<'/api/jobs/{id}'>, 'result'> & { result: { file: string; size: number } | null };

const KEY = ['admin', 'backups'] as const;
/** a shell command: the same in every language */
const RESTORE_COMMAND = 'npx rasd restore FILE.zip';
const PHASES = ['tables', 'files', 'archive', 'done'] as const;

function size(bytes: number, lang: Lang, t: TFunction): string {
  if (bytes < 1024 * 1024) return t('backups.kb', { n: formatNumber(Math.max(1, Math.round(bytes / 1024)), lang) });
  return t('backups.mb', { n: formatNumber(Math.round((bytes / 1024 / 1024) * 10) / 10, lang) });
}

const baseName = (file: string) => file.split(/[\\/]/).pop() ?? file;

/** A server path or file name: left to right, and broken anywhere rather than widening a phone's screen. */
function PathText({ children }: { children: string }) {
  return (
    <bdi dir="ltr" style={{ wordBreak: 'break-all' }}>
      {children}
    </bdi>
  );
}

/** The admin's backups: schedule and folder, the last result, "back up now" with its progress, the archives kept. */
export function BackupsPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const status = useQuery({
    queryKey: KEY,
    queryFn: () => api<BackupStatus>('/api/admin/backups'),
    refetchInterval: (q) => (q.state.data?.running ? 2000 : false),
  });
  const watched = jobId ?? status.data?.running?.job_id ?? null;
  const job = useQuery({
    queryKey: ['jobs', watched],
    queryFn: () => api<JobView>(`/api/jobs/${watched}`),
    enabled: watched !== null,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'succeeded' || q.state.data.status === 'failed') ? false : 500),
  });
  const finished = job.data && (job.data.status === 'succeeded' || job.data.status === 'failed');
  useEffect(() => {
    if (finished) void qc.invalidateQueries({ queryKey: KEY });
  }, [finished, qc]);
  const start = useMutation({
    mutationFn: () => api<ResponseOf<'/api/admin/backups', 'post', 202>>('/api/admin/backups', { method: 'POST' }),
    onSuccess: (r) => setJobId(r.jobId),
  });
  const running = job.data ? !finished : Boolean(status.data?.running);

  if (status.isLoading) return <LoadingState />;
  if (status.isError || !status.data) return <ErrorState error={status.error} />;
  const s = status.data;
  const phase = job.data?.phase && (PHASES as readonly string[]).includes(job.data.phase) ? job.data.phase : 'tables';

  return (
    <>
      <PageHeader
        title={t('backups.title')}
        subtitle={t('backups.subtitle')}
        actions={
          <Button onClick={() => start.mutate()} loading={start.isPending} disabled={running} data-testid="backup-now">
            {t('backups.now')}
          </Button>
        }
      />
      <Stack gap="md">
        {start.isError ? (
          <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
            {errorMessage(start.error)}
          </Alert>
        ) : null}
        {watched && job.data ? (
          <Paper withBorder p="md" radius="md" data-testid="backup-progress" aria-live="polite">
            {running ? (
              <Stack gap={6}>
                <Text fw={600}>{t(`backups.phase.${phase}`)}</Text>
                <Progress value={job.data.percent} aria-label={t('backups.progress')} animated />
              </Stack>
            ) : job.data.status === 'succeeded' ? (
              <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                {t('backups.doneNow', { size: size(job.data.result?.size ?? 0, lang, t) })} <PathText>{baseName(job.data.result?.file ?? '')}</PathText>
              </Text>
            ) : (
              <Text c="red.9" fw={600} style={{ overflowWrap: 'anywhere' }}>
                {t('backups.failedNow')} <PathText>{job.data.error?.message ?? ''}</PathText>
              </Text>
            )}
          </Paper>
        ) : null}

        <Paper withBorder p="md" radius="md" data-testid="backup-last">
          <Title order={2} fz="lg" mb="xs">
            {t('backups.last')}
          </Title>
          {s.last ? (
            <Stack gap={4}>
              <Group gap="xs">
                <Badge
                  variant="outline"
                  color={s.last.ok ? 'green.9' : 'red.9'}
                  c="dark.7"
                  bg="white"
                  leftSection={<span className="status-dot" style={{ background: s.last.ok ? '#2b8a3e' : '#c92a2a' }} aria-hidden="true" />}
                >
                  {s.last.ok ? t('backups.ok') : t('backups.failed')}
                </Badge>
                <Text size="sm">
                  <Ltr>{formatDateTime(s.last.finished_at, lang)}</Ltr>
                </Text>
                {s.last.size !== null ? (
                  <Text size="sm">
                    <bdi>{size(s.last.size, lang, t)}</bdi>
                  </Text>
                ) : null}
              </Group>
              {s.last.file ? (
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {t('backups.file')} <PathText>{s.last.file}</PathText>
                </Text>
              ) : null}
              {s.last.error ? (
                <Text size="sm" c="red.9" style={{ overflowWrap: 'anywhere' }}>
                  {t('backups.reason')} <PathText>{s.last.error}</PathText>
                </Text>
              ) : null}
            </Stack>
          ) : (
            <Text c="dimmed">{t('backups.never')}</Text>
          )}
        </Paper>

        <Paper withBorder p="md" radius="md">
          <Title order={2} fz="lg" mb="xs">
            {t('backups.where')}
          </Title>
          <Stack gap={6}>
            <Text size="sm">
              {s.nightly ? t('backups.schedule', { hour: `${String(s.hour_utc).padStart(2, '0')}:00`, keep: s.keep }) : t('backups.nightlyOff')}
            </Text>
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {t('backups.folder')} <PathText>{s.dir}</PathText>
            </Text>
            <Text size="sm" c="dimmed">
              {t('backups.noDownload')}
            </Text>
            <Text size="sm">{t('backups.restoreHint')}</Text>
            <Code block dir="ltr">
              {RESTORE_COMMAND}
            </Code>
          </Stack>
        </Paper>

        <Paper withBorder p="md" radius="md">
          <Title order={2} fz="lg" mb="xs">
            {t('backups.kept')}
          </Title>
          {s.files.length === 0 ? (
            <Text c="dimmed">{t('backups.none')}</Text>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-label={t('backups.kept')}>
              <Table className="rec-table" striped data-testid="backup-files">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('backups.col.name')}</Table.Th>
                    <Table.Th>{t('backups.col.size')}</Table.Th>
                    <Table.Th>{t('backups.col.date')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.files.map((f) => (
                    <Table.Tr key={f.name}>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>
                        <PathText>{f.name}</PathText>
                      </Table.Td>
                      <Table.Td>
                        <bdi>{size(f.size, lang, t)}</bdi>
                      </Table.Td>
                      <Table.Td>
                        <Ltr>{formatDateTime(f.modified_at, lang)}</Ltr>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          )}
        </Paper>
      </Stack>
    </>
  );
}
