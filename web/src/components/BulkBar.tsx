import { Alert, Button, Group, Modal, MultiSelect, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { formatNumber, pickLabel } from '../api/format.ts';
import { useTerms } from '../api/queries.ts';
import type { Position, Priority, ResponseOf, TermKind } from '../api/types.ts';
import { useLanguage } from '../i18n/useLanguage.ts';
import { AssignModal } from '../features/assignments/AssignModal.tsx';

export const BULK_ACTIONS = ['add_terms', 'remove_terms', 'set_position', 'set_priority', 'publish', 'unpublish'] as const;
type BulkAction = (typeof BULK_ACTIONS)[number];
const BULK_TERM_KINDS: readonly TermKind[] = ['theme', 'tag', 'affected_person', 'sdg_target'];
const NONE = 'none';

function TermsPicker({ kind, value, onChange }: { kind: TermKind; value: string[]; onChange: (v: string[]) => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const terms = useTerms(kind);
  return (
    <MultiSelect
      label={t('bulk.terms')}
      data={(terms.data?.items ?? []).map((x) => ({ value: x.id, label: kind === 'sdg_target' ? `${x.code} — ${pickLabel(x.label_ar, x.label_en, lang, x.code)}` : pickLabel(x.label_ar, x.label_en, lang, x.code) }))}
      value={value}
      onChange={onChange}
      searchable
      nothingFoundMessage={t('curation.noTerms')}
      comboboxProps={{ withinPortal: true }}
      data-testid="bulk-terms"
    />
  );
}

/** The selection's count and the actions on it; each asks first, saying how many will change. */
export function BulkBar({ ids, onClear }: { ids: string[]; onClear: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const [action, setAction] = useState<BulkAction | null>(null);
  // The dialog keeps its title while it animates closed (a nameless dialog is an accessibility error).
  const lastAction = useRef<BulkAction | null>(null);
  if (action) lastAction.current = action;
  const [kind, setKind] = useState<TermKind>('theme');
  const [termIds, setTermIds] = useState<string[]>([]);
  const [position, setPosition] = useState<string>('supported');
  const [priority, setPriority] = useState<string>('high');
  const [result, setResult] = useState<{ action: BulkAction; changed: number; selected: number } | null>(null);
  const [assignOpen, setAssignOpen] = useState(false);
  const [assigned, setAssigned] = useState<{ created: number; updated: number } | null>(null);
  const n = formatNumber(ids.length, lang);

  const run = useMutation({
    mutationFn: (a: BulkAction) => {
      const op =
        a === 'add_terms' || a === 'remove_terms'
          ? { action: a, termIds }
          : a === 'set_position'
            ? { action: a, position: position === NONE ? null : (position as Position) }
            : a === 'set_priority'
              ? { action: a, priority: priority === NONE ? null : (priority as Priority) }
              : { action: a };
      return api<ResponseOf<'/api/recommendations/bulk', 'post'>>('/api/recommendations/bulk', { method: 'POST', body: { ids, op } });
    },
    onSuccess: async (res, a) => {
      setResult({ action: a, ...res });
      setAction(null);
      setTermIds([]);
      onClear();
      await Promise.all([qc.invalidateQueries({ queryKey: ['recommendations'] }), qc.invalidateQueries({ queryKey: ['recommendation'] }), qc.invalidateQueries({ queryKey: ['terms'] })]);
    },
  });

  const open = (a: BulkAction) => {
    run.reset();
    setResult(null);
    setAction(a);
  };
  const needsTerms = action === 'add_terms' || action === 'remove_terms';

  return (
    <>
      {result ? (
        <Alert color="green" variant="light" role="status" withCloseButton onClose={() => setResult(null)} closeButtonLabel={t('common.close')} data-testid="bulk-result">
          {t('bulk.done', { changed: formatNumber(result.changed, lang), selected: formatNumber(result.selected, lang) })}
        </Alert>
      ) : null}
      {ids.length > 0 ? (
        <div className="bulk-bar" role="region" aria-label={t('bulk.label')} data-testid="bulk-bar">
          <Group justify="space-between" gap="xs">
            <Text size="sm" fw={600} aria-live="polite" data-testid="bulk-count">
              {t('bulk.selected', { n })}
            </Text>
            <Group gap={6}>
              {BULK_ACTIONS.map((a) => (
                <Button key={a} size="compact-sm" variant={a === 'publish' ? 'filled' : 'default'} onClick={() => open(a)} data-testid={`bulk-${a}`}>
                  {t(`bulk.action.${a}`)}
                </Button>
              ))}
              <Button size="compact-sm" variant="default" onClick={() => setAssignOpen(true)} data-testid="bulk-assign">
                {t('assign.bulkAction')}
              </Button>
              <Button size="compact-sm" variant="subtle" onClick={onClear}>
                {t('bulk.clear')}
              </Button>
            </Group>
          </Group>
        </div>
      ) : null}
      <Modal opened={!!action} onClose={() => setAction(null)} title={lastAction.current ? t(`bulk.action.${lastAction.current}`) : ''} centered closeButtonProps={{ 'aria-label': t('common.close') }} data-testid="bulk-confirm">
        <Stack gap="sm">
          {needsTerms ? (
            <>
              <Select
                label={t('bulk.kind')}
                data={BULK_TERM_KINDS.map((k) => ({ value: k, label: t(`terms.${k}`) }))}
                value={kind}
                onChange={(v) => {
                  if (v) {
                    setKind(v as TermKind);
                    setTermIds([]);
                  }
                }}
                allowDeselect={false}
              />
              <TermsPicker kind={kind} value={termIds} onChange={setTermIds} />
            </>
          ) : null}
          {action === 'set_position' ? (
            <Select
              label={t('fields.position')}
              data={[...(['supported', 'partially_supported', 'noted'] as const).map((p) => ({ value: p, label: t(`position.${p}`) })), { value: NONE, label: t('curation.noPosition') }]}
              value={position}
              onChange={(v) => v && setPosition(v)}
              allowDeselect={false}
            />
          ) : null}
          {action === 'set_priority' ? (
            <Select
              label={t('fields.priority')}
              data={[...(['high', 'medium', 'low'] as const).map((p) => ({ value: p, label: t(`priority.${p}`) })), { value: NONE, label: t('priority.none') }]}
              value={priority}
              onChange={(v) => v && setPriority(v)}
              allowDeselect={false}
            />
          ) : null}
          <Text size="sm" fw={600}>
            {action ? t(`bulk.confirm.${action}`, { n }) : ''}
          </Text>
          {run.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
              {errorMessage(run.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setAction(null)} disabled={run.isPending}>
              {t('common.cancel')}
            </Button>
            <Button onClick={() => action && run.mutate(action)} loading={run.isPending} disabled={needsTerms && termIds.length === 0} data-testid="bulk-apply">
              {t('bulk.apply', { n })}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <AssignModal
        recommendationIds={ids}
        opened={assignOpen}
        onClose={() => setAssignOpen(false)}
        onDone={(res) => {
          setAssigned(res);
          onClear();
        }}
      />
      {assigned ? (
        <Alert color="green" variant="light" role="status" withCloseButton onClose={() => setAssigned(null)} closeButtonLabel={t('common.close')} data-testid="assign-result">
          {t('assign.done', { created: formatNumber(assigned.created, lang), updated: formatNumber(assigned.updated, lang) })}
        </Alert>
      ) : null}
    </>
  );
}
