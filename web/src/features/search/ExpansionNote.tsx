import { Anchor, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SearchExpansion } from '../../api/types.ts';
import { useLanguage } from '../../i18n/useLanguage.ts';

/** A glossary term's language, from its script (the glossary pairs Arabic and English). */
const langOf = (s: string) => (/[\u0600-\u06ff]/.test(s) ? 'ar' : 'en');

/**
 * What the glossary added to the search ("also searched: women, woman"), with one click to search only the words
 * typed, and one to turn the glossary back on.
 */
export function ExpansionNote({ expansion, off, onToggle }: { expansion: SearchExpansion; off: boolean; onToggle: (on: boolean) => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  if (off) {
    return (
      <Group gap="xs" mt="xs" data-testid="expansion-off">
        <Text size="sm" c="dimmed">
          {t('arabic.expansion.off')}
        </Text>
        <Anchor component="button" type="button" size="sm" onClick={() => onToggle(true)}>
          {t('arabic.expansion.turnOn')}
        </Anchor>
      </Group>
    );
  }
  if (!expansion.applied || expansion.groups.length === 0) return null;
  return (
    <Group gap="xs" mt="xs" align="baseline" data-testid="expansion">
      <Text size="sm" c="dimmed">
        {t('arabic.expansion.also')}
      </Text>
      {expansion.groups.map((g) => (
        <Text size="sm" key={g.matched}>
          <bdi lang={langOf(g.matched)}>{g.matched}</bdi> {lang === 'ar' ? '←' : '→'} {g.alternatives.map((a, i) => (
            <span key={a}>
              {i > 0 ? t('arabic.expansion.or') : null}
              <bdi lang={langOf(a)}>{a}</bdi>
            </span>
          ))}
        </Text>
      ))}
      <Anchor component="button" type="button" size="sm" onClick={() => onToggle(false)} data-testid="expansion-turn-off">
        {t('arabic.expansion.turnOff')}
      </Anchor>
      <Anchor component={Link} to="/glossary" size="sm">
        {t('arabic.expansion.glossary')}
      </Anchor>
    </Group>
  );
}
