import { Alert, Button, Group, Modal, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatDateTime, pickLabel } from '../../api/format.ts';
import { useTerms } from '../../api/queries.ts';
import type { ResponseOf } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

type MappingList = ResponseOf<'/api/imports/theme-mappings'>;
type Mapping = MappingList['items'][number];

const SOURCE = 'upr-info';
/** the Select's value for "never file this issue under a theme" (the API's termId null) */
const NONE = '__none__';
const mappingUrl = (label: string) => `/api/imports/theme-mappings/${SOURCE}/${encodeURIComponent(label)}`;

/** Curators: which theme each UPR Info issue is filed under on import (list, add, change, delete). */
export function ThemeMappingsPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['theme-mappings'], queryFn: () => api<MappingList>(`/api/imports/theme-mappings?source=${SOURCE}`) });
  const themes = useTerms('theme');
  const [editing, setEditing] = useState<Mapping | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Mapping | null>(null);
  const [filter, setFilter] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: ['theme-mappings'] });
  const remove = useMutation({
    mutationFn: (m: Mapping) => api<void>(`${mappingUrl(m.label)}?version=${m.version}`, { method: 'DELETE' }),
    onSuccess: async () => {
      setDeleting(null);
      await refresh();
    },
  });
  const themeName = (m: Mapping) => (m.theme ? pickLabel(m.theme.labelAr, m.theme.labelEn, lang, m.theme.code) : t('realweb.themeMappings.noTheme'));
  const f = filter.trim().toLowerCase();
  const items = (list.data?.items ?? []).filter((m) => !f || m.label.toLowerCase().includes(f) || themeName(m).toLowerCase().includes(f));
  return (
    <Stack gap="md">
      <PageHeader title={t('realweb.themeMappings.title')} subtitle={t('realweb.themeMappings.subtitle')} />
      <Group justify="space-between" align="flex-end" gap="sm">
        <TextInput label={t('realweb.themeMappings.search')} value={filter} onChange={(e) => setFilter(e.currentTarget.value)} type="search" w={{ base: '100%', sm: 320 }} />
        <Button onClick={() => setEditing('new')} data-testid="mapping-add">
          {t('realweb.themeMappings.add')}
        </Button>
      </Group>
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <Paper withBorder p="xl">
          <Text ta="center" fw={600}>
            {t('realweb.themeMappings.empty')}
          </Text>
        </Paper>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} data-testid="mapping-list">
          {items.map((m) => (
            <Paper key={m.label} withBorder p="sm" component="li" data-testid="mapping-row">
              <Group justify="space-between" gap="sm" wrap="wrap">
                <Stack gap={2} style={{ minWidth: 0, flex: '1 1 220px' }}>
                  <Text fw={600} lang="en" dir="ltr" style={{ textAlign: 'start', overflowWrap: 'anywhere' }}>
                    {m.label}
                  </Text>
                  <Text size="sm">
                    {t('realweb.themeMappings.theme')}: <strong>{themeName(m)}</strong>
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('realweb.themeMappings.updated')}: {formatDateTime(m.updatedAt, lang)}
                  </Text>
                </Stack>
                <Group gap="xs">
                  <Button size="xs" variant="default" onClick={() => setEditing(m)} aria-label={`${t('realweb.themeMappings.edit')}: ${m.label}`}>
                    {t('realweb.themeMappings.edit')}
                  </Button>
                  <Button size="xs" variant="default" color="red" onClick={() => setDeleting(m)} aria-label={`${t('realweb.themeMappings.delete')}: ${m.label}`}>
                    {t('realweb.themeMappings.delete')}
                  </Button>
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      {editing ? (
        <MappingDialog
          mapping={editing === 'new' ? null : editing}
          themes={(themes.data?.items ?? []).map((x) => ({ value: x.id, label: pickLabel(x.label_ar, x.label_en, lang, x.code) }))}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await refresh();
          }}
        />
      ) : null}
      <ConfirmDialog
        opened={deleting !== null}
        title={t('realweb.themeMappings.confirmTitle')}
        confirmLabel={t('realweb.themeMappings.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
        testId="mapping-delete-confirm"
      >
        {t('realweb.themeMappings.confirmText', { issue: deleting?.label ?? '' })}
      </ConfirmDialog>
    </Stack>
  );
}

function MappingDialog({ mapping, themes, onClose, onSaved }: { mapping: Mapping | null; themes: { value: string; label: string }[]; onClose: () => void; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const [label, setLabel] = useState(mapping?.label ?? '');
  const [termId, setTermId] = useState<string>(mapping ? (mapping.termId ?? NONE) : '');
  const save = useMutation({
    mutationFn: () => api<Mapping>(mappingUrl(label.trim()), { method: 'PUT', body: { termId: termId === NONE ? null : termId, ...(mapping ? { version: mapping.version } : {}) } }),
    onSuccess: onSaved,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={mapping ? t('realweb.themeMappings.edit') : t('realweb.themeMappings.add')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput label={t('realweb.themeMappings.issue')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} disabled={mapping !== null} required dir="ltr" lang="en" maxLength={200} data-testid="mapping-label" />
          <Select
            label={t('realweb.themeMappings.theme')}
            data={[{ value: NONE, label: t('realweb.themeMappings.noTheme') }, ...themes]}
            value={termId || null}
            onChange={(v) => setTermId(v ?? '')}
            searchable
            required
            comboboxProps={{ withinPortal: true }}
            data-testid="mapping-theme"
          />
          {save.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
              {errorMessage(save.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!label.trim() || !termId} data-testid="mapping-save">
              {t('realweb.themeMappings.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
