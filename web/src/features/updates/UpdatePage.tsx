import { ActionIcon, Alert, Anchor, Breadcrumbs, Button, Card, Group, Modal, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import {
  canDraftFor,
  canSubmitFor,
  EDITABLE_STATUSES,
  isConflict,
  isCuratorUser,
  type Indicator,
  type Measure,
  MEASURE_TYPES,
  type MeasureType,
  PLAN_ACTION_STATUSES,
  type PlanActionStatus,
  type PlanValue,
  type ProgressUpdate,
  useAssignment,
  useUpdate,
} from '../../api/followup.ts';
import { formatDate, formatDateTime, pickLabel } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import type { StatusRef, User } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { UpdateStatusBadge, WorkflowStepper } from '../../components/Workflow.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { UpdatePublicCard } from '../portal/PortalLinks.tsx';
import { ActionStatusBadge, unitLabel } from '../plan/parts.tsx';
import { EvidenceList } from './EvidenceList.tsx';
import { DateField } from '../../components/DateTimeField.tsx';

interface Form {
  text_ar: string;
  text_en: string;
  period_start: string;
  period_end: string;
  proposed_status: string | null;
  measures: { key: number; type: MeasureType; description_ar: string; description_en: string }[];
  indicators: { key: number; name: string; value: string; unit: string }[];
  proposed_action_status: PlanActionStatus | null;
  values: { key: number; indicator_id: string | null; date: string; value: string; source: string }[];
}

let rowKey = 1;
const toForm = (u: ProgressUpdate): Form => ({
  text_ar: u.text_ar ?? '',
  text_en: u.text_en ?? '',
  period_start: u.period_start ?? '',
  period_end: u.period_end ?? '',
  proposed_status: u.proposed_status,
  measures: u.measures.map((m) => ({ key: rowKey++, type: m.type, description_ar: m.description_ar ?? '', description_en: m.description_en ?? '' })),
  indicators: u.indicators.map((x) => ({ key: rowKey++, name: x.name, value: x.value, unit: x.unit ?? '' })),
  proposed_action_status: u.proposed_action_status,
  values: u.values.map((v) => ({ key: rowKey++, indicator_id: v.indicator_id, date: v.date, value: v.value, source: v.source ?? '' })),
});
const DECIMAL = /^-?\d{1,15}([.,]\d{1,6})?$/;
const orNull = (s: string) => (s.trim() ? s.trim() : null);

function statusLabel(code: string | null, statuses: StatusRef[] | undefined, lang: 'ar' | 'en') {
  if (!code) return '';
  const s = statuses?.find((x) => x.code === code);
  return s ? pickLabel(s.label_ar, s.label_en, lang, code) : code;
}

/** Read-only view of an update's content (for reviewers, and once it is no longer editable). */
/** A titled section holding a table of rows, or "none" when there are no rows. */
function ListCard({ id, title, headers, children }: { id: string; title: string; headers: string[]; children: React.ReactNode[] }) {
  const { t } = useTranslation();
  return (
    <Card component="section" aria-labelledby={id}>
      <Title order={2} fz="md" id={id} c="navy.9" mb="xs">
        {title}
      </Title>
      {children.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('common.none')}
        </Text>
      ) : (
        <Table verticalSpacing={4} className="rec-table">
          <Table.Thead>
            <Table.Tr>
              {headers.map((h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function UpdateView({ u }: { u: ProgressUpdate }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  return (
    <Stack gap="md">
      <Card>
        <dl className="field-list">
          <dt>{t('updates.period')}</dt>
          <dd>
            {u.period_start || u.period_end ? (
              <bdi>
                {formatDate(u.period_start, lang) || '…'} – {formatDate(u.period_end, lang) || '…'}
              </bdi>
            ) : (
              '—'
            )}
          </dd>
          {u.action_id ? (
            <>
              <dt>{t('planFollowup.reportedStatus')}</dt>
              <dd data-testid="view-action-status">{u.proposed_action_status ? <ActionStatusBadge status={u.proposed_action_status} /> : '—'}</dd>
            </>
          ) : (
            <>
              <dt>{t('updates.proposedStatus')}</dt>
              <dd>{u.proposed_status ? <StatusBadge code={u.proposed_status} statuses={ref.data?.statuses} size="sm" /> : '—'}</dd>
            </>
          )}
          {u.submitted_at ? (
            <>
              <dt>{t('updates.submittedAt')}</dt>
              <dd>
                <bdi>{formatDateTime(u.submitted_at, lang)}</bdi>
              </dd>
            </>
          ) : null}
          {u.reviewed_at ? (
            <>
              <dt>{t('updates.reviewedAt')}</dt>
              <dd>
                <bdi>{formatDateTime(u.reviewed_at, lang)}</bdi>
              </dd>
            </>
          ) : null}
        </dl>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(['ar', 'en'] as const).map((l) => (
          <Card key={l} component="section" aria-labelledby={`u-text-${l}`}>
            <Title order={2} fz="sm" id={`u-text-${l}`} c="navy.9" mb="xs">
              {t(`updates.textIn.${l}`)}
            </Title>
            {u[`text_${l}`] ? (
              <Text className="text-block" lang={l} dir={l === 'ar' ? 'rtl' : 'ltr'} ta="start" data-testid={`update-text-${l}`}>
                {u[`text_${l}`]}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                {t('detail.noTextInLang')}
              </Text>
            )}
          </Card>
        ))}
      </SimpleGrid>
      <ListCard id="u-measures" title={t('updates.measures')} headers={[t('updates.measureType'), t('updates.descriptionAr'), t('updates.descriptionEn')]}>
        {u.measures.map((m, i) => (
          <Table.Tr key={m.id ?? i}>
            <Table.Td>{t(`updates.measureTypes.${m.type}`)}</Table.Td>
            <Table.Td lang="ar" dir="rtl">
              {m.description_ar ?? '—'}
            </Table.Td>
            <Table.Td lang="en" dir="ltr">
              {m.description_en ?? '—'}
            </Table.Td>
          </Table.Tr>
        ))}
      </ListCard>
      {u.action_id ? (
        <ListCard id="u-values" title={t('planFollowup.values')} headers={[t('planFollowup.indicator'), t('planFollowup.date'), t('planFollowup.value'), t('planFollowup.source')]}>
          {u.values.map((v, i) => (
            <Table.Tr key={v.id ?? i} data-testid="view-value-row">
              <Table.Td>{pickLabel(v.name_ar ?? '', v.name_en ?? '', lang)}</Table.Td>
              <Table.Td>
                <bdi>{formatDate(v.date, lang)}</bdi>
              </Table.Td>
              <Table.Td>
                <Ltr>{v.value}</Ltr> {v.unit ? <bdi>{unitLabel(t, v.unit)}</bdi> : null}
              </Table.Td>
              <Table.Td>{v.source ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </ListCard>
      ) : null}
      {u.action_id && u.indicators.length === 0 ? null : (
      <ListCard id="u-indicators" title={t('updates.indicators')} headers={[t('updates.indicatorName'), t('updates.indicatorValue'), t('updates.indicatorUnit')]}>
        {u.indicators.map((x, i) => (
          <Table.Tr key={x.id ?? i}>
            <Table.Td>
              <bdi>{x.name}</bdi>
            </Table.Td>
            <Table.Td>
              <bdi>{x.value}</bdi>
            </Table.Td>
            <Table.Td>
              <bdi>{x.unit ?? '—'}</bdi>
            </Table.Td>
          </Table.Tr>
        ))}
      </ListCard>
      )}
    </Stack>
  );
}

function UpdateEditor({ u, user, onSaved, onReload }: { u: ProgressUpdate; user: User; onSaved: (next: ProgressUpdate, transitioned: boolean) => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  const [form, setForm] = useState<Form>(() => toForm(u));
  const [version, setVersion] = useState(u.version);
  const [dirty, setDirty] = useState(false);
  const [saved, setSaved] = useState(false);
  const [triedSave, setTriedSave] = useState(false);
  const [confirmSubmit, setConfirmSubmit] = useState(false);
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
    setSaved(false);
  };
  const badIndicator = (x: Form['indicators'][number]) => (x.name.trim() || x.value.trim() || x.unit.trim() ? !x.name.trim() || !x.value.trim() : false);
  const isAction = !!u.action_id;
  const badValue = (v: Form['values'][number]) => !v.indicator_id || !v.date || !DECIMAL.test(v.value.trim());
  const invalid =
    form.indicators.some(badIndicator) || (isAction && form.values.some(badValue)) || (!!form.period_start && !!form.period_end && form.period_start > form.period_end);

  const body = () => ({
    version,
    text_ar: orNull(form.text_ar),
    text_en: orNull(form.text_en),
    period_start: form.period_start || null,
    period_end: form.period_end || null,
    measures: form.measures
      .filter((m) => m.description_ar.trim() || m.description_en.trim() || m.type !== 'other')
      .map<Measure>((m) => ({ type: m.type, description_ar: orNull(m.description_ar), description_en: orNull(m.description_en) })),
    ...(isAction
      ? {
          proposed_action_status: form.proposed_action_status,
          values: form.values.map<PlanValue>((v) => ({ indicator_id: v.indicator_id!, date: v.date, value: v.value.trim().replace(',', '.'), source: orNull(v.source), note: null })),
        }
      : {
          proposed_status: form.proposed_status,
          indicators: form.indicators.filter((x) => x.name.trim() && x.value.trim()).map<Indicator>((x) => ({ name: x.name.trim(), value: x.value.trim(), unit: orNull(x.unit) })),
        }),
  });

  const save = useMutation({
    mutationFn: () => api<ProgressUpdate>(`/api/updates/${u.id}`, { method: 'PATCH', body: body() }),
    onSuccess: (next) => {
      setVersion(next.version);
      setDirty(false);
      setSaved(true);
      onSaved(next, false);
    },
  });
  const submit = useMutation({
    mutationFn: async () => {
      let v = version;
      if (dirty) {
        const next = await api<ProgressUpdate>(`/api/updates/${u.id}`, { method: 'PATCH', body: body() });
        v = next.version;
        setVersion(v);
        setDirty(false);
      }
      return api<ProgressUpdate>(`/api/updates/${u.id}/submit`, { method: 'POST', body: { version: v } });
    },
    onSuccess: (next) => {
      setConfirmSubmit(false);
      onSaved(next, true);
    },
  });
  const conflict = isConflict(save.error) || isConflict(submit.error);

  const doSave = () => {
    setTriedSave(true);
    if (invalid) return;
    save.mutate();
  };

  return (
    <Stack gap="md" component="form" onSubmit={(e) => { e.preventDefault(); doSave(); }} data-testid="update-editor">
      <Card>
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
          <DateField label={t('updates.periodStart')} value={form.period_start} onChange={(v) => set({ period_start: v })} testId="period-start" />
          <DateField
            label={t('updates.periodEnd')}
            value={form.period_end}
            onChange={(v) => set({ period_end: v })}
            error={form.period_start && form.period_end && form.period_start > form.period_end ? t('errors.invalid_period') : undefined}
            testId="period-end"
          />
          {isAction ? (
            <Select
              label={t('planFollowup.reportedStatus')}
              description={t('planFollowup.reportedStatusHint')}
              data={PLAN_ACTION_STATUSES.map((s) => ({ value: s, label: t(`plan.actionStatus.${s}`) }))}
              value={form.proposed_action_status}
              onChange={(v) => set({ proposed_action_status: v as PlanActionStatus | null })}
              clearable
              comboboxProps={{ withinPortal: true }}
              data-testid="proposed-action-status"
            />
          ) : (
            <Select
              label={t('updates.proposedStatus')}
              description={t('updates.proposedStatusHint')}
              data={(ref.data?.statuses ?? []).map((s) => ({ value: s.code, label: pickLabel(s.label_ar, s.label_en, lang, s.code) }))}
              value={form.proposed_status}
              onChange={(v) => set({ proposed_status: v })}
              clearable
              comboboxProps={{ withinPortal: true }}
              data-testid="proposed-status"
            />
          )}
        </SimpleGrid>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Textarea label={t('updates.textIn.ar')} lang="ar" dir="rtl" autosize minRows={6} maxRows={20} value={form.text_ar} onChange={(e) => set({ text_ar: e.currentTarget.value })} data-testid="text-ar" />
        <Textarea
          label={t('updates.textIn.en')}
          lang="en"
          dir="ltr"
          autosize
          minRows={6}
          maxRows={20}
          value={form.text_en}
          onChange={(e) => set({ text_en: e.currentTarget.value })}
          data-testid="text-en"
          styles={{ input: { textAlign: 'left' } }}
        />
      </SimpleGrid>

      <Card component="section" aria-labelledby="e-measures">
        <Group justify="space-between" mb="xs">
          <Title order={2} fz="md" id="e-measures" c="navy.9">
            {t('updates.measures')}
          </Title>
          <Button
            size="compact-sm"
            variant="light"
            onClick={() => set({ measures: [...form.measures, { key: rowKey++, type: 'legislation', description_ar: '', description_en: '' }] })}
            data-testid="add-measure"
          >
            {t('updates.addMeasure')}
          </Button>
        </Group>
        {form.measures.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('updates.noMeasures')}
          </Text>
        ) : (
          <Stack gap="sm">
            {form.measures.map((m, i) => (
              <Group key={m.key} align="flex-end" gap="sm" wrap="wrap" data-testid="measure-row">
                <Select
                  label={t('updates.measureType')}
                  data={MEASURE_TYPES.map((x) => ({ value: x, label: t(`updates.measureTypes.${x}`) }))}
                  value={m.type}
                  onChange={(v) => v && set({ measures: form.measures.map((r, j) => (j === i ? { ...r, type: v as MeasureType } : r)) })}
                  allowDeselect={false}
                  w={180}
                  comboboxProps={{ withinPortal: true }}
                />
                <TextInput
                  label={t('updates.descriptionAr')}
                  lang="ar"
                  dir="rtl"
                  style={{ flex: 1, minWidth: 200 }}
                  value={m.description_ar}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    set({ measures: form.measures.map((r, j) => (j === i ? { ...r, description_ar: v } : r)) });
                  }}
                />
                <TextInput
                  label={t('updates.descriptionEn')}
                  lang="en"
                  dir="ltr"
                  style={{ flex: 1, minWidth: 200 }}
                  value={m.description_en}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    set({ measures: form.measures.map((r, j) => (j === i ? { ...r, description_en: v } : r)) });
                  }}
                />
                <ActionIcon variant="subtle" color="red.9" c="red.9" size="lg" mb={2} onClick={() => set({ measures: form.measures.filter((_, j) => j !== i) })} aria-label={t('updates.removeMeasure', { n: i + 1 })}>
                  <span aria-hidden="true">✕</span>
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        )}
      </Card>

      {isAction ? (
        <Card component="section" aria-labelledby="e-values">
          <Group justify="space-between" mb="xs">
            <Stack gap={2}>
              <Title order={2} fz="md" id="e-values" c="navy.9">
                {t('planFollowup.values')}
              </Title>
              <Text size="xs" c="dimmed">
                {t('planFollowup.valuesHint')}
              </Text>
            </Stack>
            <Button
              size="compact-sm"
              variant="light"
              disabled={u.reportable_indicators.length === 0}
              onClick={() =>
                set({ values: [...form.values, { key: rowKey++, indicator_id: u.reportable_indicators.length === 1 ? u.reportable_indicators[0]!.id : null, date: form.period_end || new Date().toISOString().slice(0, 10), value: '', source: '' }] })
              }
              data-testid="add-value"
            >
              {t('planFollowup.addValue')}
            </Button>
          </Group>
          {u.reportable_indicators.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('planFollowup.noIndicators')}
            </Text>
          ) : form.values.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('planFollowup.noValues')}
            </Text>
          ) : (
            <Stack gap="sm">
              {form.values.map((v, i) => {
                const setRow = (patch: Partial<Form['values'][number]>) => set({ values: form.values.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
                const ind = u.reportable_indicators.find((x) => x.id === v.indicator_id);
                return (
                  <Group key={v.key} align="flex-start" gap="sm" wrap="wrap" data-testid="value-row">
                    <Select
                      label={t('planFollowup.indicator')}
                      data={u.reportable_indicators.map((x) => ({ value: x.id, label: pickLabel(x.name_ar, x.name_en, lang) }))}
                      value={v.indicator_id}
                      onChange={(x) => setRow({ indicator_id: x })}
                      allowDeselect={false}
                      style={{ flex: 2, minWidth: 200 }}
                      comboboxProps={{ withinPortal: true }}
                      error={triedSave && !v.indicator_id ? t('updates.required') : undefined}
                      data-testid="value-indicator"
                    />
                    <DateField label={t('planFollowup.date')} w={160} value={v.date} onChange={(d) => setRow({ date: d })} error={triedSave && !v.date ? t('updates.required') : undefined} />
                    <TextInput
                      label={ind?.unit ? t('planFollowup.valueIn', { unit: unitLabel(t, ind.unit) }) : t('planFollowup.value')}
                      dir="ltr"
                      inputMode="decimal"
                      w={140}
                      value={v.value}
                      onChange={(e) => setRow({ value: e.currentTarget.value })}
                      error={triedSave && !DECIMAL.test(v.value.trim()) ? t('planFollowup.numberRequired') : undefined}
                      data-testid="value-input"
                    />
                    <TextInput label={t('planFollowup.source')} style={{ flex: 1, minWidth: 160 }} value={v.source} onChange={(e) => setRow({ source: e.currentTarget.value })} data-testid="value-source" />
                    <ActionIcon variant="subtle" color="red.9" c="red.9" size="lg" mt={26} onClick={() => set({ values: form.values.filter((_, j) => j !== i) })} aria-label={t('planFollowup.removeValue', { n: i + 1 })}>
                      <span aria-hidden="true">✕</span>
                    </ActionIcon>
                  </Group>
                );
              })}
            </Stack>
          )}
        </Card>
      ) : null}

      {isAction ? null : (
      <Card component="section" aria-labelledby="e-indicators">
        <Group justify="space-between" mb="xs">
          <Title order={2} fz="md" id="e-indicators" c="navy.9">
            {t('updates.indicators')}
          </Title>
          <Button size="compact-sm" variant="light" onClick={() => set({ indicators: [...form.indicators, { key: rowKey++, name: '', value: '', unit: '' }] })} data-testid="add-indicator">
            {t('updates.addIndicator')}
          </Button>
        </Group>
        {form.indicators.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('updates.noIndicators')}
          </Text>
        ) : (
          <Stack gap="sm">
            {form.indicators.map((x, i) => {
              const setRow = (patch: Partial<Form['indicators'][number]>) => set({ indicators: form.indicators.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
              const bad = triedSave && badIndicator(x);
              return (
                <Group key={x.key} align="flex-start" gap="sm" wrap="wrap" data-testid="indicator-row">
                  <TextInput label={t('updates.indicatorName')} style={{ flex: 2, minWidth: 200 }} value={x.name} onChange={(e) => setRow({ name: e.currentTarget.value })} error={bad && !x.name.trim() ? t('updates.required') : undefined} />
                  <TextInput label={t('updates.indicatorValue')} w={140} value={x.value} onChange={(e) => setRow({ value: e.currentTarget.value })} error={bad && !x.value.trim() ? t('updates.required') : undefined} />
                  <TextInput label={t('updates.indicatorUnit')} w={140} value={x.unit} onChange={(e) => setRow({ unit: e.currentTarget.value })} />
                  <ActionIcon variant="subtle" color="red.9" c="red.9" size="lg" mt={26} onClick={() => set({ indicators: form.indicators.filter((_, j) => j !== i) })} aria-label={t('updates.removeIndicator', { n: i + 1 })}>
                    <span aria-hidden="true">✕</span>
                  </ActionIcon>
                </Group>
              );
            })}
          </Stack>
        )}
      </Card>
      )}

      {conflict ? (
        <Alert color="orange" variant="light" role="alert" title={t('updates.conflictTitle')} data-testid="update-conflict">
          <Stack gap="xs">
            <Text size="sm">{t('updates.conflict')}</Text>
            <Group>
              <Button size="xs" variant="white" onClick={onReload} data-testid="update-reload">
                {t('updates.reload')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : save.isError || submit.isError ? (
        <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
          {errorMessage(save.error ?? submit.error)}
        </Alert>
      ) : null}
      {triedSave && invalid ? (
        <Alert color="red" variant="light" role="alert">
          {t('updates.fixErrors')}
        </Alert>
      ) : null}

      <Card className="update-actions">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Text size="sm" role="status" c={dirty ? 'orange.9' : 'dimmed'} data-testid="save-state">
            {dirty ? t('updates.unsaved') : saved ? t('updates.saved') : t('updates.savedAt', { at: formatDateTime(u.updated_at, lang) })}
          </Text>
          <Group gap="sm">
            <Button type="submit" variant="default" loading={save.isPending} disabled={!dirty} data-testid="save-draft">
              {t('updates.saveDraft')}
            </Button>
            {canSubmitFor(user, u.entity_id) ? (
              <Button
                onClick={() => {
                  setTriedSave(true);
                  if (!invalid) setConfirmSubmit(true);
                }}
                data-testid="submit-update"
              >
                {u.status === 'returned' ? t('updates.resubmit') : t('updates.submit')}
              </Button>
            ) : null}
          </Group>
        </Group>
        {!canSubmitFor(user, u.entity_id) ? (
          <Text size="sm" c="dimmed" mt="xs" data-testid="contributor-note">
            {t('updates.contributorNote')}
          </Text>
        ) : null}
      </Card>
      <ConfirmDialog
        opened={confirmSubmit}
        title={t('updates.submitTitle')}
        confirmLabel={u.status === 'returned' ? t('updates.resubmit') : t('updates.submit')}
        onConfirm={() => submit.mutate()}
        onClose={() => setConfirmSubmit(false)}
        loading={submit.isPending}
        error={submit.isError && !conflict ? submit.error : undefined}
        testId="submit-confirm"
      >
        <Text size="sm">{t('updates.submitConfirm')}</Text>
      </ConfirmDialog>
    </Stack>
  );
}

function ReviewBar({ u, onDone }: { u: ProgressUpdate; onDone: (next: ProgressUpdate) => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  const [mode, setMode] = useState<'return' | 'approve' | null>(null);
  const [comment, setComment] = useState('');
  const [tried, setTried] = useState(false);
  const act = useMutation({
    mutationFn: (action: 'return' | 'approve') =>
      api<ProgressUpdate>(`/api/updates/${u.id}/${action}`, { method: 'POST', body: { version: u.version, ...(comment.trim() ? { comment: comment.trim() } : {}) } }),
    onSuccess: (next) => {
      setMode(null);
      setComment('');
      onDone(next);
    },
  });
  const close = () => {
    setMode(null);
    setTried(false);
    act.reset();
  };
  const proposed = statusLabel(u.proposed_status, ref.data?.statuses, lang);
  return (
    <Card withBorder style={{ borderColor: '#0b6b64', borderWidth: 2 }} component="section" aria-labelledby="review-title" data-testid="review-bar">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={2}>
          <Title order={2} fz="md" id="review-title" c="navy.9">
            {t('review.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('review.hint')}
          </Text>
        </Stack>
        <Group gap="sm">
          <Button variant="default" color="orange" onClick={() => setMode('return')} data-testid="review-return">
            {t('review.return')}
          </Button>
          <Button onClick={() => setMode('approve')} data-testid="review-approve">
            {t('review.approve')}
          </Button>
        </Group>
      </Group>
      <Modal opened={mode === 'return'} onClose={close} title={t('review.returnTitle')} centered closeButtonProps={{ 'aria-label': t('common.close') }} data-testid="return-modal">
        <Stack gap="sm">
          <Textarea
            label={t('review.comment')}
            description={t('review.commentHint')}
            required
            autosize
            minRows={4}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            error={tried && !comment.trim() ? t('review.commentRequired') : undefined}
            data-testid="return-comment"
            data-autofocus
          />
          {act.isError ? (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(act.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button
              color="orange.9"
              loading={act.isPending}
              onClick={() => {
                setTried(true);
                if (comment.trim()) act.mutate('return');
              }}
              data-testid="return-confirm"
            >
              {t('review.return')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ConfirmDialog
        opened={mode === 'approve'}
        title={t('review.approveTitle')}
        confirmLabel={t('review.approve')}
        onConfirm={() => act.mutate('approve')}
        onClose={close}
        loading={act.isPending}
        error={act.error}
        testId="approve-confirm"
      >
        <Stack gap="xs">
          <Text size="sm" fw={600} data-testid="approve-effect">
            {u.action_id
              ? u.proposed_action_status
                ? t('planFollowup.approveEffect', { status: t(`plan.actionStatus.${u.proposed_action_status}`) })
                : t('planFollowup.approveNoStatus')
              : u.proposed_status
                ? t('review.approveEffect', { status: proposed })
                : t('review.approveNoStatus')}
          </Text>
          <Textarea label={t('review.approveComment')} autosize minRows={2} value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
        </Stack>
      </ConfirmDialog>
    </Card>
  );
}

/** /updates/:id — the progress update editor, its workflow, and the secretariat's review. */
export function UpdatePage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const q = useUpdate(id);
  const assignment = useAssignment(q.data?.assignment_id);
  const [generation, setGeneration] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  if (q.isPending) return <LoadingState />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const u = q.data;
  const editable = EDITABLE_STATUSES.includes(u.status) && canDraftFor(user, u.entity_id);
  const a = assignment.data;
  const entity = a ? pickLabel(a.entity_name_ar, a.entity_name_en, lang, a.entity_code) : '';

  const refreshLists = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['workspace'] }),
      qc.invalidateQueries({ queryKey: ['assignment'] }),
      qc.invalidateQueries({ queryKey: ['assignments'] }),
      qc.invalidateQueries({ queryKey: ['dashboard'] }),
      qc.invalidateQueries({ queryKey: ['recommendation'] }),
      qc.invalidateQueries({ queryKey: ['recommendations'] }),
      qc.invalidateQueries({ queryKey: ['plan'] }),
      qc.invalidateQueries({ queryKey: ['plans'] }),
      qc.invalidateQueries({ queryKey: ['plan-indicator'] }),
    ]);
  const accept = (next: ProgressUpdate, transitioned: boolean) => {
    qc.setQueryData(['update', id], next);
    if (transitioned) {
      setGeneration((g) => g + 1);
      setNotice(t(`updates.done.${next.status}`));
      void refreshLists();
    }
  };

  return (
    <Stack gap="md">
      <Breadcrumbs separator={lang === 'ar' ? '‹' : '›'} aria-label={t('detail.breadcrumb')}>
        <Anchor component={Link} to="/workspace" size="sm">
          {t('nav.workspace')}
        </Anchor>
        {a ? (
          <Anchor component={Link} to={`/assignments/${a.id}`} size="sm">
            {t('assign.assignmentOf', { entity })}
          </Anchor>
        ) : null}
        {u.action ? (
          <Anchor component={Link} to={`/plan/${u.action.plan_id}`} size="sm">
            {pickLabel(u.action.plan_title_ar, u.action.plan_title_en, lang)}
          </Anchor>
        ) : null}
        <Text size="sm" aria-current="page">
          {t('updates.title')}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Title order={1} fz={24} c="navy.9">
            {t('updates.title')}
          </Title>
          {u.action ? (
            <Text size="sm" c="dimmed" data-testid="update-action">
              {t('planFollowup.onAction')} <Ltr>{u.action.code}</Ltr>
              {' · '}
              <Anchor component={Link} to={`/plan/${u.action.plan_id}`} size="sm" data-testid="update-action-link">
                {pickLabel(u.action.title_ar, u.action.title_en, lang)}
              </Anchor>
            </Text>
          ) : null}
          {a ? (
            <Text size="sm" c="dimmed">
              {entity}
              {a.recommendation_id ? (
                <>
                  {' · '}
                  <Anchor component={Link} to={`/recommendations/${a.recommendation_id}`} size="sm" data-testid="update-rec-link">
                    <Ltr>{[a.document_symbol, a.paragraph].filter(Boolean).join(' ')}</Ltr>
                  </Anchor>
                </>
              ) : null}
            </Text>
          ) : null}
        </Stack>
        <UpdateStatusBadge status={u.status} size="lg" />
      </Group>
      <WorkflowStepper status={u.status} />

      {notice ? (
        <Alert color="green" variant="light" role="status" withCloseButton onClose={() => setNotice(null)} closeButtonLabel={t('common.close')} data-testid="update-notice">
          {notice}
        </Alert>
      ) : null}

      {u.status === 'returned' && u.review_comment ? (
        <Alert color="orange" variant="light" title={t('updates.returnedTitle')} data-testid="review-comment" styles={{ root: { borderInlineStart: '4px solid #a15c07' } }}>
          <Text className="text-block" size="md">
            {u.review_comment}
          </Text>
          {u.reviewed_at ? (
            <Text size="xs" c="dimmed" mt={4}>
              <bdi>{formatDateTime(u.reviewed_at, lang)}</bdi>
            </Text>
          ) : null}
        </Alert>
      ) : null}
      {u.status === 'approved' && u.review_comment ? (
        <Alert color="green" variant="light" title={t('updates.approvedComment')}>
          <Text className="text-block" size="sm">
            {u.review_comment}
          </Text>
        </Alert>
      ) : null}

      {u.status === 'approved' && !u.action_id && isCuratorUser(user) ? <UpdatePublicCard u={u} onDone={(next) => accept(next, false)} /> : null}
      {u.status === 'submitted' && isCuratorUser(user) ? <ReviewBar u={u} onDone={(next) => accept(next, true)} /> : null}
      {u.status === 'submitted' && !isCuratorUser(user) ? (
        <Alert variant="light" color="blue">
          {t('updates.awaitingReview')}
        </Alert>
      ) : null}

      {editable ? (
        <UpdateEditor
          key={`${u.id}:${generation}`}
          u={u}
          user={user}
          onSaved={accept}
          onReload={() => {
            void q.refetch().then(() => setGeneration((g) => g + 1));
          }}
        />
      ) : (
        <UpdateView u={u} />
      )}

      <Card component="section" aria-labelledby="u-evidence">
        <Title order={2} fz="md" id="u-evidence" c="navy.9" mb="xs">
          {t('evidence.title')}
        </Title>
        <EvidenceList updateId={u.id} items={u.evidence} editable={editable} onChanged={() => void q.refetch()} />
      </Card>
    </Stack>
  );
}
