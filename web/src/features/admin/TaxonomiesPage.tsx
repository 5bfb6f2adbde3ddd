import { Alert, Button, Group, Modal, NumberInput, Paper, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatNumber, pickLabel } from '../../api/format.ts';
import { useTerms } from '../../api/queries.ts';
import { TERM_KINDS, type TaxonomyTerm, type TermKind } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';

function TermModal({ kind, term, onClose }: { kind: TermKind; term: TaxonomyTerm | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [code, setCode] = useState(term?.code ?? '');
  const [labelAr, setLabelAr] = useState(term?.label_ar ?? '');
  const [labelEn, setLabelEn] = useState(term?.label_en ?? '');
  const [sort, setSort] = useState<number | ''>(term?.sort ?? '');
  const [tried, setTried] = useState(false);
  const save = useMutation({
    mutationFn: () => {
      const body = { label_ar: labelAr.trim() || null, label_en: labelEn.trim() || null, ...(sort === '' ? {} : { sort }) };
      return term ? api(`/api/terms/${term.id}`, { method: 'PATCH', body }) : api(`/api/taxonomies/${kind}`, { method: 'POST', body: { code: code.trim(), ...body } });
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['terms', kind] });
      onClose();
    },
  });
  const noLabel = tried && !labelAr.trim() && !labelEn.trim();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if ((!term && !code.trim()) || (!labelAr.trim() && !labelEn.trim())) return;
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={term ? t('taxonomies.editTitle') : t('taxonomies.addTitle', { kind: t(`terms.${kind}`) })} centered size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit} data-testid="term-form">
        <Stack gap="sm">
          {save.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
              {errorMessage(save.error)}
            </Alert>
          ) : null}
          {term ? (
            <Text size="sm">
              {t('taxonomies.col.code')}: <Ltr>{term.code}</Ltr>
            </Text>
          ) : (
            <TextInput label={t('taxonomies.col.code')} description={t('taxonomies.codeHint')} value={code} onChange={(e) => setCode(e.currentTarget.value)} dir="ltr" required error={tried && !code.trim() ? t('entities.required') : undefined} data-autofocus />
          )}
          <TextInput label={t('taxonomies.col.labelAr')} value={labelAr} onChange={(e) => setLabelAr(e.currentTarget.value)} dir="rtl" lang="ar" error={noLabel ? t('taxonomies.labelRequired') : undefined} />
          <TextInput label={t('taxonomies.col.labelEn')} value={labelEn} onChange={(e) => setLabelEn(e.currentTarget.value)} dir="ltr" lang="en" error={noLabel ? t('taxonomies.labelRequired') : undefined} />
          <NumberInput label={t('taxonomies.col.sort')} description={t('taxonomies.sortHint')} value={sort} onChange={(v) => setSort(typeof v === 'number' ? v : '')} allowDecimal={false} />
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {term ? t('edit.save') : t('taxonomies.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function KindPanel({ kind }: { kind: TermKind }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const qc = useQueryClient();
  const list = useTerms(kind);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<TaxonomyTerm | null>(null);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<TaxonomyTerm | null>(null);
  const remove = useMutation({
    mutationFn: (term: TaxonomyTerm) => api(`/api/terms/${term.id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['terms', kind] });
      setDeleting(null);
    },
  });
  const f = filter.trim().toLowerCase();
  const items = (list.data?.items ?? []).filter((x) => !f || [x.code, x.label_ar ?? '', x.label_en ?? ''].some((v) => v.toLowerCase().includes(f)));
  return (
    <Stack gap="sm" pt="md">
      <Group justify="space-between" align="flex-end">
        <TextInput label={t('taxonomies.filter')} value={filter} onChange={(e) => setFilter(e.currentTarget.value)} type="search" w={320} />
        <Button onClick={() => setAdding(true)} data-testid="term-add">
          {t('taxonomies.addKind', { kind: t(`terms.${kind}`) })}
        </Button>
      </Group>
      <Paper withBorder p={0}>
        {list.isError ? (
          <Stack p="md">
            <ErrorState error={list.error} onRetry={() => void list.refetch()} />
          </Stack>
        ) : !list.data ? (
          <LoadingState />
        ) : items.length === 0 ? (
          <Text p="xl" ta="center" fw={600}>
            {t('taxonomies.empty')}
          </Text>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t(`terms.${kind}`)}>
            <Table className="rec-table" striped highlightOnHover miw={760} data-testid={`terms-${kind}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('taxonomies.col.code')}</Table.Th>
                  <Table.Th>{t('taxonomies.col.labelAr')}</Table.Th>
                  <Table.Th>{t('taxonomies.col.labelEn')}</Table.Th>
                  <Table.Th className="num">{t('taxonomies.col.usage')}</Table.Th>
                  <Table.Th>{t('entities.col.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((x) => {
                  const name = pickLabel(x.label_ar, x.label_en, lang, x.code);
                  return (
                    <Table.Tr key={x.id}>
                      <Table.Td>
                        <Text size="sm">
                          <Ltr>{x.code}</Ltr>
                        </Text>
                      </Table.Td>
                      <Table.Td lang="ar" dir="rtl" ta="start">
                        {x.label_ar || '—'}
                      </Table.Td>
                      <Table.Td lang="en" dir="ltr" ta="start">
                        {x.label_en || '—'}
                      </Table.Td>
                      <Table.Td className="num">
                        <bdi>{formatNumber(x.usage, lang)}</bdi>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Button size="compact-sm" variant="light" onClick={() => setEditing(x)} aria-label={t('entities.editNamed', { name })}>
                            {t('entities.edit')}
                          </Button>
                          {x.usage === 0 ? (
                            <Button size="compact-sm" variant="subtle" color="red" c="red.9" onClick={() => setDeleting(x)} aria-label={t('taxonomies.deleteNamed', { name })}>
                              {t('taxonomies.delete')}
                            </Button>
                          ) : (
                            <Text size="xs" c="dimmed">
                              {t('taxonomies.inUse')}
                            </Text>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </Paper>
      {adding ? <TermModal kind={kind} term={null} onClose={() => setAdding(false)} /> : null}
      {editing ? <TermModal kind={kind} term={editing} onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        opened={!!deleting}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
        title={t('taxonomies.deleteTitle')}
        confirmLabel={t('taxonomies.delete')}
        danger
        onConfirm={() => deleting && remove.mutate(deleting)}
        loading={remove.isPending}
        error={remove.error}
      >
        <Text size="sm">{t('taxonomies.deleteBody', { name: deleting ? pickLabel(deleting.label_ar, deleting.label_en, lang, deleting.code) : '' })}</Text>
      </ConfirmDialog>
    </Stack>
  );
}

export function TaxonomiesPage() {
  const { t } = useTranslation();
  const [sp, setSp] = useSearchParams();
  const raw = sp.get('kind') as TermKind | null;
  const kind: TermKind = raw && TERM_KINDS.includes(raw) ? raw : 'theme';
  return (
    <Stack gap="md">
      <PageHeader title={t('taxonomies.title')} subtitle={t('taxonomies.subtitle')} />
      {kind === 'theme' ? (
        <Group>
          <Button component={Link} to="/admin/theme-mappings" variant="light" data-testid="theme-mappings-link">
            {t('realweb.themeMappings.link')}
          </Button>
        </Group>
      ) : null}
      <Tabs value={kind} onChange={(v) => v && setSp({ kind: v })} keepMounted={false}>
        <Tabs.List aria-label={t('taxonomies.title')}>
          {TERM_KINDS.map((k) => (
            <Tabs.Tab key={k} value={k}>
              {t(`terms.${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TERM_KINDS.map((k) => (
          <Tabs.Panel key={k} value={k}>
            <KindPanel kind={k} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
