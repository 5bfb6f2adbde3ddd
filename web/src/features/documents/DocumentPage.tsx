import { Anchor, Breadcrumbs, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDate, formatNumber, pickLabel, pickText } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import type { DocumentDetail, RecommendationList } from '../../api/types.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { tCode } from '../recommendations/labels.tsx';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

const SHOWN = 50;

export function DocumentPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const { id = '' } = useParams();
  const ref = useReference();
  const doc = useQuery({ queryKey: ['documents', 'one', id], queryFn: () => api<DocumentDetail>(`/api/documents/${encodeURIComponent(id)}`) });
  const symbol = doc.data?.symbol;
  const recs = useQuery({
    queryKey: ['recommendations', 'document', symbol],
    queryFn: () => api<RecommendationList>(`/api/recommendations?document=${encodeURIComponent(symbol ?? '')}&pageSize=${SHOWN}&sort=paragraph&order=asc`),
    enabled: !!symbol,
  });

  if (doc.isPending) return <LoadingState />;
  if (doc.isError) return <ErrorState error={doc.error} onRetry={() => void doc.refetch()} />;
  const d = doc.data;
  const listLink = `/recommendations?document=${encodeURIComponent(d.symbol)}`;
  const total = d.recommendations;
  const mech = ref.data?.mechanisms.find((m) => m.code === d.mechanism_code);

  return (
    <Stack gap="md">
      <Breadcrumbs separator={lang === 'ar' ? '‹' : '›'} aria-label={t('detail.breadcrumb')}>
        <Anchor component={Link} to="/documents" size="sm">
          {t('documents.title')}
        </Anchor>
        <Text size="sm" aria-current="page">
          <Ltr>{d.symbol}</Ltr>
        </Text>
      </Breadcrumbs>
      <Stack gap={2}>
        <Title order={1} fz={24} c="navy.9">
          <Ltr>{d.symbol}</Ltr>
        </Title>
        <Text c="dimmed" size="sm">
          {tCode(t, 'docType', d.type)} · {pickLabel(d.body_name_ar, d.body_name_en, lang, d.body_code)}
        </Text>
      </Stack>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Card component="section" aria-labelledby="doc-meta">
          <Title order={2} fz="md" mb="sm" id="doc-meta" c="navy.9">
            {t('documents.metadata')}
          </Title>
          <dl className="field-list">
            <Field label={t('fields.document_symbol')}>
              <Ltr>{d.symbol}</Ltr>
            </Field>
            <Field label={t('fields.document_type')}>{tCode(t, 'docType', d.type)}</Field>
            <Field label={t('fields.document_date')}>
              <bdi>{formatDate(d.date, lang) || '—'}</bdi>
            </Field>
            <Field label={t('fields.body')}>
              {pickLabel(d.body_name_ar, d.body_name_en, lang, d.body_code)} <Text span c="dimmed" size="xs">(<Ltr>{d.body_code}</Ltr>)</Text>
            </Field>
            <Field label={t('fields.mechanism')}>{mech ? pickLabel(mech.name_ar, mech.name_en, lang, mech.code) : (d.mechanism_code ?? '—')}</Field>
            <Field label={t('fields.country')}>{d.country_name ? d.country_name[lang] : (d.country ?? '—')}</Field>
            {d.upr_cycle ? (
              <Field label={t('fields.upr_cycle')}>
                <Ltr>{d.upr_cycle}</Ltr>
                {d.upr_session ? (
                  <>
                    {' · '}
                    {t('fields.upr_session')} <Ltr>{d.upr_session}</Ltr>
                  </>
                ) : null}
              </Field>
            ) : null}
            {d.url ? (
              <Field label={t('fields.document_url')}>
                <Anchor href={d.url} target="_blank" rel="noreferrer" size="sm">
                  <Ltr>{d.url}</Ltr>
                </Anchor>
              </Field>
            ) : null}
          </dl>
        </Card>
        <Card component="section" aria-labelledby="doc-status">
          <Title order={2} fz="md" mb="sm" id="doc-status" c="navy.9">
            {t('documents.byStatus')}
          </Title>
          {d.byStatus.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('documents.noRecs')}
            </Text>
          ) : (
            <Table className="rec-table" data-testid="doc-status">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('home.status')}</Table.Th>
                  <Table.Th className="num">{t('home.count')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.byStatus.map((s) => (
                  <Table.Tr key={s.status}>
                    <Table.Td>
                      <Anchor component={Link} to={`${listLink}&status=${encodeURIComponent(s.status)}`} underline="never">
                        <StatusBadge code={s.status} statuses={ref.data?.statuses} size="md" />
                      </Anchor>
                    </Table.Td>
                    <Table.Td className="num">
                      <bdi>{formatNumber(s.count, lang)}</bdi>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      </SimpleGrid>

      <Card component="section" aria-labelledby="doc-recs" p={0}>
        <Group justify="space-between" p="md" pb="xs">
          <Title order={2} fz="md" id="doc-recs" c="navy.9">
            {t('documents.recs', { n: formatNumber(total, lang) })}
          </Title>
          <Button component={Link} to={listLink} variant="light" size="xs">
            {t('documents.openInList')}
          </Button>
        </Group>
        {recs.isError ? (
          <Stack p="md">
            <ErrorState error={recs.error} onRetry={() => void recs.refetch()} />
          </Stack>
        ) : !recs.data ? (
          <LoadingState />
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="doc-recs">
            <Table className="rec-table" striped highlightOnHover miw={640} data-testid="doc-recs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('recs.col.paragraph')}</Table.Th>
                  <Table.Th>{t('recs.col.text')}</Table.Th>
                  <Table.Th>{t('recs.col.position')}</Table.Th>
                  <Table.Th>{t('recs.col.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {recs.data.items.map((r) => {
                  const txt = pickText(r, lang);
                  return (
                    <Table.Tr key={r.id}>
                      <Table.Td w={72}>
                        <Ltr>{r.paragraph ?? '—'}</Ltr>
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/recommendations/${r.id}`} className="row-link" size="sm" c="dark.8">
                          <span className="rec-text" lang={txt?.lang} dir={txt ? (txt.lang === 'ar' ? 'rtl' : 'ltr') : undefined}>
                            {txt?.text ?? t('recs.noText')}
                          </span>
                        </Anchor>
                      </Table.Td>
                      <Table.Td w={110}>
                        <Text size="sm">{r.position ? tCode(t, 'position', r.position) : '—'}</Text>
                      </Table.Td>
                      <Table.Td w={160}>
                        <StatusBadge code={r.status} statuses={ref.data?.statuses} size="md" />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            {recs.data.total > recs.data.items.length ? (
              <Text size="sm" p="sm">
                <Anchor component={Link} to={listLink}>
                  {t('documents.more', { n: formatNumber(recs.data.total - recs.data.items.length, lang) })}
                </Anchor>
              </Text>
            ) : null}
          </div>
        )}
      </Card>
    </Stack>
  );
}
