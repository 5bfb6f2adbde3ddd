import { Badge, Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';
import { formatNumber } from '../../api/format.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { percent, suggestionLabel } from './parts.tsx';

type TextSuggestions = ResponseOf<'/api/tagging/suggest', 'post'>;
type Suggested = TextSuggestions['items'][number][number];

/** The labels the tagger would suggest for an import preview's rows (nothing is stored; decided after the import). */
export function usePreviewSuggestions(key: string, texts: string[]) {
  return useQuery({
    queryKey: ['tagging', 'preview', key],
    queryFn: () => api<TextSuggestions>('/api/tagging/suggest', { method: 'POST', body: { texts: texts.map((t) => t || ' ') } }),
    enabled: texts.length > 0,
    staleTime: 5 * 60_000,
  });
}

export function PreviewSuggestionList({ items }: { items: Suggested[] | undefined }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  if (!items || items.length === 0) return <Text size="xs">—</Text>;
  return (
    <Group gap={4} data-testid="preview-suggestions">
      {items.map((s) => (
        <Badge key={s.term_id} size="sm" variant="outline" color="dark.6" tt="none" style={{ maxWidth: '100%', height: 'auto', whiteSpace: 'normal' }} title={t(`tagging.kind.${s.kind}`)}>
          {suggestionLabel({ ...s, id: s.term_id }, lang)} · <Ltr>{`${formatNumber(percent(s.confidence), lang)}%`}</Ltr>
        </Badge>
      ))}
    </Group>
  );
}
