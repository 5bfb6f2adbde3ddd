import { Alert, Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { formatNumber } from '../../api/format.ts';
import type { ResponseOf } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

type Duplicates = ResponseOf<'/api/recommendations/duplicates'>;
type Pair = Duplicates['items'][number];
export type PairSide = Pair['a'];

function States({ names }: { names: string[] }) {
  const { lang } = useLanguage();
  if (!names.length) return <>—</>;
  return (
    <>
      {names.map((s, i) => (
        <Fragment key={i}>
          {i > 0 ? (lang === 'ar' ? '، ' : ', ') : null}
          <bdi>{s}</bdi>
        </Fragment>
      ))}
    </>
  );
}

function Side({ side, label }: { side: PairSide; label: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="sm">
      <Stack gap={4}>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
        <Group gap="xs">
          <Anchor component={Link} to={`/recommendations/${side.id}`} size="sm" fw={600}>
            <Ltr>{side.symbol}</Ltr>
            {side.paragraph ? (
              <>
                {' · '}
                <Ltr>{side.paragraph}</Ltr>
              </>
            ) : null}
          </Anchor>
        </Group>
        <Text size="sm" dir={side.textLang === 'ar' ? 'rtl' : 'ltr'} lang={side.textLang ?? undefined} ta="start" className="rec-text">
          {side.text}
        </Text>
        <Text size="xs">
          {t('realdata.merge.states')}: <States names={side.recommendingStates} />
        </Text>
      </Stack>
    </Card>
  );
}

/** Candidate pairs (the same recommendation from two sources): merge one into the other, or keep them apart. */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const [country, setCountry] = useState('');
  const [applied, setApplied] = useState('');
  const [confirm, setConfirm] = useState<Pair | null>(null);
  const list = useQuery({
    queryKey: ['duplicates', applied],
    queryFn: () => api<Duplicates>(`/api/recommendations/duplicates?limit=20${applied ? `&country=${encodeURIComponent(applied)}` : ''}`),
  });
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['duplicates'] });
    void qc.invalidateQueries({ queryKey: ['recommendations'] });
  };
  const merge = useMutation({
    mutationFn: (p: Pair) => api('/api/recommendations/merge', { method: 'POST', body: { survivorId: p.a.id, survivorVersion: p.a.version, mergedId: p.b.id, mergedVersion: p.b.version } }),
    onSuccess: () => {
      setConfirm(null);
      done();
    },
  });
  const apart = useMutation({
    mutationFn: (p: Pair) => api('/api/recommendations/duplicates/keep-apart', { method: 'POST', body: { aId: p.a.id, bId: p.b.id } }),
    onSuccess: done,
  });

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={1} fz={24} c="navy.9">
          {t('realdata.merge.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('realdata.merge.subtitle')}
        </Text>
      </Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(country.trim());
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput label={t('realdata.merge.country')} description={t('realdata.merge.countryHint')} value={country} onChange={(e) => setCountry(e.currentTarget.value)} />
          <Button type="submit" variant="light">
            {t('realdata.merge.filter')}
          </Button>
        </Group>
      </form>
      {list.isPending ? <LoadingState /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data ? (
        <Text size="sm" data-testid="duplicates-total">
          {t('realdata.merge.total', { n: formatNumber(list.data.total, lang) })}
        </Text>
      ) : null}
      {list.data && list.data.total === 0 ? (
        <Alert color="green" variant="light">
          {t('realdata.merge.none')}
        </Alert>
      ) : null}
      {apart.error ? (
        <Alert color="red" variant="light" role="alert">
          {String((apart.error as Error).message)}
        </Alert>
      ) : null}
      {list.data?.items.map((p) => (
        <Card key={`${p.a.id}-${p.b.id}`} component="section" data-testid="duplicate-pair" withBorder>
          <Stack gap="sm">
            <Group justify="space-between">
              <Badge variant="outline" color="blue.9" c="dark.7" bg="white">
                {t('realdata.merge.similarity', { pct: formatNumber(Math.round(p.similarity * 100), lang) })}
              </Badge>
            </Group>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
              <Side side={p.a} label={t('realdata.merge.keeps')} />
              <Side side={p.b} label={t('realdata.merge.mergedIn')} />
            </SimpleGrid>
            <Group gap="sm">
              <Button onClick={() => setConfirm(p)} data-testid="merge-button">
                {t('realdata.merge.merge')}
              </Button>
              <Button variant="default" onClick={() => apart.mutate(p)} loading={apart.isPending && apart.variables === p}>
                {t('realdata.merge.keepApart')}
              </Button>
            </Group>
          </Stack>
        </Card>
      ))}
      <ConfirmDialog
        opened={!!confirm}
        onClose={() => {
          setConfirm(null);
          merge.reset();
        }}
        title={t('realdata.merge.confirmTitle')}
        confirmLabel={t('realdata.merge.confirmButton')}
        onConfirm={() => confirm && merge.mutate(confirm)}
        loading={merge.isPending}
        error={merge.error}
        testId="merge-confirm"
      >
        <Text size="sm">{t('realdata.merge.confirmBody')}</Text>
        {confirm ? (
          <Text size="sm" mt="xs">
            <Ltr>{confirm.b.symbol}</Ltr> → <Ltr>{confirm.a.symbol}</Ltr>
          </Text>
        ) : null}
      </ConfirmDialog>
    </Stack>
  );
}

