import { Badge, Button, Group, Paper, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatNumber, pickLabel } from '../../api/format.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import type { TagSuggestion } from './api.ts';

export const percent = (confidence: number) => Math.round(confidence * 100);

/** The label of a suggested term: SDGs with their number. */
export function suggestionLabel(s: TagSuggestion, lang: 'ar' | 'en'): string {
  const label = pickLabel(s.label_ar, s.label_en, lang, s.code);
  return s.kind === 'sdg_goal' || s.kind === 'sdg_target' ? `${s.code} · ${label}` : label;
}

/** One suggestion: kind, term, confidence (in words and number, not colour alone), accept and reject buttons. */
export function SuggestionChip({ s, canDecide, busy, onAccept, onReject }: { s: TagSuggestion; canDecide: boolean; busy: boolean; onAccept: () => void; onReject: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const p = percent(s.confidence);
  const level = p >= 70 ? 'high' : p >= 40 ? 'medium' : 'low';
  const label = suggestionLabel(s, lang);
  return (
    <Paper withBorder px="xs" py={4} radius="sm" data-testid="tag-suggestion" data-kind={s.kind} data-confidence={p} className="tag-suggestion" style={{ maxWidth: '100%' }}>
      <Group gap={6} wrap="wrap" align="center">
        <Badge size="xs" variant="light" color="gray" style={{ flexShrink: 0 }}>
          {t(`tagging.kind.${s.kind}`)}
        </Badge>
        <Text size="sm" lineClamp={3} title={label} style={{ flex: '1 1 12rem', minWidth: 0 }}>
          {label}
        </Text>
        <Tooltip label={t(`tagging.level.${level}`)}>
          <Badge size="sm" variant="outline" color={level === 'high' ? 'teal.9' : 'dark.6'} style={{ flexShrink: 0 }} aria-label={t('tagging.confidenceAria', { n: formatNumber(p, lang) })}>
            <Ltr>{`${formatNumber(p, lang)}%`}</Ltr>
          </Badge>
        </Tooltip>
        {canDecide ? (
          <>
            <Button size="compact-xs" variant="outline" color="teal.9" onClick={onAccept} disabled={busy} aria-label={t('tagging.acceptOne', { label })} data-testid="accept-suggestion" style={{ flexShrink: 0 }}>
              {t('tagging.accept')}
            </Button>
            <Button size="compact-xs" variant="outline" color="red.9" onClick={onReject} disabled={busy} aria-label={t('tagging.rejectOne', { label })} data-testid="reject-suggestion" style={{ flexShrink: 0 }}>
              {t('tagging.reject')}
            </Button>
          </>
        ) : null}
      </Group>
    </Paper>
  );
}
