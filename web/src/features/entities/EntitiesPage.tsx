import { Alert, Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorCode, errorMessage } from '../../api/errors.ts';
import { formatNumber, pickLabel } from '../../api/format.ts';
import { useEntities } from '../../api/queries.ts';
import type { Entity, EntityImportResult } from '../../api/types.ts';
import { canCurate, useSession } from '../../auth/session.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { CsvImportDialog } from '../../components/CsvImportDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

/** The columns the server reads (a format, not text to translate). */
const CSV_COLUMNS = ['code', 'name_ar', 'name_en', 'parent_code'].join(',');

function useInvalidateEntities() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['entities'] });
}

/** Create (no entity given) or edit one; an edit sends the version it read and offers to reload on a 409. */
function EntityModal({ entity, all, opened, onClose }: { entity: Entity | null; all: Entity[]; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const invalidate = useInvalidateEntities();
  const [code, setCode] = useState(entity?.code ?? '');
  const [nameAr, setNameAr] = useState(entity?.name_ar ?? '');
  const [nameEn, setNameEn] = useState(entity?.name_en ?? '');
  const [parent, setParent] = useState<string | null>(entity?.parent_id ?? null);
  const [tried, setTried] = useState(false);

  const save = useMutation({
    mutationFn: () =>
      entity
        ? api<Entity>(`/api/entities/${entity.id}`, {
            method: 'PATCH',
            body: { version: entity.version, name_ar: nameAr.trim(), name_en: nameEn.trim(), parent_id: parent },
          })
        : api<Entity>('/api/entities', { method: 'POST', body: { code: code.trim(), name_ar: nameAr.trim(), name_en: nameEn.trim(), parent_id: parent } }),
    onSuccess: async () => {
      await invalidate();
      onClose();
    },
  });
  const conflict = save.isError && errorCode(save.error) === 'version_conflict';
  const missing = (v: string) => (tried && !v.trim() ? t('entities.required') : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if ((!entity && !code.trim()) || !nameAr.trim() || !nameEn.trim()) return;
    save.mutate();
  };

  return (
    <Modal opened={opened} onClose={onClose} title={entity ? t('entities.editTitle') : t('entities.createTitle')} centered size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit} data-testid="entity-form">
        <Stack gap="sm">
          {conflict ? (
            <Alert color="orange" variant="light" role="alert" title={t('edit.conflictTitle')}>
              <Stack gap="xs">
                <Text size="sm">{t('entities.conflict')}</Text>
                <Group>
                  <Button
                    size="xs"
                    color="orange.9"
                    onClick={async () => {
                      await invalidate();
                      onClose();
                    }}
                  >
                    {t('entities.reload')}
                  </Button>
                </Group>
              </Stack>
            </Alert>
          ) : save.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
              {errorMessage(save.error)}
            </Alert>
          ) : null}
          {entity ? (
            <Text size="sm">
              {t('entities.col.code')}: <Ltr>{entity.code}</Ltr>
            </Text>
          ) : (
            <TextInput label={t('entities.col.code')} description={t('entities.codeHint')} value={code} onChange={(e) => setCode(e.currentTarget.value)} dir="ltr" required error={missing(code)} data-autofocus />
          )}
          <TextInput label={t('entities.col.nameAr')} value={nameAr} onChange={(e) => setNameAr(e.currentTarget.value)} dir="rtl" lang="ar" required error={missing(nameAr)} />
          <TextInput label={t('entities.col.nameEn')} value={nameEn} onChange={(e) => setNameEn(e.currentTarget.value)} dir="ltr" lang="en" required error={missing(nameEn)} />
          <Select
            label={t('entities.col.parent')}
            placeholder={t('entities.noParent')}
            data={all.filter((x) => x.id !== entity?.id && !x.archived_at).map((x) => ({ value: x.id, label: `${x.code} — ${pickLabel(x.name_ar, x.name_en, lang, x.code)}` }))}
            value={parent}
            onChange={setParent}
            clearable
            searchable
          />
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {entity ? t('edit.save') : t('entities.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ImportEntitiesModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const invalidate = useInvalidateEntities();
  const n = (v: number) => formatNumber(v, lang);
  return (
    <CsvImportDialog<EntityImportResult>
      opened={opened}
      onClose={onClose}
      title={t('entities.importTitle')}
      hint={t('entities.importHint')}
      columns={CSV_COLUMNS}
      fileLabel={t('entities.importFile')}
      url={(dryRun) => `/api/entities/import?dryRun=${dryRun}`}
      counts={(r) => t('entities.importCounts', { created: n(r.created), updated: n(r.updated), unchanged: n(r.unchanged) })}
      checkLabel={t('imports.upload.preview')}
      confirmLabel={(r) => t('entities.importConfirm', { n: n(r.created + r.updated) })}
      canConfirm={(r) => r.created + r.updated > 0}
      previewTitle={t('imports.run.previewDone')}
      previewNote={t('imports.run.previewNothingYet')}
      doneTitle={t('imports.run.importDone')}
      errorNote={t('imports.run.nothingChanged')}
      onImported={invalidate}
      testId="entities"
    />
  );
}

export function EntitiesPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const user = useSession().data?.user ?? null;
  const curator = canCurate(user);
  const [showArchived, setShowArchived] = useState(false);
  const list = useEntities(showArchived);
  const invalidate = useInvalidateEntities();
  const [editing, setEditing] = useState<Entity | null>(null);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [archiving, setArchiving] = useState<Entity | null>(null);
  const [filter, setFilter] = useState('');

  const archive = useMutation({
    mutationFn: (e: Entity) => api<Entity>(`/api/entities/${e.id}`, { method: 'PATCH', body: { version: e.version, archived: !e.archived_at } }),
    onSuccess: async () => {
      await invalidate();
      setArchiving(null);
    },
  });

  const items = list.data?.items ?? [];
  const byId = new Map(items.map((e) => [e.id, e]));
  const f = filter.trim().toLowerCase();
  const shown = f ? items.filter((e) => [e.code, e.name_ar, e.name_en].some((v) => v.toLowerCase().includes(f))) : items;

  return (
    <Stack gap="md">
      <PageHeader
        title={t('entities.title')}
        subtitle={t('entities.subtitle')}
        actions={
          curator ? (
            <Group gap="sm">
              <Button variant="default" onClick={() => setImporting(true)}>
                {t('entities.import')}
              </Button>
              <Button onClick={() => setCreating(true)}>{t('entities.add')}</Button>
            </Group>
          ) : null
        }
      />
      <Paper withBorder p="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label={t('entities.filter')} value={filter} onChange={(e) => setFilter(e.currentTarget.value)} type="search" />
          <Switch label={t('entities.showArchived')} checked={showArchived} onChange={(e) => setShowArchived(e.currentTarget.checked)} mt={{ sm: 28 }} data-testid="show-archived" />
        </SimpleGrid>
      </Paper>
      <Paper withBorder p={0}>
        {list.isError ? (
          <Stack p="md">
            <ErrorState error={list.error} onRetry={() => void list.refetch()} />
          </Stack>
        ) : !list.data ? (
          <LoadingState />
        ) : shown.length === 0 ? (
          <Text p="xl" ta="center" fw={600}>
            {t('entities.empty')}
          </Text>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('entities.title')}>
            <Table className="rec-table" striped highlightOnHover miw={760} data-testid="entities-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('entities.col.code')}</Table.Th>
                  <Table.Th>{t('entities.col.nameAr')}</Table.Th>
                  <Table.Th>{t('entities.col.nameEn')}</Table.Th>
                  <Table.Th>{t('entities.col.parent')}</Table.Th>
                  <Table.Th>{t('entities.col.status')}</Table.Th>
                  {curator ? <Table.Th>{t('entities.col.actions')}</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((e) => {
                  const parent = e.parent_id ? byId.get(e.parent_id) : undefined;
                  const name = pickLabel(e.name_ar, e.name_en, lang, e.code);
                  return (
                    <Table.Tr key={e.id} className={e.archived_at ? 'archived-row' : undefined} data-testid={`entity-${e.code}`}>
                      <Table.Td>
                        <Ltr>{e.code}</Ltr>
                      </Table.Td>
                      <Table.Td lang="ar" dir="rtl" ta="start">
                        {e.name_ar}
                      </Table.Td>
                      <Table.Td lang="en" dir="ltr" ta="start">
                        {e.name_en}
                      </Table.Td>
                      <Table.Td>{parent ? pickLabel(parent.name_ar, parent.name_en, lang, parent.code) : '—'}</Table.Td>
                      <Table.Td>
                        {e.archived_at ? (
                          <Badge variant="outline" color="gray" c="dark.6">
                            {t('entities.archived')}
                          </Badge>
                        ) : (
                          <Badge variant="outline" color="green.9" c="dark.7" bg="white" leftSection={<span className="status-dot" style={{ background: "#2b8a3e" }} aria-hidden="true" />}>
                            {t('entities.active')}
                          </Badge>
                        )}
                      </Table.Td>
                      {curator ? (
                        <Table.Td>
                          <Group gap={6} wrap="nowrap">
                            <Button size="compact-sm" variant="light" onClick={() => setEditing(e)} aria-label={t('entities.editNamed', { name })}>
                              {t('entities.edit')}
                            </Button>
                            <Button
                              size="compact-sm"
                              variant="subtle"
                              color={e.archived_at ? 'rasd' : 'red'}
                              c={e.archived_at ? 'rasd.8' : 'red.9'}
                              onClick={() => setArchiving(e)}
                              aria-label={t(e.archived_at ? 'entities.restoreNamed' : 'entities.archiveNamed', { name })}
                            >
                              {e.archived_at ? t('entities.restore') : t('entities.archive')}
                            </Button>
                          </Group>
                        </Table.Td>
                      ) : null}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </Paper>

      {creating ? <EntityModal entity={null} all={items} opened onClose={() => setCreating(false)} /> : null}
      {editing ? <EntityModal key={editing.id + editing.version} entity={editing} all={items} opened onClose={() => setEditing(null)} /> : null}
      {importing ? <ImportEntitiesModal opened onClose={() => setImporting(false)} /> : null}
      <ConfirmDialog
        opened={!!archiving}
        onClose={() => {
          setArchiving(null);
          archive.reset();
        }}
        title={archiving?.archived_at ? t('entities.restoreTitle') : t('entities.archiveTitle')}
        confirmLabel={archiving?.archived_at ? t('entities.restore') : t('entities.archive')}
        danger={!archiving?.archived_at}
        onConfirm={() => archiving && archive.mutate(archiving)}
        loading={archive.isPending}
        error={archive.error}
      >
        <Text size="sm">
          {archiving?.archived_at ? t('entities.restoreBody', { name: archiving ? pickLabel(archiving.name_ar, archiving.name_en, lang, archiving.code) : '' }) : t('entities.archiveBody', { name: archiving ? pickLabel(archiving.name_ar, archiving.name_en, lang, archiving.code) : '' })}
        </Text>
      </ConfirmDialog>
    </Stack>
  );
}
