import { ActionIcon, Alert, Anchor, Button, Group, Modal, Popover, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/errors.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import '../../components/search.css';
import { type SavedView, useDeleteView, useSavedViews, useSaveView, viewQuery } from './api.ts';

/** "Save this view" and "My views": named searches of the recommendations list, kept per user. */
export function SavedViews() {
  const { t } = useTranslation();
  const [sp] = useSearchParams();
  const [saving, setSaving] = useState(false);
  const [menu, setMenu] = useState(false);
  const [toDelete, setToDelete] = useState<SavedView | null>(null);
  const views = useSavedViews();
  const del = useDeleteView();
  const items = views.data?.items ?? [];

  return (
    <Group gap="xs" wrap="nowrap">
      <Button variant="default" size="xs" onClick={() => setSaving(true)} data-testid="save-view">
        {t('views.save')}
      </Button>
      <Popover opened={menu} onChange={setMenu} width={320} position="bottom-end" shadow="md" withArrow trapFocus>
        <Popover.Target>
          <Button variant="default" size="xs" onClick={() => setMenu((o) => !o)} aria-expanded={menu} data-testid="views-menu" rightSection={<span aria-hidden="true">▾</span>}>
            {t('views.mine')}
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Text fw={600} size="sm" mb={6}>
            {t('views.mine')}
          </Text>
          {views.isError ? (
            <Text size="sm" c="red.8">
              {errorMessage(views.error)}
            </Text>
          ) : items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {views.isPending ? t('common.loading') : t('views.none')}
            </Text>
          ) : (
            <ul className="views-list" data-testid="views-list">
              {items.map((v) => (
                <li key={v.id}>
                  <Anchor component={Link} to={`/recommendations${v.query ? `?${v.query}` : ''}`} size="sm" onClick={() => setMenu(false)}>
                    {v.name}
                  </Anchor>
                  <ActionIcon variant="subtle" color="red.8" size="sm" aria-label={t('views.delete', { name: v.name })} onClick={() => setToDelete(v)}>
                    <span aria-hidden="true">✕</span>
                  </ActionIcon>
                </li>
              ))}
            </ul>
          )}
        </Popover.Dropdown>
      </Popover>
      {saving ? <SaveViewModal query={viewQuery(sp)} onClose={() => setSaving(false)} /> : null}
      <ConfirmDialog
        opened={toDelete !== null}
        title={t('views.deleteTitle')}
        confirmLabel={t('views.deleteConfirm')}
        danger
        loading={del.isPending}
        error={del.error}
        onClose={() => {
          setToDelete(null);
          del.reset();
        }}
        onConfirm={() =>
          toDelete &&
          del.mutate(toDelete.id, {
            onSuccess: () => setToDelete(null),
          })
        }
        testId="delete-view-dialog"
      >
        <Text size="sm">{t('views.deleteBody', { name: toDelete?.name ?? '' })}</Text>
      </ConfirmDialog>
    </Group>
  );
}

function SaveViewModal({ query, onClose }: { query: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const save = useSaveView();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    save.mutate({ name: name.trim(), query }, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} title={t('views.saveTitle')} centered closeButtonProps={{ 'aria-label': t('common.close') }} data-testid="save-view-dialog">
      <form onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('views.saveHint')}
          </Text>
          <TextInput label={t('views.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={200} data-autofocus />
          {save.isError ? (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(save.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
              {t('views.saveButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
