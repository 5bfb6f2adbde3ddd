import { Alert, Anchor, Badge, Breadcrumbs, Button, Card, Group, Modal, Progress, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { type AcceptedComment, useAcceptedCommentsMany } from '../consultations/api.ts';
import { StakeholderInputList } from '../consultations/StakeholderInput.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { errorCode, errorMessage } from '../../api/errors.ts';
import { formatDate, formatDateTime, formatNumber, pickLabel } from '../../api/format.ts';
import type { ResponseOf, User } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { canWrite, countWords, isCurator, type Report, type Section, useReport } from './api.ts';
import { ArticlesPanel } from './ArticlesPanel.tsx';
import { ReportBadge } from './parts.tsx';
import './reports.css';
import { DateField } from '../../components/DateTimeField.tsx';

const LIMIT_KINDS: Record<string, string[]> = {
  upr_national: ['upr_national'],
  upr_midterm: ['upr_national'],
  treaty_periodic: ['treaty_periodic', 'treaty_initial', 'common_core'],
  loipr_replies: ['loipr_replies'],
  treaty_followup: [],
};

export function ReportEditorPage({ user }: { user: User }) {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const report = useReport(id);
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState<null | 'review' | 'return' | 'approve'>(null);
  const [submitting, setSubmitting] = useState(false);
  const [pdfError, setPdfError] = useState<string | null>(null);
  const [pdfLoading, setPdfLoading] = useState<string | null>(null);
  const refresh = (r?: Report) => {
    if (r) qc.setQueryData(['report', id], r);
    void qc.invalidateQueries({ queryKey: ['report', id] });
    void qc.invalidateQueries({ queryKey: ['obligations'] });
  };
  const compile = useMutation({ mutationFn: () => api<ResponseOf<'/api/reports/{id}/compile', 'post'>>(`/api/reports/${id}/compile`, { method: 'POST' }), onSuccess: refresh });
  const transition = useMutation({
    mutationFn: (action: 'review' | 'return' | 'approve') => api<Report>(`/api/reports/${id}/${action}`, { method: 'POST', body: { version: report.data?.version } }),
    onSuccess: (r) => {
      refresh(r);
      setConfirm(null);
    },
  });
  const limit = useMutation({
    mutationFn: (limitKind: string | null) => api<Report>(`/api/reports/${id}`, { method: 'PATCH', body: { version: report.data?.version, limitKind } }),
    onSuccess: refresh,
  });

  if (report.isPending) return <LoadingState />;
  if (report.isError) return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const r = report.data;
  const writer = canWrite(user, r);
  const curator = isCurator(user);
  const editable = writer && (r.status === 'draft' || r.status === 'in_review');
  const exportUrl = (format: 'docx' | 'pdf', l: 'ar' | 'en') => `/api/reports/${id}/export?format=${format}&lang=${l}`;
  /** The PDF is fetched first, so that a server without LibreOffice answers with a message and a link to the DOCX. */
  const openPdf = async (l: 'ar' | 'en') => {
    setPdfError(null);
    setPdfLoading(l);
    try {
      const res = await fetch(exportUrl('pdf', l), { credentials: 'same-origin' });
      if (!res.ok) {
        setPdfError(l);
        return;
      }
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `report-${l}.pdf`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setPdfError(l);
    } finally {
      setPdfLoading(null);
    }
  };

  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/reports">
          {t('reports.title')}
        </Anchor>
        <Text size="sm">{pickLabel(r.title_ar, r.title_en, lang) || t(`reports.types.${r.type}`)}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4}>
          <Title order={1} fz={24} c="navy.9">
            {pickLabel(r.title_ar, r.title_en, lang) || t(`reports.types.${r.type}`)}
          </Title>
          <Group gap="xs">
            <ReportBadge status={r.status} />
            <Text size="sm" c="dimmed">
              {t(`reports.types.${r.type}`)} · <Ltr>{r.obligation.body_code}</Ltr> · {t('reports.dueDate')}: <bdi>{formatDate(r.obligation.due_date, lang)}</bdi>
            </Text>
          </Group>
          {r.symbol ? (
            <Text size="sm">
              {t('reports.submittedAs')} <Ltr>{r.symbol}</Ltr> · <bdi>{formatDate(r.submitted_on, lang)}</bdi>
            </Text>
          ) : null}
          {r.compiled_at ? (
            <Text size="xs" c="dimmed">
              {t('reports.compiledAt')}: <bdi>{formatDateTime(r.compiled_at, lang)}</bdi>
            </Text>
          ) : null}
        </Stack>
        <Group gap="xs" wrap="wrap">
          {editable ? (
            <Button variant="light" loading={compile.isPending} onClick={() => compile.mutate()} data-testid="compile">
              {t('reports.compile')}
            </Button>
          ) : null}
          {writer && r.status === 'draft' ? <Button onClick={() => setConfirm('review')}>{t('reports.sendForReview')}</Button> : null}
          {curator && r.status === 'in_review' ? (
            <>
              <Button variant="default" onClick={() => setConfirm('return')}>
                {t('reports.returnToDraft')}
              </Button>
              <Button onClick={() => setConfirm('approve')} data-testid="approve">
                {t('reports.approve')}
              </Button>
            </>
          ) : null}
          {curator && r.status === 'approved' ? <Button onClick={() => setSubmitting(true)}>{t('reports.recordSubmission')}</Button> : null}
        </Group>
      </Group>
      {compile.isPending ? <Progress value={100} animated aria-label={t('reports.compiling')} /> : null}
      {compile.data ? (
        <Alert variant="light" color="blue" role="status" withCloseButton onClose={() => compile.reset()}>
          {t('reports.compileResult', { changed: compile.data.compile.changed ?? 0, pending: compile.data.compile.pending ?? 0, added: compile.data.compile.added ?? 0 })}
        </Alert>
      ) : null}
      {compile.isError || transition.isError || limit.isError ? (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(compile.error ?? transition.error ?? limit.error)}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <WordTotal label={t('reports.wordsAr')} n={r.words.ar} limit={r.words.limit} testId="words-total-ar" />
        <WordTotal label={t('reports.wordsEn')} n={r.words.en} limit={r.words.limit} testId="words-total-en" />
        <Card>
          <Select
            label={t('reports.wordLimit')}
            data={[{ value: '', label: t('reports.noLimit') }, ...(LIMIT_KINDS[r.type] ?? []).map((k) => ({ value: k, label: t(`reports.limits.${k}`) }))]}
            value={r.limit_kind ?? ''}
            onChange={(v) => limit.mutate(v ? v : null)}
            disabled={!editable}
            allowDeselect={false}
          />
          <Text size="xs" c="dimmed" mt={4}>
            {t('reports.countRule')}
          </Text>
        </Card>
      </SimpleGrid>
      <Card>
        <Group gap="sm" wrap="wrap">
          <Text size="sm" fw={600}>
            {t('reports.export')}
          </Text>
          {(['ar', 'en'] as const).map((l) => (
            <Group gap={6} key={l}>
              <Button component="a" href={exportUrl('docx', l)} size="xs" variant="default" data-testid={`export-docx-${l}`}>
                {t('reports.exportDocx', { lang: t(`reports.lang.${l}`) })}
              </Button>
              <Button size="xs" variant="default" loading={pdfLoading === l} onClick={() => void openPdf(l)} data-testid={`export-pdf-${l}`}>
                {t('reports.exportPdf', { lang: t(`reports.lang.${l}`) })}
              </Button>
            </Group>
          ))}
        </Group>
        {pdfError ? (
          <Alert mt="xs" color="yellow" variant="light" role="alert">
            {t('reports.pdfUnavailable')}{' '}
            <Anchor href={exportUrl('docx', pdfError as 'ar' | 'en')}>{t('reports.downloadDocxInstead')}</Anchor>
          </Alert>
        ) : null}
      </Card>
      {r.changedSections > 0 ? (
        <Alert color="orange" variant="light" data-testid="changed-banner">
          {t('reports.changedSections', { n: r.changedSections })}
        </Alert>
      ) : null}
      {r.articles ? <ArticlesPanel report={r} articles={r.articles} editable={editable} onSaved={(next) => refresh(next)} /> : null}
      <Sections report={r} editable={editable} user={user} onSaved={() => refresh()} />
      <ConfirmDialog
        opened={confirm !== null}
        title={confirm ? t(`reports.confirm.${confirm}.title`) : ''}
        confirmLabel={confirm ? t(`reports.confirm.${confirm}.button`) : ''}
        onConfirm={() => confirm && transition.mutate(confirm)}
        onClose={() => {
          setConfirm(null);
          transition.reset();
        }}
        loading={transition.isPending}
        error={transition.error}
      >
        <Text size="sm">{confirm ? t(`reports.confirm.${confirm}.body`) : ''}</Text>
      </ConfirmDialog>
      {submitting ? <SubmitModal report={r} onClose={() => setSubmitting(false)} onDone={refresh} /> : null}
    </Stack>
  );
}

