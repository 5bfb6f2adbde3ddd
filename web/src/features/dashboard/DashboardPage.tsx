import { Anchor, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { STATUS_DIMENSIONS, type StatusByRow, type StatusDimension, useOverdue, useStatusBy, useTrend } from '../../api/followup.ts';
import { formatNumber, pickLabel } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import type { Lang } from '../../api/types.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { type BarRow, MonthColumns, StatusBars } from '../../components/StatusBars.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

const TOP = 12;

const listHref = (filter: Record<string, string>, status?: string) => `/recommendations?${new URLSearchParams({ ...filter, ...(status ? { status } : {}) }).toString()}`;

function rowLabel(t: TFunction, by: StatusDimension, r: StatusByRow, lang: Lang): string {
  if (by === 'cycle') return t('facets.cycleValue', { n: r.value });
  const label = pickLabel(r.label_ar, r.label_en, lang, '');
  if (by === 'sdg') return label ? `${r.value} — ${label}` : t('facets.sdgValue', { code: r.value });
  return label || r.value;
}

/** Status by one dimension, as stacked bars; every bar and segment opens the matching list. */
export function StatusByCard() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [sp, setSp] = useSearchParams();
  const by = (STATUS_DIMENSIONS as readonly string[]).includes(sp.get('by') ?? '') ? (sp.get('by') as StatusDimension) : 'mechanism';
  const [all, setAll] = useState(false);
  const q = useStatusBy(by);
  const rows: BarRow[] = (q.data?.rows ?? []).map((r) => ({
    key: r.value,
    label: rowLabel(t, by, r, lang),
    href: listHref(r.filter),
    hrefFor: (status: string) => listHref(r.filter, status),
    counts: r.counts,
    total: r.total,
  }));
  const shown = all ? rows : rows.slice(0, TOP);
  return (
    <Card component="section" aria-labelledby="dash-status" data-testid="dash-status">
      <Group justify="space-between" align="flex-start" mb="sm" wrap="wrap">
        <Stack gap={2}>
          <Title order={2} fz="lg" id="dash-status" c="navy.9">
            {t('dashboard.statusBy', { dimension: t(`dashboard.dimensions.${by}`) })}
          </Title>
          <Text size="sm" c="dimmed">
            {t('dashboard.statusByHint')}
          </Text>
        </Stack>
        <SegmentedControl
          aria-label={t('dashboard.dimension')}
          value={by}
          onChange={(v) => {
            setAll(false);
            setSp(
              (prev) => {
                const next = new URLSearchParams(prev);
                next.set('by', v);
                return next;
              },
              { replace: true },
            );
          }}
          data={STATUS_DIMENSIONS.map((d) => ({ value: d, label: t(`dashboard.tabs.${d}`) }))}
          data-testid="dash-dimension"
        />
      </Group>
      {q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <>
          <StatusBars rows={shown} statuses={q.data.statuses} caption={t('dashboard.statusBy', { dimension: t(`dashboard.dimensions.${by}`) })} testId="status-bars" />
          {rows.length > TOP ? (
            <Button variant="subtle" size="compact-sm" mt="xs" onClick={() => setAll((v) => !v)}>
              {all ? t('dashboard.showTop', { n: formatNumber(TOP, lang) }) : t('dashboard.showAll', { n: formatNumber(rows.length, lang) })}
            </Button>
          ) : null}
        </>
      )}
    </Card>
  );
}

function OverdueCard() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const q = useOverdue();
  if (q.isPending) return <LoadingState />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const max = Math.max(1, ...q.data.byEntity.map((e) => e.count));
  return (
    <Card component="section" aria-labelledby="dash-overdue" data-testid="dash-overdue">
      <Title order={2} fz="lg" id="dash-overdue" c="navy.9">
        {t('dashboard.overdue')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('dashboard.overdueHint', { n: formatNumber(q.data.total, lang) })}
      </Text>
      {q.data.byEntity.length === 0 ? (
        <Text size="sm">{t('dashboard.noOverdue')}</Text>
      ) : (
        <Table verticalSpacing={6}>
          <caption className="visually-hidden">{t('dashboard.overdue')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('assign.entity')}</Table.Th>
              <Table.Th scope="col" w="45%">
                <span className="visually-hidden">{t('dashboard.bar')}</span>
              </Table.Th>
              <Table.Th scope="col" ta="end">
                {t('dashboard.overdueCount')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.byEntity.map((e) => (
              <Table.Tr key={e.entity_id} data-testid="overdue-row">
                <Table.Th scope="row" fw={500}>
                  <Anchor component={Link} to={`/workspace?entity=${encodeURIComponent(e.entity_id)}`} size="sm">
                    {pickLabel(e.name_ar, e.name_en, lang)}
                  </Anchor>
                </Table.Th>
                <Table.Td>
                  <div className="hbar-track" style={{ width: `${(e.count / max) * 100}%` }} aria-hidden="true">
                    <span className="hbar-seg" style={{ width: '100%', background: '#b42318' }} />
                  </div>
                </Table.Td>
                <Table.Td ta="end">
                  <bdi>{formatNumber(e.count, lang)}</bdi>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function TrendCard() {
  const { t } = useTranslation();
  const ref = useReference();
  const q = useTrend(12);
  if (q.isPending) return <LoadingState />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Card component="section" aria-labelledby="dash-trend" data-testid="dash-trend">
      <Title order={2} fz="lg" id="dash-trend" c="navy.9">
        {t('dashboard.trend')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('dashboard.trendHint')}
      </Text>
      <MonthColumns
        months={q.data.months.map((m) => ({ month: m.month, changes: m.changes, total: m.total, extra: m.approvedUpdates }))}
        statuses={ref.data?.statuses ?? []}
        caption={t('dashboard.trend')}
        extraLabel={t('dashboard.approvedUpdates')}
        testId="trend-chart"
      />
    </Card>
  );
}

/** The follow-up dashboards: status by dimension, overdue updates per entity, progress over time. */
export function DashboardSections() {
  return (
    <Stack gap="md">
      <StatusByCard />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <OverdueCard />
        <TrendCard />
      </SimpleGrid>
    </Stack>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <PageHeader title={t('dashboard.title')} subtitle={t('dashboard.subtitle')} />
      <DashboardSections />
    </Stack>
  );
}
