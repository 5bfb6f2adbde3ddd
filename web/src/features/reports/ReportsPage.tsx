import { Alert, Anchor, Button, Group, Modal, MultiSelect, Paper, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, qs } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatDate, pickLabel } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import type { DocumentItem, ResponseOf, User } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { ARTICLE_TYPES, hijri, isCurator, OBLIGATION_TYPES, type Obligation, type ObligationDetail, type Report, type Suggestion, useObligations, useSuggestions } from './api.ts';
import { ObligationBadge, ReportBadge } from './parts.tsx';
import { DateField } from '../../components/DateTimeField.tsx';

export function ReportsPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  const [sp, setSp] = useSearchParams();
  const body = sp.get('body') ?? '';
  const status = sp.get('status') ?? '';
  const highlight = sp.get('obligation');
  const [showHijri, setShowHijri] = useState(false);
  const [creating, setCreating] = useState<Partial<Suggestion> | null>(null);
  const [editing, setEditing] = useState<Obligation | null>(null);
  const list = useObligations({ body: body || undefined, status: status || undefined });
  const curator = isCurator(user);
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(sp);
    if (v) next.set(k, v);
    else next.delete(k);
    setSp(next);
  };

  return (
    <Stack gap="md">
      <PageHeader
        title={t('reports.title')}
        subtitle={t('reports.subtitle')}
        actions={
          <Group gap="sm">
            <Button component={Link} to="/calendar" variant="default">
              {t('reports.openCalendar')}
            </Button>
            {curator ? <Button onClick={() => setCreating({})}>{t('reports.newObligation')}</Button> : null}
          </Group>
        }
      />
      <Paper withBorder p="sm">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Select
            w={240}
            label={t('reports.body')}
            placeholder={t('reports.allBodies')}
            data={(ref.data?.bodies ?? []).map((b) => ({ value: b.code, label: `${b.code} — ${pickLabel(b.name_ar, b.name_en, lang, b.code)}` }))}
            value={body || null}
            onChange={(v) => set('body', v)}
            clearable
            searchable
          />
          <Select
            w={200}
            label={t('reports.status')}
            placeholder={t('reports.allStatuses')}
            data={(['planned', 'drafting', 'in_review', 'approved', 'submitted', 'overdue'] as const).map((s) => ({ value: s, label: t(`reports.obligationStatus.${s}`) }))}
            value={status || null}
            onChange={(v) => set('status', v)}
            clearable
          />
          <Switch label={t('reports.showHijri')} checked={showHijri} onChange={(e) => setShowHijri(e.currentTarget.checked)} mb={6} />
        </Group>
      </Paper>
      <Paper withBorder p={0} component="section" aria-labelledby="obligations-title">
        <Title order={2} fz="md" id="obligations-title" p="sm" c="navy.9">
          {t('reports.obligations')}
        </Title>
        {list.isPending ? (
          <LoadingState />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <Text p="sm" c="dimmed">
            {t('reports.noObligations')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped highlightOnHover className="rec-table" data-testid="obligations-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.type')}</Table.Th>
                  <Table.Th>{t('reports.body')}</Table.Th>
                  <Table.Th>{t('reports.dueDate')}</Table.Th>
                  <Table.Th>{t('reports.owner')}</Table.Th>
                  <Table.Th>{t('reports.status')}</Table.Th>
                  <Table.Th>{t('reports.report')}</Table.Th>
                  {curator ? <Table.Th>{t('reports.actions')}</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((o) => (
                  <ObligationRow key={o.id} o={o} user={user} showHijri={showHijri} highlighted={o.id === highlight} onEdit={() => setEditing(o)} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {curator ? <SuggestionsPanel onUse={(s) => setCreating(s)} /> : null}
      {creating ? <ObligationModal initial={creating} onClose={() => setCreating(null)} /> : null}
      {editing ? <ObligationModal initial={{}} existing={editing} onClose={() => setEditing(null)} /> : null}
    </Stack>
  );
}

function ObligationRow({ o, user, showHijri, highlighted, onEdit }: { o: Obligation; user: User; showHijri: boolean; highlighted: boolean; onEdit: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const byArticle = ARTICLE_TYPES.some((x) => x === o.type);
  const [structure, setStructure] = useState<'by_paragraph' | 'by_article'>('by_paragraph');
  const start = useMutation({
    mutationFn: () => api<Report>('/api/reports', { method: 'POST', body: { obligationId: o.id, ...(byArticle ? { structure } : {}) } }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['obligations'] });
      void navigate(`/reports/${r.id}`);
    },
  });
  const mayStart = (isCurator(user) || o.owner_id === user.id) && o.reports.length === 0;
  return (
    <Table.Tr data-testid="obligation-row" bg={highlighted ? 'yellow.0' : undefined}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {pickLabel(o.title_ar, o.title_en, lang) || t(`reports.types.${o.type}`)}
        </Text>
        <Text size="xs" c="dimmed">
          {t(`reports.types.${o.type}`)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Ltr>{o.body_code}</Ltr>
      </Table.Td>
      <Table.Td>
        <bdi>{formatDate(o.due_date, lang)}</bdi>
        {showHijri ? (
          <Text size="xs" c="dimmed">
            <bdi>{hijri(o.due_date, lang)}</bdi>
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>{o.owner_name ?? '—'}</Table.Td>
      <Table.Td>
        <ObligationBadge status={o.displayStatus} />
      </Table.Td>
      <Table.Td>
        {o.reports[0] ? (
          <Group gap={6} wrap="nowrap">
            <Anchor component={Link} to={`/reports/${o.reports[0].id}`} size="sm">
              {t('reports.openReport')}
            </Anchor>
            <ReportBadge status={o.reports[0].status} />
          </Group>
        ) : mayStart ? (
          <Stack gap={4}>
            {byArticle ? (
              <Select
                size="xs"
                aria-label={t('reportArticles.layout')}
                data={[
                  { value: 'by_paragraph', label: t('reportArticles.byParagraph') },
                  { value: 'by_article', label: t('reportArticles.byArticle') },
                ]}
                value={structure}
                onChange={(v) => setStructure(v === 'by_article' ? 'by_article' : 'by_paragraph')}
                allowDeselect={false}
                data-testid="report-structure"
              />
            ) : null}
            <Button size="xs" variant="light" loading={start.isPending} onClick={() => start.mutate()}>
              {t('reports.startReport')}
            </Button>
            {start.isError ? (
              <Text size="xs" c="red.8" role="alert">
                {errorMessage(start.error)}
              </Text>
            ) : null}
          </Stack>
        ) : (
          '—'
        )}
      </Table.Td>
      {isCurator(user) ? (
        <Table.Td>
          <Button size="compact-xs" variant="default" onClick={onEdit} aria-label={t('reports.editObligationOf', { name: pickLabel(o.title_ar, o.title_en, lang) || t(`reports.types.${o.type}`) })}>
            {t('reports.edit')}
          </Button>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}

function SuggestionsPanel({ onUse }: { onUse: (s: Suggestion) => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const s = useSuggestions();
  if (!s.data || s.data.items.length === 0) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="suggestions-title">
      <Title order={2} fz="md" id="suggestions-title" c="navy.9">
        {t('reports.suggestions')}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('reports.suggestionsHelp')}
      </Text>
      <Table.ScrollContainer minWidth={600}>
        <Table className="rec-table" data-testid="suggestions-table">
          <Table.Tbody>
            {s.data.items.map((x) => (
              <Table.Tr key={`${x.type}:${x.documentId}`}>
                <Table.Td>{t(`reports.types.${x.type}`)}</Table.Td>
                <Table.Td>
                  <Ltr>{x.symbol}</Ltr>
                </Table.Td>
                <Table.Td>
                  <bdi>{formatDate(x.dueDate, lang)}</bdi>
                  <Text size="xs" c="dimmed">
                    {t(`reports.rules.${x.rule}`)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {x.alreadyPlanned ? (
                    <Text size="xs" c="dimmed">
                      {t('reports.alreadyPlanned')}
                    </Text>
                  ) : (
                    <Button size="xs" variant="default" onClick={() => onUse(x)}>
                      {t('reports.useSuggestion')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function ObligationModal({ initial, existing, onClose }: { initial: Partial<Suggestion>; existing?: Obligation; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  const qc = useQueryClient();
  const [type, setType] = useState<string | null>(existing?.type ?? initial.type ?? null);
  const [body, setBody] = useState<string | null>(existing?.body_code ?? initial.bodyCode ?? null);
  const [due, setDue] = useState(existing?.due_date ?? initial.dueDate ?? '');
  const [titleAr, setTitleAr] = useState(existing?.title_ar ?? '');
  const [titleEn, setTitleEn] = useState(existing?.title_en ?? '');
  const [owner, setOwner] = useState<string | null>(existing?.owner_id ?? null);
  const [deleting, setDeleting] = useState(false);
  const owners = useQuery({ queryKey: ['obligation-owners'], queryFn: () => api<ResponseOf<'/api/obligations/owners'>>('/api/obligations/owners') });
  const [docs, setDocs] = useState<string[]>(initial.documentId ? [initial.documentId] : []);
  const documents = useQuery({
    queryKey: ['documents', 'for-obligation', body],
    queryFn: () => api<{ items: DocumentItem[] }>(`/api/documents${qs({ body: body ?? undefined, pageSize: 200 })}`),
    enabled: !!body,
  });
  const save = useMutation({
    mutationFn: () =>
      existing
        ? api<ObligationDetail>(`/api/obligations/${existing.id}`, {
            method: 'PATCH',
            body: { version: existing.version, body: body ?? undefined, dueDate: due, title_ar: titleAr || null, title_en: titleEn || null, ownerId: owner },
          })
        : api<ObligationDetail>('/api/obligations', {
            method: 'POST',
            body: {
              ownerId: owner,
              type,
              body: body ?? undefined,
              dueDate: due,
              title_ar: titleAr || null,
              title_en: titleEn || null,
              sources: docs.map((d) => (d === initial.documentId && initial.paragraphs ? { documentId: d, paragraphs: initial.paragraphs } : { documentId: d })),
            },
          }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['obligations'] });
      onClose();
    },
  });
  const remove = useMutation({
    mutationFn: () => api(`/api/obligations/${existing!.id}`, { method: 'DELETE', body: { version: existing!.version } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['obligations'] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={existing ? t('reports.editObligation') : t('reports.newObligation')} centered size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <Select
            label={t('reports.type')}
            data={OBLIGATION_TYPES.map((x) => ({ value: x, label: t(`reports.types.${x}`) }))}
            value={type}
            onChange={setType}
            required
            disabled={!!existing}
          />
          <Select
            label={t('reports.body')}
            data={(ref.data?.bodies ?? []).map((b) => ({ value: b.code, label: `${b.code} — ${pickLabel(b.name_ar, b.name_en, lang, b.code)}` }))}
            value={body}
            onChange={setBody}
            searchable
          />
          <DateField label={t('reports.dueDate')} value={due} onChange={setDue} required testId="obligation-due" />
          <Select
            label={t('reports.owner')}
            description={t('reports.ownerHelp')}
            data={(owners.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name} — ${t(`roles.${u.role}`)}` }))}
            value={owner}
            onChange={setOwner}
            clearable
            searchable
            data-testid="obligation-owner"
          />
          <TextInput label={t('reports.titleAr')} dir="rtl" value={titleAr} onChange={(e) => setTitleAr(e.currentTarget.value)} />
          <TextInput label={t('reports.titleEn')} dir="ltr" value={titleEn} onChange={(e) => setTitleEn(e.currentTarget.value)} />
          {existing ? null : (
            <MultiSelect
              label={t('reports.documents')}
              description={t('reports.documentsHelp')}
              data={(documents.data?.items ?? []).map((d) => ({ value: d.id, label: d.symbol }))}
              value={docs}
              onChange={setDocs}
              searchable
              disabled={!body}
            />
          )}
          {save.isError ? (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(save.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            {existing && existing.reports.length === 0 ? (
              <Button variant="subtle" color="red.9" me="auto" onClick={() => setDeleting(true)}>
                {t('reports.deleteObligation')}
              </Button>
            ) : null}
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!type || !due}>
              {t('reports.save')}
            </Button>
          </Group>
        </Stack>
      </form>
      <ConfirmDialog
        opened={deleting}
        title={t('reports.confirmDelete.title')}
        confirmLabel={t('reports.confirmDelete.button')}
        onConfirm={() => remove.mutate()}
        onClose={() => setDeleting(false)}
        loading={remove.isPending}
        danger
        error={remove.error}
      >
        <Text size="sm">{t('reports.confirmDelete.body')}</Text>
      </ConfirmDialog>
    </Modal>
  );
}
