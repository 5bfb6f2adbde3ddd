import { Alert, Anchor, Button, Card, Grid, Group, NumberInput, Radio, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, qs } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatDateTime, formatNumber, pickLabel } from '../../api/format.ts';
import { useReference } from '../../api/queries.ts';
import type { ImportRun } from '../../api/types.ts';
import { FileDrop } from '../../components/FileDrop.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { ENCODINGS, type OptionName, TEXT_LANGS, UPLOAD_FORMATS, type UploadFormat } from './formats.ts';
import { MappingPicker } from './MappingPicker.tsx';
import { RunStatusBadge, RunView } from './RunView.tsx';

type Options = Partial<Record<OptionName, string>>;
const AUTO = '';

function useRunParam(): [string | null, (id: string | null) => void] {
  const [sp, setSp] = useSearchParams();
  const set = (id: string | null) => {
    const next = new URLSearchParams(sp);
    if (id) next.set('run', id);
    else next.delete('run');
    setSp(next);
  };
  return [sp.get('run'), set];
}

function OptionFields({ format, options, set }: { format: UploadFormat; options: Options; set: (k: OptionName, v: string) => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  const wanted = UPLOAD_FORMATS.find((f) => f.format === format)?.options ?? [];
  if (wanted.length === 0) return null;
  const field = (k: OptionName) => {
    switch (k) {
      case 'country':
        return <TextInput key={k} label={t('imports.options.country')} description={t('imports.options.countryHint')} value={options.country ?? ''} onChange={(e) => set('country', e.currentTarget.value)} />;
      case 'symbol':
        return (
          <TextInput
            key={k}
            label={t('imports.options.symbol')}
            description={t('imports.options.symbolHint')}
            value={options.symbol ?? ''}
            onChange={(e) => set('symbol', e.currentTarget.value)}
            dir="ltr"
            styles={{ input: { textAlign: lang === 'ar' ? 'right' : 'left' } }}
          />
        );
      case 'body':
        return (
          <Select
            key={k}
            label={t('imports.options.body')}
            description={t('imports.options.bodyHint')}
            data={(ref.data?.bodies ?? []).map((b) => ({ value: b.code, label: `${b.code} — ${pickLabel(b.name_ar, b.name_en, lang, b.code)}` }))}
            value={options.body || null}
            onChange={(v) => set('body', v ?? '')}
            searchable
            clearable
          />
        );
      case 'uprCycle':
      case 'uprSession':
        return (
          <NumberInput
            key={k}
            label={t(`imports.options.${k}`)}
            min={1}
            max={k === 'uprCycle' ? 20 : 200}
            allowDecimal={false}
            value={options[k] ?? ''}
            onChange={(v) => set(k, v === '' ? '' : String(v))}
          />
        );
      case 'lang':
        return (
          <Select
            key={k}
            label={t('imports.options.lang')}
            data={[{ value: AUTO, label: t('imports.options.auto') }, ...TEXT_LANGS.map((l) => ({ value: l, label: t(`arabic.languageName.${l}`) }))]}
            value={options.lang ?? AUTO}
            onChange={(v) => set('lang', v ?? AUTO)}
            allowDeselect={false}
          />
        );
      case 'encoding':
        return (
          <Select
            key={k}
            label={t('imports.options.encoding')}
            description={t('imports.options.encodingHint')}
            data={[{ value: AUTO, label: t('imports.options.auto') }, ...ENCODINGS.map((e) => ({ value: e, label: t(`imports.encoding.${e}`) }))]}
            value={options.encoding ?? AUTO}
            onChange={(v) => set('encoding', v ?? AUTO)}
            allowDeselect={false}
          />
        );
      case 'mapping':
        return (
          <MappingPicker
            key={k}
            format={format === 'xlsx' ? 'xlsx' : 'csv'}
            {...(options.encoding ? { encoding: options.encoding } : {})}
            value={options.mapping ?? ''}
            onChange={(v) => set('mapping', v)}
          />
        );
    }
  };
  return (
    <fieldset className="facet">
      <legend className="facet-legend">{t('imports.options.title')}</legend>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        {wanted.map(field)}
      </SimpleGrid>
    </fieldset>
  );
}

function UploadForm({ onRun }: { onRun: (id: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [format, setFormat] = useState<UploadFormat>('uhri-json');
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState<Options>({});
  const [missingFile, setMissingFile] = useState(false);
  const def = UPLOAD_FORMATS.find((f) => f.format === format)!;

  const start = useMutation({
    mutationFn: (f: File) => {
      const opts: Record<string, string> = {};
      for (const k of def.options) if (options[k]) opts[k] = options[k]!;
      return api<ImportRun>(`/api/imports${qs({ format, filename: f.name, dryRun: 'true', ...opts })}`, { method: 'POST', raw: f });
    },
    onSuccess: (run) => {
      qc.setQueryData(['import', run.id], run);
      void qc.invalidateQueries({ queryKey: ['imports', 'list'] });
      onRun(run.id);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setMissingFile(true);
      return;
    }
    start.mutate(file);
  };

  return (
    <Card component="section" aria-labelledby="upload-title">
      <Title order={2} fz="lg" id="upload-title" c="navy.9" mb={4}>
        {t('imports.upload.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('imports.upload.hint')}
      </Text>
      <form onSubmit={submit}>
        <Stack gap="md">
          <Radio.Group
            label={t('imports.upload.format')}
            value={format}
            onChange={(v) => {
              setFormat(v as UploadFormat);
              start.reset();
            }}
            name="format"
          >
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs" mt="xs">
              {UPLOAD_FORMATS.map((f) => (
                <Radio.Card key={f.format} value={f.format} className="format-card" p="sm" radius="md" data-testid={`format-${f.format}`}>
                  <Group wrap="nowrap" align="flex-start" gap="sm">
                    <Radio.Indicator />
                    <div>
                      <Text fw={600} size="sm">
                        {t(`imports.format.${f.format}.name`)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t(`imports.format.${f.format}.hint`)}
                      </Text>
                    </div>
                  </Group>
                </Radio.Card>
              ))}
            </SimpleGrid>
          </Radio.Group>
          <FileDrop
            label={t('imports.upload.file')}
            accept={def.accept}
            file={file}
            onFile={(f) => {
              setFile(f);
              setMissingFile(false);
              start.reset();
            }}
            testId="import-file"
          />
          {missingFile ? (
            <Text size="sm" c="red.9" role="alert">
              {t('imports.upload.fileMissing')}
            </Text>
          ) : null}
          <OptionFields format={format} options={options} set={(k, v) => setOptions((o) => ({ ...o, [k]: v }))} />
          {start.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('imports.run.previewFailed')}>
              <Text size="sm">{errorMessage(start.error)}</Text>
              <Text size="sm" fw={600}>
                {t('imports.run.nothingChanged')}
              </Text>
            </Alert>
          ) : null}
          <Group>
            <Button type="submit" loading={start.isPending} data-testid="import-preview-button">
              {t('imports.upload.preview')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function UrlForm({ onRun }: { onRun: (id: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [url, setUrl] = useState('');
  const [country, setCountry] = useState('');
  const start = useMutation({
    mutationFn: () => api<ImportRun>('/api/imports/url', { method: 'POST', body: { dryRun: true, ...(url.trim() ? { url: url.trim() } : {}), ...(country.trim() ? { country: country.trim() } : {}) } }),
    onSuccess: (run) => {
      qc.setQueryData(['import', run.id], run);
      void qc.invalidateQueries({ queryKey: ['imports', 'list'] });
      onRun(run.id);
    },
  });
  return (
    <Card component="section" aria-labelledby="url-title">
      <Title order={2} fz="md" id="url-title" c="navy.9" mb={4}>
        {t('imports.url.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('imports.url.hint')}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate();
        }}
      >
        <Stack gap="sm">
          <TextInput label={t('imports.url.address')} description={t('imports.url.addressHint')} value={url} onChange={(e) => setUrl(e.currentTarget.value)} dir="ltr" type="url" />
          <TextInput label={t('imports.options.country')} description={t('imports.options.countryHint')} value={country} onChange={(e) => setCountry(e.currentTarget.value)} />
          {start.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('imports.run.previewFailed')}>
              <Text size="sm">{errorMessage(start.error)}</Text>
              <Text size="sm" fw={600}>
                {t('imports.run.nothingChanged')}
              </Text>
            </Alert>
          ) : null}
          <Group>
            <Button type="submit" variant="light" loading={start.isPending}>
              {t('imports.url.start')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function RecentImports({ current, onOpen }: { current: string | null; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const list = useQuery({
    queryKey: ['imports', 'list'],
    queryFn: () => api<{ items: ImportRun[] }>('/api/imports'),
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'running') ? 2000 : false),
  });
  return (
    <Card component="section" aria-labelledby="recent-title" p={0}>
      <Title order={2} fz="md" id="recent-title" c="navy.9" p="md" pb="xs">
        {t('imports.recent.title')}
      </Title>
      {list.isError ? (
        <Stack p="md">
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        </Stack>
      ) : !list.data ? (
        <LoadingState />
      ) : list.data.items.length === 0 ? (
        <Text size="sm" c="dimmed" p="md" pt={0}>
          {t('imports.recent.empty')}
        </Text>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="recent-title">
          <Table className="rec-table" striped highlightOnHover data-testid="recent-imports">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.recent.when')}</Table.Th>
                <Table.Th>{t('imports.recent.file')}</Table.Th>
                <Table.Th>{t('imports.recent.kind')}</Table.Th>
                <Table.Th>{t('imports.recent.status')}</Table.Th>
                <Table.Th>{t('imports.recent.result')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.slice(0, 20).map((r) => (
                <Table.Tr key={r.id} aria-current={r.id === current ? 'true' : undefined}>
                  <Table.Td>
                    <Text size="xs">
                      <bdi>{formatDateTime(r.createdAt, lang)}</bdi>
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component="button" type="button" size="sm" onClick={() => onOpen(r.id)} ta="start">
                      <Ltr>{r.filename}</Ltr>
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {t(`imports.format.${r.format}.name`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.dryRun ? t('imports.recent.preview') : t('imports.recent.import')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <RunStatusBadge run={r} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">
                      {r.result
                        ? t('imports.recent.counts', {
                            new: formatNumber(r.result.new, lang),
                            updated: formatNumber(r.result.updated, lang),
                            invalid: formatNumber(r.result.invalid, lang),
                          })
                        : '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Card>
  );
}

export function ImportPage() {
  const { t } = useTranslation();
  const [run, setRun] = useRunParam();
  return (
    <Stack gap="md">
      <PageHeader title={t('imports.title')} subtitle={t('imports.subtitle')} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <UploadForm onRun={setRun} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <UrlForm onRun={setRun} />
        </Grid.Col>
      </Grid>
      {run ? <RunView key={run} runId={run} onRun={setRun} /> : null}
      <RecentImports current={run} onOpen={setRun} />
    </Stack>
  );
}
