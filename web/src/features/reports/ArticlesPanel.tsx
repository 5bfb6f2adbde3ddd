import { Alert, Badge, Button, Card, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { pickLabel } from '../../api/format.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import type { Report, ReportArticles } from './api.ts';

/**
 * A treaty report laid out by article: each recommendation the report covers, with the article it is reported under
 * (pre-assigned from the article its text cites, marked "suggested"). Saving sends the changes and compiles the
 * article sections again.
 */
export function ArticlesPanel({ report, articles, editable, onSaved }: { report: Report; articles: ReportArticles; editable: boolean; onSaved: (r: Report) => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const initial = useMemo(() => new Map(articles.recommendations.map((r) => [r.id, r.article])), [articles]);
  const [draft, setDraft] = useState(initial);
  useEffect(() => setDraft(initial), [initial]);
  const changed = articles.recommendations.filter((r) => (draft.get(r.id) ?? null) !== r.article);
  const save = useMutation({
    mutationFn: () =>
      api<Report>(`/api/reports/${report.id}/articles`, {
        method: 'PUT',
        body: { version: report.version, assignments: changed.map((r) => ({ recommendationId: r.id, article: draft.get(r.id) ?? null })) },
      }),
    onSuccess: onSaved,
  });
  const options = articles.list.map((a) => ({ value: a.number, label: t('reportArticles.option', { n: a.number, title: lang === 'ar' ? a.ar : a.en }) }));
  const unassigned = articles.recommendations.filter((r) => !draft.get(r.id)).length;
  return (
    <Card data-testid="articles-panel">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Stack gap={2}>
            <Title order={2} fz={18}>
              {t('reportArticles.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {lang === 'ar' ? articles.treaty.name_ar : articles.treaty.name_en} · {t('reportArticles.unassigned', { n: unassigned })}
            </Text>
          </Stack>
          {editable ? (
            <Button size="sm" disabled={changed.length === 0} loading={save.isPending} onClick={() => save.mutate()} data-testid="articles-save">
              {t('reportArticles.save', { n: changed.length })}
            </Button>
          ) : null}
        </Group>
        <Text size="xs" c="dimmed">
          {t('reportArticles.help')}
        </Text>
        {save.isError ? (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(save.error)}
          </Alert>
        ) : null}
        <Stack gap="xs">
          {articles.recommendations.map((r) => {
            const value = draft.get(r.id) ?? null;
            return (
              <Paper key={r.id} withBorder p="xs" data-testid="article-row">
                <Stack gap={6}>
                  <Group gap="xs" wrap="wrap">
                    <Text size="sm" fw={600}>
                      {t('reportArticles.paragraph')} <Ltr>{r.paragraph ?? '?'}</Ltr> (<Ltr>{r.symbol}</Ltr>)
                    </Text>
                    {r.suggested && value === r.article ? (
                      <Badge size="sm" variant="light" color="grape">
                        {t('reportArticles.suggested')}
                      </Badge>
                    ) : null}
                  </Group>
                  <Text size="sm" lineClamp={2} lang={lang === 'ar' && r.text_ar ? 'ar' : r.text_en ? 'en' : 'ar'} dir="auto">
                    {pickLabel(r.text_ar, r.text_en, lang)}
                  </Text>
                  <Select
                    aria-label={t('reportArticles.articleOf', { paragraph: r.paragraph ?? '?' })}
                    placeholder={t('reportArticles.none')}
                    data={options}
                    value={value}
                    onChange={(v) => setDraft(new Map(draft).set(r.id, v))}
                    searchable
                    clearable
                    disabled={!editable}
                    nothingFoundMessage={t('reportArticles.nothingFound')}
                    comboboxProps={{ withinPortal: true }}
                    data-testid="article-select"
                  />
                </Stack>
              </Paper>
            );
          })}
        </Stack>
      </Stack>
    </Card>
  );
}
