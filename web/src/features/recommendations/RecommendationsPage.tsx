import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  CloseButton,
  Drawer,
  Grid,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { startTransition, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { formatDate, formatNumber, pickText } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import { FACET_NAMES, type FacetName, type FacetValue, type RecommendationListItem } from '../../api/types.ts';
import { canCurate, useSession } from '../../auth/session.ts';
import { BulkBar } from '../../components/BulkBar.tsx';
import { Highlighted, pickHighlighted } from '../../components/Highlighted.tsx';
import { ListPagination } from '../../components/ListPagination.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { ExportMenu } from '../exports/ExportMenu.tsx';
import { SavedViews } from '../search/SavedViews.tsx';
import { ExpansionNote } from '../search/ExpansionNote.tsx';
import { SearchBox } from '../search/SearchBox.tsx';
import { FacetValueLabel, facetLabel, tCode } from './labels.tsx';
import { fetchList, listParams, listQueryKey, PAGE_SIZES, SORTS, type SortKey } from './listQuery.ts';

/** Facets shown beside the table, in this order. */
const SIDEBAR_FACETS: readonly FacetName[] = ['mechanism', 'body', 'status', 'entity', 'position', 'kind', 'cycle', 'theme', 'affected', 'sdg', 'cluster', 'year', 'document'];
const FACET_PREVIEW = 6;
/** Rows in the page's first frame: more than a screen shows; the rest of the page's rows follow at once (issue 15). */
const FIRST_FRAME_ROWS = 10;

/**
 * False until the frame of the component's first render has been painted, then true, in a transition: a render
 * that yields to the browser (and to its input) every few milliseconds, and that React finishes in one go if it
 * has waited 5 s. (Not useDeferredValue: its background render, which never expires, was seen never to finish on
 * the 100,000-record register, interrupted again and again.)
 */
function useAfterFirstPaint(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer = 0;
    // a frame callback runs just before the paint; a task queued from it runs after that paint
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => startTransition(() => setPainted(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, []);
  return painted;
}

function useListParams() {
  const [sp, setSp] = useSearchParams();
  const parsed = listParams(sp);

  /** Applies changes to the URL (a list: one parameter per value); any change but the page itself goes back to page 1. `replace` for typing steps. */
  const update = (changes: Record<string, string | readonly string[] | null>, opts: { replace?: boolean; keepPage?: boolean } = {}) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(changes)) {
      next.delete(k);
      if (typeof v === 'string') {
        if (v !== '') next.set(k, v);
      } else if (v) for (const one of v) next.append(k, one);
    }
    if (!('page' in changes) && !opts.keepPage) next.delete('page');
    setSp(next, { replace: opts.replace ?? false });
  };

  return { sp, ...parsed, update };
}

function FacetGroup({
  facet,
  values,
  selected,
  onToggle,
}: {
  facet: FacetName;
  values: FacetValue[];
  selected: string[];
  onToggle: (value: string, on: boolean) => void;
}) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  const [expanded, setExpanded] = useState(false);
  // Selected values stay visible even when the current result has none of them.
  const all = [...values];
  for (const s of selected) if (!all.some((v) => v.value === s)) all.push({ value: s, count: 0 });
  if (all.length === 0) return null;
  const shown = expanded ? all : all.slice(0, FACET_PREVIEW);
  const legendId = `facet-${facet}`;
  return (
    <fieldset className="facet" aria-labelledby={legendId} data-testid={`facet-${facet}`}>
      <legend id={legendId} className="facet-legend">
        {t(`facets.${facet}`)}
      </legend>
      <Stack gap={6}>
        {shown.map((v) => {
          const label = facetLabel(t, facet, v, lang, ref.data);
          const color = facet === 'status' ? ref.data?.statuses.find((s) => s.code === v.value)?.color : undefined;
          return (
            <Checkbox
              key={v.value}
              size="xs"
              checked={selected.includes(v.value)}
              onChange={(e) => onToggle(v.value, e.currentTarget.checked)}
              classNames={{ body: 'facet-body', labelWrapper: 'facet-label-wrapper', label: 'facet-label' }}
              label={
                <span className="facet-row">
                  <span className="facet-name">
                    {color ? <span className="status-dot" style={{ background: color }} aria-hidden="true" /> : null}
                    <FacetValueLabel facet={facet} text={label} />
                  </span>
                  <span className="facet-count">
                    <bdi>{formatNumber(v.count, lang)}</bdi>
                  </span>
                </span>
              }
            />
          );
        })}
      </Stack>
      {all.length > FACET_PREVIEW ? (
        <Button variant="subtle" size="compact-xs" mt={6} onClick={() => setExpanded((x) => !x)} aria-expanded={expanded}>
          {expanded ? t('facets.showLess') : t('facets.showAll', { count: all.length })}
        </Button>
      ) : null}
    </fieldset>
  );
}

