import { ActionIcon, Button, Group, Popover, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../../components/search.css';

const DEBOUNCE_MS = 250;

/**
 * The search box of the recommendations list: results follow the typing (debounced), Enter searches
 * at once. `onSearch` receives the trimmed words and whether the change is a typing step (the caller
 * replaces the URL then, so Back is not flooded).
 */
export function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string, typing: boolean) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value);
  const committed = useRef(value);
  const onSearchRef = useRef(onSearch);
  useEffect(() => {
    onSearchRef.current = onSearch;
  }, [onSearch]);

  // A change of the URL from elsewhere (clear, a saved view, Back) shows in the box; our own commits do not reset it.
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setDraft(value);
    }
  }, [value]);

  useEffect(() => {
    const next = draft.trim();
    if (next === committed.current) return;
    const timer = setTimeout(() => {
      committed.current = next;
      onSearchRef.current(next, true);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = draft.trim();
    if (next === committed.current) return;
    committed.current = next;
    onSearch(next, false);
  };

  return (
    <form onSubmit={submit} role="search" aria-label={t('search.region')}>
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <TextInput
          flex={1}
          label={t('recs.searchLabel')}
          description={t('search.asYouType')}
          placeholder={t('recs.searchPlaceholder')}
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          type="search"
          name="q"
          autoComplete="off"
          data-testid="search-input"
        />
        <SearchHelp />
        <Button type="submit">{t('recs.searchButton')}</Button>
      </Group>
    </form>
  );
}

function SearchHelp() {
  const { t } = useTranslation();
  return (
    <Popover width={340} position="bottom-end" shadow="md" withArrow>
      <Popover.Target>
        <ActionIcon variant="default" size={36} aria-label={t('search.help.open')} data-testid="search-help">
          <span aria-hidden="true">?</span>
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Text fw={600} size="sm">
            {t('search.help.title')}
          </Text>
          <ul className="search-help-list">
            <li>
              {t('search.help.words')} <code dir="auto">{t('search.help.wordsExample')}</code>
            </li>
            <li>
              {t('search.help.phrase')} <code dir="auto">{t('search.help.phraseExample')}</code>
            </li>
            <li>
              {t('search.help.prefix')} <code dir="auto">{t('search.help.prefixExample')}</code>
            </li>
            <li>{t('search.help.variants')}</li>
            <li>{t('search.help.languages')}</li>
          </ul>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
