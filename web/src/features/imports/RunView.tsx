import { Alert, Anchor, Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { codeMessage } from '../../api/errors.ts';
import { formatNumber } from '../../api/format.ts';
import type { ImportIssue, ImportParseReport, ImportResult, ImportRun } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { PreviewSuggestionList, usePreviewSuggestions } from '../tagging/PreviewSuggestions.tsx';
import { tCode } from '../recommendations/labels.tsx';

export const POLL_MS = 700;

export function useImportRun(id: string | null) {
  return useQuery({
    queryKey: ['import', id],
    queryFn: () => api<ImportRun>(`/api/imports/${encodeURIComponent(id ?? '')}`),
    enabled: !!id,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.status === 'running' ? POLL_MS : false),
  });
}

export function RunStatusBadge({ run }: { run: Pick<ImportRun, 'status' | 'dryRun'> }) {
  const { t } = useTranslation();
  const color = run.status === 'succeeded' ? 'green.9' : run.status === 'failed' ? 'red.9' : 'blue.9';
  return (
    <Badge variant="outline" color={color} c="dark.7" bg="white" leftSection={<span className="status-dot" style={{ background: `var(--mantine-color-${color.replace('.', '-')})` }} aria-hidden="true" />}>
      {t(`imports.status.${run.status}`)}
    </Badge>
  );
}

