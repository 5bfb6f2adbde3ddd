import { Alert, Anchor, Badge, Button, Group, Menu, Paper, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../api/errors.ts';
import { formatDate, formatNumber, pickLabel } from '../../api/format.ts';
import type { User } from '../../api/types.ts';
import { canCurate } from '../../auth/session.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { Money } from '../../components/Money.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { type AcceptedComment, useAcceptedCommentsMany } from '../consultations/api.ts';
import { StakeholderInputList } from '../consultations/StakeholderInput.tsx';
import { type Indicator, PLAN_NEXT, type PlanActionRow, type PlanStatus, type PlanTree, planApi, usePlan, usePlanMutation } from './api.ts';
import { CompareModal } from './PlanCompare.tsx';
import { PlanCoverage } from './PlanCoverage.tsx';
import { ActionModal, type ActionTarget, FromClusterModal, IndicatorModal, type IndicatorTarget, SectionModal, type SectionTarget, ValuesModal } from './PlanForms.tsx';
import { PlanImportButton } from './PlanImport.tsx';
import { ActionStatusBadge, PlanStatusBadge, ProgressBar, unitLabel } from './parts.tsx';
import { PlanTimeline } from './PlanTimeline.tsx';
import './plan.css';

type DeleteTarget = { kind: 'pillar' | 'objective' | 'action' | 'indicator'; id: string; version: number; label: string };

function IndicatorLine({ i, editable, curator, onValues, onEdit, onDelete }: { i: Indicator; editable: boolean; curator: boolean; onValues: () => void; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  return (
    <Group gap="xs" wrap="wrap" data-testid="indicator-line">
      <Badge size="xs" variant="light" color="grape" c="dark.8">
        {t(`plan.indicatorType.${i.type}`)}
      </Badge>
      <Text size="sm">{pickLabel(i.name_ar, i.name_en, lang)}</Text>
      <Text size="xs" c="dimmed">
        {t('plan.indicatorLine', { baseline: i.baseline_value ?? '—', target: i.target_value ?? '—', unit: unitLabel(t, i.unit) })}
        {i.latest ? (
          <>
            {' · '}
            {t('plan.latest')} <Ltr>{i.latest.value}</Ltr> {unitLabel(t, i.unit)} (<bdi>{formatDate(i.latest.date, lang)}</bdi>)
          </>
        ) : null}
      </Text>
      {i.attainment !== null ? (
        <Badge size="xs" variant="outline" color={i.off_track ? 'red.9' : 'teal.9'} c={i.off_track ? 'red.9' : 'teal.9'}>
          {t('plan.attainment', { n: i.attainment })}
          {i.off_track ? ` · ${t('plan.offTrack')}` : ''}
        </Badge>
      ) : null}
      {i.submitted_values > 0 ? (
        <Badge size="xs" color="yellow" variant="light" c="dark.8">
          {t('plan.pendingValues', { n: i.submitted_values })}
        </Badge>
      ) : null}
      <Button size="compact-xs" variant="light" onClick={onValues} data-testid="indicator-values">
        {t('plan.values.open')}
      </Button>
      {editable && curator ? (
        <>
          <Button size="compact-xs" variant="default" onClick={onEdit}>
            {t('plan.editShort')}
          </Button>
          <Button size="compact-xs" variant="default" c="red.9" onClick={onDelete}>
            {t('plan.deleteShort')}
          </Button>
        </>
      ) : null}
    </Group>
  );
}

/** The indicators of an action or an objective, each with its values and edit actions. */
function IndicatorList({ indicators, owner, ownerId, plan, curator, open, indent = false }: { indicators: Indicator[]; owner: 'action' | 'objective'; ownerId: string; plan: PlanTree; curator: boolean; open: OpenFns; indent?: boolean }) {
  const { lang } = useLanguage();
  if (!indicators.length) return null;
  return (
    <Stack gap={4} mt={6} ps={indent ? 'md' : undefined}>
      {indicators.map((i) => (
        <IndicatorLine
          key={i.id}
          i={i}
          editable={plan.editable}
          curator={curator}
          onValues={() => open.values(i)}
          onEdit={() => open.indicator({ owner, ownerId, indicator: i })}
          onDelete={() => open.del({ kind: 'indicator', id: i.id, version: i.version, label: pickLabel(i.name_ar, i.name_en, lang) })}
        />
      ))}
    </Stack>
  );
}

function ActionBlock({ a, plan, curator, open, said = [] }: { a: PlanActionRow; plan: PlanTree; curator: boolean; open: OpenFns; said?: AcceptedComment[] }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const title = pickLabel(a.title_ar, a.title_en, lang);
  return (
    <div className="plan-tree-action" data-testid="plan-action">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={2} style={{ flex: '1 1 260px', minWidth: 0 }}>
          <Group gap={6} wrap="wrap">
            <Text size="xs" c="dimmed">
              <Ltr>{a.code}</Ltr>
            </Text>
            <Text fw={600} size="sm">
              {title}
            </Text>
            <ActionStatusBadge status={a.status} />
            {a.overdue ? (
              <Badge size="sm" color="red" variant="light" c="red.9">
                {t('plan.overdue')}
              </Badge>
            ) : null}
          </Group>
          <Text size="xs" c="dimmed">
            {t('plan.fields.lead')}: {a.lead_entity_id ? pickLabel(a.lead_name_ar, a.lead_name_en, lang, a.lead_code ?? '') : t('plan.noLead')}
            {a.partners.length ? ` · ${t('plan.fields.partners')}: ${a.partners.map((p) => pickLabel(p.name_ar, p.name_en, lang, p.code)).join(lang === 'ar' ? '، ' : ', ')}` : ''}
          </Text>
          <Text size="xs" c="dimmed">
            {a.start_date || a.end_date ? (
              <>
                <bdi>{formatDate(a.start_date, lang) || '…'}</bdi> – <bdi>{formatDate(a.end_date, lang) || '…'}</bdi>
              </>
            ) : null}
            {a.budget_amount ? (
              <>
                {' · '}
                {t('plan.budget')} <Money amount={Number(a.budget_amount)} currency={a.budget_currency} /> ({t(`plan.budgetSource.${a.budget_source}`)})
              </>
            ) : null}
          </Text>
          {a.recommendations.length || a.sdg_targets.length ? (
            <Text size="xs">
              {a.recommendations.length ? (
                <>
                  {t('plan.answers')}{' '}
                  {a.recommendations.slice(0, 6).map((r, idx) => (
                    <span key={r.id}>
                      {idx > 0 ? (lang === 'ar' ? '، ' : ', ') : ''}
                      <Anchor component={Link} to={`/recommendations/${r.id}`} size="xs">
                        <Ltr>{`${r.symbol} ¶${r.paragraph ?? ''}`}</Ltr>
                      </Anchor>
                    </span>
                  ))}
                  {a.recommendations.length > 6 ? ` ${t('plan.andMore', { n: a.recommendations.length - 6 })}` : ''}
                </>
              ) : null}
              {a.sdg_targets.length ? (
                <>
                  {' · '}
                  {t('plan.sdg')} <Ltr>{a.sdg_targets.map((s) => s.code).join(', ')}</Ltr>
                </>
              ) : null}
            </Text>
          ) : null}
        </Stack>
        <Stack gap={4} align="flex-end">
          <ProgressBar value={a.progress} label={t('plan.progressOf', { name: title })} />
          {open.report && open.mayReport(a) ? (
            <Button size="compact-xs" variant="light" loading={open.reporting === a.id} onClick={() => open.report?.(a)} data-testid="action-report">
              {t('planFollowup.report')}
            </Button>
          ) : null}
          {curator ? (
            <Group gap={4}>
              <Button size="compact-xs" variant="default" onClick={() => open.action({ mode: 'edit', action: a })} data-testid="action-edit">
                {plan.editable ? t('plan.editShort') : t('plan.statusShort')}
              </Button>
              {plan.editable ? (
                <>
                  <Button size="compact-xs" variant="default" onClick={() => open.indicator({ owner: 'action', ownerId: a.id })} data-testid="action-add-indicator">
                    {t('plan.add.indicatorShort')}
                  </Button>
                  <Button size="compact-xs" variant="default" c="red.9" onClick={() => open.del({ kind: 'action', id: a.id, version: a.version, label: title })}>
                    {t('plan.deleteShort')}
                  </Button>
                </>
              ) : null}
            </Group>
          ) : null}
        </Stack>
      </Group>
      <IndicatorList indicators={a.indicators} owner="action" ownerId={a.id} plan={plan} curator={curator} open={open} indent />
      <StakeholderInputList items={said} compact />
    </div>
  );
}

interface OpenFns {
  section: (t: SectionTarget) => void;
  action: (t: ActionTarget) => void;
  indicator: (t: IndicatorTarget) => void;
  values: (i: Indicator) => void;
  del: (d: DeleteTarget) => void;
  /** start a progress update on the action (its lead entity's people, or a curator), or null when this user may not */
  report: ((a: PlanActionRow) => void) | null;
  mayReport: (a: PlanActionRow) => boolean;
  reporting: string | null;
}

function Structure({ plan, curator, open }: { plan: PlanTree; curator: boolean; open: OpenFns }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const edit = plan.editable && curator;
  // What stakeholders said about each action in consultations (accepted comments), read in one go.
  const said = useAcceptedCommentsMany('plan_action', plan.pillars.flatMap((p) => p.objectives.flatMap((o) => o.actions.map((a) => a.id))));
  if (!plan.pillars.length) {
    return (
      <Stack p="xl" align="center" gap="xs">
        <Text fw={600}>{t('plan.noPillars')}</Text>
        {edit ? (
          <Button onClick={() => open.section({ mode: 'add-pillar', planId: plan.id })} data-testid="add-pillar">
            {t('plan.add.pillar')}
          </Button>
        ) : null}
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      {plan.pillars.map((p) => {
        const ptitle = pickLabel(p.title_ar, p.title_en, lang);
        return (
          <Paper key={p.id} withBorder p="md" data-testid="plan-pillar">
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Title order={2} fz={18} c="navy.9">
                <Ltr>{p.code}</Ltr> · {ptitle}
              </Title>
              <Group gap="xs">
                <ProgressBar value={p.progress} label={t('plan.progressOf', { name: ptitle })} w={180} />
                {edit ? (
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <Button size="compact-sm" variant="default" aria-label={t('plan.pillarMenu', { name: ptitle })} data-testid="pillar-menu">
                        ⋯
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item onClick={() => open.section({ mode: 'add-objective', pillarId: p.id })} data-testid="add-objective">
                        {t('plan.add.objective')}
                      </Menu.Item>
                      <Menu.Item onClick={() => open.section({ mode: 'edit', kind: 'pillar', id: p.id, version: p.version, code: p.code, title_ar: p.title_ar, title_en: p.title_en })}>{t('plan.edit.pillar')}</Menu.Item>
                      <Menu.Item color="red.9" onClick={() => open.del({ kind: 'pillar', id: p.id, version: p.version, label: ptitle })}>
                        {t('plan.delete.pillar')}
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                ) : null}
              </Group>
            </Group>
            {p.objectives.length === 0 ? (
              <Text size="sm" c="dimmed" mt="sm">
                {t('plan.noObjectives')}
              </Text>
            ) : null}
            {p.objectives.map((o) => {
              const otitle = pickLabel(o.title_ar, o.title_en, lang);
              return (
                <Paper key={o.id} mt="sm" p="sm" bg="gray.0" data-testid="plan-objective">
                  <Group justify="space-between" wrap="wrap" gap="xs">
                    <Text fw={600}>
                      <Ltr>{o.code}</Ltr> · {otitle}
                    </Text>
                    <Group gap="xs">
                      <ProgressBar value={o.progress} label={t('plan.progressOf', { name: otitle })} />
                      {edit ? (
                        <Menu position="bottom-end" withinPortal>
                          <Menu.Target>
                            <Button size="compact-sm" variant="default" aria-label={t('plan.objectiveMenu', { name: otitle })} data-testid="objective-menu">
                              ⋯
                            </Button>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item onClick={() => open.action({ mode: 'add', objectiveId: o.id })} data-testid="add-action">
                              {t('plan.add.action')}
                            </Menu.Item>
                            <Menu.Item onClick={() => open.indicator({ owner: 'objective', ownerId: o.id })}>{t('plan.add.indicator')}</Menu.Item>
                            <Menu.Item onClick={() => open.section({ mode: 'edit', kind: 'objective', id: o.id, version: o.version, code: o.code, title_ar: o.title_ar, title_en: o.title_en })}>{t('plan.edit.objective')}</Menu.Item>
                            <Menu.Item color="red.9" onClick={() => open.del({ kind: 'objective', id: o.id, version: o.version, label: otitle })}>
                              {t('plan.delete.objective')}
                            </Menu.Item>
                          </Menu.Dropdown>
                        </Menu>
                      ) : null}
                    </Group>
                  </Group>
                  <IndicatorList indicators={o.indicators} owner="objective" ownerId={o.id} plan={plan} curator={curator} open={open} />
                  {o.actions.length === 0 ? (
                    <Text size="sm" c="dimmed" mt={6}>
                      {t('plan.noActions')}
                    </Text>
                  ) : null}
                  {o.actions.map((a) => (
                    <ActionBlock key={a.id} a={a} plan={plan} curator={curator} open={open} said={said.data?.get(a.id) ?? []} />
                  ))}
                </Paper>
              );
            })}
          </Paper>
        );
      })}
    </Stack>
  );
}

/** A titled card of the plan dashboard; `empty` is shown instead of the content when there is nothing to list. */
function DashCard({ title, empty, children }: { title: string; empty?: string | null; children: ReactNode }) {
  return (
    <Paper withBorder p="sm">
      <Text fw={600} mb="xs">
        {title}
      </Text>
      {empty ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        children
      )}
    </Paper>
  );
}

/** A small scrollable table with its column headings. */
function DashTable({ label, head, children }: { label: string; head: string[]; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      <Table className="rec-table" miw={300}>
        <Table.Thead>
          <Table.Tr>
            {head.map((h) => (
              <Table.Th key={h}>{h}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </div>
  );
}

/** a dashboard table's progress bar: narrower on a phone, so that the names beside it are not squeezed into a word per line */
const DASH_BAR = { base: 96, sm: 140 };

function Dashboard({ plan }: { plan: PlanTree }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const d = plan.dashboard;
  const ownerCodes = new Map(plan.pillars.flatMap((p) => p.objectives.flatMap((o) => [[o.id, o.code] as const, ...o.actions.map((a) => [a.id, a.code] as const)])));
  const money = (b: Record<string, number>) => {
    const sums = Object.entries(b);
    if (!sums.length) return '—';
    return sums.map(([cur, n], i) => (
      <span key={cur}>
        {i > 0 ? ' + ' : null}
        <Money amount={n} currency={cur || null} wrap />
      </span>
    ));
  };
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="plan-dashboard">
      <DashCard title={t('plan.dashboard.byPillar')}>
        <DashTable label={t('plan.dashboard.byPillar')} head={[t('plan.dashboard.pillar'), t('plan.col.progress'), t('plan.budget')]}>
          {d.pillars.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>{pickLabel(p.title_ar, p.title_en, lang)}</Table.Td>
              <Table.Td>
                <ProgressBar value={p.progress} label={pickLabel(p.title_ar, p.title_en, lang)} w={DASH_BAR} />
              </Table.Td>
              <Table.Td>
                {money(p.budget)}
              </Table.Td>
            </Table.Tr>
          ))}
        </DashTable>
      </DashCard>
      <DashCard title={t('plan.dashboard.byEntity')}>
        <DashTable label={t('plan.dashboard.byEntity')} head={[t('plan.fields.lead'), t('plan.col.actions'), t('plan.col.progress')]}>
          {d.entities.map((e) => (
            <Table.Tr key={e.entity_id ?? 'none'}>
              <Table.Td>{e.entity_id ? pickLabel(e.name_ar, e.name_en, lang, e.code ?? '') : t('plan.noLead')}</Table.Td>
              <Table.Td>
                <Ltr>{formatNumber(e.actions, lang)}</Ltr>
                {e.delayed ? <Text span size="xs" c="red.9">{` · ${t('plan.dashboard.delayedN', { n: e.delayed })}`}</Text> : null}
              </Table.Td>
              <Table.Td>
                <ProgressBar value={e.progress} label={pickLabel(e.name_ar, e.name_en, lang, e.code ?? '')} w={DASH_BAR} />
              </Table.Td>
            </Table.Tr>
          ))}
        </DashTable>
      </DashCard>
      <DashCard title={t('plan.dashboard.delayed')} empty={d.delayed.length === 0 ? t('plan.dashboard.noneDelayed') : null}>
        <Stack gap={4}>
          {d.delayed.map((a) => (
            <Group key={a.id} gap="xs">
              <Ltr>{a.code}</Ltr>
              <Text size="sm">{pickLabel(a.title_ar, a.title_en, lang)}</Text>
              <ActionStatusBadge status={a.status} />
              {a.overdue ? (
                <Text size="xs" c="red.9">
                  {t('plan.overdue')} (<bdi>{formatDate(a.end_date, lang)}</bdi>)
                </Text>
              ) : null}
            </Group>
          ))}
        </Stack>
      </DashCard>
      <DashCard title={t('plan.dashboard.offTrack')} empty={d.off_track.length === 0 ? t('plan.dashboard.noneOffTrack') : null}>
        <Stack gap={4}>
          {d.off_track.map((i) => (
            <Group key={i.id} gap="xs" wrap="nowrap" align="baseline">
              {/* the action's (or objective's) code: indicators of different actions often share a name */}
              <Text span size="sm" data-testid="off-track-owner">
                <Ltr>{ownerCodes.get(i.action_id ?? i.objective_id ?? '') ?? ''}</Ltr>
              </Text>
              <Text size="sm">
                {pickLabel(i.name_ar, i.name_en, lang)} — {t('plan.dashboard.attainedExpected', { a: i.attainment ?? 0, e: i.expected ?? 0 })}
              </Text>
            </Group>
          ))}
        </Stack>
      </DashCard>
    </SimpleGrid>
  );
}

export function PlanPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const plan = usePlan(id);
  const [tab, setTab] = useState<string>('structure');
  const [section, setSection] = useState<SectionTarget | null>(null);
  const [action, setAction] = useState<ActionTarget | null>(null);
  const [indicator, setIndicator] = useState<IndicatorTarget | null>(null);
  const [values, setValues] = useState<Indicator | null>(null);
  const [del, setDel] = useState<DeleteTarget | null>(null);
  const [fromCluster, setFromCluster] = useState(false);
  const [move, setMove] = useState<PlanStatus | null>(null);
  const [compare, setCompare] = useState(false);
  const remove = usePlanMutation(planApi.deleteSection);
  const status = usePlanMutation(planApi.setStatus);
  const publication = usePlanMutation(planApi.setPublication);
  const [publish, setPublish] = useState<boolean | null>(null);
  const newVersion = usePlanMutation(planApi.newVersion);
  const curator = canCurate(user);
  const report = usePlanMutation(planApi.reportOn);
  const mayReport = (a: PlanActionRow) =>
    plan.data?.status !== 'archived' &&
    a.lead_entity_id !== null &&
    (curator || ((user.role === 'focal_point' || user.role === 'contributor') && user.entity_id === a.lead_entity_id));
  const open: OpenFns = {
    section: setSection,
    action: setAction,
    indicator: setIndicator,
    values: setValues,
    del: setDel,
    report: (a) => report.mutate({ actionId: a.id }, { onSuccess: (u) => void navigate(`/updates/${u.id}`) }),
    mayReport,
    reporting: report.isPending ? (report.variables?.actionId ?? null) : null,
  };

  if (plan.isError) return <ErrorState error={plan.error} onRetry={() => void plan.refetch()} />;
  if (!plan.data) return <LoadingState />;
  const p = plan.data;
  const title = pickLabel(p.title_ar, p.title_en, lang);
  const objectives = p.pillars.flatMap((x) => x.objectives.map((o) => ({ id: o.id, label: `${o.code} · ${pickLabel(o.title_ar, o.title_en, lang)}` })));
  const current = objectives.length ? new Date().toISOString().slice(0, 10) : '';

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/plan" size="sm">
        {t('plan.back')}
      </Anchor>
      <PageHeader
        title={title}
        subtitle={
          <>
            <bdi>{formatDate(p.period_start, lang)}</bdi> – <bdi>{formatDate(p.period_end, lang)}</bdi> · {t('plan.versionN', { n: p.version_number })}
          </>
        }
        actions={
          <Group gap="xs" wrap="wrap">
            <PlanStatusBadge status={p.status} />
            {p.published_at ? (
              <Badge variant="light" color="teal" component="a" href={`/public/${lang === 'ar' ? 'ar' : 'en'}/plans/${encodeURIComponent(p.id)}`} style={{ cursor: 'pointer' }} data-testid="plan-on-portal">
                {t('planPortal.onPortal')}
              </Badge>
            ) : null}
            {curator && (p.published_at || p.status === 'adopted') ? (
              <Button size="xs" variant="default" color={p.published_at ? 'red' : undefined} onClick={() => setPublish(!p.published_at)} data-testid={p.published_at ? 'plan-unpublish' : 'plan-publish'}>
                {t(p.published_at ? 'planPortal.unpublish' : 'planPortal.publish')}
              </Button>
            ) : null}
            {curator
              ? PLAN_NEXT[p.status].map((s) => (
                  <Button key={s} size="xs" variant={s === 'adopted' ? 'filled' : 'default'} onClick={() => setMove(s)} data-testid={`plan-to-${s}`}>
                    {t(`plan.moveTo.${s}`)}
                  </Button>
                ))
              : null}
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button size="xs" variant="default" data-testid="plan-export">
                  {t('plan.export.button')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {(['ar', 'en'] as const).map((l) => (
                  <Menu.Item key={l} component="a" href={`/api/plans/${encodeURIComponent(p.id)}/export?format=docx&lang=${l}`} download data-testid={`plan-export-${l}`}>
                    {t(`plan.export.${l}`)}
                  </Menu.Item>
                ))}
                <Menu.Item component="a" href={`/api/plans/${encodeURIComponent(p.id)}/export?format=xlsx`} download data-testid="plan-export-xlsx">
                  {t('plan.export.xlsx')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
            {curator && p.editable ? <PlanImportButton planId={p.id} size="xs" /> : null}
            {curator && !p.editable ? (
              <Button size="xs" variant="light" onClick={() => newVersion.mutate({ id: p.id }, { onSuccess: (r) => void navigate(`/plan/${r.id}`) })} loading={newVersion.isPending} data-testid="plan-new-version">
                {t('plan.newVersion')}
              </Button>
            ) : null}
          </Group>
        }
      />
      {newVersion.isError || report.isError ? (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(newVersion.error ?? report.error)}
        </Alert>
      ) : null}
      {!p.editable ? (
        <Alert color="blue" variant="light" data-testid="plan-frozen">
          {t('plan.frozen')}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        {(['pillars', 'objectives', 'actions', 'indicators', 'recommendations'] as const).map((k) => (
          <Paper key={k} withBorder p="xs">
            <Text size="xs" c="dimmed">
              {t(`plan.counts.${k}`)}
            </Text>
            <Text fw={700} fz={20}>
              <Ltr>{formatNumber(p.counts[k], lang)}</Ltr>
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <Group gap="sm">
        <Text fw={600}>{t('plan.overall')}</Text>
        <ProgressBar value={p.progress} label={t('plan.progressOf', { name: title })} w={260} />
      </Group>
      {p.versions.length > 1 ? (
        <Group gap="xs">
          <Text size="sm">{t('plan.versions')}</Text>
          {p.versions.map((v) => (
            <Anchor key={v.id} component={Link} to={`/plan/${v.id}`} size="sm" fw={v.id === p.id ? 700 : 400}>
              <Ltr>{`v${v.version_number}`}</Ltr> ({t(`plan.status.${v.status}`)})
            </Anchor>
          ))}
          {p.previous_id ? (
            <Button size="compact-sm" variant="default" onClick={() => setCompare(true)} data-testid="plan-compare">
              {t('plan.compare.button')}
            </Button>
          ) : null}
        </Group>
      ) : null}

      <Tabs value={tab} onChange={(v) => v && setTab(v)} keepMounted={false}>
        <Tabs.List aria-label={t('plan.tabs.label')}>
          <Tabs.Tab value="structure" data-testid="tab-structure">{t('plan.tabs.structure')}</Tabs.Tab>
          <Tabs.Tab value="timeline" data-testid="tab-timeline">{t('plan.tabs.timeline')}</Tabs.Tab>
          <Tabs.Tab value="coverage" data-testid="tab-coverage">{t('plan.tabs.coverage')}</Tabs.Tab>
          <Tabs.Tab value="dashboard" data-testid="tab-dashboard">{t('plan.tabs.dashboard')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="structure" pt="md">
          {curator && p.editable && p.pillars.length ? (
            <Group mb="sm" gap="xs">
              <Button size="xs" variant="default" onClick={() => setSection({ mode: 'add-pillar', planId: p.id })} data-testid="add-pillar">
                {t('plan.add.pillar')}
              </Button>
              <Button size="xs" variant="default" disabled={!current} onClick={() => setFromCluster(true)} data-testid="action-from-cluster">
                {t('plan.fromCluster.button')}
              </Button>
            </Group>
          ) : null}
          <Structure plan={p} curator={curator} open={open} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline" pt="md">
          <PlanTimeline plan={p} />
        </Tabs.Panel>
        <Tabs.Panel value="coverage" pt="md">
          <PlanCoverage planId={p.id} />
        </Tabs.Panel>
        <Tabs.Panel value="dashboard" pt="md">
          <Dashboard plan={p} />
        </Tabs.Panel>
      </Tabs>

      {section ? <SectionModal target={section} onClose={() => setSection(null)} /> : null}
      {action ? <ActionModal target={action} frozen={!p.editable} onClose={() => setAction(null)} /> : null}
      {indicator ? <IndicatorModal target={indicator} onClose={() => setIndicator(null)} /> : null}
      {values ? <ValuesModal indicator={values} onClose={() => setValues(null)} /> : null}
      {compare && p.previous_id ? <CompareModal planId={p.id} withId={p.previous_id} onClose={() => setCompare(false)} /> : null}
      {fromCluster ? <FromClusterModal planId={p.id} objectives={objectives} onClose={() => setFromCluster(false)} /> : null}
      <ConfirmDialog
        opened={del !== null}
        title={del ? t(`plan.delete.${del.kind}`) : ''}
        confirmLabel={t('plan.deleteConfirm')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onClose={() => {
          setDel(null);
          remove.reset();
        }}
        onConfirm={() => del && remove.mutate({ kind: del.kind, id: del.id, version: del.version }, { onSuccess: () => setDel(null) })}
        testId="plan-delete-confirm"
      >
        <Text size="sm">{del ? t('plan.deleteQuestion', { name: del.label }) : ''}</Text>
      </ConfirmDialog>
      <ConfirmDialog
        opened={move !== null}
        title={move ? t(`plan.moveTo.${move}`) : ''}
        confirmLabel={t('plan.confirmMove')}
        loading={status.isPending}
        error={status.error}
        onClose={() => {
          setMove(null);
          status.reset();
        }}
        onConfirm={() => move && status.mutate({ id: p.id, version: p.version, status: move }, { onSuccess: () => setMove(null) })}
        testId="plan-move-confirm"
      >
        <Text size="sm">{move ? t(`plan.moveHint.${move}`) : ''}</Text>
      </ConfirmDialog>
      <ConfirmDialog
        opened={publish !== null}
        title={t(publish ? 'planPortal.publish' : 'planPortal.unpublish')}
        confirmLabel={t(publish ? 'planPortal.confirmPublish' : 'planPortal.confirmUnpublish')}
        danger={publish === false}
        loading={publication.isPending}
        error={publication.error}
        onClose={() => {
          setPublish(null);
          publication.reset();
        }}
        onConfirm={() => publish !== null && publication.mutate({ id: p.id, version: p.version, published: publish }, { onSuccess: () => setPublish(null) })}
        testId="plan-publication-confirm"
      >
        <Text size="sm">{t(publish ? 'planPortal.publishHint' : 'planPortal.unpublishHint')}</Text>
      </ConfirmDialog>
    </Stack>
  );
}
