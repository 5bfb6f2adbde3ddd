import { Alert, Anchor, Card, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { type Assignment, isCuratorUser, type ReviewItem, useWorkspace, type WorkItem } from '../../api/followup.ts';
import { formatDateTime, formatNumber, pickLabel, pickText } from '../../api/format.ts';
import { useEntities, useReference } from '../../api/queries.ts';
import type { User } from '../../api/types.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { UpdateStatusBadge } from '../../components/Workflow.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { DueDate } from '../assignments/AssignmentsPanel.tsx';
import { ActionStatusBadge } from '../plan/parts.tsx';

function Section({ id, title, count, hint, children, testId, tone }: { id: string; title: string; count: number; hint?: string; children: ReactNode; testId: string; tone?: 'alert' }) {
  const { lang } = useLanguage();
  return (
    <Card component="section" aria-labelledby={id} data-testid={testId} style={tone === 'alert' && count > 0 ? { borderColor: '#b42318', borderWidth: 2 } : undefined}>
      <Group justify="space-between" mb="xs">
        <Title order={2} fz="lg" id={id} c={tone === 'alert' && count > 0 ? 'red.9' : 'navy.9'}>
          {title} <Text span c="dimmed" fz="md">(<bdi>{formatNumber(count, lang)}</bdi>)</Text>
        </Title>
      </Group>
      {hint ? (
        <Text size="sm" c="dimmed" mb="sm">
          {hint}
        </Text>
      ) : null}
      {children}
    </Card>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}

/** A plan action an update reports on: its code and title, linking to the plan. */
function ActionRefCell({ u, planId }: { u: { action_code: string | null; action_title_ar: string | null; action_title_en: string | null }; planId?: string | null }) {
  const { lang } = useLanguage();
  const { t } = useTranslation();
  const title = pickLabel(u.action_title_ar, u.action_title_en, lang);
  return (
    <Stack gap={2} data-testid="ws-action-ref">
      <Text size="xs" c="dimmed">
        {t('planFollowup.actionOfPlan')} <Ltr>{u.action_code ?? ''}</Ltr>
      </Text>
      {planId ? (
        <Anchor component={Link} to={`/plan/${planId}`} size="sm" fw={600}>
          {title}
        </Anchor>
      ) : (
        <Text size="sm" fw={600}>
          {title}
        </Text>
      )}
    </Stack>
  );
}

function RecRef({ a }: { a: Pick<Assignment, 'recommendation_id' | 'document_symbol' | 'paragraph' | 'text_ar' | 'text_en'> | undefined }) {
  const { lang } = useLanguage();
  const { t } = useTranslation();
  if (!a) return <>—</>;
  const text = pickText({ text_ar: a.text_ar, text_en: a.text_en }, lang);
  return (
    <Stack gap={2}>
      {a.recommendation_id ? (
        <Anchor component={Link} to={`/recommendations/${a.recommendation_id}`} size="sm" fw={600}>
          <Ltr>{[a.document_symbol, a.paragraph].filter(Boolean).join(' ') || t('workspace.recommendation')}</Ltr>
        </Anchor>
      ) : null}
      {text ? (
        <Text size="xs" className="rec-text" lang={text.lang} dir={text.lang === 'ar' ? 'rtl' : 'ltr'} maw={520}>
          {text.text}
        </Text>
      ) : null}
    </Stack>
  );
}

function AssignmentTable({ items, testId }: { items: Assignment[]; testId: string }) {
  const { t } = useTranslation();
  const ref = useReference();
  return (
    <div className="table-scroll">
      <Table verticalSpacing={6} className="rec-table" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('workspace.recommendation')}</Table.Th>
            <Table.Th>{t('assign.role')}</Table.Th>
            <Table.Th>{t('fields.status')}</Table.Th>
            <Table.Th>{t('assign.dueDate')}</Table.Th>
            <Table.Th>{t('assign.updates')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((a) => (
            <Table.Tr key={a.id} data-testid="ws-assignment" data-overdue={a.overdue ? 'true' : 'false'}>
              <Table.Td>
                <RecRef a={a} />
              </Table.Td>
              <Table.Td>{t(`assign.roles.${a.role}`)}</Table.Td>
              <Table.Td>{a.recommendation_status ? <StatusBadge code={a.recommendation_status} statuses={ref.data?.statuses} size="sm" /> : '—'}</Table.Td>
              <Table.Td>
                <DueDate a={a} />
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/assignments/${a.id}`} size="sm">
                  {t('assign.updates')}
                </Anchor>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function DraftsTable({ items, byId }: { items: WorkItem[]; byId: Map<string, Assignment> }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  return (
    <div className="table-scroll">
      <Table verticalSpacing={6} className="rec-table" data-testid="ws-drafts-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('updates.state')}</Table.Th>
            <Table.Th>{t('workspace.recommendation')}</Table.Th>
            <Table.Th>{t('updates.reviewComment')}</Table.Th>
            <Table.Th>{t('updates.lastChanged')}</Table.Th>
            <Table.Th>{t('updates.open')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((u) => (
            <Table.Tr key={u.id} data-testid="ws-draft" data-status={u.status}>
              <Table.Td>
                <UpdateStatusBadge status={u.status} size="sm" />
              </Table.Td>
              <Table.Td>
                {u.action_id ? <ActionRefCell u={u} /> : <RecRef a={u.assignment_id ? byId.get(u.assignment_id) : undefined} />}
              </Table.Td>
              <Table.Td>{u.review_comment ? <Text size="sm">{u.review_comment}</Text> : '—'}</Table.Td>
              <Table.Td>
                <bdi>{formatDateTime(u.updated_at, lang)}</bdi>
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/updates/${u.id}`} size="sm" fw={600}>
                  {u.status === 'returned' ? t('workspace.revise') : t('workspace.continue')}
                </Anchor>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function ReviewTable({ items }: { items: ReviewItem[] }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  return (
    <div className="table-scroll">
      <Table verticalSpacing={6} className="rec-table" data-testid="ws-review-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('assign.entity')}</Table.Th>
            <Table.Th>{t('planFollowup.subject')}</Table.Th>
            <Table.Th>{t('updates.submittedAt')}</Table.Th>
            <Table.Th>{t('updates.proposedStatus')}</Table.Th>
            <Table.Th>{t('updates.open')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((u) => (
            <Table.Tr key={u.id} data-testid="ws-review">
              <Table.Td>{pickLabel(u.entity_name_ar, u.entity_name_en, lang)}</Table.Td>
              <Table.Td>{u.action_id ? <ActionRefCell u={u} planId={u.action_plan_id} /> : <Text size="sm">{t('planFollowup.recommendationUpdate')}</Text>}</Table.Td>
              <Table.Td>
                <bdi>{formatDateTime(u.submitted_at, lang)}</bdi>
              </Table.Td>
              <Table.Td>
                {u.proposed_status ? (
                  <StatusBadge code={u.proposed_status} statuses={ref.data?.statuses} size="sm" />
                ) : u.proposed_action_status ? (
                  <ActionStatusBadge status={u.proposed_action_status} />
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>
                <Group gap="sm">
                  <Anchor component={Link} to={`/updates/${u.id}`} size="sm" fw={600}>
                    {t('workspace.review')}
                  </Anchor>
                  {u.assignment_id ? (
                    <Anchor component={Link} to={`/assignments/${u.assignment_id}`} size="sm">
                      {t('assign.updates')}
                    </Anchor>
                  ) : null}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function Count({ label, value, tone }: { label: string; value: number; tone?: 'alert' }) {
  const { lang } = useLanguage();
  return (
    <Card padding="md">
      <Text size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz={28} fw={600} c={tone === 'alert' && value > 0 ? 'red.9' : 'navy.9'} lh={1.2}>
        <bdi>{formatNumber(value, lang)}</bdi>
      </Text>
    </Card>
  );
}

/** "What is mine, what is due": the entity's work, or for the secretariat the review queue and any entity's work. */
export function WorkspacePage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [sp, setSp] = useSearchParams();
  const curator = isCuratorUser(user);
  const picks = curator || user.role === 'viewer' || !user.entity_id;
  const entityParam = sp.get('entity');
  const entity = picks ? entityParam : null;
  const entities = useEntities();
  const ws = useWorkspace(entity, !picks || curator || !!entity);

  const picker = picks ? (
    <Select
      label={t('workspace.entityPicker')}
      placeholder={t('workspace.allEntities')}
      data={(entities.data?.items ?? []).map((e) => ({ value: e.id, label: pickLabel(e.name_ar, e.name_en, lang, e.code) }))}
      value={entity}
      onChange={(v) => setSp(v ? { entity: v } : {}, { replace: true })}
      searchable
      clearable
      w={300}
      comboboxProps={{ withinPortal: true }}
      data-testid="ws-entity"
    />
  ) : null;

  const header = (
    <PageHeader
      title={t('workspace.title')}
      subtitle={ws.data?.entity ? t('workspace.of', { entity: pickLabel(ws.data.entity.name_ar, ws.data.entity.name_en, lang, ws.data.entity.code) }) : curator ? t('workspace.curatorHint') : undefined}
      actions={picker}
    />
  );

  if (picks && !curator && !entity) {
    return (
      <Stack gap="lg">
        {header}
        <Alert variant="light" color="blue">
          {t('workspace.chooseEntity')}
        </Alert>
      </Stack>
    );
  }
  if (ws.isPending) return <Stack gap="lg">{header}<LoadingState /></Stack>;
  if (ws.isError) return <Stack gap="lg">{header}<ErrorState error={ws.error} onRetry={() => void ws.refetch()} /></Stack>;
  const d = ws.data;
  const byId = new Map(d.assignments.map((a) => [a.id, a]));
  const drafts = d.drafts.filter((u) => u.status === 'draft');
  const returned = d.drafts.filter((u) => u.status === 'returned');

  return (
    <Stack gap="lg">
      {header}
      {d.entity ? (
        <SimpleGrid cols={{ base: 2, md: 5 }} spacing="md">
          <Count label={t('workspace.assigned')} value={d.assignments.length} />
          <Count label={t('workspace.dueSoon')} value={d.dueSoon.length} />
          <Count label={t('workspace.overdue')} value={d.overdue.length} tone="alert" />
          <Count label={t('workspace.drafts')} value={drafts.length} />
          <Count label={t('workspace.returned')} value={returned.length} tone="alert" />
        </SimpleGrid>
      ) : null}

      {curator ? (
        <Section id="ws-review" title={t('workspace.reviewQueue')} count={d.awaitingReview.length} hint={t('workspace.reviewHint')} testId="ws-review-section">
          {d.awaitingReview.length ? <ReviewTable items={d.awaitingReview} /> : <Empty>{t('workspace.noReview')}</Empty>}
        </Section>
      ) : null}

      {d.entity ? (
        <>
          {returned.length || !curator ? (
            <Section id="ws-returned" title={t('workspace.returned')} count={returned.length} hint={t('workspace.returnedHint')} testId="ws-returned-section" tone="alert">
              {returned.length ? <DraftsTable items={returned} byId={byId} /> : <Empty>{t('workspace.noReturned')}</Empty>}
            </Section>
          ) : null}
          <Section id="ws-overdue" title={t('workspace.overdue')} count={d.overdue.length} hint={t('workspace.overdueHint')} testId="ws-overdue-section" tone="alert">
            {d.overdue.length ? <AssignmentTable items={d.overdue} testId="ws-overdue-table" /> : <Empty>{t('workspace.noOverdue')}</Empty>}
          </Section>
          <Section id="ws-due" title={t('workspace.dueSoon')} count={d.dueSoon.length} hint={t('workspace.dueSoonHint')} testId="ws-due-section">
            {d.dueSoon.length ? <AssignmentTable items={d.dueSoon} testId="ws-due-table" /> : <Empty>{t('workspace.noDueSoon')}</Empty>}
          </Section>
          <Section id="ws-drafts" title={t('workspace.drafts')} count={drafts.length} hint={t('workspace.draftsHint')} testId="ws-drafts-section">
            {drafts.length ? <DraftsTable items={drafts} byId={byId} /> : <Empty>{t('workspace.noDrafts')}</Empty>}
          </Section>
          <Section id="ws-all" title={t('workspace.assigned')} count={d.assignments.length} testId="ws-all-section">
            {d.assignments.length ? <AssignmentTable items={d.assignments} testId="ws-all-table" /> : <Empty>{t('workspace.noAssignments')}</Empty>}
          </Section>
        </>
      ) : null}
    </Stack>
  );
}
