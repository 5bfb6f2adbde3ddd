import { ActionIcon, Alert, Anchor, Breadcrumbs, Button, Card, Checkbox, Group, Modal, MultiSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatDate, formatNumber, pickText } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import type { User } from '../../api/types.ts';
import { canCurate } from '../../auth/session.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { type ClusterDetail, clusterApi, useCluster, useClusterMutation, useClusters } from './api.ts';
import { ClusterStatusBadge, clusterTitle, StatusMiniBar } from './parts.tsx';

const isConflict = (err: unknown) => err instanceof ApiError && err.status === 409;

/** An error of a cluster action: a stale version offers to reload instead of a dead end. */
function ActionError({ error, onReload }: { error: unknown; onReload: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (isConflict(error)) {
    return (
      <Alert color="orange" variant="light" role="alert" title={t('clusters.conflictTitle')} data-testid="cluster-conflict">
        <Stack gap="xs">
          <Text size="sm">{t('clusters.conflict')}</Text>
          <Group>
            <Button size="xs" variant="white" color="orange" onClick={onReload}>
              {t('clusters.reload')}
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
      {errorMessage(error)}
    </Alert>
  );
}

function RenameModal({ cluster, onClose, onReload }: { cluster: ClusterDetail; onClose: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const [ar, setAr] = useState(cluster.title_ar ?? '');
  const [en, setEn] = useState(cluster.title_en ?? '');
  const rename = useClusterMutation(clusterApi.rename);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    rename.mutate({ id: cluster.id, version: cluster.version, title_ar: ar.trim() || null, title_en: en.trim() || null }, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} title={t('clusters.rename.title')} centered size="lg" closeButtonProps={{ 'aria-label': t('common.close') }} data-testid="rename-dialog">
      <form onSubmit={submit}>
        <Stack gap="md">
          <TextInput label={t('clusters.rename.ar')} value={ar} onChange={(e) => setAr(e.currentTarget.value)} dir="rtl" lang="ar" maxLength={500} data-testid="title-ar" />
          <TextInput label={t('clusters.rename.en')} value={en} onChange={(e) => setEn(e.currentTarget.value)} dir="ltr" lang="en" maxLength={500} data-testid="title-en" />
          <ActionError
            error={rename.error}
            onReload={() => {
              onReload();
              onClose();
            }}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={rename.isPending} disabled={!ar.trim() && !en.trim()}>
              {t('clusters.rename.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function MergeModal({ cluster, onClose, onMerged }: { cluster: ClusterDetail; onClose: () => void; onMerged: (id: string) => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const all = useClusters({ page: 1, pageSize: 200 });
  const [picked, setPicked] = useState<string[]>([]);
  const merge = useClusterMutation(clusterApi.merge);
  const options = (all.data?.items ?? [])
    .filter((c) => c.id !== cluster.id)
    .map((c) => ({ value: c.id, label: `${clusterTitle(c, lang, t('clusters.untitled')).text} (${formatNumber(c.member_count, lang)})` }));
  return (
    <Modal opened onClose={onClose} title={t('clusters.merge.title')} centered size="lg" closeButtonProps={{ 'aria-label': t('common.close') }} data-testid="merge-dialog">
      <Stack gap="md">
        <Text size="sm">{t('clusters.merge.hint')}</Text>
        <MultiSelect
          label={t('clusters.merge.pick')}
          data={options}
          value={picked}
          onChange={setPicked}
          searchable
          clearable
          nothingFoundMessage={t('clusters.merge.nothing')}
          maxDropdownHeight={260}
          comboboxProps={{ withinPortal: true }}
          data-testid="merge-pick"
        />
        <ActionError error={merge.error} onReload={onClose} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={picked.length === 0}
            loading={merge.isPending}
            onClick={() => merge.mutate({ ids: [cluster.id, ...picked] }, { onSuccess: (r) => onMerged(r.id) })}
            data-testid="merge-confirm"
          >
            {t('clusters.merge.button', { n: formatNumber(picked.length, lang) })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

type Dialog = null | 'rename' | 'merge' | 'split' | 'dissolve' | { remove: string };

export function ClusterPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const ref = useReference();
  const cluster = useCluster(id);
  const curator = canCurate(user);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [picked, setPicked] = useState<Set<string>>(() => new Set());
  const [notice, setNotice] = useState<{ text: string; link?: string } | null>(null);

  const accept = useClusterMutation(clusterApi.accept);
  const split = useClusterMutation(clusterApi.split);
  const remove = useClusterMutation(clusterApi.removeMember, { gone: (r, v) => (r.dissolved ? v.id : null) });
  const dissolve = useClusterMutation(clusterApi.dissolve, { gone: (_r, v) => v.id });

  const c = cluster.data;
  const bodies = useMemo(() => {
    const m = new Map<string, number>();
    for (const x of c?.members ?? []) m.set(x.body_code, (m.get(x.body_code) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1]);
  }, [c]);

  if (cluster.isPending) return <LoadingState />;
  if (cluster.isError || !c) return <ErrorState error={cluster.error} onRetry={() => void cluster.refetch()} />;

  const title = clusterTitle(c, lang, t('clusters.untitled'));
  const reload = () => {
    accept.reset();
    split.reset();
    void cluster.refetch();
  };
  const closeDialog = () => {
    setDialog(null);
    split.reset();
    remove.reset();
    dissolve.reset();
  };
  const toggle = (mid: string, on: boolean) =>
    setPicked((cur) => {
      const next = new Set(cur);
      if (on) next.add(mid);
      else next.delete(mid);
      return next;
    });
  const removing = dialog && typeof dialog === 'object' ? c.members.find((m) => m.id === dialog.remove) : undefined;

  return (
    <Stack gap="md">
      <Breadcrumbs separator={lang === 'ar' ? '‹' : '›'} aria-label={t('detail.breadcrumb')}>
        <Anchor component={Link} to="/clusters" size="sm">
          {t('clusters.title')}
        </Anchor>
        <Text size="sm" aria-current="page" className="cluster-title">
          {title.text}
        </Text>
      </Breadcrumbs>

      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Stack gap={6} maw={820}>
          <Title order={1} fz={22} c="navy.9" lang={title.lang} data-testid="cluster-title">
            {title.text}
          </Title>
          <Group gap="sm">
            <ClusterStatusBadge status={c.status} />
            <Text size="sm" c="dimmed">
              {t('clusters.membersN', { n: formatNumber(c.member_count, lang) })}
            </Text>
            {c.similarity_pct !== null ? (
              <Text size="sm" c="dimmed">
                · {t('clusters.similarity')}: <Ltr>{`${c.similarity_pct}%`}</Ltr>
              </Text>
            ) : null}
          </Group>
        </Stack>
        {curator ? (
          <Group gap="xs" data-testid="cluster-actions">
            {c.status === 'suggested' ? (
              <Button
                onClick={() => accept.mutate({ id: c.id, version: c.version }, { onSuccess: () => setNotice({ text: t('clusters.accepted') }) })}
                loading={accept.isPending}
                data-testid="accept-cluster"
              >
                {t('clusters.accept')}
              </Button>
            ) : null}
            <Button variant="default" onClick={() => setDialog('rename')} data-testid="rename-cluster">
              {t('clusters.rename.button')}
            </Button>
            <Button variant="default" onClick={() => setDialog('merge')} data-testid="merge-cluster">
              {t('clusters.merge.open')}
            </Button>
            <Button variant="default" c="red.9" onClick={() => setDialog('dissolve')} data-testid="dissolve-cluster">
              {t('clusters.dissolve.button')}
            </Button>
          </Group>
        ) : null}
      </Group>

      {!curator ? (
        <Text size="sm" c="dimmed">
          {t('clusters.readOnly')}
        </Text>
      ) : null}
      <ActionError error={accept.error} onReload={reload} />
      {notice ? (
        <Alert color="teal" variant="light" role="status" withCloseButton closeButtonLabel={t('common.close')} onClose={() => setNotice(null)} data-testid="cluster-notice">
          {notice.text}{' '}
          {notice.link ? (
            <Anchor component={Link} to={notice.link} size="sm" underline="always" fw={600}>
              {t('clusters.split.open')}
            </Anchor>
          ) : null}
        </Alert>
      ) : null}

      <Card component="section" aria-labelledby="sec-overview">
        <Title order={2} fz="md" mb="sm" id="sec-overview" c="navy.9">
          {t('clusters.overview')}
        </Title>
        <Group gap="xl" align="flex-start">
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              {t('clusters.col.progress')}
            </Text>
            <StatusMiniBar statuses={c.statuses} total={c.member_count} />
            <Group gap={6}>
              {Object.entries(c.statuses)
                .sort(([a], [b]) => (ref.data?.statuses.find((s) => s.code === a)?.sort ?? 99) - (ref.data?.statuses.find((s) => s.code === b)?.sort ?? 99))
                .map(([code, n]) => (
                <Group key={code} gap={4} wrap="nowrap">
                  <StatusBadge code={code} statuses={ref.data?.statuses} size="sm" />
                  <Ltr>{formatNumber(n, lang)}</Ltr>
                </Group>
              ))}
            </Group>
          </Stack>
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              {t('clusters.col.sources')}
            </Text>
            <Text size="sm">
              {bodies.map(([b, n], i) => (
                <span key={b}>
                  {i > 0 ? ' · ' : ''}
                  <Ltr>{`${b} (${formatNumber(n, lang)})`}</Ltr>
                </span>
              ))}
            </Text>
          </Stack>
        </Group>
      </Card>

      <Card component="section" aria-labelledby="sec-members" p={0}>
        <Group justify="space-between" px="md" py="sm" className="table-toolbar">
          <Title order={2} fz="md" id="sec-members" c="navy.9">
            {t('clusters.membersTitle')}
          </Title>
          {curator ? (
            <Group gap="xs">
              <Text size="sm" aria-live="polite">
                {t('clusters.split.selected', { n: formatNumber(picked.size, lang) })}
              </Text>
              <Button size="xs" variant="default" disabled={picked.size === 0 || picked.size >= c.members.length} onClick={() => setDialog('split')} data-testid="split-cluster">
                {t('clusters.split.button')}
              </Button>
            </Group>
          ) : null}
        </Group>
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('clusters.membersTitle')}>
          <Table miw={860} className="rec-table" striped withRowBorders data-testid="members-table">
            <Table.Thead>
              <Table.Tr>
                {curator ? (
                  <Table.Th w={40}>
                    <span className="visually-hidden">{t('clusters.select')}</span>
                  </Table.Th>
                ) : null}
                <Table.Th w={72}>{t('recs.col.paragraph')}</Table.Th>
                <Table.Th w={170}>{t('recs.col.source')}</Table.Th>
                <Table.Th>{t('recs.col.text')}</Table.Th>
                <Table.Th w={180}>{t('recs.col.status')}</Table.Th>
                {curator ? (
                  <Table.Th w={60}>
                    <span className="visually-hidden">{t('clusters.actions')}</span>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.members.map((m) => {
                const txt = pickText(m, lang);
                return (
                  <Table.Tr key={m.id} data-testid="member-row">
                    {curator ? (
                      <Table.Td>
                        <Checkbox
                          size="xs"
                          aria-label={t('clusters.selectMember', { paragraph: m.paragraph ?? '', symbol: m.document_symbol })}
                          checked={picked.has(m.id)}
                          onChange={(e) => toggle(m.id, e.currentTarget.checked)}
                          data-testid="select-member"
                        />
                      </Table.Td>
                    ) : null}
                    <Table.Td>
                      <Ltr>{m.paragraph ?? '—'}</Ltr>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={0}>
                        <Text size="sm" fw={500}>
                          <Ltr>{m.body_code}</Ltr>
                          {m.upr_cycle ? <> · {t('facets.cycleValue', { n: formatNumber(m.upr_cycle, lang) })}</> : null}
                        </Text>
                        <Text size="xs" c="dimmed">
                          <Ltr>{m.document_symbol}</Ltr>
                        </Text>
                        <Text size="xs" c="dimmed">
                          <bdi>{formatDate(m.document_date, lang)}</bdi>
                        </Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/recommendations/${m.id}`} className="row-link" size="sm" c="dark.8">
                        <span className="rec-text" lang={txt?.lang} dir={txt ? (txt.lang === 'ar' ? 'rtl' : 'ltr') : undefined}>
                          {txt?.text ?? t('recs.noText')}
                        </span>
                      </Anchor>
                      {txt && txt.lang !== lang ? (
                        <Text size="xs" c="dimmed" mt={2}>
                          {t('recs.shownIn', { lang: t(`arabic.languageName.${txt.lang}`) })}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge code={m.status} statuses={ref.data?.statuses} size="md" />
                    </Table.Td>
                    {curator ? (
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="gray.7"
                          aria-label={t('clusters.remove.button', { paragraph: m.paragraph ?? '', symbol: m.document_symbol })}
                          onClick={() => setDialog({ remove: m.id })}
                          data-testid="remove-member"
                        >
                          <span aria-hidden="true">✕</span>
                        </ActionIcon>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </div>
      </Card>

      {dialog === 'rename' ? <RenameModal cluster={c} onClose={closeDialog} onReload={reload} /> : null}
      {dialog === 'merge' ? (
        <MergeModal
          cluster={c}
          onClose={closeDialog}
          onMerged={(target) => {
            closeDialog();
            setNotice({ text: t('clusters.merge.done') });
            if (target !== c.id) void navigate(`/clusters/${target}`);
          }}
        />
      ) : null}
      <ConfirmDialog
        opened={dialog === 'split'}
        title={t('clusters.split.title')}
        confirmLabel={t('clusters.split.confirm')}
        loading={split.isPending}
        error={split.error && !isConflict(split.error) ? split.error : undefined}
        onClose={closeDialog}
        onConfirm={() =>
          split.mutate(
            { id: c.id, version: c.version, recommendationIds: [...picked] },
            {
              onSuccess: (r) => {
                setPicked(new Set());
                setDialog(null);
                setNotice({ text: t('clusters.split.done'), link: `/clusters/${r.newCluster.id}` });
              },
            },
          )
        }
        testId="split-dialog"
      >
        <Stack gap="xs">
          <Text size="sm">{t('clusters.split.body', { n: formatNumber(picked.size, lang) })}</Text>
          {isConflict(split.error) ? <ActionError error={split.error} onReload={() => (closeDialog(), reload())} /> : null}
        </Stack>
      </ConfirmDialog>
      <ConfirmDialog
        opened={removing !== undefined}
        title={t('clusters.remove.title')}
        confirmLabel={t('clusters.remove.confirm')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onClose={closeDialog}
        onConfirm={() =>
          removing &&
          remove.mutate(
            { id: c.id, recommendationId: removing.id },
            {
              onSuccess: () => {
                setDialog(null);
                setPicked((cur) => {
                  const next = new Set(cur);
                  next.delete(removing.id);
                  return next;
                });
              },
            },
          )
        }
        testId="remove-dialog"
      >
        <Text size="sm">
          {t('clusters.remove.body')} <Ltr>{removing?.paragraph ?? ''}</Ltr> · <Ltr>{removing?.document_symbol ?? ''}</Ltr>
        </Text>
      </ConfirmDialog>
      <ConfirmDialog
        opened={dialog === 'dissolve'}
        title={t('clusters.dissolve.title')}
        confirmLabel={t('clusters.dissolve.confirm')}
        danger
        loading={dissolve.isPending}
        error={dissolve.error}
        onClose={closeDialog}
        onConfirm={() => dissolve.mutate({ id: c.id })}
        testId="dissolve-dialog"
      >
        <Text size="sm">{t('clusters.dissolve.body', { n: formatNumber(c.member_count, lang) })}</Text>
      </ConfirmDialog>
    </Stack>
  );
}
