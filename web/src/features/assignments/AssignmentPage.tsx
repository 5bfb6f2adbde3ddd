import { Anchor, Breadcrumbs, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams, useSearchParams } from 'react-router';
import { canDraftFor, useAssignment, useAssignmentUpdates } from '../../api/followup.ts';
import { formatDate, formatDateTime, pickLabel, pickText } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import type { User } from '../../api/types.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { UpdateStatusBadge } from '../../components/Workflow.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { DueDate } from './AssignmentsPanel.tsx';
import { NewUpdateButton } from './NewUpdateButton.tsx';

/** Links such as /assignments?entity=…&overdue=true (from reminders) open that entity's workspace. */
export function AssignmentsRedirect() {
  const [sp] = useSearchParams();
  const entity = sp.get('entity');
  return <Navigate to={entity ? `/workspace?entity=${encodeURIComponent(entity)}` : '/workspace'} replace />;
}

/** One assignment: what it is about, and its progress updates. */
export function AssignmentPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const { id = '' } = useParams();
  const ref = useReference();
  const a = useAssignment(id);
  const updates = useAssignmentUpdates(id);

  if (a.isPending) return <LoadingState />;
  if (a.isError) return <ErrorState error={a.error} onRetry={() => void a.refetch()} />;
  const as = a.data;
  const entity = pickLabel(as.entity_name_ar, as.entity_name_en, lang, as.entity_code);
  const text = pickText({ text_ar: as.text_ar, text_en: as.text_en }, lang);

  return (
    <Stack gap="md">
      <Breadcrumbs separator={lang === 'ar' ? '‹' : '›'} aria-label={t('detail.breadcrumb')}>
        <Anchor component={Link} to="/workspace" size="sm">
          {t('nav.workspace')}
        </Anchor>
        <Text size="sm" aria-current="page">
          {t('assign.assignmentOf', { entity })}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1} fz={24} c="navy.9">
            {t('assign.assignmentOf', { entity })}
          </Title>
          {as.recommendation_id ? (
            <Text size="sm">
              <Anchor component={Link} to={`/recommendations/${as.recommendation_id}`}>
                <Ltr>{[as.document_symbol, as.paragraph].filter(Boolean).join(' ')}</Ltr>
              </Anchor>
            </Text>
          ) : null}
        </Stack>
        {canDraftFor(user, as.entity_id) ? <NewUpdateButton assignmentId={as.id} size="sm" variant="filled" /> : null}
      </Group>
      <Card>
        <dl className="field-list">
          <dt>{t('assign.entity')}</dt>
          <dd>{entity}</dd>
          <dt>{t('assign.role')}</dt>
          <dd>{t(`assign.roles.${as.role}`)}</dd>
          <dt>{t('assign.dueDate')}</dt>
          <dd>
            <DueDate a={as} />
          </dd>
          <dt>{t('fields.status')}</dt>
          <dd>{as.recommendation_status ? <StatusBadge code={as.recommendation_status} statuses={ref.data?.statuses} size="sm" /> : '—'}</dd>
        </dl>
        {text ? (
          <Text size="sm" mt="sm" lang={text.lang} dir={text.lang === 'ar' ? 'rtl' : 'ltr'} className="rec-text">
            {text.text}
          </Text>
        ) : null}
      </Card>
      <Card component="section" aria-labelledby="sec-updates">
        <Title order={2} fz="md" mb="sm" id="sec-updates" c="navy.9">
          {t('updates.listTitle')}
        </Title>
        {updates.isPending ? (
          <LoadingState />
        ) : updates.isError ? (
          <ErrorState error={updates.error} />
        ) : updates.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('updates.noneYet')}
          </Text>
        ) : (
          <Table verticalSpacing={6} className="rec-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('updates.state')}</Table.Th>
                <Table.Th>{t('updates.period')}</Table.Th>
                <Table.Th>{t('updates.proposedStatus')}</Table.Th>
                <Table.Th>{t('updates.lastChanged')}</Table.Th>
                <Table.Th>{t('updates.open')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {updates.data.items.map((u) => (
                <Table.Tr key={u.id} data-testid="update-row">
                  <Table.Td>
                    <UpdateStatusBadge status={u.status} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    {u.period_start || u.period_end ? (
                      <bdi>
                        {formatDate(u.period_start, lang) || '…'} – {formatDate(u.period_end, lang) || '…'}
                      </bdi>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>{u.proposed_status ? <StatusBadge code={u.proposed_status} statuses={ref.data?.statuses} size="sm" /> : '—'}</Table.Td>
                  <Table.Td>
                    <bdi>{formatDateTime(u.updated_at, lang)}</bdi>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/updates/${u.id}`} size="sm">
                      {t('updates.open')}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}
