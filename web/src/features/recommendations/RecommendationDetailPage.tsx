import { Anchor, Badge, Breadcrumbs, Card, Group, SimpleGrid, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { auditActionLabel } from '../audit/actions.ts';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime, pickLabel } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import type { AuditEntry, RecommendationDetail, StatusRef, Term, User } from '../../api/types.ts';
import { canCurate } from '../../auth/session.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { AssignmentsPanel } from '../assignments/AssignmentsPanel.tsx';
import { ClusterLink } from '../clusters/parts.tsx';
import { PortalRecommendationLink } from '../portal/PortalLinks.tsx';
import { SimilarPanel } from '../search/SimilarPanel.tsx';
import { SuggestionsPanel } from '../tagging/SuggestionsPanel.tsx';
import { StakeholderInput } from '../consultations/StakeholderInput.tsx';
import { MergesPanel } from '../duplicates/DuplicatesPage.tsx';
import { EditPanel } from './EditPanel.tsx';
import { tCode } from './labels.tsx';

export function recommendationKey(id: string) {
  return ['recommendation', id] as const;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

const TEXT_LANGS = [
  { code: 'ar', dir: 'rtl' },
  { code: 'en', dir: 'ltr' },
  { code: 'fr', dir: 'ltr' },
] as const;

function TextBlocks({ rec }: { rec: RecommendationDetail }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const present = TEXT_LANGS.filter((l) => (l.code === 'ar' || l.code === 'en' ? true : !!rec[`text_${l.code}`]));
  // The interface language first (on the right in Arabic, on the left in English).
  const ordered = [...present].sort((a, b) => (a.code === lang ? -1 : b.code === lang ? 1 : 0));
  return (
    <SimpleGrid cols={{ base: 1, md: Math.min(ordered.length, 3) }} spacing="md">
      {ordered.map((l) => {
        const text = rec[`text_${l.code}`];
        return (
          <Card key={l.code} component="section" aria-labelledby={`text-${l.code}`} data-testid={`text-${l.code}`} padding="md">
            <Group justify="space-between" mb="xs">
              <Title order={2} fz="sm" id={`text-${l.code}`} c="navy.9">
                {t(`detail.textIn.${l.code}`)}
              </Title>
              {rec.original_lang === l.code ? (
                <Badge size="sm" variant="light" color="navy" c="navy.9">
                  {t('detail.original')}
                </Badge>
              ) : null}
            </Group>
            {text ? (
              <Text className="text-block" lang={l.code} dir={l.dir} ta="start">
                {text}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                {t('detail.noTextInLang')}
              </Text>
            )}
          </Card>
        );
      })}
    </SimpleGrid>
  );
}

function Terms({ terms }: { terms: Term[] }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const groups: { kind: Term['kind']; color: string }[] = [
    { kind: 'theme', color: 'rasd' },
    { kind: 'affected_person', color: 'navy' },
    { kind: 'sdg_goal', color: 'blue' },
    { kind: 'sdg_target', color: 'blue' },
    { kind: 'tag', color: 'gray' },
  ];
  return (
    <dl className="field-list">
      {groups.map((g) => {
        const items = terms.filter((x) => x.kind === g.kind);
        return (
          <Field key={g.kind} label={t(`terms.${g.kind}`)}>
            {items.length === 0 ? (
              <Text size="sm" c="dimmed" span>
                {t('common.none')}
              </Text>
            ) : (
              <Group gap={6}>
                {items.map((x) => {
                  const label = pickLabel(x.label_ar, x.label_en, lang, '');
                  const isSdg = g.kind === 'sdg_goal' || g.kind === 'sdg_target';
                  return (
                    <Badge key={x.id} variant="light" color={g.color} c="dark.8" size="lg">
                      {isSdg ? (
                        <>
                          {t('terms.sdgPrefix')} <Ltr>{x.code}</Ltr>
                          {label ? ` — ${label}` : ''}
                        </>
                      ) : (
                        label || x.code
                      )}
                    </Badge>
                  );
                })}
              </Group>
            )}
          </Field>
        );
      })}
    </dl>
  );
}

function statusName(code: string | null, statuses: StatusRef[] | undefined, lang: 'ar' | 'en'): string {
  if (!code) return '—';
  const s = statuses?.find((x) => x.code === code);
  return s ? pickLabel(s.label_ar, s.label_en, lang, code) : code;
}

/** Fields whose stored values are codes are shown by their translated label. */
const CODED_FIELDS: Record<string, string> = { priority: 'priority', position: 'position', kind: 'kind' };

function AuditValue({ field, value, statuses }: { field: string; value: unknown; statuses?: StatusRef[] }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  if (value === null || value === undefined || value === '') return <span>—</span>;
  if (typeof value === 'boolean') return <span>{value ? t('common.yes') : t('common.no')}</span>;
  if (typeof value === 'number' && (field === 'is_public' || field === 'follow_up')) return <span>{value ? t('common.yes') : t('common.no')}</span>;
  if (field === 'status' && typeof value === 'string') return <span>{statusName(value, statuses, lang)}</span>;
  const prefix = CODED_FIELDS[field];
  if (prefix && typeof value === 'string') return <span>{tCode(t, prefix, value)}</span>;
  if (typeof value === 'string' && /^[\x20-\x7e]*$/.test(value)) return <Ltr>{value}</Ltr>;
  return <bdi>{typeof value === 'string' ? value : JSON.stringify(value)}</bdi>;
}

function AuditList({ entries, statuses }: { entries: AuditEntry[]; statuses?: StatusRef[] }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('detail.noChanges')}
      </Text>
    );
  }
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('detail.history')}>
      <Table striped verticalSpacing={6} className="rec-table" data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('detail.audit.when')}</Table.Th>
            <Table.Th>{t('detail.audit.who')}</Table.Th>
            <Table.Th>{t('detail.audit.what')}</Table.Th>
            <Table.Th>{t('detail.audit.changes')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => {
            const keys = Object.keys({ ...(e.before ?? {}), ...(e.after ?? {}) });
            return (
              <Table.Tr key={e.id}>
                <Table.Td>
                  <bdi>{formatDateTime(e.at, lang)}</bdi>
                </Table.Td>
                <Table.Td>{e.actor_name ?? t('detail.audit.system')}</Table.Td>
                <Table.Td>{auditActionLabel(t, e.action)}</Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    {keys.map((k) => (
                      <Text size="xs" key={k}>
                        <strong>{tCode(t, 'fields', k)}</strong>: <AuditValue field={k} value={e.before?.[k]} statuses={statuses} /> {lang === 'ar' ? '←' : '→'}{' '}
                        <AuditValue field={k} value={e.after?.[k]} statuses={statuses} />
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </div>
  );
}

export function RecommendationDetailPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const { id = '' } = useParams();
  const ref = useReference();
  const rec = useQuery({
    queryKey: recommendationKey(id),
    queryFn: () => api<RecommendationDetail>(`/api/recommendations/${encodeURIComponent(id)}`),
  });

  if (rec.isPending) return <LoadingState />;
  if (rec.isError) return <ErrorState error={rec.error} onRetry={() => void rec.refetch()} />;
  const r = rec.data;
  const statuses = ref.data?.statuses;
  const body = pickLabel(r.body_name_ar, r.body_name_en, lang, r.body_code ?? '');
  const mechanism = pickLabel(r.mechanism_name_ar, r.mechanism_name_en, lang, r.mechanism_code ?? '');
  const yesNo = (v: boolean) => (v ? t('common.yes') : t('common.no'));

  return (
    <Stack gap="md">
      <Breadcrumbs separator={lang === 'ar' ? '‹' : '›'} aria-label={t('detail.breadcrumb')}>
        <Anchor component={Link} to="/recommendations" size="sm">
          {t('recs.title')}
        </Anchor>
        <Text size="sm" aria-current="page">
          {t('detail.paragraph')} <Ltr>{r.paragraph ?? ''}</Ltr>
        </Text>
      </Breadcrumbs>

      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Title order={1} fz={24} c="navy.9">
            {tCode(t, 'kind', r.kind)} <Ltr>{r.paragraph ?? ''}</Ltr>
          </Title>
          <Text c="dimmed" size="sm">
            <Ltr>{r.document_symbol ?? ''}</Ltr> · {body} · <bdi>{formatDate(r.document_date, lang)}</bdi>
          </Text>
          {r.cluster_id ? <ClusterLink id={r.cluster_id} /> : null}
        </Stack>
        <Group gap="xs">
          <StatusBadge code={r.status} statuses={statuses} size="lg" />
          {r.position ? (
            <Badge size="lg" variant="light" color="navy" c="navy.9">
              {tCode(t, 'position', r.position)}
            </Badge>
          ) : null}
          {r.priority ? (
            <Badge size="lg" variant="outline" color="dark" c="dark.7">
              {t('fields.priority')}: {tCode(t, 'priority', r.priority)}
            </Badge>
          ) : null}
        </Group>
      </Group>

      <TextBlocks rec={r} />

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Card component="section" aria-labelledby="sec-source">
          <Title order={2} fz="md" mb="sm" id="sec-source" c="navy.9">
            {t('detail.source')}
          </Title>
          <dl className="field-list">
            <Field label={t('fields.document_symbol')}>
              <Ltr>{r.document_symbol ?? '—'}</Ltr>
            </Field>
            <Field label={t('fields.document_type')}>{tCode(t, 'docType', r.document_type)}</Field>
            <Field label={t('fields.document_date')}>
              <bdi>{formatDate(r.document_date, lang) || '—'}</bdi>
            </Field>
            <Field label={t('fields.body')}>
              {body} {r.body_code ? <Text span c="dimmed" size="xs">(<Ltr>{r.body_code}</Ltr>)</Text> : null}
            </Field>
            <Field label={t('fields.mechanism')}>{mechanism}</Field>
            {r.upr_cycle ? (
              <Field label={t('fields.upr_cycle')}>
                <Ltr>{String(r.upr_cycle)}</Ltr>
                {r.upr_session ? (
                  <>
                    {' · '}
                    {t('fields.upr_session')} <Ltr>{String(r.upr_session)}</Ltr>
                  </>
                ) : null}
              </Field>
            ) : null}
            <Field label={t('fields.paragraph')}>
              <Ltr>{r.paragraph ?? '—'}</Ltr>
            </Field>
            <Field label={t('fields.country')}>{r.country_name ? r.country_name[lang] : (r.country ?? '—')}</Field>
            <Field label={t('fields.original_lang')}>{r.original_lang ? tCode(t, 'arabic.languageName', r.original_lang) : '—'}</Field>
            {r.document_url ? (
              <Field label={t('fields.document_url')}>
                <Anchor href={r.document_url} target="_blank" rel="noreferrer" size="sm">
                  <Ltr>{r.document_url}</Ltr>
                </Anchor>
              </Field>
            ) : null}
            {r.external_id ? (
              <Field label={t('fields.external_id')}>
                <Ltr>{r.external_id}</Ltr>
              </Field>
            ) : null}
          </dl>
        </Card>

        <Card component="section" aria-labelledby="sec-follow">
          <Title order={2} fz="md" mb="sm" id="sec-follow" c="navy.9">
            {t('detail.followUp')}
          </Title>
          <dl className="field-list">
            <Field label={t('fields.kind')}>{tCode(t, 'kind', r.kind)}</Field>
            <Field label={t('fields.position')}>{r.position ? tCode(t, 'position', r.position) : '—'}</Field>
            <Field label={t('fields.position_source')}>
              <Ltr>{r.position_source ?? '—'}</Ltr>
            </Field>
            <Field label={t('fields.recommending_states')}>
              {r.recommending_states.length ? (
                <Group gap={4}>
                  {(r.recommending_state_names ?? r.recommending_states.map((s) => ({ name: s, ar: s, en: s }))).map((s) => (
                    <Badge key={s.name} variant="default" size="sm" c="dark.7" title={s.name}>
                      <bdi>{s[lang]}</bdi>
                    </Badge>
                  ))}
                </Group>
              ) : (
                '—'
              )}
            </Field>
            <Field label={t('fields.status')}>
              <StatusBadge code={r.status} statuses={statuses} size="sm" />
            </Field>
            <Field label={t('fields.priority')}>{r.priority ? tCode(t, 'priority', r.priority) : '—'}</Field>
            <Field label={t('fields.follow_up')}>{yesNo(r.follow_up)}</Field>
            <Field label={t('fields.due_date')}>
              <bdi>{formatDate(r.due_date, lang) || '—'}</bdi>
            </Field>
            <Field label={t('fields.is_public')}>
              {yesNo(r.is_public)}
              {r.is_public ? (
                <>
                  {' · '}
                  <PortalRecommendationLink id={r.id} />
                </>
              ) : null}
            </Field>
            <Field label={t('fields.notes')}>
              <span className="text-block" style={{ fontSize: 'inherit' }}>
                {r.notes || '—'}
              </span>
            </Field>
            <Field label={t('fields.version')}>
              <Ltr>{String(r.version)}</Ltr>
            </Field>
            <Field label={t('fields.updated_at')}>
              <bdi>{formatDateTime(r.updated_at, lang)}</bdi>
            </Field>
          </dl>
        </Card>
      </SimpleGrid>

      <Card component="section" aria-labelledby="sec-terms">
        <Title order={2} fz="md" mb="sm" id="sec-terms" c="navy.9">
          {t('detail.classification')}
        </Title>
        <Terms terms={r.terms} />
      </Card>

      <StakeholderInput itemType="recommendation" itemId={r.id} />
      <SuggestionsPanel id={r.id} version={r.version} canDecide={canCurate(user)} />

      <SimilarPanel id={r.id} clusterId={r.cluster_id} />

      <AssignmentsPanel recommendationId={r.id} user={user} />

      {canCurate(user) ? <EditPanel rec={r} statuses={statuses ?? []} onReload={() => void rec.refetch()} /> : null}

      {canCurate(user) ? <MergesPanel recommendationId={r.id} onChange={() => void rec.refetch()} /> : null}

      <Stack gap="md">
        <Card component="section" aria-labelledby="sec-status-history">
          <Title order={2} fz="md" mb="sm" id="sec-status-history" c="navy.9">
            {t('detail.statusHistory')}
          </Title>
          {r.statusHistory.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('detail.noStatusChanges')}
            </Text>
          ) : (
            <Timeline bulletSize={14} lineWidth={2} data-testid="status-history">
              {r.statusHistory.map((h, i) => (
                <Timeline.Item
                  key={h.id ?? i}
                  title={
                    <Text size="sm" fw={600}>
                      {statusName(h.from_status, statuses, lang)} {lang === 'ar' ? '←' : '→'} {statusName(h.to_status, statuses, lang)}
                    </Text>
                  }
                >
                  {h.reason_code ? (
                    <Text size="sm">
                      {t(`arabic.statusReason.${h.reason_code}`, { defaultValue: h.reason_code })}
                      {h.reason_params?.update_id ? (
                        <>
                          {' · '}
                          <Anchor component={Link} to={`/updates/${h.reason_params.update_id}`} size="sm">
                            {t('arabic.statusReason.openUpdate')}
                          </Anchor>
                        </>
                      ) : null}
                    </Text>
                  ) : null}
                  {h.reason ? <Text size="sm">{h.reason}</Text> : null}
                  <Text size="xs" c="dimmed">
                    {h.changed_by_name ?? t('detail.audit.system')} · <bdi>{formatDateTime(h.changed_at, lang)}</bdi>
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          )}
        </Card>
        <Card component="section" aria-labelledby="sec-audit">
          <Title order={2} fz="md" mb="sm" id="sec-audit" c="navy.9">
            {t('detail.history')}
          </Title>
          <AuditList entries={r.history as AuditEntry[]} statuses={statuses} />
        </Card>
      </Stack>
    </Stack>
  );
}