function SortHeader({
  label,
  sortKey,
  sort,
  order,
  onSort,
}: {
  label: string;
  sortKey: SortKey;
  sort: SortKey;
  order: 'asc' | 'desc';
  onSort: (k: SortKey) => void;
}) {
  const { t } = useTranslation();
  const active = sort === sortKey;
  return (
    <Table.Th aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton className="sort-button" onClick={() => onSort(sortKey)}>
        {label}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
        <span className="visually-hidden">{active ? t(order === 'asc' ? 'recs.sortedAsc' : 'recs.sortedDesc') : t('recs.sortable')}</span>
      </UnstyledButton>
    </Table.Th>
  );
}

/**
 * A recommendation's body, document and date: on one wrapping line with its position (a phone's card, a tablet's
 * table), or one under the other (the desktop table's source column, whose position has its own column).
 */
function SourceLine({ r, mt, column = false }: { r: RecommendationListItem; mt?: number; column?: boolean }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const parts = (
    <>
      <Text size={column ? 'sm' : 'xs'} fw={500}>
        <Ltr>{r.body_code ?? ''}</Ltr>
      </Text>
      <Text size="xs" c="dimmed">
        <Ltr>{r.document_symbol ?? ''}</Ltr>
      </Text>
      <Text size="xs" c="dimmed">
        <bdi>{formatDate(r.document_date, lang)}</bdi>
      </Text>
    </>
  );
  if (column) return <Stack gap={0}>{parts}</Stack>;
  return (
    <Group gap={6} wrap="wrap" mt={mt}>
      {parts}
      {r.position ? (
        <Text size="xs" c="dimmed">
          {tCode(t, 'position', r.position)}
        </Text>
      ) : null}
    </Group>
  );
}

