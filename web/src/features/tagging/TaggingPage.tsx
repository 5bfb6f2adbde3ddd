import { Alert, Anchor, Button, Checkbox, Group, NumberInput, Paper, Progress, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { codeMessage, errorMessage } from '../../api/errors.ts';
import { formatDateTime, formatNumber, pickText } from '../../api/format.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ListPagination } from '../../components/ListPagination.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { useJob } from '../clusters/api.ts';
import { TAG_KINDS, type TagKind, type TrainResult, taggingApi, useTaggerStatus, useTaggingMutation, useTagQueue } from './api.ts';
import { SuggestionChip } from './parts.tsx';

const PAGE_SIZE = 10;

function TrainRun({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const j = useJob<TrainResult>(jobId).data;
  const qc = useQueryClient();
  const finished = j?.status === 'succeeded';
  // the training runs off the server's thread, so the queue and status read when it started are stale once it ends
  useEffect(() => {
    if (finished) void qc.invalidateQueries({ queryKey: ['tagging'] });
  }, [finished, qc]);
  if (j?.status === 'failed') {
    const key = j.error ? `tagging.errors.${j.error.code}` : '';
    return (
      <Alert color="red" variant="light" role="alert" title={t('tagging.train.failed')} data-testid="train-failed">
        {j.error && t(key, { defaultValue: '' }) ? t(key) : j.error ? codeMessage(j.error, lang) : t('errors.generic')}
      </Alert>
    );
  }
  if (j?.status === 'succeeded') {
    const r = j.result;
    return (
      <Alert color="teal" variant="light" role="status" title={t('tagging.train.done')} data-testid="train-done">
        {t('tagging.train.result', { docs: formatNumber(r?.docs ?? 0, lang), suggestions: formatNumber(r?.suggestions ?? 0, lang), recs: formatNumber(r?.recommendations ?? 0, lang) })}
      </Alert>
    );
  }
  const phase = j?.phase && ['reading', 'training', 'suggesting', 'saving'].includes(j.phase) ? j.phase : 'queued';
  return (
    <Paper withBorder p="sm" data-testid="train-progress" aria-busy>
      <Group justify="space-between">
        <Text size="sm" fw={600} aria-live="polite">
          {t(`tagging.train.phase.${phase}`)}
        </Text>
        <Text size="sm" c="dimmed">
          <Ltr>{`${j?.percent ?? 0}%`}</Ltr>
        </Text>
      </Group>
      <Progress value={j?.percent ?? 0} animated aria-label={t('tagging.train.progress')} mt={6} />
    </Paper>
  );
}

export function TaggingPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [sp, setSp] = useSearchParams();
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const kindRaw = sp.get('kind');
  const kind = (TAG_KINDS as readonly string[]).includes(kindRaw ?? '') ? (kindRaw as TagKind) : null;
  const document = sp.get('document');
  const [threshold, setThreshold] = useState(70);
  const status = useTaggerStatus();
  const queue = useTagQueue({ page, pageSize: PAGE_SIZE, minConfidence: 0, kind, document });
  const train = useTaggingMutation(taggingApi.train);
  const accept = useTaggingMutation(taggingApi.accept);
  const reject = useTaggingMutation(taggingApi.reject);
  const bulk = useTaggingMutation(taggingApi.acceptAbove);
  const [jobId, setJobId] = useState<string | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setSp(next);
    setPicked(new Set());
  };

  const data = queue.data;
  const items = data?.items ?? [];
  const allPicked = items.length > 0 && items.every((i) => picked.has(i.id));
  const pickedItems = items.filter((i) => picked.has(i.id));
  const wouldAccept = pickedItems.reduce((a, i) => a + i.suggestions.filter((s) => Math.round(s.confidence * 100) >= threshold).length, 0);
  const model = status.data?.model;
  const busy = accept.isPending || reject.isPending;
  const decisionError = accept.error ?? reject.error;

  return (
    <Stack gap="md">
      <PageHeader
        title={t('tagging.title')}
        subtitle={t('tagging.subtitle')}
        actions={
          <Button onClick={() => train.mutate(undefined, { onSuccess: (r) => setJobId(r.jobId) })} loading={train.isPending} data-testid="train-tagger">
            {model ? t('tagging.train.again') : t('tagging.train.first')}
          </Button>
        }
      />
      <Text size="sm" c="dimmed" mt={-12} data-testid="model-info">
        {model ? t('tagging.modelInfo', { docs: formatNumber(model.docs, lang), labels: formatNumber(model.labels, lang), date: formatDateTime(model.trained_at, lang) }) : t('tagging.noModel')}
      </Text>
      {train.isError ? (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(train.error)}
        </Alert>
      ) : null}
      {jobId ? <TrainRun key={jobId} jobId={jobId} /> : null}

      <Paper withBorder p="sm">
        <Text fw={700} size="lg" aria-live="polite" data-testid="queue-count">
          {data ? t('tagging.count', { n: formatNumber(data.total, lang) }) : '…'}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
          <Select
            label={t('tagging.filter.document')}
            data={[{ value: '', label: t('tagging.filter.allDocuments') }, ...(data?.documents ?? []).map((d) => ({ value: d.id, label: `${d.symbol} (${formatNumber(d.recommendations, lang)})` }))]}
            value={document ?? ''}
            onChange={(v) => set({ document: v || null, page: null })}
            allowDeselect={false}
            data-testid="filter-document"
          />
          <Select
            label={t('tagging.filter.kind')}
            data={[{ value: '', label: t('tagging.filter.allKinds') }, ...TAG_KINDS.map((k) => ({ value: k, label: t(`tagging.kind.${k}`) }))]}
            value={kind ?? ''}
            onChange={(v) => set({ kind: v || null, page: null })}
            allowDeselect={false}
            data-testid="filter-kind"
          />
          <NumberInput
            label={t('tagging.threshold')}
            description={t('tagging.thresholdHint')}
            min={0}
            max={100}
            step={5}
            suffix="%"
            value={threshold}
            onChange={(v) => setThreshold(typeof v === 'number' ? v : Number(v) || 0)}
            data-testid="threshold"
          />
        </SimpleGrid>
        <Group mt="sm" gap="sm" wrap="wrap">
          <Checkbox
            label={t('tagging.pickPage')}
            checked={allPicked}
            indeterminate={!allPicked && pickedItems.length > 0}
            onChange={() => setPicked(allPicked ? new Set() : new Set(items.map((i) => i.id)))}
            data-testid="pick-page"
          />
          <Button variant="filled" color="teal.9" disabled={pickedItems.length === 0} onClick={() => setConfirming(true)} data-testid="accept-above">
            {t('tagging.acceptAbove', { pct: formatNumber(threshold, lang), n: formatNumber(pickedItems.length, lang) })}
          </Button>
        </Group>
      </Paper>

      {decisionError ? (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(decisionError)}
        </Alert>
      ) : null}
      {bulk.isSuccess ? (
        <Alert color="teal" variant="light" role="status" data-testid="bulk-done">
          {t('tagging.bulkDone', { n: formatNumber(bulk.data.accepted, lang), recs: formatNumber(bulk.data.recommendations, lang) })}
        </Alert>
      ) : null}

      {queue.isError ? (
        <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />
      ) : !data ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <Paper withBorder p="xl">
          <Stack align="center" gap="xs">
            <Text fw={600}>{t('tagging.emptyTitle')}</Text>
            <Text c="dimmed" size="sm" ta="center">
              {model ? t('tagging.emptyHint') : t('tagging.emptyNoModel')}
            </Text>
          </Stack>
        </Paper>
      ) : (
        <Stack gap="sm" data-testid="tag-queue">
          {items.map((i) => {
            const text = pickText(i, lang);
            return (
              <Paper key={i.id} withBorder p="sm" data-testid="queue-item" data-paragraph={i.paragraph ?? ''}>
                <Group gap="xs" align="flex-start" wrap="nowrap">
                  <Checkbox
                    mt={4}
                    checked={picked.has(i.id)}
                    onChange={() => {
                      const next = new Set(picked);
                      if (next.has(i.id)) next.delete(i.id);
                      else next.add(i.id);
                      setPicked(next);
                    }}
                    aria-label={t('tagging.pickOne', { para: i.paragraph ?? '' })}
                    data-testid="pick-item"
                  />
                  <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
                    <Anchor component={Link} to={`/recommendations/${i.id}`} size="sm" fw={600}>
                      <Ltr>{`${i.document_symbol}${i.paragraph ? ` · ${i.paragraph}` : ''}`}</Ltr>
                    </Anchor>
                    {text ? (
                      <Text size="sm" lang={text.lang} dir={text.lang === 'ar' ? 'rtl' : 'ltr'} lineClamp={4}>
                        {text.text}
                      </Text>
                    ) : null}
                    <Group gap={6} wrap="wrap" align="stretch">
                      {i.suggestions.map((s) => (
                        <SuggestionChip key={s.id} s={s} canDecide busy={busy} onAccept={() => accept.mutate({ id: s.id, version: i.version })} onReject={() => reject.mutate({ id: s.id })} />
                      ))}
                    </Group>
                  </Stack>
                </Group>
              </Paper>
            );
          })}
          <ListPagination total={Math.max(1, Math.ceil(data.total / PAGE_SIZE))} value={page} onChange={(p) => set({ page: String(p) })} />
        </Stack>
      )}

      <ConfirmDialog
        opened={confirming}
        title={t('tagging.confirmTitle')}
        confirmLabel={t('tagging.confirmButton')}
        loading={bulk.isPending}
        error={bulk.error ?? undefined}
        onClose={() => setConfirming(false)}
        onConfirm={() =>
          bulk.mutate(
            { recommendationIds: pickedItems.map((i) => i.id), minConfidence: threshold / 100, ...(kind ? { kinds: [kind] } : {}) },
            {
              onSuccess: () => {
                setConfirming(false);
                setPicked(new Set());
              },
            },
          )
        }
        testId="confirm-accept-above"
      >
        <Text size="sm">{t('tagging.confirmBody', { n: formatNumber(wouldAccept, lang), recs: formatNumber(pickedItems.length, lang), pct: formatNumber(threshold, lang) })}</Text>
      </ConfirmDialog>
    </Stack>
  );
}
