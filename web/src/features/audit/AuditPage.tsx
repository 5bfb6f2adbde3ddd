import { Anchor, Button, Card, Group, Pagination, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { auditActionLabel } from './actions.ts';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, qs } from '../../api/client.ts';
import type { AuditPage as AuditResult, AuditRow } from '../../api/followup.ts';
import { formatDateTime, formatNumber } from '../../api/format.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { tCode } from '../recommendations/labels.tsx';
import '../../components/charts.css';
import { DateField } from '../../components/DateTimeField.tsx';

const PAGE_SIZE = 50;
const FILTERS = ['actor', 'action', 'subjectType', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];
const SUBJECT_TYPES = ['recommendation', 'assignment', 'progress_update', 'document', 'entity', 'user', 'term', 'import', 'cluster', 'setting'];
const ACTION_PREFIXES = ['assignment.', 'update.', 'evidence.', 'recommendation.', 'auth.', 'user.', 'entity.', 'term.', 'import.'];
const MAX_KEYS = 8;
const NOISE = new Set(['id', 'sha256', 'stored_name', 'created_at', 'updated_at', 'due_set_at', 'version', 'password_hash']);

const short = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 90 ? `${s.slice(0, 88)}…` : s;
};
const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** before → after, only what changed; a creation lists its main fields, a deletion what was removed. */
/** A recorded value as stored (content, not interface: `data-content`): Arabic text right-to-left; codes, numbers and structures (JSON) left-to-right. */
function Value({ className, text }: { className: string; text: string }) {
  return (
    <bdi className={className} data-content="" dir={/[\u0600-\u06ff]/.test(text) && !/^[[{]/.test(text) ? 'rtl' : 'ltr'}>
      {text}
    </bdi>
  );
}

function Diff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  if (before === null && after === null) return <Text size="xs" c="dimmed">—</Text>;
  if (!isRecord(before) && !isRecord(after)) {
    return (
      <Text size="xs">
        <Value className="diff-del" text={short(before)} /> {lang === 'ar' ? '←' : '→'} <Value className="diff-add" text={short(after)} />
      </Text>
    );
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const kind0 = !isRecord(before) ? 'created' : !isRecord(after) ? 'removed' : 'changed';
  // A creation or deletion lists what matters, not internal ids, hashes or empty fields.
  const noise = (k: string, v: unknown) => kind0 !== 'changed' && (NOISE.has(k) || v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0));
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]) && !noise(k, kind0 === 'removed' ? b[k] : a[k]));
  const shown = keys.slice(0, MAX_KEYS);
  const kind = kind0;
  return (
    <ul className="audit-diff" data-testid="audit-diff">
      {shown.map((k) => (
        <li key={k}>
          <strong>{t(`fields.${k}`, { defaultValue: '' }) || <Ltr>{k}</Ltr>}</strong>:{' '}
          {kind === 'created' ? (
            <Value className="diff-add" text={short(a[k])} />
          ) : kind === 'removed' ? (
            <Value className="diff-del" text={short(b[k])} />
          ) : (
            <>
              <Value className="diff-del" text={short(b[k])} /> {lang === 'ar' ? '←' : '→'} <Value className="diff-add" text={short(a[k])} />
            </>
          )}
        </li>
      ))}
      {keys.length > MAX_KEYS ? <li>{t('audit.moreFields', { n: formatNumber(keys.length - MAX_KEYS, lang) })}</li> : null}
    </ul>
  );
}

function Subject({ row }: { row: AuditRow }) {
  const { t } = useTranslation();
  const type = t(`arabic.subjectType.${row.subject_type}`, { defaultValue: '' }) || <Ltr>{row.subject_type}</Ltr>;
  const id = row.subject_id ? <Ltr>{row.subject_id.length > 12 ? `${row.subject_id.slice(0, 8)}…` : row.subject_id}</Ltr> : null;
  const to =
    row.subject_type === 'recommendation' && row.subject_id
      ? `/recommendations/${row.subject_id}`
      : row.subject_type === 'progress_update' && row.subject_id
        ? `/updates/${row.subject_id}`
        : row.subject_type === 'assignment' && row.subject_id
          ? `/assignments/${row.subject_id}`
          : null;
  return (
    <Stack gap={0}>
      <Text size="sm">{type}</Text>
      {id ? (
        to ? (
          <Anchor component={Link} to={to} size="xs" title={row.subject_id ?? undefined}>
            {id}
          </Anchor>
        ) : (
          <Text size="xs" c="dimmed" title={row.subject_id ?? undefined}>
            {id}
          </Text>
        )
      ) : null}
    </Stack>
  );
}

