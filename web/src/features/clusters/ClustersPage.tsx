import { Alert, Anchor, Button, Group, Paper, Progress, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { codeMessage, errorMessage } from '../../api/errors.ts';
import { formatNumber } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import type { User } from '../../api/types.ts';
import { canCurate } from '../../auth/session.ts';
import { ListPagination } from '../../components/ListPagination.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { facetLabel } from '../recommendations/labels.tsx';
import { type ClusterItem, type ClusterStatus, clusterApi, useClusterBodies, useClusterMutation, useClusters, useJob } from './api.ts';
import { ClusterStatusBadge, clusterTitle, StatusMiniBar } from './parts.tsx';

const PAGE_SIZE = 25;
const FILTERS = ['all', 'suggested', 'accepted'] as const;

/** The bodies a cluster's members come from, e.g. "UPR 12 · CAT 2". */
function BodySpread({ id }: { id: string }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  const q = useClusterBodies(id);
  if (!q.data) return <Text size="xs" c="dimmed">…</Text>;
  return (
    <Stack gap={2}>
      <Text size="xs">
        {q.data.bodies.map((b, i) => (
          <span key={b.value} title={facetLabel(t, 'body', b, lang, ref.data)}>
            {i > 0 ? ' · ' : ''}
            <Ltr>{`${b.value} (${formatNumber(b.count, lang)})`}</Ltr>
          </span>
        ))}
      </Text>
      {q.data.cycles.length ? (
        <Text size="xs" c="dimmed">
          {t('clusters.cycles')}: <Ltr>{q.data.cycles.map((c) => c.value).sort().join(', ')}</Ltr>
        </Text>
      ) : null}
    </Stack>
  );
}

function SuggestRun({ jobId, onDone }: { jobId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const job = useJob(jobId);
  const j = job.data;
  const finished = j?.status === 'succeeded' || j?.status === 'failed';
  useEffect(() => {
    if (j?.status === 'succeeded') onDone();
  }, [j?.status, onDone]);
  if (job.isError) return <ErrorState error={job.error} />;
  if (j?.status === 'failed') {
    return (
      <Alert color="red" variant="light" role="alert" title={t('clusters.suggest.failed')} data-testid="suggest-failed">
        {j.error ? codeMessage(j.error, lang) : t('errors.generic')}
      </Alert>
    );
  }
  if (j?.status === 'succeeded') {
    return (
      <Alert color="teal" variant="light" role="status" title={t('clusters.suggest.done')} data-testid="suggest-done">
        {t('clusters.suggest.result', {
          clusters: formatNumber(j.result?.clusters ?? 0, lang),
          clustered: formatNumber(j.result?.clustered ?? 0, lang),
          considered: formatNumber(j.result?.considered ?? 0, lang),
        })}
      </Alert>
    );
  }
  const percent = j?.percent ?? 0;
  return (
    <Paper withBorder p="sm" data-testid="suggest-progress" aria-busy={!finished}>
      <Stack gap={6}>
        <Group justify="space-between">
          <Text size="sm" fw={600} aria-live="polite">
            {t(`clusters.suggest.phase.${j?.phase && ['loading', 'comparing', 'saving'].includes(j.phase) ? j.phase : 'queued'}`)}
          </Text>
          <Text size="sm" c="dimmed">
            <Ltr>{`${percent}%`}</Ltr>
          </Text>
        </Group>
        <Progress value={percent} animated aria-label={t('clusters.suggest.progress')} />
      </Stack>
    </Paper>
  );
}

export function ClustersPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const statusRaw = sp.get('status');
  const status: ClusterStatus | null = statusRaw === 'suggested' || statusRaw === 'accepted' ? statusRaw : null;
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const list = useClusters({ status, page, pageSize: PAGE_SIZE });
  const [jobId, setJobId] = useState<string | null>(null);
  const [country, setCountry] = useState('');
  const suggest = useClusterMutation(clusterApi.suggest);
  const curator = canCurate(user);

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setSp(next);
  };

  const onDone = () => {
    void qc.invalidateQueries({ queryKey: ['clusters'] });
    void qc.invalidateQueries({ queryKey: ['cluster'] });
    void qc.invalidateQueries({ queryKey: ['recommendations'] });
  };

  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const running = jobId !== null && suggest.isSuccess;

  return (
    <Stack gap="md">
      <PageHeader
        title={t('clusters.title')}
        subtitle={t('clusters.subtitle')}
        actions={
          curator ? (
            <Button
              onClick={() => suggest.mutate(country.trim(), { onSuccess: (r) => setJobId(r.jobId) })}
              loading={suggest.isPending}
              data-testid="suggest-clusters"
            >
              {t('clusters.suggest.button')}
            </Button>
          ) : undefined
        }
      />
      {curator ? (
        <Stack gap="xs" mt={-12}>
          <Text size="sm" c="dimmed">
            {t('clusters.suggest.hint')}
          </Text>
          <TextInput
            label={t('clusters.suggest.country')}
            description={t('clusters.suggest.countryHint')}
            value={country}
            onChange={(e) => setCountry(e.currentTarget.value)}
            maxLength={200}
            maw={420}
            data-testid="suggest-country"
          />
        </Stack>
      ) : null}
      {suggest.isError ? (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(suggest.error)}
        </Alert>
      ) : null}
      {running && jobId ? <SuggestRun key={jobId} jobId={jobId} onDone={onDone} /> : null}

      <Paper withBorder p={0}>
        <Group justify="space-between" px="sm" py="xs" className="table-toolbar">
          <SegmentedControl
            size="xs"
            value={status ?? 'all'}
            onChange={(v) => set({ status: v === 'all' ? null : v, page: null })}
            data={FILTERS.map((f) => ({ value: f, label: t(`clusters.filter.${f}`) }))}
            aria-label={t('clusters.filter.label')}
            data-testid="cluster-filter"
          />
          <Text size="sm" aria-live="polite" data-testid="cluster-count">
            {data ? t('clusters.count', { n: formatNumber(data.total, lang) }) : ''}
          </Text>
        </Group>
        {list.isError ? (
          <Stack p="md">
            <ErrorState error={list.error} onRetry={() => void list.refetch()} />
          </Stack>
        ) : !data ? (
          <LoadingState />
        ) : data.items.length === 0 ? (
          <Stack p="xl" align="center" gap="xs">
            <Text fw={600}>{t('clusters.emptyTitle')}</Text>
            <Text c="dimmed" size="sm">
              {curator ? t('clusters.emptyHintCurator') : t('clusters.emptyHint')}
            </Text>
          </Stack>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('clusters.tableCaption')}>
            <Table miw={820} className="rec-table" striped highlightOnHover withRowBorders data-testid="clusters-table">
              <Table.Caption className="visually-hidden">{t('clusters.tableCaption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('clusters.col.title')}</Table.Th>
                  <Table.Th w={110}>{t('clusters.col.status')}</Table.Th>
                  <Table.Th w={90}>{t('clusters.col.members')}</Table.Th>
                  <Table.Th w={150}>{t('clusters.col.progress')}</Table.Th>
                  <Table.Th w={220}>{t('clusters.col.sources')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((c: ClusterItem) => {
                  const title = clusterTitle(c, lang, t('clusters.untitled'));
                  return (
                    <Table.Tr key={c.id} data-testid="cluster-row">
                      <Table.Td>
                        <Anchor component={Link} to={`/clusters/${c.id}`} className="row-link" size="sm" c="dark.8" fw={500}>
                          <span className="cluster-title" lang={title.lang} dir={title.lang === 'ar' ? 'rtl' : 'ltr'}>
                            {title.text}
                          </span>
                        </Anchor>
                        {title.lang !== lang ? (
                          <Text size="xs" c="dimmed">
                            {t('clusters.titleIn', { lang: t(`arabic.languageName.${title.lang}`) })}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <ClusterStatusBadge status={c.status} />
                      </Table.Td>
                      <Table.Td>
                        <Ltr>{formatNumber(c.member_count, lang)}</Ltr>
                      </Table.Td>
                      <Table.Td>
                        <StatusMiniBar statuses={c.statuses} total={c.member_count} />
                      </Table.Td>
                      <Table.Td>
                        <BodySpread id={c.id} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </div>
        )}
        {data && data.total > data.pageSize ? (
          <ListPagination total={pages} value={page} onChange={(p) => set({ page: String(p) })} />
        ) : null}
      </Paper>
    </Stack>
  );
}
