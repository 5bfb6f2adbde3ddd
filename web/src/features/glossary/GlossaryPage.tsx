import { Alert, Anchor, Button, Card, Group, Modal, Pagination, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatNumber } from '../../api/format.ts';
import type { ResponseOf } from '../../api/types.ts';
import { canCurate, useSession } from '../../auth/session.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { CsvImportDialog } from '../../components/CsvImportDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

type GlossaryList = ResponseOf<'/api/glossary'>;
type GlossaryEntry = GlossaryList['items'][number];
type ImportResult = ResponseOf<'/api/glossary/import', 'post'>;

const PAGE_SIZE = 50;
/** the file's header row, as it is written */
const CSV_COLUMNS = 'term_ar,term_en,note';

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['glossary'] });
}

/** Add or edit one pair (an edit sends the version it read). */
function EntryModal({ entry, opened, onClose }: { entry: GlossaryEntry | null; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [ar, setAr] = useState(entry?.term_ar ?? '');
  const [en, setEn] = useState(entry?.term_en ?? '');
  const [note, setNote] = useState(entry?.note ?? '');
  const save = useMutation({
    mutationFn: () =>
      entry
        ? api(`/api/glossary/${entry.id}`, { method: 'PATCH', body: { version: entry.version, term_ar: ar, term_en: en, note: note.trim() || null } })
        : api('/api/glossary', { method: 'POST', body: { term_ar: ar, term_en: en, note: note.trim() || null } }),
    onSuccess: async () => {
      await invalidate();
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ar.trim() && en.trim()) save.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={entry ? t('arabic.glossary.editTitle') : t('arabic.glossary.addTitle')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput label={t('arabic.glossary.termAr')} value={ar} onChange={(e) => setAr(e.currentTarget.value)} required dir="rtl" lang="ar" data-testid="glossary-ar" />
          <TextInput label={t('arabic.glossary.termEn')} value={en} onChange={(e) => setEn(e.currentTarget.value)} required dir="ltr" lang="en" data-testid="glossary-en" />
          <TextInput label={t('arabic.glossary.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          {save.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
              {errorMessage(save.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!ar.trim() || !en.trim()} data-testid="glossary-save">
              {entry ? t('edit.save') : t('arabic.glossary.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A CSV file checked first (dry run), then imported; an empty side or a repeated pair refuses the whole file. */
function ImportModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const invalidate = useInvalidate();
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const n = (v: number) => formatNumber(v, lang);
  return (
    <CsvImportDialog<ImportResult>
      opened={opened}
      onClose={onClose}
      title={t('arabic.glossary.importTitle')}
      hint={t('arabic.glossary.importHint')}
      columns={CSV_COLUMNS}
      fileLabel={t('arabic.glossary.importFile')}
      url={(dryRun) => `/api/glossary/import${qs({ mode, dryRun: String(dryRun) })}`}
      optionsKey={mode}
      options={
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as 'merge' | 'replace')}
          data={[
            { value: 'merge', label: t('arabic.glossary.modeMerge') },
            { value: 'replace', label: t('arabic.glossary.modeReplace') },
          ]}
        />
      }
      counts={(r) => t('arabic.glossary.importCounts', { added: n(r.added), unchanged: n(r.unchanged), removed: n(r.removed) })}
      checkLabel={t('arabic.glossary.check')}
      confirmLabel={() => t('arabic.glossary.importConfirm')}
      canConfirm={(r) => r.added + r.removed > 0}
      danger={(r) => r.removed > 0}
      previewTitle={t('arabic.glossary.previewTitle')}
      doneTitle={t('arabic.glossary.importDone')}
      onImported={invalidate}
      testId="glossary"
    />
  );
}

/** The bilingual glossary that expands searches: everyone reads it, coordinators edit it. */
export function GlossaryPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const user = useSession().data?.user ?? null;
  const curator = canCurate(user);
  const invalidate = useInvalidate();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<GlossaryEntry | 'new' | null>(null);
  const [deleting, setDeleting] = useState<GlossaryEntry | null>(null);
  const [importing, setImporting] = useState(false);
  const list = useQuery({
    queryKey: ['glossary', q, page],
    queryFn: () => api<GlossaryList>(`/api/glossary${qs({ q: q || undefined, page: String(page), pageSize: String(PAGE_SIZE) })}`),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({
    mutationFn: (e: GlossaryEntry) => api(`/api/glossary/${e.id}${qs({ version: String(e.version) })}`, { method: 'DELETE' }),
    onSuccess: async () => {
      setDeleting(null);
      await invalidate();
    },
  });
  const data = list.data;
  return (
    <Stack gap="md">
      <PageHeader
        title={t('arabic.glossary.title')}
        subtitle={t('arabic.glossary.subtitle')}
        actions={
          <Group gap="sm">
            <Button component="a" href="/api/glossary/export.csv" download="glossary.csv" variant="default">
              {t('arabic.glossary.export')}
            </Button>
            {curator ? (
              <>
                <Button variant="default" onClick={() => setImporting(true)}>
                  {t('arabic.glossary.import')}
                </Button>
                <Button onClick={() => setEditing('new')} data-testid="glossary-add">
                  {t('arabic.glossary.add')}
                </Button>
              </>
            ) : null}
          </Group>
        }
      />
      <Card>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setQ(draft.trim());
            setPage(1);
          }}
        >
          <Group gap="sm" align="flex-end" wrap="wrap">
            <TextInput style={{ flex: '1 1 14rem' }} label={t('arabic.glossary.search')} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} data-testid="glossary-search" />
            <Button type="submit" variant="default">
              {t('arabic.glossary.find')}
            </Button>
          </Group>
        </form>
      </Card>
      {list.isLoading ? <LoadingState /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {data ? (
        <Card>
          <Text size="sm" c="dimmed" mb="xs" role="status">
            {t('arabic.glossary.count', { n: formatNumber(data.total, lang) })}
          </Text>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('arabic.glossary.title')}>
            <Table striped verticalSpacing={6} data-testid="glossary-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('arabic.glossary.termAr')}</Table.Th>
                  <Table.Th>{t('arabic.glossary.termEn')}</Table.Th>
                  <Table.Th>{t('arabic.glossary.note')}</Table.Th>
                  {curator ? <Table.Th>{t('arabic.glossary.actions')}</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((e) => (
                  <Table.Tr key={e.id} data-testid="glossary-row">
                    <Table.Td lang="ar" dir="rtl">
                      {e.term_ar}
                    </Table.Td>
                    <Table.Td>
                      <Ltr>{e.term_en}</Ltr>
                    </Table.Td>
                    <Table.Td>{e.note ?? ''}</Table.Td>
                    {curator ? (
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Anchor component="button" type="button" size="sm" onClick={() => setEditing(e)}>
                            {t('arabic.glossary.edit')}
                          </Anchor>
                          <Anchor component="button" type="button" size="sm" c="red.9" onClick={() => setDeleting(e)}>
                            {t('arabic.glossary.delete')}
                          </Anchor>
                        </Group>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
          {data.total > PAGE_SIZE ? (
            <Group justify="center" mt="sm">
              <Pagination total={Math.ceil(data.total / PAGE_SIZE)} value={page} onChange={setPage} size="sm" getControlProps={(control) => ({ 'aria-label': t(`recs.pageControl.${control}`) })} />
            </Group>
          ) : null}
        </Card>
      ) : null}
      {editing ? <EntryModal key={editing === 'new' ? 'new' : editing.id} entry={editing === 'new' ? null : editing} opened onClose={() => setEditing(null)} /> : null}
      {importing ? <ImportModal opened onClose={() => setImporting(false)} /> : null}
      <ConfirmDialog
        opened={deleting !== null}
        title={t('arabic.glossary.deleteTitle')}
        confirmLabel={t('arabic.glossary.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
        testId="glossary-delete-confirm"
      >
        {deleting ? t('arabic.glossary.deleteText', { ar: deleting.term_ar, en: deleting.term_en }) : null}
      </ConfirmDialog>
    </Stack>
  );
}
