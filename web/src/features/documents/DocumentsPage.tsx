import { Anchor, Button, Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, qs } from '../../api/client.ts';
import { formatDate, formatNumber, pickLabel } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import type { DocumentItem } from '../../api/types.ts';
import { ListPagination } from '../../components/ListPagination.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { tCode } from '../recommendations/labels.tsx';

const PAGE_SIZE = 50;

export function DocumentsPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  const [sp, setSp] = useSearchParams();
  const q = sp.get('q') ?? '';
  const body = sp.get('body') ?? '';
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(changes)) {
      if (!v) next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in changes)) next.delete('page');
    setSp(next);
  };

  const list = useQuery({
    queryKey: ['documents', q, body, page],
    queryFn: () => api<{ items: DocumentItem[]; total: number }>(`/api/documents${qs({ q, body, page, pageSize: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });

  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    update({ q: draft.trim() || null });
  };
  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  return (
    <Stack gap="md">
      <PageHeader title={t('documents.title')} subtitle={t('documents.subtitle')} />
      <Paper withBorder p="sm">
        <form onSubmit={onSearch} role="search">
          <Group align="flex-end" gap="sm">
            <TextInput flex={1} miw={220} label={t('documents.search')} placeholder={t('documents.searchPlaceholder')} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} type="search" />
            <Select
              w={280}
              label={t('documents.body')}
              placeholder={t('documents.allBodies')}
              data={(ref.data?.bodies ?? []).map((b) => ({ value: b.code, label: `${b.code} — ${pickLabel(b.name_ar, b.name_en, lang, b.code)}` }))}
              value={body || null}
              onChange={(v) => update({ body: v })}
              clearable
              searchable
              data-testid="documents-body"
            />
            <Button type="submit">{t('recs.searchButton')}</Button>
          </Group>
        </form>
      </Paper>
      <Paper withBorder p={0}>
        <Group px="sm" py="xs" className="table-toolbar">
          <Text size="sm" aria-live="polite" data-testid="documents-count">
            {data ? t('documents.count', { n: formatNumber(data.total, lang) }) : ''}
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
            <Text fw={600}>{t('documents.empty')}</Text>
          </Stack>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('documents.title')}>
            <Table className="rec-table" striped highlightOnHover miw={820} data-testid="documents-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('documents.col.symbol')}</Table.Th>
                  <Table.Th>{t('documents.col.body')}</Table.Th>
                  <Table.Th>{t('documents.col.type')}</Table.Th>
                  <Table.Th>{t('documents.col.date')}</Table.Th>
                  <Table.Th>{t('documents.col.cycle')}</Table.Th>
                  <Table.Th className="num">{t('documents.col.count')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/documents/${d.id}`} size="sm" fw={600}>
                        <Ltr>{d.symbol}</Ltr>
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{pickLabel(d.body_name_ar, d.body_name_en, lang, d.body_code)}</Text>
                      <Text size="xs" c="dimmed">
                        <Ltr>{d.body_code}</Ltr>
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{tCode(t, 'docType', d.type)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        <bdi>{formatDate(d.date, lang) || '—'}</bdi>
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {d.upr_cycle ? (
                          <>
                            {t('facets.cycleValue', { n: d.upr_cycle })}
                            {d.upr_session ? (
                              <>
                                {' · '}
                                {t('fields.upr_session')} <Ltr>{d.upr_session}</Ltr>
                              </>
                            ) : null}
                          </>
                        ) : (
                          '—'
                        )}
                      </Text>
                    </Table.Td>
                    <Table.Td className="num">
                      <Anchor component={Link} to={`/recommendations?document=${encodeURIComponent(d.symbol)}`} size="sm" aria-label={t('documents.seeRecs', { symbol: d.symbol, n: d.recommendations })}>
                        <bdi>{formatNumber(d.recommendations, lang)}</bdi>
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
        {data && data.total > PAGE_SIZE ? (
          <ListPagination total={pages} value={page} onChange={(p) => update({ page: String(p) })} />
        ) : null}
      </Paper>
    </Stack>
  );
}
