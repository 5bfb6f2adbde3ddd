import { Alert, Button, Card, Divider, Group, Select, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorCode, errorMessage } from '../../api/errors.ts';
import { pickLabel } from '../../api/format.ts';
import type { CurationPatch, Priority, RecommendationDetail, ResponseOf, StatusRef } from '../../api/types.ts';
import { changedTermIds, CurationFields, curationPatch, curationValuesOf } from '../../components/CurationFields.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

const PRIORITIES: readonly Priority[] = ['high', 'medium', 'low'];
const NO_PRIORITY = 'none';

/**
 * Status (with a reason), priority and notes — and, for coordinators, texts, kind, position, publication and terms —
 * saved with the version that was read (409 on a stale one).
 */
export function EditPanel({ rec, statuses, onReload }: { rec: RecommendationDetail; statuses: StatusRef[]; onReload: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const [status, setStatus] = useState(rec.status);
  const [reason, setReason] = useState('');
  const [priority, setPriority] = useState<string>(rec.priority ?? NO_PRIORITY);
  const [notes, setNotes] = useState(rec.notes ?? '');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [saved, setSaved] = useState(false);
  const [curation, setCuration] = useState(() => curationValuesOf(rec));

  // A new version (after saving or reloading) resets the form to what the server holds.
  useEffect(() => {
    setStatus(rec.status);
    setReason('');
    setPriority(rec.priority ?? NO_PRIORITY);
    setNotes(rec.notes ?? '');
    setReasonMissing(false);
    setCuration(curationValuesOf(rec));
  }, [rec.id, rec.version, rec.status, rec.priority, rec.notes]);

  const save = useMutation({
    // Fields first, then the terms with the version the first write returned: a stale read fails on the first call.
    mutationFn: async ({ patch, termIds }: { patch: CurationPatch; termIds: string[] | null }) => {
      let version = patch.version;
      if (Object.keys(patch).length > 1) {
        version = (await api<{ id: string; version: number; changed: boolean }>(`/api/recommendations/${rec.id}`, { method: 'PATCH', body: patch })).version;
      }
      if (termIds) await api<ResponseOf<'/api/recommendations/{id}/terms', 'put'>>(`/api/recommendations/${rec.id}/terms`, { method: 'PUT', body: { version, termIds } });
    },
    onSuccess: async () => {
      setSaved(true);
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['recommendation', rec.id] }),
        qc.invalidateQueries({ queryKey: ['recommendations'] }),
        qc.invalidateQueries({ queryKey: ['dashboard'] }),
      ]);
    },
  });

  const statusChanged = status !== rec.status;
  const newPriority = priority === NO_PRIORITY ? null : (priority as Priority);
  const curationChanges = curationPatch(rec, curation);
  const termIds = changedTermIds(rec, curation);
  const dirty = statusChanged || newPriority !== (rec.priority ?? null) || notes !== (rec.notes ?? '') || Object.keys(curationChanges).length > 0 || termIds !== null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    if (statusChanged && !reason.trim()) {
      setReasonMissing(true);
      return;
    }
    const patch: CurationPatch = { version: rec.version, ...curationChanges };
    if (statusChanged) {
      patch.status = status;
      patch.statusReason = reason.trim();
    }
    if (newPriority !== (rec.priority ?? null)) patch.priority = newPriority;
    if (notes !== (rec.notes ?? '')) patch.notes = notes.trim() ? notes : null;
    save.mutate({ patch, termIds });
  };

  const conflict = save.isError && errorCode(save.error) === 'version_conflict';
  const otherLang = lang === 'ar' ? 'en' : 'ar';

  return (
    <Card component="section" aria-labelledby="sec-edit" data-testid="edit-panel">
      <Title order={2} fz="md" mb={4} id="sec-edit" c="navy.9">
        {t('edit.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('edit.hint')}
      </Text>
      {conflict ? (
        <Alert color="orange" variant="light" role="alert" title={t('edit.conflictTitle')} mb="md" data-testid="conflict-alert">
          <Stack gap="xs">
            <Text size="sm">{errorMessage(save.error, lang)}</Text>
            <Text size="sm" lang={otherLang} dir={otherLang === 'ar' ? 'rtl' : 'ltr'} c="dark.6">
              {errorMessage(save.error, otherLang)}
            </Text>
            <Group>
              <Button
                size="xs"
                color="orange.9"
                onClick={() => {
                  save.reset();
                  onReload();
                }}
              >
                {t('edit.reload')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : save.isError ? (
        <Alert color="red" variant="light" role="alert" title={t('errors.title')} mb="md">
          {errorMessage(save.error)}
        </Alert>
      ) : null}
      {saved && !save.isPending && !save.isError ? (
        <Alert color="green" variant="light" role="status" mb="md">
          {t('edit.saved')}
        </Alert>
      ) : null}
      <form onSubmit={submit}>
        <CurationFields value={curation} onChange={setCuration} />
        <Divider my="md" />
        <Title order={3} fz="sm" c="navy.9" mb="sm">
          {t('curation.followUp')}
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Stack gap="sm">
            <Select
              label={t('fields.status')}
              data={statuses.map((s) => ({ value: s.code, label: pickLabel(s.label_ar, s.label_en, lang, s.code) }))}
              value={status}
              onChange={(v) => v && setStatus(v)}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <Textarea
              label={t('edit.reason')}
              description={statusChanged ? t('edit.reasonRequired') : t('edit.reasonHint')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              autosize
              minRows={2}
              maxRows={6}
              error={reasonMissing && statusChanged && !reason.trim() ? t('edit.reasonMissing') : undefined}
            />
          </Stack>
          <Stack gap="sm">
            <Select
              label={t('fields.priority')}
              data={[
                { value: NO_PRIORITY, label: t('priority.none') },
                ...PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) })),
              ]}
              value={priority}
              onChange={(v) => v && setPriority(v)}
              allowDeselect={false}
            />
            <Textarea label={t('fields.notes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} autosize minRows={2} maxRows={8} />
          </Stack>
        </SimpleGrid>
        <Group mt="md" gap="sm">
          <Button type="submit" loading={save.isPending} disabled={!dirty}>
            {t('edit.save')}
          </Button>
          <Button
            variant="default"
            disabled={!dirty || save.isPending}
            onClick={() => {
              setStatus(rec.status);
              setReason('');
              setPriority(rec.priority ?? NO_PRIORITY);
              setNotes(rec.notes ?? '');
              setReasonMissing(false);
              setCuration(curationValuesOf(rec));
            }}
          >
            {t('edit.cancel')}
          </Button>
        </Group>
      </form>
    </Card>
  );
}