/** One language's text of a section, with its live word count. */
function SectionText({ lang, label, value, onChange, readOnly }: { lang: 'ar' | 'en'; label: string; value: string; onChange: (v: string) => void; readOnly: boolean }) {
  const { t } = useTranslation();
  const { lang: ui } = useLanguage();
  return (
    <Stack gap={2}>
      <Textarea
        className={lang === 'ar' ? 'section-text section-text-ar' : 'section-text'}
        label={label}
        dir={lang === 'ar' ? 'rtl' : 'ltr'}
        lang={lang}
        autosize
        minRows={4}
        maxRows={18}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        readOnly={readOnly}
        data-testid={`section-${lang}`}
      />
      <Text size="xs" c="dimmed" data-testid={`section-words-${lang}`}>
        {t('reports.wordCount', { n: formatNumber(countWords(value), ui) })}
      </Text>
    </Stack>
  );
}

function WordTotal({ label, n, limit, testId }: { label: string; n: number; limit: number | null; testId: string }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const over = limit !== null && n > limit;
  return (
    <Card>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={22} fw={700} c={over ? 'red.9' : 'navy.9'} data-testid={testId}>
        <bdi>{formatNumber(n, lang)}</bdi>
        {limit !== null ? (
          <Text span size="sm" c="dimmed" fw={400}>
            {' '}
            / <bdi>{formatNumber(limit, lang)}</bdi>
          </Text>
        ) : null}
      </Text>
      {limit !== null ? <Progress value={Math.min(100, (n / limit) * 100)} color={over ? 'red.9' : 'navy'} aria-label={label} /> : <Text size="xs" c="dimmed">{t('reports.noLimitHelp')}</Text>}
      {over ? (
        <Text size="xs" c="red.9" fw={600}>
          {t('reports.overLimit')}
        </Text>
      ) : null}
    </Card>
  );
}