/** Admin › Audit log: every write, who and when, before and after, with filters. */
export function AuditPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [sp, setSp] = useSearchParams();
  const page = Math.max(1, Number(sp.get('page') ?? '1') || 1);
  const current = Object.fromEntries(FILTERS.map((f) => [f, sp.get(f) ?? ''])) as Record<Filter, string>;
  const [draft, setDraft] = useState<Record<Filter, string>>(current);
  const q = useQuery({
    queryKey: ['audit', current, page],
    queryFn: () => api<AuditResult>(`/api/admin/audit${qs({ ...current, page, pageSize: PAGE_SIZE })}`),
  });

  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    const next = new URLSearchParams();
    for (const f of FILTERS) if (draft[f].trim()) next.set(f, draft[f].trim());
    setSp(next);
  };
  const clear = () => {
    setDraft({ actor: '', action: '', subjectType: '', from: '', to: '' });
    setSp(new URLSearchParams());
  };
  const pages = q.data ? Math.max(1, Math.ceil(q.data.total / PAGE_SIZE)) : 1;

  return (
    <Stack gap="lg">
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} />
      <Card component="form" onSubmit={apply} aria-label={t('audit.filters')} data-testid="audit-filters">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput label={t('audit.actor')} description={t('audit.actorHint')} value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.currentTarget.value })} w={240} data-testid="audit-actor" />
          <Select
            label={t('audit.action')}
            description={t('audit.actionHint')}
            data={ACTION_PREFIXES.map((p) => ({ value: p, label: tCode(t, 'audit.actionGroups', p.slice(0, -1)) }))}
            value={draft.action || null}
            onChange={(v) => setDraft({ ...draft, action: v ?? '' })}
            searchable
            clearable
            w={220}
            comboboxProps={{ withinPortal: true }}
            data-testid="audit-action"
          />
          <Select
            label={t('audit.subjectType')}
            data={SUBJECT_TYPES.map((s) => ({ value: s, label: tCode(t, 'audit.subjects', s) }))}
            value={draft.subjectType || null}
            onChange={(v) => setDraft({ ...draft, subjectType: v ?? '' })}
            clearable
            w={200}
            comboboxProps={{ withinPortal: true }}
            data-testid="audit-subject"
          />
          <DateField label={t('audit.from')} value={draft.from} onChange={(v) => setDraft({ ...draft, from: v })} w={170} testId="audit-from" />
          <DateField label={t('audit.to')} value={draft.to} onChange={(v) => setDraft({ ...draft, to: v })} w={170} testId="audit-to" />
          <Button type="submit" data-testid="audit-apply">
            {t('audit.apply')}
          </Button>
          <Button variant="subtle" onClick={clear}>
            {t('audit.clear')}
          </Button>
        </Group>
      </Card>
      {q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Card padding={0}>
          <Group justify="space-between" p="sm" className="table-toolbar">
            <Text size="sm" aria-live="polite" data-testid="audit-total">
              {t('audit.total', { n: formatNumber(q.data.total, lang) })}
            </Text>
          </Group>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('audit.title')}>
            <Table verticalSpacing={6} striped className="rec-table" data-testid="audit-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('audit.when')}</Table.Th>
                  <Table.Th>{t('audit.who')}</Table.Th>
                  <Table.Th>{t('audit.action')}</Table.Th>
                  <Table.Th>{t('audit.subject')}</Table.Th>
                  <Table.Th>{t('audit.changes')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {q.data.items.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Text size="sm" c="dimmed">
                        {t('audit.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  q.data.items.map((r) => (
                    <Table.Tr key={r.id} data-testid="audit-row" data-action={r.action} data-subject={r.subject_id ?? ''}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <bdi>{formatDateTime(r.at, lang)}</bdi>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{r.actor_name ?? t('detail.audit.system')}</Text>
                        {r.actor_email ? (
                          <Text size="xs" c="dimmed">
                            <Ltr>{r.actor_email}</Ltr>
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{auditActionLabel(t, r.action)}</Text>
                        <Text size="xs" c="dimmed">
                          <Ltr>{r.action}</Ltr>
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Subject row={r} />
                      </Table.Td>
                      <Table.Td>
                        <Diff before={r.before} after={r.after} />
                      </Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </div>
          {pages > 1 ? (
            <Group justify="center" p="sm" className="table-footer">
              <Pagination
                total={pages}
                value={page}
                onChange={(p) =>
                  setSp((prev) => {
                    const next = new URLSearchParams(prev);
                    next.set('page', String(p));
                    return next;
                  })
                }
                getControlProps={(control) => ({ 'aria-label': t(`recs.pageControl.${control}`) })}
                getItemProps={(p) => ({ 'aria-label': t('audit.page', { n: p }) })}
              />
            </Group>
          ) : null}
        </Card>
      )}
    </Stack>
  );
}
