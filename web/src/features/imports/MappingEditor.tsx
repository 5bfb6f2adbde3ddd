import { Alert, Button, Group, List, Modal, MultiSelect, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, qs } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatNumber } from '../../api/format.ts';
import type { ResponseOf } from '../../api/types.ts';
import { FileDrop } from '../../components/FileDrop.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { draftProblems, emptyDraft, FIELD_GROUPS, LIST_FIELDS, MAPPING_NAME, type MappingDraft, toColumnMapping, VALUE_FIELDS, type ValueField } from './mapping-fields.ts';

/** A sample's header and first rows, as POST /api/imports/mappings/sample answers them. */
export type SampleTable = ResponseOf<'/api/imports/mappings/sample', 'post'>;

const SAMPLE_VALUES = 3;

function SamplePreview({ sample }: { sample: SampleTable }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  return (
    <section aria-labelledby="mapping-sample-title">
      <Title order={3} fz="sm" id="mapping-sample-title" mb={4}>
        {t('imports.mapping.sampleTitle', { columns: formatNumber(sample.columns.length, lang), rows: formatNumber(sample.rowCount, lang) })}
      </Title>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="mapping-sample-title" style={{ maxHeight: 260 }}>
        <Table striped data-testid="mapping-sample" fz="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.mapping.column')}</Table.Th>
              <Table.Th>{t('imports.mapping.values')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sample.columns.map((c) => (
              <Table.Tr key={c}>
                <Table.Td fw={600}>
                  <bdi>{c}</bdi>
                </Table.Td>
                <Table.Td>
                  {sample.rows
                    .slice(0, SAMPLE_VALUES)
                    .map((r) => r[c] ?? '')
                    .filter((v) => v.trim() !== '')
                    .map((v, i) => (
                      <span key={i}>
                        {i > 0 ? ' · ' : null}
                        <bdi>{v.length > 80 ? `${v.slice(0, 80)}…` : v}</bdi>
                      </span>
                    ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </section>
  );
}

/** Server-side problems with the field they concern (`details: [{ path, message }]`). */
function ServerProblems({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const details = error instanceof ApiError && Array.isArray(error.details) ? (error.details as { path?: string; column?: string; message?: string }[]) : [];
  return (
    <Alert color="red" variant="light" role="alert" title={t('imports.mapping.saveFailed')}>
      <Text size="sm">{errorMessage(error)}</Text>
      {details.length ? (
        <List size="xs" mt={4}>
          {details.slice(0, 10).map((d, i) => (
            <List.Item key={i}>
              <Ltr>{`${d.path ?? ''}${d.column ? ` (${d.column})` : ''}`}</Ltr>
            </List.Item>
          ))}
        </List>
      ) : null}
    </Alert>
  );
}

/** The column-mapping editor: a sample file, a column per register field, a name; saves through the API. */
export function MappingEditor({
  opened,
  onClose,
  format,
  encoding,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  format: 'csv' | 'xlsx';
  encoding?: string;
  onSaved: (name: string) => void;
}) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [file, setFile] = useState<File | null>(null);
  const [draft, setDraft] = useState<MappingDraft>(emptyDraft);
  const [name, setName] = useState('');
  const [label, setLabel] = useState('');
  const [tried, setTried] = useState(false);

  const sample = useMutation({
    mutationFn: (f: File) => api<SampleTable>(`/api/imports/mappings/sample${qs({ format, encoding })}`, { method: 'POST', raw: f }),
    onSuccess: () => {
      setDraft(emptyDraft());
      setTried(false);
    },
  });
  const save = useMutation({
    mutationFn: () =>
      api<ResponseOf<'/api/imports/mappings/{name}'>>('/api/imports/mappings', {
        method: 'POST',
        body: { name, mapping: toColumnMapping(draft, label), columns: sample.data?.columns ?? [] },
      }),
    onSuccess: (m) => onSaved(m.name),
  });

  const columns = sample.data?.columns ?? [];
  const options = columns.map((c) => ({ value: c, label: c }));
  const problems = draftProblems(draft);
  const nameOk = MAPPING_NAME.test(name);
  const problemFor = (f: ValueField) =>
    tried && ((f === 'symbol' && problems.includes('needSymbol')) || (f === 'body' && problems.includes('needBody'))) ? t(`imports.mapping.problem.${f === 'symbol' ? 'needSymbol' : 'needBody'}`) : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!sample.data || problems.length || !nameOk) return;
    save.mutate();
  };

  const valueField = (f: (typeof VALUE_FIELDS)[number]) => (
    <Stack key={f.key} gap={4}>
      <Select
        label={t(`imports.mapping.field.${f.key}`)}
        placeholder={t('imports.mapping.notInFile')}
        data={options}
        value={draft.columns[f.key] ?? null}
        onChange={(v) => setDraft((d) => ({ ...d, columns: { ...d.columns, [f.key]: v ?? undefined } }))}
        searchable
        clearable
        required={f.required}
        error={problemFor(f.key)}
        data-testid={`mapping-field-${f.key}`}
      />
      {f.fixed && !draft.columns[f.key] ? (
        <TextInput
          size="xs"
          aria-label={t('imports.mapping.fixedFor', { field: t(`imports.mapping.field.${f.key}`) })}
          placeholder={t('imports.mapping.fixed')}
          value={draft.fixed[f.key] ?? ''}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setDraft((d) => ({ ...d, fixed: { ...d.fixed, [f.key]: v } }));
          }}
          data-testid={`mapping-fixed-${f.key}`}
        />
      ) : null}
    </Stack>
  );

  return (
    <Modal opened={opened} onClose={onClose} title={t('imports.mapping.editorTitle')} size="xl" data-testid="mapping-editor" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('imports.mapping.editorHint')}
          </Text>
          <FileDrop
            label={t('imports.mapping.sample')}
            accept={format === 'xlsx' ? '.xlsx' : '.csv,text/csv'}
            file={file}
            onFile={(f) => {
              setFile(f);
              save.reset();
              if (f) sample.mutate(f);
              else sample.reset();
            }}
            testId="mapping-sample-file"
          />
          {sample.isPending ? <Text size="sm">{t('imports.mapping.reading')}</Text> : null}
          {sample.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('imports.mapping.sampleFailed')}>
              {errorMessage(sample.error)}
            </Alert>
          ) : null}
          {tried && !sample.data && !sample.isPending ? (
            <Text size="sm" c="red.9" role="alert">
              {t('imports.mapping.problem.needSample')}
            </Text>
          ) : null}
          {sample.data ? (
            <>
              <SamplePreview sample={sample.data} />
              {FIELD_GROUPS.map((g) => (
                <fieldset key={g} className="facet">
                  <legend className="facet-legend">{t(`imports.mapping.group.${g}`)}</legend>
                  {g === 'lists' ? (
                    <Text size="xs" c="dimmed" mb="xs">
                      {t('imports.mapping.listsHint')}
                    </Text>
                  ) : null}
                  <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
                    {g === 'lists'
                      ? LIST_FIELDS.map((f) => (
                          <MultiSelect
                            key={f}
                            label={t(`imports.mapping.field.${f}`)}
                            placeholder={t('imports.mapping.notInFile')}
                            data={options}
                            value={draft.lists[f] ?? []}
                            onChange={(v) => setDraft((d) => ({ ...d, lists: { ...d.lists, [f]: v } }))}
                            searchable
                            clearable
                            data-testid={`mapping-field-${f}`}
                          />
                        ))
                      : VALUE_FIELDS.filter((f) => f.group === g).map(valueField)}
                  </SimpleGrid>
                  {g === 'recommendation' && tried
                    ? problems
                        .filter((p) => p === 'needText' || p === 'needKey')
                        .map((p) => (
                          <Text key={p} size="sm" c="red.9" role="alert" mt="xs">
                            {t(`imports.mapping.problem.${p}`)}
                          </Text>
                        ))
                    : null}
                </fieldset>
              ))}
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t('imports.mapping.name')}
                  description={t('imports.mapping.nameHint')}
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  required
                  maxLength={64}
                  dir="ltr"
                  styles={{ input: { textAlign: lang === 'ar' ? 'right' : 'left' } }}
                  error={tried && !nameOk ? t('imports.mapping.problem.needName') : undefined}
                  data-testid="mapping-name"
                />
                <TextInput
                  label={t('imports.mapping.label')}
                  description={t('imports.mapping.labelHint')}
                  value={label}
                  onChange={(e) => setLabel(e.currentTarget.value)}
                  maxLength={200}
                />
              </SimpleGrid>
            </>
          ) : null}
          {save.isError ? <ServerProblems error={save.error} /> : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="mapping-save">
              {t('imports.mapping.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