/** The sections, each with what stakeholders said about it in consultations (accepted comments, read in one go). */
function Sections({ report, editable, user, onSaved }: { report: Report; editable: boolean; user: User; onSaved: () => void }) {
  const said = useAcceptedCommentsMany('report_section', report.sections.map((s) => s.id));
  return (
    <Stack gap="md">
      {report.sections.map((s, i) => (
        <SectionEditor key={s.id} report={report} section={s} n={i + 1} editable={editable} user={user} onSaved={onSaved} said={said.data?.get(s.id) ?? []} />
      ))}
    </Stack>
  );
}

function SectionEditor({ report, section, n, editable, user, onSaved, said }: { report: Report; section: Section; n: number; editable: boolean; user: User; onSaved: () => void; said: AcceptedComment[] }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [ar, setAr] = useState(section.text_ar);
  const [en, setEn] = useState(section.text_en);
  const [comment, setComment] = useState('');
  const [showPending, setShowPending] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  useEffect(() => {
    setAr(section.text_ar);
    setEn(section.text_en);
  }, [section.text_ar, section.text_en, section.version]);
  const dirty = ar !== section.text_ar || en !== section.text_en;
  const save = useMutation({
    mutationFn: () =>
      api<Section>(`/api/reports/${report.id}/sections/${section.id}`, {
        method: 'PATCH',
        body: { version: section.version, ...(ar !== section.text_ar ? { text_ar: ar } : {}), ...(en !== section.text_en ? { text_en: en } : {}) },
      }),
    onSuccess: onSaved,
  });
  const resolveChange = useMutation({
    mutationFn: (action: 'accept' | 'dismiss') => api<Section>(`/api/reports/${report.id}/sections/${section.id}/${action}`, { method: 'POST', body: { version: section.version, lang: 'both' } }),
    onSuccess: onSaved,
  });
  const addComment = useMutation({
    mutationFn: () => api(`/api/reports/${report.id}/comments`, { method: 'POST', body: { sectionId: section.id, body: comment } }),
    onSuccess: () => {
      setComment('');
      onSaved();
    },
  });
  const resolve = useMutation({ mutationFn: (cid: string) => api(`/api/reports/${report.id}/comments/${cid}/resolve`, { method: 'POST' }), onSuccess: onSaved });
  const comments = report.comments.filter((c) => c.section_id === section.id);
  const heading = lang === 'ar' ? section.heading_ar : section.heading_en;
  const hasPending = section.pending_ar !== null || section.pending_en !== null;
  const headingId = `section-${section.id}`;

  return (
    <Card component="section" aria-labelledby={headingId} data-testid="report-section" data-key={section.key}>
      <Group justify="space-between" wrap="wrap" gap="xs" mb="xs">
        <Title order={2} fz="md" c="navy.9" id={headingId}>
          {lang === 'ar' ? `${n} - ` : `${n}. `}
          {heading}
        </Title>
        <Group gap={6}>
          <Button size="compact-xs" variant="subtle" onClick={() => setShowHistory(true)} aria-label={t('reports.historyOf', { heading })}>
            {t('reports.history')}
          </Button>
          {section.edited.ar || section.edited.en ? (
            <Badge size="sm" variant="light" color="grape">
              {t('reports.editedByHand')}
            </Badge>
          ) : null}
          {section.source_changed ? (
            <Badge size="sm" variant="filled" color="yellow.3" c="dark.9" data-testid="source-changed">
              {t('reports.sourcesChanged')}
            </Badge>
          ) : null}
        </Group>
      </Group>
      {section.source_changed ? (
        <Alert color="orange" variant="light" mb="sm">
          <Text size="sm">{hasPending ? t('reports.pendingHelp') : t('reports.autoUpdatedHelp')}</Text>
          {editable ? (
            <Group gap="xs" mt="xs">
              {hasPending ? (
                <>
                  <Button size="xs" variant="default" onClick={() => setShowPending((v) => !v)}>
                    {showPending ? t('reports.hideNewText') : t('reports.showNewText')}
                  </Button>
                  <Button size="xs" onClick={() => resolveChange.mutate('accept')} loading={resolveChange.isPending}>
                    {t('reports.takeChange')}
                  </Button>
                </>
              ) : null}
              <Button size="xs" variant="default" onClick={() => resolveChange.mutate('dismiss')} loading={resolveChange.isPending}>
                {hasPending ? t('reports.leaveChange') : t('reports.acknowledge')}
              </Button>
            </Group>
          ) : null}
          {showPending ? (
            <SimpleGrid cols={{ base: 1, md: 2 }} mt="xs">
              <Text size="sm" dir="rtl" lang="ar" style={{ whiteSpace: 'pre-wrap' }}>
                {section.pending_ar ?? section.compiled_ar}
              </Text>
              <Text size="sm" dir="ltr" lang="en" style={{ whiteSpace: 'pre-wrap' }}>
                {section.pending_en ?? section.compiled_en}
              </Text>
            </SimpleGrid>
          ) : null}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <SectionText lang="ar" label={t('reports.textAr')} value={ar} onChange={setAr} readOnly={!editable} />
        <SectionText lang="en" label={t('reports.textEn')} value={en} onChange={setEn} readOnly={!editable} />
      </SimpleGrid>
      {editable ? (
        <Group gap="xs" mt="xs">
          <Button size="xs" disabled={!dirty} loading={save.isPending} onClick={() => save.mutate()} data-testid="section-save">
            {t('reports.saveSection')}
          </Button>
          {dirty ? (
            <Button
              size="xs"
              variant="subtle"
              onClick={() => {
                setAr(section.text_ar);
                setEn(section.text_en);
              }}
            >
              {t('reports.discard')}
            </Button>
          ) : null}
        </Group>
      ) : null}
      {save.isError ? (
        <Alert mt="xs" color="red" variant="light" role="alert">
          {errorCode(save.error) === 'version_conflict' ? t('reports.sectionConflict') : errorMessage(save.error)}
        </Alert>
      ) : null}
      {resolveChange.isError ? (
        <Alert mt="xs" color="red" variant="light" role="alert">
          {errorMessage(resolveChange.error)}
        </Alert>
      ) : null}
      {showHistory ? <HistoryModal reportId={report.id} section={section} heading={heading} onClose={() => setShowHistory(false)} /> : null}
      {comments.length > 0 || (isCurator(user) && editable) ? (
        <Stack gap={6} mt="sm">
          <Text size="sm" fw={600}>
            {t('reports.comments')}
          </Text>
          {comments.map((c) => (
            <Group key={c.id} gap="xs" align="flex-start" wrap="nowrap" data-testid="section-comment">
              <Text size="sm" style={{ flex: 1, textDecoration: c.resolved_at ? 'line-through' : undefined }} c={c.resolved_at ? 'dimmed' : undefined}>
                {c.author_name ? `${c.author_name}: ` : ''}
                {c.body}
              </Text>
              {c.resolved_at ? (
                <Badge size="xs" variant="light" color="green">
                  {t('reports.resolved')}
                </Badge>
              ) : canWrite(user, report) && editable ? (
                <Button size="compact-xs" variant="default" onClick={() => resolve.mutate(c.id)} loading={resolve.isPending}>
                  {t('reports.resolve')}
                </Button>
              ) : null}
            </Group>
          ))}
          {isCurator(user) && editable ? (
            <Group gap="xs" align="flex-end">
              <TextInput flex={1} size="xs" label={t('reports.addComment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
              <Button size="xs" variant="default" disabled={!comment.trim()} onClick={() => addComment.mutate()} loading={addComment.isPending}>
                {t('reports.postComment')}
              </Button>
            </Group>
          ) : null}
        </Stack>
      ) : null}
      <StakeholderInputList items={said} compact />
    </Card>
  );
}

type HistoryItem = ResponseOf<'/api/reports/{id}/sections/{sectionId}/history'>['items'][number];

/** Every saved text of a section, newest first: who, when, why (compiled, edited, change taken in), both languages. */
function HistoryModal({ reportId, section, heading, onClose }: { reportId: string; section: Section; heading: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const history = useQuery({
    queryKey: ['report', reportId, 'history', section.id, section.version],
    queryFn: () => api<{ items: HistoryItem[] }>(`/api/reports/${reportId}/sections/${section.id}/history`),
  });
  return (
    <Modal opened onClose={onClose} title={t('reports.historyTitle', { heading })} size="xl" centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      {history.isPending ? (
        <LoadingState />
      ) : history.isError ? (
        <ErrorState error={history.error} />
      ) : (
        <Stack gap="sm" data-testid="section-history">
          {history.data.items.map((h) => (
            <Card key={h.id} withBorder>
              <Group gap="xs" mb={4}>
                <Badge size="sm" variant="outline" color="gray" c="dark.7">
                  {t(`reports.reasons.${h.reason}`)}
                </Badge>
                <Text size="xs" c="dimmed">
                  {t('reports.versionN', { n: h.version })} · <bdi>{formatDateTime(h.changed_at, lang)}</bdi>
                  {h.changed_by_name ? ` · ${h.changed_by_name}` : ''}
                </Text>
              </Group>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <Text size="sm" dir="rtl" lang="ar" style={{ whiteSpace: 'pre-wrap' }}>
                  {h.text_ar || '—'}
                </Text>
                <Text size="sm" dir="ltr" lang="en" style={{ whiteSpace: 'pre-wrap' }}>
                  {h.text_en || '—'}
                </Text>
              </SimpleGrid>
            </Card>
          ))}
        </Stack>
      )}
    </Modal>
  );
}

function SubmitModal({ report, onClose, onDone }: { report: Report; onClose: () => void; onDone: (r: Report) => void }) {
  const { t } = useTranslation();
  const [symbol, setSymbol] = useState('');
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const submit = useMutation({
    mutationFn: () => api<Report>(`/api/reports/${report.id}/submit`, { method: 'POST', body: { version: report.version, symbol, submittedOn: date } }),
    onSuccess: (r) => {
      onDone(r);
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('reports.recordSubmission')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="sm">
        <Text size="sm">{t('reports.submitWarning')}</Text>
        <TextInput label={t('reports.unSymbol')} dir="ltr" value={symbol} onChange={(e) => setSymbol(e.currentTarget.value)} required />
        <DateField label={t('reports.submittedOn')} value={date} onChange={setDate} required testId="report-submitted-on" />
        {submit.isError ? (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(submit.error)}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => submit.mutate()} loading={submit.isPending} disabled={!symbol.trim() || !date}>
            {t('reports.submitAndLock')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
