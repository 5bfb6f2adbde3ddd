import { Alert, Anchor, Badge, Button, Card, Group, Modal, MultiSelect, Radio, Select, SimpleGrid, Stack, Table, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, qs } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatDate, formatNumber, pickLabel } from '../../api/format.ts';
import type { RecommendationListItem } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTimeField } from '../../components/DateTimeField.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { consultationsKey, countsOf, type Consultation, type Stakeholder, type StakeholderStatus, type Subject, useConsultations, useStakeholders } from './api.ts';

const toIso = (local: string) => new Date(local).toISOString();
const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** Pick recommendations by searching the register. */
function RecommendationPicker({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [q, setQ] = useState('');
  const [known, setKnown] = useState<Record<string, string>>({});
  const found = useQuery({
    queryKey: ['consult-picker', q],
    queryFn: () => api<{ items: RecommendationListItem[] }>(`/api/recommendations${qs({ q: q || undefined, pageSize: 20 })}`),
  });
  const label = (r: RecommendationListItem) =>
    `${r.document_symbol ?? ''}${r.paragraph ? ` ¶ ${r.paragraph}` : ''} — ${(pickLabel(r.text_ar, r.text_en, lang) || r.text_fr || '').slice(0, 90)}`;
  const options = new Map<string, string>(Object.entries(known));
  for (const r of found.data?.items ?? []) options.set(r.id, label(r));
  return (
    <MultiSelect
      label={t('consult.pickRecommendations')}
      placeholder={t('consult.searchRecommendations')}
      searchable
      searchValue={q}
      onSearchChange={setQ}
      filter={({ options: o }) => o}
      data={[...options].map(([value, l]) => ({ value, label: l }))}
      value={value}
      onChange={(ids) => {
        setKnown((k) => ({ ...k, ...Object.fromEntries(ids.map((id) => [id, options.get(id) ?? id])) }));
        onChange(ids);
      }}
      nothingFoundMessage={t('consult.nothingFound')}
      data-testid="consult-recs"
      required
    />
  );
}

function NewConsultationModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [subject, setSubject] = useState<Subject>('recommendations');
  const [subjectId, setSubjectId] = useState<string | null>(null);
  const [recs, setRecs] = useState<string[]>([]);
  const [titleAr, setTitleAr] = useState('');
  const [titleEn, setTitleEn] = useState('');
  const [descAr, setDescAr] = useState('');
  const [descEn, setDescEn] = useState('');
  const [qAr, setQAr] = useState('');
  const [qEn, setQEn] = useState('');
  const [opens, setOpens] = useState(localInput(new Date()));
  const [closes, setCloses] = useState(localInput(new Date(Date.now() + 30 * 86_400_000)));
  const [audience, setAudience] = useState<'open' | 'invited'>('open');
  const [invite, setInvite] = useState<string[]>([]);
  const approved = useStakeholders('approved');
  const reports = useQuery({ queryKey: ['reports'], queryFn: () => api<{ items: { id: string; title_ar: string | null; title_en: string | null; symbol: string | null; body_code: string | null }[] }>('/api/reports'), enabled: subject === 'report' });
  const plans = useQuery({ queryKey: ['plans'], queryFn: () => api<{ items: { id: string; title_ar: string; title_en: string; version_number: number }[] }>('/api/plans'), enabled: subject === 'plan' });
  const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);
  const save = useMutation({
    mutationFn: () => {
      const ar = lines(qAr);
      const en = lines(qEn);
      return api<Consultation>('/api/consultations', {
        method: 'POST',
        body: {
          subject,
          ...(subject === 'recommendations' ? { item_ids: recs } : { subject_id: subjectId }),
          title_ar: titleAr,
          title_en: titleEn,
          description_ar: descAr,
          description_en: descEn,
          questions: ar.map((q, i) => ({ ar: q, en: en[i] ?? q })),
          opens_at: toIso(opens),
          closes_at: toIso(closes),
          audience,
          invite_user_ids: audience === 'invited' ? invite : [],
        },
      });
    },
    onSuccess: async (c) => {
      await qc.invalidateQueries({ queryKey: consultationsKey });
      onClose();
      void navigate(`/consultations/${c.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const ready = titleAr.trim() && titleEn.trim() && (subject === 'recommendations' ? recs.length > 0 : !!subjectId);
  return (
    <Modal opened={opened} onClose={onClose} title={t('consult.newTitle')} size="lg" centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Radio.Group label={t('consult.subject')} value={subject} onChange={(v) => { setSubject(v as Subject); setSubjectId(null); }}>
            <Group gap="md" mt={4}>
              <Radio value="recommendations" label={t('consult.subjects.recommendations')} />
              <Radio value="report" label={t('consult.subjects.report')} />
              <Radio value="plan" label={t('consult.subjects.plan')} />
            </Group>
          </Radio.Group>
          {subject === 'recommendations' ? <RecommendationPicker value={recs} onChange={setRecs} /> : null}
          {subject === 'report' ? (
            <Select
              label={t('consult.pickReport')}
              data={(reports.data?.items ?? []).map((r) => ({ value: r.id, label: `${r.body_code ?? ''} ${pickLabel(r.title_ar, r.title_en, lang) || r.symbol || r.id.slice(0, 8)}` }))}
              value={subjectId}
              onChange={setSubjectId}
              required
            />
          ) : null}
          {subject === 'plan' ? (
            <Select
              label={t('consult.pickPlan')}
              data={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: `${pickLabel(p.title_ar, p.title_en, lang)} (${t('consult.version', { n: p.version_number })})` }))}
              value={subjectId}
              onChange={setSubjectId}
              required
              data-testid="consult-pick-plan"
            />
          ) : null}
          <TextInput label={t('consult.titleAr')} value={titleAr} onChange={(e) => setTitleAr(e.currentTarget.value)} required dir="rtl" lang="ar" data-testid="consult-title-ar" />
          <TextInput label={t('consult.titleEn')} value={titleEn} onChange={(e) => setTitleEn(e.currentTarget.value)} required dir="ltr" lang="en" data-testid="consult-title-en" />
          <Textarea label={t('consult.descAr')} value={descAr} onChange={(e) => setDescAr(e.currentTarget.value)} dir="rtl" lang="ar" autosize minRows={2} />
          <Textarea label={t('consult.descEn')} value={descEn} onChange={(e) => setDescEn(e.currentTarget.value)} dir="ltr" lang="en" autosize minRows={2} />
          <Textarea label={t('consult.questionsAr')} description={t('consult.questionsHint')} value={qAr} onChange={(e) => setQAr(e.currentTarget.value)} dir="rtl" lang="ar" autosize minRows={2} />
          <Textarea label={t('consult.questionsEn')} value={qEn} onChange={(e) => setQEn(e.currentTarget.value)} dir="ltr" lang="en" autosize minRows={2} />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <DateTimeField label={t('consult.opens')} value={opens} onChange={setOpens} testId="consult-opens" />
            <DateTimeField label={t('consult.closes')} value={closes} onChange={setCloses} testId="consult-closes" />
          </SimpleGrid>
          <Radio.Group label={t('consult.audience')} value={audience} onChange={(v) => setAudience(v as 'open' | 'invited')}>
            <Group gap="md" mt={4}>
              <Radio value="open" label={t('consult.audiences.open')} />
              <Radio value="invited" label={t('consult.audiences.invited')} />
            </Group>
          </Radio.Group>
          {audience === 'invited' ? (
            <MultiSelect
              label={t('consult.invite')}
              data={(approved.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name} — ${s.organisation}` }))}
              value={invite}
              onChange={setInvite}
              searchable
            />
          ) : null}
          {save.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
              {errorMessage(save.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!ready} data-testid="consult-create">
              {t('consult.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function StateBadge({ state }: { state: 'upcoming' | 'open' | 'closed' }) {
  const { t } = useTranslation();
  return (
    <Badge color={state === 'open' ? 'teal' : state === 'upcoming' ? 'blue' : 'gray'} variant="light" c="dark.8">
      {t(`consult.states.${state}`)}
    </Badge>
  );
}

function ConsultationList() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const list = useConsultations();
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.items.length === 0) return <Text c="dimmed">{t('consult.none')}</Text>;
  const n = (v: number) => formatNumber(v, lang);
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover data-testid="consult-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('consult.title')}</Table.Th>
            <Table.Th>{t('consult.subject')}</Table.Th>
            <Table.Th>{t('consult.period')}</Table.Th>
            <Table.Th>{t('consult.commentsCol')}</Table.Th>
            <Table.Th>{t('consult.pendingCol')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data.items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Anchor component={Link} to={`/consultations/${c.id}`}>
                  {pickLabel(c.title_ar, c.title_en, lang)}
                </Anchor>{' '}
                <StateBadge state={c.state} />
              </Table.Td>
              <Table.Td>{t(`consult.subjects.${c.subject}`)}</Table.Td>
              <Table.Td>
                {formatDate(c.opens_at, lang)} – {formatDate(c.closes_at, lang)}
              </Table.Td>
              <Table.Td>{n(countsOf(c).comments)}</Table.Td>
              <Table.Td>{countsOf(c).pending > 0 ? <Badge color="orange" variant="light" c="dark.8">{n(countsOf(c).pending)}</Badge> : n(0)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Stakeholder registrations: approve, or reject with a reason (sent to them). */
function StakeholderList() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const [status, setStatus] = useState<StakeholderStatus>('pending');
  const list = useStakeholders(status);
  const [rejecting, setRejecting] = useState<Stakeholder | null>(null);
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (v: { s: Stakeholder; decision: 'approve' | 'reject'; reason?: string }) =>
      api(`/api/stakeholders/${v.s.id}/decision`, { method: 'POST', body: { decision: v.decision, version: v.s.version, ...(v.reason ? { reason: v.reason } : {}) } }),
    onSuccess: async () => {
      setRejecting(null);
      setReason('');
      await qc.invalidateQueries({ queryKey: ['stakeholders'] });
    },
  });
  return (
    <Stack gap="sm">
      <Tabs value={status} onChange={(v) => v && setStatus(v as StakeholderStatus)} variant="pills">
        <Tabs.List>
          <Tabs.Tab value="pending">{t('consult.stakeholderStates.pending')}</Tabs.Tab>
          <Tabs.Tab value="approved">{t('consult.stakeholderStates.approved')}</Tabs.Tab>
          <Tabs.Tab value="rejected">{t('consult.stakeholderStates.rejected')}</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      {decide.isError && !rejecting ? (
        <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
          {errorMessage(decide.error)}
        </Alert>
      ) : null}
      {list.isPending ? <LoadingState /> : list.isError ? <ErrorState error={list.error} /> : list.data.items.length === 0 ? <Text c="dimmed">{t('consult.noStakeholders')}</Text> : (
        <Stack gap="xs" data-testid="stakeholder-list">
          {list.data.items.map((s) => (
            <Card key={s.id} withBorder padding="sm">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Stack gap={0}>
                  <Text fw={600}>{s.name}</Text>
                  <Text size="sm">
                    {s.organisation} · {t(`consult.orgKinds.${s.org_kind}`)}
                  </Text>
                  <Text size="sm" c="dimmed">
                    <Ltr>{s.email}</Ltr> · {formatDate(s.created_at, lang)}
                  </Text>
                  {s.decision_reason ? <Text size="sm">{t('consult.reason')}: {s.decision_reason}</Text> : null}
                </Stack>
                {s.status === 'pending' ? (
                  <Group gap="xs">
                    <Button size="xs" onClick={() => decide.mutate({ s, decision: 'approve' })} loading={decide.isPending} data-testid={`approve-${s.email}`}>
                      {t('consult.approve')}
                    </Button>
                    <Button size="xs" color="red" variant="light" onClick={() => setRejecting(s)}>
                      {t('consult.reject')}
                    </Button>
                  </Group>
                ) : null}
              </Group>
            </Card>
          ))}
        </Stack>
      )}
      <ConfirmDialog
        opened={!!rejecting}
        title={t('consult.rejectStakeholderTitle')}
        confirmLabel={t('consult.reject')}
        danger
        loading={decide.isPending}
        error={decide.isError ? decide.error : undefined}
        onClose={() => {
          setRejecting(null);
          decide.reset();
        }}
        onConfirm={() => rejecting && reason.trim() && decide.mutate({ s: rejecting, decision: 'reject', reason: reason.trim() })}
      >
        <Textarea label={t('consult.reasonSent')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required autosize minRows={2} />
      </ConfirmDialog>
    </Stack>
  );
}

export function ConsultationsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string>('consultations');
  const [creating, setCreating] = useState(false);
  const pending = useStakeholders('pending');
  const waiting = pending.data?.items.length ?? 0;
  return (
    <>
      <PageHeader
        title={t('consult.pageTitle')}
        subtitle={t('consult.pageSubtitle')}
        actions={
          <Button onClick={() => setCreating(true)} data-testid="consult-new">
            {t('consult.new')}
          </Button>
        }
      />
      <Tabs value={tab} onChange={(v) => v && setTab(v)}>
        <Tabs.List mb="md">
          <Tabs.Tab value="consultations">{t('consult.tabConsultations')}</Tabs.Tab>
          <Tabs.Tab value="stakeholders" rightSection={waiting ? <Badge size="sm" color="orange" variant="light" c="dark.8">{waiting}</Badge> : null} data-testid="tab-stakeholders">
            {t('consult.tabStakeholders')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="consultations">
          <ConsultationList />
        </Tabs.Panel>
        <Tabs.Panel value="stakeholders">
          <StakeholderList />
        </Tabs.Panel>
      </Tabs>
      {creating ? <NewConsultationModal opened onClose={() => setCreating(false)} /> : null}
    </>
  );
}