export function RecommendationsPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const params = useListParams();
  const ref = useReference();
  // Bulk selection (coordinators and admins): kept across pages until cleared or acted upon.
  const curator = canCurate(useSession().data?.user);
  const [picked, setPicked] = useState<Set<string>>(() => new Set());
  const pick = (ids: string[], on: boolean) =>
    setPicked((cur) => {
      const next = new Set(cur);
      for (const id of ids) if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  // below Mantine's md (tablets, narrow windows, phones): the results first, the facets in a drawer behind a "Filters"
  // button; below sm (phones) the results are cards, wider screens keep the table
  const narrow = useMediaQuery('(max-width: 61.99em)', false, { getInitialValueInEffect: false });
  const phone = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  // a tablet: the table without its source and position columns, which go under the text, so that it fits
  const compact = narrow && !phone;
  const [filtersOpened, filtersDrawer] = useDisclosure(false);

  const list = useQuery({
    queryKey: listQueryKey(params.apiQuery),
    queryFn: () => fetchList(params.apiQuery),
    placeholderData: keepPreviousData,
  });

  const activeFilters = useMemo(
    () => SIDEBAR_FACETS.flatMap((f) => params.selected(f).map((value) => ({ facet: f, value }))),
    [params.sp],
  );

  // The first words of a search make a history entry; refining them as one types replaces it.
  const { update: updateParams, q: currentQ, sort: currentSort } = params;
  const onSearch = useCallback(
    (q: string, typing: boolean) => {
      const changes: Record<string, string | null> = { q: q || null };
      if (!q && currentSort === 'relevance') changes.sort = null;
      updateParams(changes, { replace: typing && currentQ !== '' });
    },
    [updateParams, currentQ, currentSort],
  );
  const onSort = (k: SortKey) => {
    if (params.sort === k) params.update({ sort: k, order: params.order === 'asc' ? 'desc' : 'asc' });
    else params.update({ sort: k, order: k === 'paragraph' ? 'asc' : 'desc' });
  };
  const toggle = (facet: FacetName, value: string, on: boolean) => {
    const cur = params.selected(facet);
    const next = on ? [...cur, value] : cur.filter((v) => v !== value);
    params.update({ [facet]: next });
  };
  const clearAll = () => {
    const changes: Record<string, null> = { q: null };
    for (const f of FACET_NAMES) changes[f] = null;
    params.update(changes);
  };

  const data = list.data;
  // A link in the older comma-separated form (`theme=a,b`): the URL takes the values as the server read them.
  const canonical = data?.selected;
  useEffect(() => {
    if (!canonical || list.isPlaceholderData) return;
    const changes: Record<string, string[]> = {};
    for (const f of FACET_NAMES) {
      const want = canonical[f] ?? [];
      const have = params.selected(f);
      if (have.some((v) => v.includes(',')) && (want.length !== have.length || want.some((v, k) => v !== have[k]))) changes[f] = want;
    }
    if (Object.keys(changes).length) params.update(changes, { replace: true, keepPage: true });
  }, [canonical, list.isPlaceholderData]);
  // The page's first frame shows the rows a screen holds; the facets (thirteen groups of checkboxes) and the page's
  // other rows render once that frame is painted, so that the first rows do not wait for them. Afterwards everything
  // renders together as before.
  const settled = useAfterFirstPaint();
  const rowsShown = data ? (settled ? data.items : data.items.slice(0, FIRST_FRAME_ROWS)) : [];
  const facetGroups = data && settled ? (
    <Stack gap="md">
      {SIDEBAR_FACETS.map((f) => (
        <FacetGroup key={f} facet={f} values={data.facets[f] ?? []} selected={params.selected(f)} onToggle={(v, on) => toggle(f, v, on)} />
      ))}
    </Stack>
  ) : (
    <LoadingState />
  );
  const from = data && data.total > 0 ? (data.page - 1) * data.pageSize + 1 : 0;
  const to = data ? Math.min(data.page * data.pageSize, data.total) : 0;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const pageIds = data?.items.map((r) => r.id) ?? [];
  const pickedOnPage = pageIds.filter((id) => picked.has(id)).length;

  return (
    <Stack gap="md">
      <PageHeader
        title={t('recs.title')}
        subtitle={t('recs.subtitle')}
        actions={
          <Group gap="xs" align="flex-start" wrap="wrap">
            <ExportMenu listQuery={params.apiQuery} total={data?.total} />
            <SavedViews />
          </Group>
        }
      />

      <Paper withBorder p="sm">
        <SearchBox value={params.q} onSearch={onSearch} />
        {activeFilters.length > 0 || params.q ? (
          <Group gap="xs" mt="sm" aria-label={t('recs.activeFilters')} role="group">
            <Text size="sm" c="dimmed">
              {t('recs.activeFilters')}:
            </Text>
            {params.q ? (
              <Badge variant="light" color="navy" size="lg" rightSection={<CloseButton size="xs" aria-label={t('recs.removeFilter', { label: params.q })} onClick={() => params.update({ q: null })} />}>
                “{params.q}”
              </Badge>
            ) : null}
            {activeFilters.map(({ facet, value }) => {
              const fv = data?.facets[facet]?.find((x) => x.value === value) ?? { value };
              const label = facetLabel(t, facet, fv, lang, ref.data);
              return (
                <Badge
                  key={`${facet}:${value}`}
                  variant="light"
                  color="navy"
                  size="lg"
                  c="navy.9"
                  rightSection={<CloseButton size="xs" aria-label={t('recs.removeFilter', { label })} onClick={() => toggle(facet, value, false)} />}
                >
                  {t(`facets.${facet}`)}: <FacetValueLabel facet={facet} text={label} />
                </Badge>
              );
            })}
            <Button variant="subtle" size="compact-sm" onClick={clearAll}>
              {t('recs.clearAll')}
            </Button>
          </Group>
        ) : null}
        {params.q && data?.expansion ? <ExpansionNote expansion={data.expansion} off={params.expand === '0'} onToggle={(on) => params.update({ expand: on ? null : '0' })} /> : null}
      </Paper>

      <Grid gap="md">
        {narrow ? null : (
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Paper withBorder p="sm" component="aside" aria-label={t('facets.title')}>
              <Title order={2} fz="md" mb="sm" c="navy.9">
                {t('facets.title')}
              </Title>
              {facetGroups}
            </Paper>
          </Grid.Col>
        )}
        <Grid.Col span={{ base: 12, md: 9 }}>
          {curator ? (
            <Stack gap="xs" mb={picked.size ? 'sm' : 0}>
              <BulkBar ids={[...picked]} onClear={() => setPicked(new Set())} />
            </Stack>
          ) : null}
          <Paper withBorder p={0}>
            <Group justify="space-between" px="sm" py="xs" className="table-toolbar" gap="xs">
              <Text size="sm" aria-live="polite" data-testid="result-count">
                {data ? t('recs.showing', { from: formatNumber(from, lang), to: formatNumber(to, lang), total: formatNumber(data.total, lang) }) : ''}
              </Text>
              {narrow && data ? (
                <Button size="xs" variant="light" onClick={filtersDrawer.open} aria-haspopup="dialog" data-testid="filters-open">
                  {t('realweb.filters.open')}
                  {activeFilters.length ? ` (${formatNumber(activeFilters.length, lang)})` : ''}
                </Button>
              ) : null}
              <Group gap={8} wrap="wrap">
                <Text component="label" htmlFor="rec-sort" size="sm">
                  {t('search.sortBy')}
                </Text>
                <Select
                  id="rec-sort"
                  size="xs"
                  w={150}
                  data={SORTS.filter((k) => k !== 'relevance' || params.q).map((k) => ({ value: k, label: t(`search.sort.${k}`) }))}
                  value={params.sort}
                  onChange={(v) => v && params.update({ sort: v, order: v === 'paragraph' ? 'asc' : 'desc' })}
                  allowDeselect={false}
                  data-testid="sort-select"
                />
                <Text component="label" htmlFor="rec-page-size" size="sm">
                  {t('recs.pageSize')}
                </Text>
                <Select
                  id="rec-page-size"
                  size="xs"
                  w={80}
                  data={PAGE_SIZES}
                  value={String(params.pageSize)}
                  onChange={(v) => v && params.update({ pageSize: v })}
                  allowDeselect={false}
                />
              </Group>
            </Group>
            {list.isError ? (
              <Stack p="md">
                <ErrorState error={list.error} onRetry={() => void list.refetch()} />
              </Stack>
            ) : !data ? (
              <LoadingState />
            ) : data.items.length === 0 ? (
              <Stack p="xl" align="center" gap="xs" data-testid="empty-state">
                <Text fw={600}>{params.q ? t('search.emptyTitle', { q: params.q }) : t('recs.emptyTitle')}</Text>
                <Text c="dimmed" size="sm" ta="center" maw={520}>
                  {params.q ? t('search.emptyHint') : t('recs.emptyHint')}
                </Text>
                <Group gap="xs" mt="xs">
                  {params.q ? (
                    <Button variant="default" size="xs" onClick={() => params.update({ q: null, sort: params.sort === 'relevance' ? null : params.sort })}>
                      {t('search.clearWords')}
                    </Button>
                  ) : null}
                  {activeFilters.length > 0 ? (
                    <Button variant="default" size="xs" onClick={clearAll}>
                      {t('recs.clearAll')}
                    </Button>
                  ) : null}
                </Group>
              </Stack>
            ) : phone ? (
              // a phone: one card per recommendation, every column's value inside the screen's width
              <Stack component="ul" gap={0} m={0} p={0} style={{ listStyle: 'none' }} aria-label={t('recs.tableCaption')} aria-busy={list.isFetching} data-testid="rec-cards">
                {rowsShown.map((r) => {
                  const txt = pickText(r, lang);
                  const hl = r.highlights ? pickHighlighted(r, lang) : null;
                  const shownLang = hl?.lang ?? txt?.lang;
                  return (
                    <Stack component="li" key={r.id} gap={4} px="sm" py="xs" className="rec-card">
                      <Group justify="space-between" gap="xs" wrap="nowrap">
                        <Group gap="xs" wrap="nowrap">
                          {curator ? (
                            <Checkbox
                              size="xs"
                              aria-label={t('bulk.selectRow', { paragraph: r.paragraph ?? '', symbol: r.document_symbol ?? '' })}
                              checked={picked.has(r.id)}
                              onChange={(e) => pick([r.id], e.currentTarget.checked)}
                              data-testid="select-row"
                            />
                          ) : null}
                          <Text size="sm" fw={600}>
                            <Ltr>{r.paragraph ?? '—'}</Ltr>
                          </Text>
                        </Group>
                        <StatusBadge code={r.status} statuses={ref.data?.statuses} size="sm" />
                      </Group>
                      <Anchor component={Link} to={`/recommendations/${r.id}`} className="row-link" size="sm" c="dark.8">
                        <span className="rec-text" lang={shownLang} dir={shownLang ? (shownLang === 'ar' ? 'rtl' : 'ltr') : undefined} data-testid="result-text">
                          {hl ? <Highlighted segments={hl.segments} /> : (txt?.text ?? t('recs.noText'))}
                        </span>
                      </Anchor>
                      {shownLang && shownLang !== lang ? (
                        <Text size="xs" c="dimmed">
                          {t('recs.shownIn', { lang: t(`arabic.languageName.${shownLang}`) })}
                        </Text>
                      ) : null}
                      <SourceLine r={r} />
                    </Stack>
                  );
                })}
              </Stack>
            ) : (
              <div className="table-scroll" tabIndex={0} role="region" aria-label={t('recs.tableCaption')}>
                <Table miw={compact ? undefined : 760} className="rec-table" striped highlightOnHover withRowBorders aria-busy={list.isFetching} data-testid="rec-table">
                  <Table.Caption className="visually-hidden">{t('recs.tableCaption')}</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      {curator ? (
                        <Table.Th w={40}>
                          <Checkbox
                            size="xs"
                            aria-label={t('bulk.selectPage')}
                            checked={pageIds.length > 0 && pickedOnPage === pageIds.length}
                            indeterminate={pickedOnPage > 0 && pickedOnPage < pageIds.length}
                            onChange={(e) => pick(pageIds, e.currentTarget.checked)}
                            data-testid="select-page"
                          />
                        </Table.Th>
                      ) : null}
                      <SortHeader label={t('recs.col.paragraph')} sortKey="paragraph" sort={params.sort} order={params.order} onSort={onSort} />
                      <Table.Th>{t('recs.col.text')}</Table.Th>
                      {compact ? null : (
                        <>
                          <SortHeader label={t('recs.col.source')} sortKey="date" sort={params.sort} order={params.order} onSort={onSort} />
                          <Table.Th>{t('recs.col.position')}</Table.Th>
                        </>
                      )}
                      <SortHeader label={t('recs.col.status')} sortKey="status" sort={params.sort} order={params.order} onSort={onSort} />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rowsShown.map((r) => {
                      const txt = pickText(r, lang);
                      const hl = r.highlights ? pickHighlighted(r, lang) : null;
                      const shownLang = hl?.lang ?? txt?.lang;
                      const other = shownLang && shownLang !== lang;
                      return (
                        <Table.Tr key={r.id}>
                          {curator ? (
                            <Table.Td w={40}>
                              <Checkbox
                                size="xs"
                                aria-label={t('bulk.selectRow', { paragraph: r.paragraph ?? '', symbol: r.document_symbol ?? '' })}
                                checked={picked.has(r.id)}
                                onChange={(e) => pick([r.id], e.currentTarget.checked)}
                                data-testid="select-row"
                              />
                            </Table.Td>
                          ) : null}
                          <Table.Td w={72}>
                            <Ltr>{r.paragraph ?? '—'}</Ltr>
                          </Table.Td>
                          <Table.Td>
                            <Anchor component={Link} to={`/recommendations/${r.id}`} className="row-link" size="sm" c="dark.8">
                              <span className="rec-text" lang={shownLang} dir={shownLang ? (shownLang === 'ar' ? 'rtl' : 'ltr') : undefined} data-testid="result-text">
                                {hl ? <Highlighted segments={hl.segments} /> : (txt?.text ?? t('recs.noText'))}
                              </span>
                            </Anchor>
                            {other ? (
                              <Text size="xs" c="dimmed" mt={2}>
                                {hl && txt && txt.lang === lang ? t('search.matchedIn', { lang: t(`arabic.languageName.${shownLang}`) }) : t('recs.shownIn', { lang: t(`arabic.languageName.${shownLang}`) })}
                              </Text>
                            ) : null}
                            {compact ? <SourceLine r={r} mt={4} /> : null}
                          </Table.Td>
                          {compact ? null : (
                            <>
                          <Table.Td w={150}>
                            <SourceLine r={r} column />
                          </Table.Td>
                          <Table.Td w={100}>
                            <Text size="sm">{r.position ? tCode(t, 'position', r.position) : '—'}</Text>
                          </Table.Td>
                            </>
                          )}
                          <Table.Td w={150} className="status-cell">
                            <StatusBadge code={r.status} statuses={ref.data?.statuses} size="md" />
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </div>
            )}
            {data && data.total > 0 ? (
              <ListPagination total={pages} value={data.page} onChange={(p) => params.update({ page: String(p) })} />
            ) : null}
          </Paper>
        </Grid.Col>
      </Grid>
      {narrow ? (
        <Drawer
          opened={filtersOpened}
          onClose={filtersDrawer.close}
          title={t('realweb.filters.title')}
          position={lang === 'ar' ? 'right' : 'left'}
          size="85%"
          closeButtonProps={{ 'aria-label': t('common.close') }}
          data-testid="filters-drawer"
        >
          <Stack gap="md">
            {activeFilters.length ? (
              <Group justify="space-between">
                <Text size="sm">{t('realweb.filters.active', { n: formatNumber(activeFilters.length, lang) })}</Text>
                <Button variant="subtle" size="compact-sm" onClick={clearAll}>
                  {t('recs.clearAll')}
                </Button>
              </Group>
            ) : null}
            {facetGroups}
          </Stack>
        </Drawer>
      ) : null}
    </Stack>
  );
}
