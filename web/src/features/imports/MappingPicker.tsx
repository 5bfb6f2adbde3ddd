import { Button, Group, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import type { ResponseOf } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { MappingEditor } from './MappingEditor.tsx';

type MappingList = ResponseOf<'/api/imports/mappings'>;
type MappingSummary = MappingList['items'][number];

export const MAPPINGS_KEY = ['imports', 'mappings'] as const;

/** The csv/xlsx column-mapping picker, with "New mapping" (the editor) and deleting a saved one. */
export function MappingPicker({ format, encoding, value, onChange }: { format: 'csv' | 'xlsx'; encoding?: string; value: string; onChange: (name: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const list = useQuery({ queryKey: MAPPINGS_KEY, queryFn: () => api<MappingList>('/api/imports/mappings'), staleTime: 60_000 });
  const items = list.data?.items ?? [];
  const selected = items.find((m) => m.name === value);
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: MAPPINGS_KEY }), qc.invalidateQueries({ queryKey: ['imports', 'meta'] })]);

  const remove = useMutation({
    mutationFn: (name: string) => api<void>(`/api/imports/mappings/${encodeURIComponent(name)}`, { method: 'DELETE' }),
    onSuccess: async () => {
      setConfirming(false);
      onChange('');
      await refresh();
    },
  });

  const optionLabel = (m: MappingSummary) => {
    const base = m.label ? `${m.name} — ${m.label}` : m.name;
    return m.preset ? t('imports.mapping.presetOption', { name: base }) : base;
  };

  return (
    <Stack gap={6}>
      <Select
        label={t('imports.options.mapping')}
        description={t('imports.options.mappingHint')}
        data={items.map((m) => ({ value: m.name, label: optionLabel(m) }))}
        value={value || null}
        onChange={(v) => onChange(v ?? '')}
        required
        searchable
        error={list.isError ? errorMessage(list.error) : undefined}
        data-testid="mapping-select"
      />
      <Group gap="xs">
        <Button size="xs" variant="light" onClick={() => setEditing(true)} data-testid="mapping-new">
          {t('imports.mapping.new')}
        </Button>
        {selected && !selected.preset ? (
          <Button size="xs" variant="subtle" color="red" c="red.9" onClick={() => setConfirming(true)} data-testid="mapping-delete">
            {t('imports.mapping.delete')}
          </Button>
        ) : null}
      </Group>
      {editing ? (
        <MappingEditor
          opened
          format={format}
          {...(encoding ? { encoding } : {})}
          onClose={() => setEditing(false)}
          onSaved={async (name) => {
            await refresh();
            onChange(name);
            setEditing(false);
          }}
        />
      ) : null}
      <ConfirmDialog
        opened={confirming}
        title={t('imports.mapping.deleteTitle')}
        confirmLabel={t('imports.mapping.deleteConfirm')}
        onConfirm={() => remove.mutate(value)}
        onClose={() => {
          setConfirming(false);
          remove.reset();
        }}
        loading={remove.isPending}
        danger
        error={remove.error ?? undefined}
        testId="mapping-delete-dialog"
      >
        <Text size="sm" fw={600}>
          <Ltr>{value}</Ltr>
        </Text>
        <Text size="sm">{t('imports.mapping.deleteBody')}</Text>
      </ConfirmDialog>
    </Stack>
  );
}