function Counts({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const items = [
    { key: 'new', value: result.new },
    { key: 'updated', value: result.updated },
    { key: 'unchanged', value: result.unchanged },
    { key: 'invalid', value: result.invalid },
    { key: 'documentsCreated', value: result.documentsCreated },
    { key: 'termsCreated', value: result.termsCreated },
  ] as const;
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm" data-testid="import-counts">
      {items.map((i) => (
        <Card key={i.key} padding="sm" className={i.key === 'invalid' && i.value > 0 ? 'count-invalid' : undefined} data-testid={`count-${i.key}`}>
          <Text size="xs" c="dimmed">
            {t(`imports.counts.${i.key}`)}
          </Text>
          <Text fw={700} fz={22} c={i.key === 'invalid' && i.value > 0 ? 'red.9' : 'navy.9'}>
            <bdi>{formatNumber(i.value ?? 0, lang)}</bdi>
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

/** The field of an import problem as the user sees it: its name on the page, or the file's own column name. */
export function fieldLabel(t: (k: string, o?: Record<string, unknown>) => string, field: string | null | undefined): string {
  if (!field) return '—';
  return t(`realdata.fields.${field.replace(/\./g, '_')}`, { defaultValue: field });
}

export function IssuesTable({ issues }: { issues: ImportIssue[] }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  if (issues.length === 0) return null;
  // the English detail is shown where the page is in English, or where no translation of the problem exists
  const problem = (code: string) => t(`errors.${code}`, { defaultValue: t(`realdata.errors.${code}`, { defaultValue: '' }) });
  const showDetail = lang === 'en' || issues.some((i) => !problem(i.code));
  return (
    <section aria-labelledby="import-issues">
      <Title order={3} fz="md" id="import-issues" c="navy.9" mb="xs">
        {t('imports.issues.title', { n: issues.length })}
      </Title>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="import-issues">
        <Table className="rec-table" striped withTableBorder data-testid="import-issues">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.issues.row')}</Table.Th>
              <Table.Th>{t('imports.issues.field')}</Table.Th>
              <Table.Th>{t('imports.issues.problem')}</Table.Th>
              {showDetail ? <Table.Th>{t('imports.issues.detail')}</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {issues.map((i, n) => (
              <Table.Tr key={n}>
                <Table.Td>
                  <Ltr>{i.row ?? '—'}</Ltr>
                </Table.Td>
                <Table.Td>
                  <bdi>{fieldLabel(t, i.field)}</bdi>
                </Table.Td>
                <Table.Td>{problem(i.code) || i.code}</Table.Td>
                {showDetail ? (
                  <Table.Td>
                    <Text size="xs" dir="ltr" lang="en" ta="start">
                      {i.message}
                    </Text>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </section>
  );
}

/** report-text: every numbered paragraph found is counted, checked against the numbering, imported or listed. */
function ParagraphCheck({ report }: { report: ImportParseReport | undefined }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const p = report?.paragraphs;
  if (!p) return null;
  const notImported = report?.notImported ?? [];
  const clean = p.gaps.length === 0 && p.duplicates.length === 0 && notImported.length === 0;
  const list = (xs: string[]) =>
    xs.map((x, i) => (
      <Fragment key={`${x}-${i}`}>
        {i > 0 ? (lang === 'ar' ? '، ' : ', ') : null}
        <Ltr>{x}</Ltr>
      </Fragment>
    ));
  return (
    <section aria-labelledby="paragraph-check" data-testid="paragraph-check">
      <Alert color={clean ? 'green' : 'yellow'} variant="light" title={<span id="paragraph-check">{t('realdata.paragraphs.title')}</span>}>
        <Stack gap={4}>
          <Text size="sm" data-testid="paragraph-count">
            {t('realdata.paragraphs.summary', {
              found: formatNumber(p.found, lang),
              imported: formatNumber(p.imported, lang),
              notImported: formatNumber(p.found - p.imported, lang),
            })}
          </Text>
          <Text size="sm" data-testid="paragraph-gaps">
            {t('realdata.paragraphs.gaps')}: {p.gaps.length ? list(p.gaps) : t('realdata.paragraphs.none')}
          </Text>
          <Text size="sm" data-testid="paragraph-duplicates">
            {t('realdata.paragraphs.duplicates')}: {p.duplicates.length ? list(p.duplicates) : t('realdata.paragraphs.none')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('realdata.paragraphs.cleaned', { footnotes: formatNumber(p.footnotesRemoved, lang), furniture: formatNumber(p.furnitureRemoved, lang) })}
          </Text>
        </Stack>
      </Alert>
      {notImported.length ? (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('realdata.paragraphs.notImportedTitle')}>
          <Table className="rec-table" striped withTableBorder data-testid="paragraphs-not-imported" mt="xs">
            <Table.Caption>{t('realdata.paragraphs.notImportedTitle')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.preview.paragraph')}</Table.Th>
                <Table.Th>{t('realdata.paragraphs.reason')}</Table.Th>
                <Table.Th>{t('imports.preview.text')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {notImported.map((n, i) => (
                <Table.Tr key={i}>
                  <Table.Td w={80}>
                    <Ltr>{n.paragraph}</Ltr>
                  </Table.Td>
                  <Table.Td w={220}>
                    <Text size="sm">{t(`realdata.paragraphs.reasons.${reasonKey(n.reason)}`)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" dir="auto" ta="start">
                      {n.text}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      ) : null}
    </section>
  );
}

/** UPR Info issues linked to the register's themes, and those left unlinked (no mapping, no theme of that name), with their record counts. */
function ThemeReport({ result }: { result: ImportResult | null }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const unmapped = result?.unmappedThemes ?? [];
  if (!result || (unmapped.length === 0 && !result.mappedThemes)) return null;
  return (
    <Alert color={unmapped.length ? 'yellow' : 'green'} variant="light" title={t('realdata.themes.title')} data-testid="theme-report">
      <Stack gap={4}>
        <Text size="sm">{t('realdata.themes.mapped', { n: formatNumber(result.mappedThemes ?? 0, lang) })}</Text>
        {unmapped.length ? (
          <>
            <Text size="sm">{t('realdata.themes.unmapped', { n: formatNumber(unmapped.length, lang) })}</Text>
            <Text size="xs" dir="ltr" lang="en" ta="start">
              {unmapped.map((u) => `${u.label} (${u.records})`).join(' · ')}
            </Text>
          </>
        ) : null}
      </Stack>
    </Alert>
  );
}

/** New records that match a recommendation already held from another source: merged afterwards, never guessed. */
function MatchReport({ result }: { result: ImportResult | null }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const matches = result?.matches ?? [];
  if (!result?.matchCount) return null;
  return (
    <section aria-labelledby="import-matches" data-testid="import-matches">
      <Title order={3} fz="md" id="import-matches" c="navy.9">
        {t('realdata.matches.title', { n: formatNumber(result.matchCount, lang) })}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('realdata.matches.hint')}{' '}
        <Anchor component={Link} to="/duplicates" size="sm">
          {t('realdata.matches.link')}
        </Anchor>
      </Text>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="import-matches" style={{ maxHeight: 320, overflowY: 'auto' }}>
        <Table className="rec-table" striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.preview.paragraph')}</Table.Th>
              <Table.Th>{t('realdata.matches.existing')}</Table.Th>
              <Table.Th>{t('realdata.matches.similarity')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {matches.map((m) => (
              <Table.Tr key={m.key}>
                <Table.Td w={90}>
                  <Ltr>{m.paragraph ?? String(m.row)}</Ltr>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    <Ltr>{m.existing.symbol}</Ltr> · <Ltr>{m.existing.paragraph ?? '—'}</Ltr>
                  </Text>
                  <Text size="xs" dir="auto" ta="start" lineClamp={2}>
                    {m.existing.text}
                  </Text>
                </Table.Td>
                <Table.Td w={90}>
                  <bdi>{formatNumber(Math.round(m.similarity * 100), lang)}{lang === 'ar' ? '٪' : '%'}</bdi>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </section>
  );
}

/** The parser's reasons, as codes the page translates. */
function reasonKey(reason: string): 'duplicate' | 'noState' | 'noRecommendations' | 'empty' {
  if (/duplicate/i.test(reason)) return 'duplicate';
  if (/no recommending state/i.test(reason)) return 'noState';
  if (/empty/i.test(reason)) return 'empty';
  return 'noRecommendations';
}

function PreviewTable({ run }: { run: ImportRun }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const rows = run.result?.preview ?? [];
  const suggested = usePreviewSuggestions(run.id, rows.slice(0, 200).map((r) => Object.values(r.texts).join('\n')));
  if (rows.length === 0) return null;
  const review = run.format === 'report-text';
  const showSuggestions = Boolean(suggested.data?.model);
  return (
    <section aria-labelledby="import-preview">
      <Title order={3} fz="md" id="import-preview" c="navy.9">
        {review ? t('imports.preview.reviewTitle') : t('imports.preview.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {review ? t('imports.preview.reviewHint') : t('imports.preview.hint', { shown: formatNumber(rows.length, lang), total: formatNumber(run.result?.total ?? rows.length, lang) })}
      </Text>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="import-preview" style={{ maxHeight: 520, overflowY: 'auto' }}>
        <Table className="rec-table" striped withTableBorder stickyHeader data-testid="import-preview" miw={760}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.preview.paragraph')}</Table.Th>
              <Table.Th>{t('imports.preview.symbol')}</Table.Th>
              <Table.Th>{t('imports.preview.text')}</Table.Th>
              <Table.Th>{t('imports.preview.states')}</Table.Th>
              <Table.Th>{t('imports.preview.position')}</Table.Th>
              {showSuggestions ? <Table.Th>{t('tagging.previewColumn')}</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, ri) => (
              <Table.Tr key={r.row}>
                <Table.Td w={80}>
                  <Ltr>{r.paragraph ?? '—'}</Ltr>
                </Table.Td>
                <Table.Td w={170}>
                  <Text size="xs">
                    <Ltr>{r.symbol}</Ltr>
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" dir="auto" ta="start" className="rec-text">
                    {r.texts[lang] ?? r.texts.ar ?? r.texts.en ?? Object.values(r.texts)[0] ?? ''}
                  </Text>
                  {r.kind !== 'recommendation' ? (
                    <Text size="xs" c="dimmed">
                      {tCode(t, 'kind', r.kind)}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td w={180}>
                  <Text size="xs">{r.recommendingStates?.length ? r.recommendingStates.map((s, i) => (
                        <Fragment key={i}>
                          {i > 0 ? (lang === 'ar' ? '، ' : ', ') : null}
                          <bdi>{s}</bdi>
                        </Fragment>
                      )) : '—'}</Text>
                </Table.Td>
                <Table.Td w={120}>
                  <Text size="sm">{r.position ? tCode(t, 'position', r.position) : '—'}</Text>
                </Table.Td>
                {showSuggestions ? (
                  <Table.Td w={260}>
                    <PreviewSuggestionList items={suggested.data?.items[ri]} />
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </section>
  );
}

function RunProgress({ run }: { run: ImportRun }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const known = run.bytesTotal > 0 && run.bytesRead > 0;
  const pct = known ? Math.min(100, Math.round((run.bytesRead / run.bytesTotal) * 100)) : 100;
  return (
    <Stack gap={6} data-testid="import-progress" aria-live="polite">
      <Progress value={pct} striped animated={!known || pct < 100} size="lg" aria-label={t('imports.progress.label')} />
      <Text size="sm">
        {known ? `${t('imports.progress.percent', { pct: formatNumber(pct, lang) })} · ` : ''}
        {t('imports.progress.processed', { n: formatNumber(run.processed, lang) })}
      </Text>
    </Stack>
  );
}

/** One preview or import: progress while it runs, then counts, problems and the records; commit from a good preview. */
export function RunView({ runId, onRun }: { runId: string; onRun: (id: string) => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const run = useImportRun(runId);
  const [confirm, setConfirm] = useState(false);
  const commit = useMutation({
    mutationFn: () => api<ImportRun>(`/api/imports/${encodeURIComponent(runId)}/commit`, { method: 'POST' }),
    onSuccess: (next) => {
      setConfirm(false);
      qc.setQueryData(['import', next.id], next);
      void qc.invalidateQueries({ queryKey: ['imports'] });
      onRun(next.id);
    },
  });

  // When a run ends, whatever it touched is shown fresh elsewhere.
  const ended = run.data && run.data.status !== 'running' ? run.data : null;
  useEffect(() => {
    if (!ended) return;
    void qc.invalidateQueries({ queryKey: ['imports', 'list'] });
    if (!ended.dryRun && ended.status === 'succeeded') {
      for (const key of ['recommendations', 'documents', 'dashboard', 'terms']) void qc.invalidateQueries({ queryKey: [key] });
    }
  }, [ended?.id, ended?.status]);

  if (run.isPending) return <LoadingState />;
  if (run.isError) return <ErrorState error={run.error} onRetry={() => void run.refetch()} />;
  const r = run.data;
  const res = r.result;
  const committable = r.dryRun && r.status === 'succeeded' && !!res && res.invalid === 0 && res.new + res.updated > 0;
  const detailIssues = (r.error?.details as { issues?: ImportIssue[] } | undefined)?.issues ?? [];
  const issues = res?.issues?.length ? res.issues : detailIssues;
  const n = (v: number) => formatNumber(v, lang);

  return (
    <Card component="section" aria-labelledby="run-title" data-testid="import-run" data-status={r.status}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={2} fz="lg" id="run-title" c="navy.9">
              {r.dryRun ? t('imports.run.previewTitle') : t('imports.run.importTitle')}
            </Title>
            <Text size="sm" c="dimmed">
              {t(`imports.format.${r.format}.name`)} · <Ltr>{r.filename}</Ltr>
            </Text>
          </Stack>
          <RunStatusBadge run={r} />
        </Group>

        {r.status === 'running' ? <RunProgress run={r} /> : null}

        {r.status === 'failed' ? (
          <Alert color="red" variant="light" role="alert" title={r.dryRun ? t('imports.run.previewFailed') : t('imports.run.importFailed')} data-testid="import-error">
            <Stack gap={4}>
              <Text size="sm">{r.error ? codeMessage(r.error, lang) : t('errors.generic')}</Text>
              <Text size="sm" fw={600}>
                {t('imports.run.nothingChanged')}
              </Text>
            </Stack>
          </Alert>
        ) : null}

        {res && r.status !== 'running' ? <Counts result={res} /> : null}

        {r.status === 'succeeded' && r.dryRun && res ? (
          <Alert color="blue" variant="light" role="status" title={t('imports.run.previewDone')}>
            <Text size="sm">
              {t('imports.run.previewSummary', { total: n(res.total), new: n(res.new), updated: n(res.updated), unchanged: n(res.unchanged) })}
            </Text>
            <Text size="sm">{committable ? t('imports.run.previewNothingYet') : t('imports.run.nothingToImport')}</Text>
          </Alert>
        ) : null}

        {r.status === 'succeeded' && !r.dryRun && res ? (
          <Alert color="green" variant="light" role="status" title={t('imports.run.importDone')} data-testid="import-done">
            <Stack gap={4}>
              <Text size="sm">{t('imports.run.importSummary', { new: n(res.new), updated: n(res.updated), unchanged: n(res.unchanged) })}</Text>
              <Anchor component={Link} to="/recommendations?sort=updated&order=desc" size="sm" fw={600}>
                {t('imports.run.seeList')}
              </Anchor>
            </Stack>
          </Alert>
        ) : null}

        {committable ? (
          <Group>
            <Button onClick={() => setConfirm(true)} data-testid="import-commit">
              {t('imports.run.commit')}
            </Button>
          </Group>
        ) : null}

        {r.status !== 'running' ? <ParagraphCheck report={res?.report} /> : null}
        {r.status !== 'running' ? <ThemeReport result={res} /> : null}
        {r.status !== 'running' ? <MatchReport result={res} /> : null}
        <IssuesTable issues={issues} />
        <PreviewTable run={r} />
      </Stack>

      {res ? (
        <ConfirmDialog
          opened={confirm}
          onClose={() => {
            setConfirm(false);
            commit.reset();
          }}
          title={t('imports.run.confirmTitle')}
          confirmLabel={t('imports.run.confirmButton')}
          onConfirm={() => commit.mutate()}
          loading={commit.isPending}
          error={commit.error}
          testId="import-confirm"
        >
          <Text size="sm">{t('imports.run.confirmBody', { new: n(res.new), updated: n(res.updated), unchanged: n(res.unchanged) })}</Text>
          <Text size="sm" mt="xs">
            <Ltr>{r.filename}</Ltr>
          </Text>
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}
