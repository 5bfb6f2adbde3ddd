import { Anchor, Badge, Group, Paper, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatNumber, pickLabel, pickText } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import { ListPagination } from '../../components/ListPagination.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { facetLabel } from '../recommendations/labels.tsx';
import { SearchBox } from '../search/SearchBox.tsx';
import { useCoverage } from './api.ts';
import { ProgressBar } from './parts.tsx';

function Stat({ label, value, total, testId }: { label: string; value: number; total: number; testId: string }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const pct = total ? Math.round((value / total) * 100) : null;
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz={22}>
        <Ltr>{`${formatNumber(value, lang)} / ${formatNumber(total, lang)}`}</Ltr>
      </Text>
      <ProgressBar value={pct} label={label} w="100%" />
      <Text size="xs" c="dimmed">
        {t('plan.coverage.answeredHint')}
      </Text>
    </Paper>
  );
}

/** Facets offered as one-value filters beside the body and the cycle; their options count the unanswered recommendations. */
const FACET_FILTERS = ['position', 'status', 'theme', 'entity'] as const;
type FilterName = 'body' | 'cycle' | (typeof FACET_FILTERS)[number];

/** How much of the register the plan answers, and what it does not answer yet (supported first), with the list's search and filters. */
export function PlanCoverage({ planId }: { planId: string }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState<Partial<Record<FilterName, string | null>>>({});
  const [page, setPage] = useState(1);
  const cov = useCoverage(planId, { q, filters, page });
  const setFilter = (name: FilterName, v: string | null) => {
    setFilters((f) => ({ ...f, [name]: v }));
    setPage(1);
  };
  if (cov.isError) return <ErrorState error={cov.error} onRetry={() => void cov.refetch()} />;
  const d = cov.data;
  const facetOptions = (facet: (typeof FACET_FILTERS)[number]) => {
    const values = [...(d?.unanswered.facets[facet] ?? [])];
    const chosen = filters[facet];
    if (chosen && !values.some((v) => v.value === chosen)) values.push({ value: chosen, count: 0 });
    return values.map((v) => ({ value: v.value, label: `${facetLabel(t, facet, v, lang, ref.data)} (${formatNumber(v.count, lang)})` }));
  };
  return (
    <Stack gap="md" data-testid="plan-coverage">
      <SearchBox
        value={q}
        onSearch={(next) => {
          setQ(next);
          setPage(1);
        }}
      />
      <Group align="flex-end">
        <Select
          label={t('plan.coverage.body')}
          placeholder={t('plan.coverage.allBodies')}
          data={(ref.data?.bodies ?? []).map((b) => ({ value: b.code, label: pickLabel(b.name_ar, b.name_en, lang, b.code) }))}
          value={filters.body ?? null}
          onChange={(v) => setFilter('body', v)}
          clearable
          searchable
          w={280}
          maw="100%"
          comboboxProps={{ withinPortal: true }}
          data-testid="coverage-filter-body"
        />
        <Select
          label={t('plan.coverage.cycle')}
          placeholder={t('plan.coverage.allCycles')}
          data={['1', '2', '3', '4', '5'].map((c) => ({ value: c, label: t('plan.coverage.cycleN', { n: c }) }))}
          value={filters.cycle ?? null}
          onChange={(v) => setFilter('cycle', v)}
          clearable
          w={180}
          maw="100%"
          comboboxProps={{ withinPortal: true }}
          data-testid="coverage-filter-cycle"
        />
        {FACET_FILTERS.map((facet) => (
          <Select
            key={facet}
            label={t(`facets.${facet}`)}
            placeholder={t('plan.coverage.any')}
            data={facetOptions(facet)}
            value={filters[facet] ?? null}
            onChange={(v) => setFilter(facet, v)}
            clearable
            searchable
            w={220}
            maw="100%"
            comboboxProps={{ withinPortal: true }}
            data-testid={`coverage-filter-${facet}`}
          />
        ))}
      </Group>
      <Text size="xs" c="dimmed" mt={-8}>
        {t('plan.coverage.optionCounts')}
      </Text>
      {!d ? (
        <LoadingState />
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Stat label={t('plan.coverage.recommendations')} value={d.recommendations.answered} total={d.recommendations.total} testId="coverage-recs" />
            <Stat label={t('plan.coverage.clusters')} value={d.clusters.answered} total={d.clusters.total} testId="coverage-clusters" />
          </SimpleGrid>
          <Group gap="xs" data-testid="coverage-by-position">
            {Object.entries(d.by_position).map(([pos, c]) => (
              <Badge key={pos} variant="outline" color="gray" c="dark.8">
                {pos === 'none' ? t('plan.coverage.noPosition') : t(`position.${pos}`)}: <Ltr>{`${formatNumber(c.answered, lang)} / ${formatNumber(c.total, lang)}`}</Ltr>
              </Badge>
            ))}
          </Group>
          <Paper withBorder p={0}>
            <Group justify="space-between" px="sm" py="xs">
              <Text fw={600}>{t('plan.coverage.unanswered')}</Text>
              <Text size="sm" data-testid="coverage-unanswered-count">
                {t('plan.coverage.count', { n: formatNumber(d.unanswered.total, lang) })}
              </Text>
            </Group>
            {d.unanswered.items.length === 0 ? (
              <Text p="md" c="dimmed" size="sm">
                {t('plan.coverage.allAnswered')}
              </Text>
            ) : (
              <div className="table-scroll" tabIndex={0} role="region" aria-label={t('plan.coverage.unanswered')}>
                <Table miw={640} className="rec-table" striped data-testid="coverage-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={190}>{t('plan.coverage.source')}</Table.Th>
                      <Table.Th>{t('plan.coverage.text')}</Table.Th>
                      <Table.Th w={130}>{t('plan.coverage.position')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.unanswered.items.map((r) => {
                      const text = pickText(r, lang);
                      return (
                        <Table.Tr key={r.id} data-testid="coverage-row">
                          <Table.Td>
                            <Anchor component={Link} to={`/recommendations/${r.id}`} size="sm">
                              <Ltr>{`${r.symbol} ¶${r.paragraph ?? ''}`}</Ltr>
                            </Anchor>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm" lineClamp={2} lang={text?.lang} dir={text?.lang === 'ar' ? 'rtl' : 'ltr'}>
                              {text?.text ?? ''}
                            </Text>
                          </Table.Td>
                          <Table.Td>{r.position ? <Badge variant="light" color={r.position === 'supported' ? 'teal' : 'gray'} c="dark.8">{t(`position.${r.position}`)}</Badge> : null}</Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </div>
            )}
            {d.unanswered.total > d.unanswered.pageSize ? <ListPagination total={Math.ceil(d.unanswered.total / d.unanswered.pageSize)} value={page} onChange={setPage} /> : null}
          </Paper>
        </>
      )}
    </Stack>
  );
}
