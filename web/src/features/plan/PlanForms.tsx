import { Alert, Anchor, Badge, Button, Group, Modal, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatDate, pickLabel, pickText } from '../../api/format.ts';
import { useEntities, useTerms } from '../../api/queries.ts';
import type { RecommendationList } from '../../api/types.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { unitLabel } from './parts.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import type { ClusterList } from '../clusters/api.ts';
import {
  ACTION_STATUSES,
  BUDGET_SOURCES,
  DISAGGREGATIONS,
  FREQUENCIES,
  INDICATOR_TYPES,
  type Indicator,
  type PlanActionRow,
  planApi,
  useIndicatorValues,
  usePlanMutation,
} from './api.ts';
import { DateField } from '../../components/DateTimeField.tsx';

function FormModal({ opened, onClose, title, error, pending, onSubmit, children, testId, size = 'md' }: {
  opened: boolean;
  onClose: () => void;
  title: string;
  error: unknown;
  pending: boolean;
  onSubmit: () => void;
  children: ReactNode;
  testId: string;
  size?: string;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size={size} closeButtonProps={{ 'aria-label': t('common.close') }} data-testid={testId}>
      <Stack gap="sm">
        {children}
        {error ? (
          <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
            {errorMessage(error)}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={pending}>
            {t('common.cancel')}
          </Button>
          <Button onClick={onSubmit} loading={pending} data-testid={`${testId}-submit`}>
            {t('plan.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export type SectionTarget =
  | { mode: 'add-pillar'; planId: string }
  | { mode: 'add-objective'; pillarId: string }
  | { mode: 'edit'; kind: 'pillar' | 'objective'; id: string; version: number; code: string; title_ar: string; title_en: string };

/** Adds or edits a pillar or an objective (code + bilingual title). */
export function SectionModal({ target, onClose }: { target: SectionTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const [f, setF] = useState(target.mode === 'edit' ? { code: target.code, title_ar: target.title_ar, title_en: target.title_en } : { code: '', title_ar: '', title_en: '' });
  const [touched, setTouched] = useState(false);
  const run = usePlanMutation(async () => {
    if (target.mode === 'add-pillar') return planApi.addPillar({ planId: target.planId, ...f });
    if (target.mode === 'add-objective') return planApi.addObjective({ pillarId: target.pillarId, ...f });
    return planApi.editSection({ kind: target.kind, id: target.id, version: target.version, ...f });
  });
  const kind = target.mode === 'edit' ? target.kind : target.mode === 'add-pillar' ? 'pillar' : 'objective';
  const title = t(target.mode === 'edit' ? `plan.edit.${kind}` : `plan.add.${kind}`);
  const submit = () => {
    setTouched(true);
    if (!f.code.trim() || !f.title_ar.trim() || !f.title_en.trim()) return;
    run.mutate(undefined, { onSuccess: onClose });
  };
  const err = (k: keyof typeof f) => (touched && !f[k].trim() ? t('plan.required') : undefined);
  return (
    <FormModal opened onClose={onClose} title={title} error={run.error} pending={run.isPending} onSubmit={submit} testId="section-modal">
      <TextInput label={t('plan.fields.code')} dir="ltr" required value={f.code} onChange={(e) => setF({ ...f, code: e.currentTarget.value })} error={err('code')} data-testid="section-code" />
      <TextInput label={t('plan.fields.title_ar')} dir="rtl" required value={f.title_ar} onChange={(e) => setF({ ...f, title_ar: e.currentTarget.value })} error={err('title_ar')} data-testid="section-title-ar" />
      <TextInput label={t('plan.fields.title_en')} dir="ltr" required value={f.title_en} onChange={(e) => setF({ ...f, title_en: e.currentTarget.value })} error={err('title_en')} data-testid="section-title-en" />
    </FormModal>
  );
}

/** Finds recommendations by text to link them (the ones already linked stay listed). */
function RecommendationPicker({ value, initial, onChange }: { value: string[]; initial: { id: string; label: string }[]; onChange: (v: string[]) => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 300);
  const [known, setKnown] = useState<Map<string, string>>(() => new Map(initial.map((i) => [i.id, i.label])));
  const found = useQuery({
    queryKey: ['plan-rec-search', q],
    queryFn: () => api<RecommendationList>(`/api/recommendations?pageSize=20&q=${encodeURIComponent(q)}`),
    enabled: q.trim().length >= 2,
  });
  const label = (r: RecommendationList['items'][number]) => `${r.document_symbol ?? ''} ¶${r.paragraph ?? ''} — ${(pickText(r, lang)?.text ?? '').slice(0, 80)}`;
  const data = new Map(known);
  for (const r of found.data?.items ?? []) data.set(r.id, label(r));
  return (
    <MultiSelect
      label={t('plan.fields.recommendations')}
      description={t('plan.recSearchHint')}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      data={[...data.entries()].map(([value, l]) => ({ value, label: l }))}
      value={value}
      onChange={(v) => {
        setKnown(new Map([...data.entries()].filter(([id]) => v.includes(id))));
        onChange(v);
      }}
      filter={({ options }) => options}
      nothingFoundMessage={q.trim().length >= 2 ? t('plan.noMatch') : t('plan.typeToSearch')}
      comboboxProps={{ withinPortal: true }}
      data-testid="action-recs"
    />
  );
}

export type ActionTarget = { mode: 'add'; objectiveId: string } | { mode: 'edit'; action: PlanActionRow };

/** Adds or edits an action with every field (entities, dates, budget, status, links). */
export function ActionModal({ target, onClose, frozen }: { target: ActionTarget; onClose: () => void; frozen: boolean }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const entities = useEntities();
  const sdgs = useTerms('sdg_target');
  const clusters = useQuery({ queryKey: ['clusters', 'plan-picker'], queryFn: () => api<ClusterList>('/api/clusters?status=accepted&pageSize=200') });
  const a = target.mode === 'edit' ? target.action : null;
  const [f, setF] = useState({
    code: a?.code ?? '',
    title_ar: a?.title_ar ?? '',
    title_en: a?.title_en ?? '',
    description_ar: a?.description_ar ?? '',
    description_en: a?.description_en ?? '',
    lead_entity_id: a?.lead_entity_id ?? null,
    partner_entity_ids: a?.partners.map((p) => p.id) ?? [],
    start_date: a?.start_date ?? '',
    end_date: a?.end_date ?? '',
    budget_amount: a?.budget_amount ?? '',
    budget_currency: a?.budget_currency ?? '',
    budget_source: a?.budget_source ?? 'none',
    priority: a?.priority ?? 'medium',
    status: a?.status ?? 'not_started',
    recommendation_ids: a?.recommendations.map((r) => r.id) ?? [],
    cluster_ids: a?.clusters.map((c) => c.id) ?? [],
    sdg_target_ids: a?.sdg_targets.map((s) => s.id) ?? [],
  });
  const [touched, setTouched] = useState(false);
  const set = (patch: Partial<typeof f>) => setF({ ...f, ...patch });
  const run = usePlanMutation(async () => {
    if (frozen && a) return planApi.editAction({ id: a.id, body: { version: a.version, status: f.status } });
    const body: Record<string, unknown> = {
      ...f,
      description_ar: f.description_ar || null,
      description_en: f.description_en || null,
      start_date: f.start_date || null,
      end_date: f.end_date || null,
      budget_amount: f.budget_amount === '' ? null : String(f.budget_amount),
      budget_currency: f.budget_currency || null,
    };
    if (!body.budget_currency) delete body.budget_currency;
    return a ? planApi.editAction({ id: a.id, body: { ...body, version: a.version } }) : planApi.addAction({ objectiveId: (target as { objectiveId: string }).objectiveId, body });
  });
  const submit = () => {
    setTouched(true);
    if (!frozen && (!f.code.trim() || !f.title_ar.trim() || !f.title_en.trim())) return;
    run.mutate(undefined, { onSuccess: onClose });
  };
  const err = (k: 'code' | 'title_ar' | 'title_en') => (touched && !f[k].trim() ? t('plan.required') : undefined);
  const entityData = (entities.data?.items ?? []).map((e) => ({ value: e.id, label: pickLabel(e.name_ar, e.name_en, lang, e.code) }));
  return (
    <FormModal opened onClose={onClose} title={t(a ? 'plan.edit.action' : 'plan.add.action')} error={run.error} pending={run.isPending} onSubmit={submit} testId="action-modal" size="xl">
      {frozen ? <Alert color="blue" variant="light">{t('plan.frozenStatusOnly')}</Alert> : null}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput label={t('plan.fields.code')} dir="ltr" required disabled={frozen} value={f.code} onChange={(e) => set({ code: e.currentTarget.value })} error={err('code')} data-testid="action-code" />
        <Select label={t('plan.fields.status')} data={ACTION_STATUSES.map((s) => ({ value: s, label: t(`plan.actionStatus.${s}`) }))} value={f.status} onChange={(v) => v && set({ status: v as typeof f.status })} allowDeselect={false} data-testid="action-status" comboboxProps={{ withinPortal: true }} />
        <Select label={t('plan.fields.priority')} disabled={frozen} data={(['high', 'medium', 'low'] as const).map((p) => ({ value: p, label: t(`priority.${p}`) }))} value={f.priority} onChange={(v) => v && set({ priority: v as typeof f.priority })} allowDeselect={false} comboboxProps={{ withinPortal: true }} />
      </SimpleGrid>
      <TextInput label={t('plan.fields.title_ar')} dir="rtl" required disabled={frozen} value={f.title_ar} onChange={(e) => set({ title_ar: e.currentTarget.value })} error={err('title_ar')} data-testid="action-title-ar" />
      <TextInput label={t('plan.fields.title_en')} dir="ltr" required disabled={frozen} value={f.title_en} onChange={(e) => set({ title_en: e.currentTarget.value })} error={err('title_en')} data-testid="action-title-en" />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Textarea label={t('plan.fields.description_ar')} dir="rtl" autosize minRows={2} disabled={frozen} value={f.description_ar} onChange={(e) => set({ description_ar: e.currentTarget.value })} />
        <Textarea label={t('plan.fields.description_en')} dir="ltr" autosize minRows={2} disabled={frozen} value={f.description_en} onChange={(e) => set({ description_en: e.currentTarget.value })} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select label={t('plan.fields.lead')} data={entityData} value={f.lead_entity_id} onChange={(v) => set({ lead_entity_id: v })} searchable clearable disabled={frozen} data-testid="action-lead" comboboxProps={{ withinPortal: true }} />
        <MultiSelect label={t('plan.fields.partners')} data={entityData} value={f.partner_entity_ids} onChange={(v) => set({ partner_entity_ids: v })} searchable disabled={frozen} comboboxProps={{ withinPortal: true }} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <DateField label={t('plan.fields.start_date')} disabled={frozen} value={f.start_date} onChange={(v) => set({ start_date: v })} testId="action-start" />
        <DateField label={t('plan.fields.end_date')} disabled={frozen} value={f.end_date} onChange={(v) => set({ end_date: v })} testId="action-end" />
        <NumberInput label={t('plan.fields.budget_amount')} dir="ltr" min={0} disabled={frozen} value={f.budget_amount} onChange={(v) => set({ budget_amount: String(v) })} thousandSeparator="," />
        <TextInput label={t('plan.fields.budget_currency')} dir="ltr" maxLength={3} disabled={frozen} value={f.budget_currency} onChange={(e) => set({ budget_currency: e.currentTarget.value.toUpperCase() })} />
      </SimpleGrid>
      <Select label={t('plan.fields.budget_source')} disabled={frozen} data={BUDGET_SOURCES.map((s) => ({ value: s, label: t(`plan.budgetSource.${s}`) }))} value={f.budget_source} onChange={(v) => v && set({ budget_source: v as typeof f.budget_source })} allowDeselect={false} comboboxProps={{ withinPortal: true }} />
      {!frozen ? (
        <>
          <RecommendationPicker value={f.recommendation_ids} initial={(a?.recommendations ?? []).map((r) => ({ id: r.id, label: `${r.symbol} ¶${r.paragraph ?? ''}` }))} onChange={(v) => set({ recommendation_ids: v })} />
          <MultiSelect
            label={t('plan.fields.clusters')}
            data={[
              ...(clusters.data?.items ?? []).map((c) => ({ value: c.id, label: pickLabel(c.title_ar, c.title_en, lang, c.id.slice(0, 8)) })),
              ...(a?.clusters ?? []).filter((c) => !(clusters.data?.items ?? []).some((x) => x.id === c.id)).map((c) => ({ value: c.id, label: pickLabel(c.title_ar, c.title_en, lang, c.id.slice(0, 8)) })),
            ]}
            value={f.cluster_ids}
            onChange={(v) => set({ cluster_ids: v })}
            searchable
            comboboxProps={{ withinPortal: true }}
          />
          <MultiSelect
            label={t('plan.fields.sdgs')}
            data={(sdgs.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.code} ${pickLabel(s.label_ar, s.label_en, lang)}`.trim() }))}
            value={f.sdg_target_ids}
            onChange={(v) => set({ sdg_target_ids: v })}
            searchable
            data-testid="action-sdgs"
            comboboxProps={{ withinPortal: true }}
          />
        </>
      ) : null}
    </FormModal>
  );
}

/** One step from a cluster to a draft action under the chosen objective. */
export function FromClusterModal({ planId, objectives, onClose }: { planId: string; objectives: { id: string; label: string }[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const clusters = useQuery({ queryKey: ['clusters', 'plan-picker'], queryFn: () => api<ClusterList>('/api/clusters?status=accepted&pageSize=200') });
  const [objectiveId, setObjectiveId] = useState<string | null>(objectives[0]?.id ?? null);
  const [clusterId, setClusterId] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const run = usePlanMutation(planApi.fromCluster);
  const submit = () => {
    setTouched(true);
    if (!objectiveId || !clusterId) return;
    run.mutate({ planId, objective_id: objectiveId, cluster_id: clusterId }, { onSuccess: onClose });
  };
  return (
    <FormModal opened onClose={onClose} title={t('plan.fromCluster.title')} error={run.error} pending={run.isPending} onSubmit={submit} testId="from-cluster">
      <Text size="sm" c="dimmed">
        {t('plan.fromCluster.hint')}
      </Text>
      <Select label={t('plan.fields.objective')} data={objectives.map((o) => ({ value: o.id, label: o.label }))} value={objectiveId} onChange={setObjectiveId} required error={touched && !objectiveId ? t('plan.required') : undefined} comboboxProps={{ withinPortal: true }} data-testid="from-cluster-objective" />
      <Select
        label={t('plan.fields.cluster')}
        data={(clusters.data?.items ?? []).map((c) => ({ value: c.id, label: `${pickLabel(c.title_ar, c.title_en, lang, c.id.slice(0, 8))} (${c.member_count})` }))}
        value={clusterId}
        onChange={setClusterId}
        searchable
        required
        error={touched && !clusterId ? t('plan.required') : undefined}
        nothingFoundMessage={t('plan.noMatch')}
        comboboxProps={{ withinPortal: true }}
        data-testid="from-cluster-cluster"
      />
    </FormModal>
  );
}

export type IndicatorTarget = { owner: 'action' | 'objective'; ownerId: string; indicator?: Indicator };

/** Adds or edits an indicator (OHCHR structure / process / outcome). */
export function IndicatorModal({ target, onClose }: { target: IndicatorTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const entities = useEntities();
  const i = target.indicator;
  const [f, setF] = useState({
    name_ar: i?.name_ar ?? '',
    name_en: i?.name_en ?? '',
    type: i?.type ?? 'process',
    unit: i?.unit ?? '',
    baseline_value: i?.baseline_value ?? '',
    baseline_year: i?.baseline_year ? String(i.baseline_year) : '',
    target_value: i?.target_value ?? '',
    target_year: i?.target_year ? String(i.target_year) : '',
    data_source: i?.data_source ?? '',
    frequency: i?.frequency ?? 'annual',
    reporting_entity_id: i?.reporting_entity_id ?? null,
    disaggregation: i?.disaggregation ?? [],
  });
  const [touched, setTouched] = useState(false);
  const set = (p: Partial<typeof f>) => setF({ ...f, ...p });
  const run = usePlanMutation(async () => {
    const body = {
      ...f,
      unit: f.unit || null,
      baseline_value: f.baseline_value === '' ? null : f.baseline_value,
      baseline_year: f.baseline_year === '' ? null : Number(f.baseline_year),
      target_value: f.target_value === '' ? null : f.target_value,
      target_year: f.target_year === '' ? null : Number(f.target_year),
      data_source: f.data_source || null,
    };
    return i ? planApi.editIndicator({ id: i.id, body: { ...body, version: i.version } }) : planApi.addIndicator({ owner: target.owner, ownerId: target.ownerId, body });
  });
  const submit = () => {
    setTouched(true);
    if (!f.name_ar.trim() || !f.name_en.trim()) return;
    run.mutate(undefined, { onSuccess: onClose });
  };
  return (
    <FormModal opened onClose={onClose} title={t(i ? 'plan.edit.indicator' : 'plan.add.indicator')} error={run.error} pending={run.isPending} onSubmit={submit} testId="indicator-modal" size="lg">
      <TextInput label={t('plan.fields.name_ar')} dir="rtl" required value={f.name_ar} onChange={(e) => set({ name_ar: e.currentTarget.value })} error={touched && !f.name_ar.trim() ? t('plan.required') : undefined} data-testid="indicator-name-ar" />
      <TextInput label={t('plan.fields.name_en')} dir="ltr" required value={f.name_en} onChange={(e) => set({ name_en: e.currentTarget.value })} error={touched && !f.name_en.trim() ? t('plan.required') : undefined} data-testid="indicator-name-en" />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select label={t('plan.fields.type')} data={INDICATOR_TYPES.map((x) => ({ value: x, label: t(`plan.indicatorType.${x}`) }))} value={f.type} onChange={(v) => v && set({ type: v as typeof f.type })} allowDeselect={false} comboboxProps={{ withinPortal: true }} />
        <TextInput label={t('plan.fields.unit')} value={f.unit} onChange={(e) => set({ unit: e.currentTarget.value })} data-testid="indicator-unit" />
        <Select label={t('plan.fields.frequency')} data={FREQUENCIES.map((x) => ({ value: x, label: t(`plan.frequency.${x}`) }))} value={f.frequency} onChange={(v) => v && set({ frequency: v as typeof f.frequency })} allowDeselect={false} comboboxProps={{ withinPortal: true }} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <TextInput label={t('plan.fields.baseline_value')} dir="ltr" value={f.baseline_value} onChange={(e) => set({ baseline_value: e.currentTarget.value })} data-testid="indicator-baseline" />
        <TextInput label={t('plan.fields.baseline_year')} dir="ltr" value={f.baseline_year} onChange={(e) => set({ baseline_year: e.currentTarget.value })} />
        <TextInput label={t('plan.fields.target_value')} dir="ltr" value={f.target_value} onChange={(e) => set({ target_value: e.currentTarget.value })} data-testid="indicator-target" />
        <TextInput label={t('plan.fields.target_year')} dir="ltr" value={f.target_year} onChange={(e) => set({ target_year: e.currentTarget.value })} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select label={t('plan.fields.reporting_entity')} data={(entities.data?.items ?? []).map((e) => ({ value: e.id, label: pickLabel(e.name_ar, e.name_en, lang, e.code) }))} value={f.reporting_entity_id} onChange={(v) => set({ reporting_entity_id: v })} searchable clearable comboboxProps={{ withinPortal: true }} data-testid="indicator-entity" />
        <TextInput label={t('plan.fields.data_source')} value={f.data_source} onChange={(e) => set({ data_source: e.currentTarget.value })} />
      </SimpleGrid>
      <MultiSelect label={t('plan.fields.disaggregation')} data={DISAGGREGATIONS.map((x) => ({ value: x, label: t(`plan.disaggregation.${x}`) }))} value={f.disaggregation} onChange={(v) => set({ disaggregation: v })} comboboxProps={{ withinPortal: true }} />
    </FormModal>
  );
}

const VALUE_COLORS = { draft: 'gray', submitted: 'yellow', returned: 'orange', approved: 'teal' } as const;

/** An indicator's value history: report a value (reporting entity), submit it (focal point), approve or return it (coordinator). */
/** An indicator's history of values, each reported in a progress update on the action (opened from here). */
export function ValuesModal({ indicator, onClose }: { indicator: Indicator; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const values = useIndicatorValues(indicator.id);
  return (
    <Modal opened onClose={onClose} title={pickLabel(indicator.name_ar, indicator.name_en, lang)} size="xl" centered closeButtonProps={{ 'aria-label': t('common.close') }} data-testid="values-modal">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('plan.values.summary', {
            baseline: indicator.baseline_value ?? '—',
            target: indicator.target_value ?? '—',
            unit: unitLabel(t, indicator.unit),
          })}
        </Text>
        <Text size="sm">{t('planFollowup.historyHint')}</Text>
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('plan.values.title')}>
          <Table miw={560} className="rec-table" data-testid="values-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('plan.values.date')}</Table.Th>
                <Table.Th>{t('plan.values.value')}</Table.Th>
                <Table.Th>{t('plan.values.source')}</Table.Th>
                <Table.Th>{t('plan.values.status')}</Table.Th>
                <Table.Th>{t('planFollowup.update')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(values.data?.items ?? []).length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text size="sm" c="dimmed">
                      {t('plan.values.none')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {(values.data?.items ?? []).map((v) => (
                <Table.Tr key={v.id} data-testid="value-row">
                  <Table.Td>
                    <bdi>{formatDate(v.date, lang)}</bdi>
                  </Table.Td>
                  <Table.Td>
                    <Ltr>{v.value}</Ltr> {unitLabel(t, indicator.unit)}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{v.source ?? ''}</Text>
                    {v.review_comment ? (
                      <Text size="xs" c="orange.9">
                        {v.review_comment}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={VALUE_COLORS[v.status]} variant="light" c="dark.8">
                      {t(`plan.valueStatus.${v.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/updates/${v.update_id}`} size="sm" data-testid="value-update-link">
                      {t('planFollowup.openUpdate')}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      </Stack>
    </Modal>
  );
}
