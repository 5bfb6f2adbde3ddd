import { Anchor, Badge, Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { type Assignment, canDraftFor, isCuratorUser, useRecommendationAssignments } from '../../api/followup.ts';
import { formatDate, pickLabel } from '../../api/format.ts';
import type { User } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { AssignModal } from './AssignModal.tsx';
import { NewUpdateButton } from './NewUpdateButton.tsx';

/** Due date, with "overdue" written out (never colour alone). */
export function DueDate({ a }: { a: Pick<Assignment, 'due_date' | 'overdue' | 'answered'> }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  if (!a.due_date) return <Text size="sm" c="dimmed" span>{t('assign.noDueDate')}</Text>;
  return (
    <Group gap={6} wrap="nowrap">
      <bdi>{formatDate(a.due_date, lang)}</bdi>
      {a.overdue ? (
        <Badge color="red.9" variant="filled" size="sm" data-testid="overdue-badge">
          {t('workspace.overdueBadge')}
        </Badge>
      ) : a.answered ? (
        <Badge color="green" variant="light" c="dark.8" size="sm">
          {t('workspace.answered')}
        </Badge>
      ) : null}
    </Group>
  );
}

/** The recommendation's assignments, with Assign / Remove for the secretariat and "new update" for the entity. */
export function AssignmentsPanel({ recommendationId, user }: { recommendationId: string; user: User }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const list = useRecommendationAssignments(recommendationId);
  const [assignOpen, setAssignOpen] = useState(false);
  const [removing, setRemoving] = useState<Assignment | null>(null);
  const curator = isCuratorUser(user);

  const remove = useMutation({
    mutationFn: (id: string) => api(`/api/assignments/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: async () => {
      setRemoving(null);
      await Promise.all([qc.invalidateQueries({ queryKey: ['assignments'] }), qc.invalidateQueries({ queryKey: ['workspace'] }), qc.invalidateQueries({ queryKey: ['dashboard'] })]);
    },
  });

  return (
    <Card component="section" aria-labelledby="sec-assignments" data-testid="assignments-panel">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="md" id="sec-assignments" c="navy.9">
          {t('assign.panelTitle')}
        </Title>
        {curator ? (
          <Button size="compact-sm" onClick={() => setAssignOpen(true)} data-testid="assign-open">
            {t('assign.action')}
          </Button>
        ) : null}
      </Group>
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('assign.none')}
        </Text>
      ) : (
        <div className="table-scroll">
          <Table verticalSpacing={6} className="rec-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('assign.entity')}</Table.Th>
                <Table.Th>{t('assign.role')}</Table.Th>
                <Table.Th>{t('assign.dueDate')}</Table.Th>
                <Table.Th>{t('assign.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((a) => {
                const entity = pickLabel(a.entity_name_ar, a.entity_name_en, lang, a.entity_code);
                return (
                  <Table.Tr key={a.id} data-testid="assignment-row">
                    <Table.Td>{entity}</Table.Td>
                    <Table.Td>{t(`assign.roles.${a.role}`)}</Table.Td>
                    <Table.Td>
                      <DueDate a={a} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        <Anchor component={Link} to={`/assignments/${a.id}`} size="sm">
                          {t('assign.updates')}
                        </Anchor>
                        {canDraftFor(user, a.entity_id) ? <NewUpdateButton assignmentId={a.id} /> : null}
                        {curator ? (
                          <Button size="compact-sm" variant="subtle" color="red.9" c="red.9" onClick={() => setRemoving(a)} aria-label={t('assign.removeFor', { entity })}>
                            {t('assign.remove')}
                          </Button>
                        ) : null}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </div>
      )}
      <AssignModal recommendationIds={[recommendationId]} opened={assignOpen} onClose={() => setAssignOpen(false)} />
      <ConfirmDialog
        opened={!!removing}
        title={t('assign.removeTitle')}
        confirmLabel={t('assign.remove')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
        onConfirm={() => removing && remove.mutate(removing.id)}
        testId="assign-remove-confirm"
      >
        <Text size="sm">{removing ? t('assign.removeConfirm', { entity: pickLabel(removing.entity_name_ar, removing.entity_name_en, lang, removing.entity_code) }) : ''}</Text>
      </ConfirmDialog>
    </Card>
  );
}
