import { Alert, Anchor, Badge, Button, Card, Checkbox, Group, MultiSelect, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatDate, formatDateTime, formatNumber, pickLabel } from '../../api/format.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { consultationsKey, type Comment, type Item, useConsultation, useStakeholders } from './api.ts';
import { StateBadge } from './ConsultationsPage.tsx';

const itemLink = (it: Item) => (it.item_type === 'recommendation' ? `/recommendations/${it.item_id}` : null);

function CommentCard({ c, consultationId }: { c: Comment; consultationId: string }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const [isPublic, setIsPublic] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const moderate = useMutation({
    mutationFn: (v: { decision: 'accept' | 'reject'; reason?: string }) =>
      api(`/api/consultation-comments/${c.id}/moderation`, { method: 'POST', body: { decision: v.decision, version: c.version, is_public: v.decision === 'accept' && isPublic, ...(v.reason ? { reason: v.reason } : {}) } }),
    onSuccess: async () => {
      setRejecting(false);
      await qc.invalidateQueries({ queryKey: [...consultationsKey, consultationId] });
      await qc.invalidateQueries({ queryKey: ['consultation-comments'] });
    },
  });
  const color = c.status === 'accepted' ? 'teal' : c.status === 'rejected' ? 'red' : 'orange';
  return (
    <Card withBorder padding="sm" data-testid="consult-comment">
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm" fw={600}>
          {c.author_name}
          {c.author_organisation ? ` — ${c.author_organisation}` : ''}
        </Text>
        <Group gap={6}>
          <Badge color={color} variant="light" c="dark.8">
            {t(`consult.commentStates.${c.status}`)}
          </Badge>
          {c.is_public ? <Badge variant="outline" color="gray" c="dark.8">{t('consult.public')}</Badge> : null}
        </Group>
      </Group>
      <Text size="xs" c="dimmed">
        {formatDateTime(c.created_at, lang)}
      </Text>
      <Text mt={4} style={{ whiteSpace: 'pre-line' }}>
        {c.body}
      </Text>
      {c.attachment_name ? (
        <Anchor href={`/api/consultation-comments/${c.id}/attachment`} size="sm">
          📎 {c.attachment_name}
        </Anchor>
      ) : null}
      {c.status === 'rejected' && c.moderation_reason ? (
        <Text size="sm" c="dimmed">
          {t('consult.reason')}: {c.moderation_reason}
        </Text>
      ) : null}
      {c.status === 'pending' ? (
        <Group mt="xs" gap="sm" wrap="wrap">
          <Checkbox label={t('consult.showPublic')} checked={isPublic} onChange={(e) => setIsPublic(e.currentTarget.checked)} />
          <Button size="xs" onClick={() => moderate.mutate({ decision: 'accept' })} loading={moderate.isPending && !rejecting} data-testid="consult-accept">
            {t('consult.accept')}
          </Button>
          <Button size="xs" color="red" variant="light" onClick={() => setRejecting(true)}>
            {t('consult.reject')}
          </Button>
        </Group>
      ) : null}
      {moderate.isError && !rejecting ? (
        <Alert color="red" variant="light" role="alert" mt="xs">
          {errorMessage(moderate.error)}
        </Alert>
      ) : null}
      <ConfirmDialog
        opened={rejecting}
        title={t('consult.rejectCommentTitle')}
        confirmLabel={t('consult.reject')}
        danger
        loading={moderate.isPending}
        error={moderate.isError ? moderate.error : undefined}
        onClose={() => {
          setRejecting(false);
          moderate.reset();
        }}
        onConfirm={() => reason.trim() && moderate.mutate({ decision: 'reject', reason: reason.trim() })}
      >
        <Textarea label={t('consult.reasonSent')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required autosize minRows={2} />
      </ConfirmDialog>
    </Card>
  );
}

function InviteBox({ consultationId, invited }: { consultationId: string; invited: string[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const approved = useStakeholders('approved');
  const [ids, setIds] = useState<string[]>([]);
  const invite = useMutation({
    mutationFn: () => api(`/api/consultations/${consultationId}/invitations`, { method: 'POST', body: { user_ids: ids } }),
    onSuccess: async () => {
      setIds([]);
      await qc.invalidateQueries({ queryKey: [...consultationsKey, consultationId] });
    },
  });
  const options = (approved.data?.items ?? []).filter((s) => !invited.includes(s.id)).map((s) => ({ value: s.id, label: `${s.name} — ${s.organisation}` }));
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <MultiSelect label={t('consult.invite')} data={options} value={ids} onChange={setIds} searchable style={{ flex: 1, minWidth: 220 }} />
      <Button onClick={() => invite.mutate()} disabled={ids.length === 0} loading={invite.isPending}>
        {t('consult.inviteAction')}
      </Button>
      {invite.isError ? <Text c="red">{errorMessage(invite.error)}</Text> : null}
    </Group>
  );
}

export function ConsultationPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const q = useConsultation(id);
  if (q.isPending) return <LoadingState />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const c = q.data;
  const n = (v: number) => formatNumber(v, lang);
  const participants = new Set(c.comments.map((x) => x.author_name)).size;
  return (
    <>
      <Text size="sm" mb="xs">
        <Anchor component={Link} to="/consultations">
          {t('consult.back')}
        </Anchor>
      </Text>
      <PageHeader
        title={
          <>
            {pickLabel(c.title_ar, c.title_en, lang)} <StateBadge state={c.state} />
          </>
        }
        subtitle={`${t(`consult.subjects.${c.subject}`)} · ${formatDate(c.opens_at, lang)} – ${formatDate(c.closes_at, lang)} · ${t(`consult.audiences.${c.audience}`)}`}
        actions={
          <Group gap="xs">
            <Button component="a" variant="default" href={`/api/consultations/${c.id}/record.xlsx?lang=ar`} data-testid="consult-record-ar">
              {t('consult.recordAr')}
            </Button>
            <Button component="a" variant="default" href={`/api/consultations/${c.id}/record.xlsx?lang=en`}>
              {t('consult.recordEn')}
            </Button>
          </Group>
        }
      />
      <Group gap="lg" mb="md" wrap="wrap">
        <Text>{t('consult.countItems', { n: n(c.items.length) })}</Text>
        <Text>{t('consult.countInvited', { n: n(c.invitations.length) })}</Text>
        <Text>{t('consult.countParticipants', { n: n(participants) })}</Text>
        <Text>{t('consult.countComments', { n: n(c.comments.length) })}</Text>
      </Group>
      {pickLabel(c.description_ar, c.description_en, lang) ? <Text mb="md">{pickLabel(c.description_ar, c.description_en, lang)}</Text> : null}
      {c.questions.length ? (
        <Card withBorder mb="md">
          <Title order={2} fz="lg" mb="xs">
            {t('consult.questions')}
          </Title>
          <ol style={{ margin: 0 }}>
            {c.questions.map((x, i) => (
              <li key={i}>{lang === 'ar' ? x.ar : x.en}</li>
            ))}
          </ol>
        </Card>
      ) : null}
      {c.audience === 'invited' ? (
        <Card withBorder mb="md">
          <Title order={2} fz="lg" mb="xs">
            {t('consult.invitations')}
          </Title>
          <Text size="sm" mb="xs">
            {c.invitations.length ? c.invitations.map((i) => `${i.name}${i.organisation ? ` (${i.organisation})` : ''}`).join(lang === 'ar' ? '، ' : ', ') : t('consult.noInvitations')}
          </Text>
          <InviteBox consultationId={c.id} invited={c.invitations.map((i) => i.user_id)} />
        </Card>
      ) : null}
      <Title order={2} fz="lg" mb="sm">
        {t('consult.itemsAndComments')}
      </Title>
      <Stack gap="md">
        {c.items.map((it) => {
          const comments = c.comments.filter((x) => x.item_type === it.item_type && x.item_id === it.item_id);
          const link = itemLink(it);
          return (
            <Card key={`${it.item_type}:${it.item_id}`} withBorder data-testid="consult-item">
              <Text fw={600}>
                {link ? (
                  <Anchor component={Link} to={link}>
                    <Ltr>{it.ref}</Ltr>
                  </Anchor>
                ) : (
                  <Ltr>{it.ref}</Ltr>
                )}
              </Text>
              <Text size="sm" mb="xs" lineClamp={3}>
                {lang === 'ar' ? it.label_ar : it.label_en}
              </Text>
              {comments.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('consult.noComments')}
                </Text>
              ) : (
                <Stack gap="xs">
                  {comments.map((x) => (
                    <CommentCard key={x.id} c={x} consultationId={c.id} />
                  ))}
                </Stack>
              )}
            </Card>
          );
        })}
      </Stack>
    </>
  );
}
