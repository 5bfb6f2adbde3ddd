import { Alert, Card, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors.ts';
import { formatDateTime } from '../../api/format.ts';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { taggingApi, useRecommendationSuggestions, useTaggingMutation } from './api.ts';
import { SuggestionChip } from './parts.tsx';

/** On a recommendation's page: the tagger's pending suggestions; curators accept or reject each. */
export function SuggestionsPanel({ id, version, canDecide }: { id: string; version: number; canDecide: boolean }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const q = useRecommendationSuggestions(id);
  const accept = useTaggingMutation(taggingApi.accept);
  const reject = useTaggingMutation(taggingApi.reject);
  if (!q.data || q.data.items.length === 0) return null;
  const error = accept.error ?? reject.error;
  return (
    <Card component="section" aria-labelledby="sec-tag-suggestions" data-testid="tag-suggestions-panel">
      <Title order={2} fz="md" mb={4} id="sec-tag-suggestions" c="navy.9">
        {t('tagging.panelTitle')}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {q.data.model ? t('tagging.panelHint', { date: formatDateTime(q.data.model.trained_at, lang) }) : null}
      </Text>
      {error ? (
        <Alert color="red" variant="light" role="alert" mb="sm">
          {errorMessage(error)}
        </Alert>
      ) : null}
      <Stack gap={6}>
        {q.data.items.map((s) => (
          <SuggestionChip
            key={s.id}
            s={s}
            canDecide={canDecide}
            busy={accept.isPending || reject.isPending}
            onAccept={() => accept.mutate({ id: s.id, version })}
            onReject={() => reject.mutate({ id: s.id })}
          />
        ))}
      </Stack>
    </Card>
  );
}