type MergeItem = ResponseOf<'/api/recommendations/{id}/merges'>['items'][number];

/** On a recommendation's page: the records merged into it, each one can be unmerged (after confirmation). */
export function MergesPanel({ recommendationId, onChange }: { recommendationId: string; onChange: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState<MergeItem | null>(null);
  const merges = useQuery({ queryKey: ['merges', recommendationId], queryFn: () => api<ResponseOf<'/api/recommendations/{id}/merges'>>(`/api/recommendations/${encodeURIComponent(recommendationId)}/merges`) });
  const unmerge = useMutation({
    mutationFn: (m: MergeItem) => api(`/api/recommendations/merges/${encodeURIComponent(m.id)}/unmerge`, { method: 'POST' }),
    onSuccess: () => {
      setConfirm(null);
      void qc.invalidateQueries({ queryKey: ['merges', recommendationId] });
      void qc.invalidateQueries({ queryKey: ['duplicates'] });
      onChange();
    },
  });
  const items = merges.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card component="section" aria-labelledby="sec-merges" data-testid="merges-panel">
      <Title order={2} fz="md" mb="sm" id="sec-merges" c="navy.9">
        {t('realdata.merge.panelTitle')}
      </Title>
      <Stack gap="sm">
        {items.map((m) => (
          <Group key={m.id} justify="space-between" align="flex-start" wrap="nowrap">
            <Stack gap={2}>
              <Text size="xs" c="dimmed">
                <Ltr>{m.merged.externalId}</Ltr>
              </Text>
              <Text size="sm" dir="auto" ta="start">
                {m.merged.text}
              </Text>
            </Stack>
            <Button variant="default" size="xs" onClick={() => setConfirm(m)} data-testid="unmerge-button">
              {t('realdata.merge.unmerge')}
            </Button>
          </Group>
        ))}
      </Stack>
      <ConfirmDialog
        opened={!!confirm}
        onClose={() => {
          setConfirm(null);
          unmerge.reset();
        }}
        title={t('realdata.merge.unmergeTitle')}
        confirmLabel={t('realdata.merge.unmerge')}
        onConfirm={() => confirm && unmerge.mutate(confirm)}
        loading={unmerge.isPending}
        error={unmerge.error}
        testId="unmerge-confirm"
      >
        <Text size="sm">{t('realdata.merge.unmergeBody')}</Text>
      </ConfirmDialog>
    </Card>
  );
}
