import { useDirection } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lang, SessionPayload } from '../api/types.ts';
import { SESSION_KEY, saveLocale } from '../auth/session.ts';
import { applyDocumentLang, dirOf, isLang } from './index.ts';

/** Set when someone picks a language on the sign-in page: that choice then wins over the stored one. */
let chosenBeforeSignIn: Lang | null = null;
export function languageChosenBeforeSignIn(): Lang | null {
  return chosenBeforeSignIn;
}
export function clearLanguageChoice(): void {
  chosenBeforeSignIn = null;
}

export function useLanguage() {
  const { i18n } = useTranslation();
  const { setDirection } = useDirection();
  const qc = useQueryClient();
  const lang: Lang = isLang(i18n.language) ? i18n.language : 'ar';

  /** Switches the interface language; `remember` stores it for the signed-in user. */
  const setLang = useCallback(
    async (next: Lang, opts: { remember?: boolean } = { remember: true }) => {
      await i18n.changeLanguage(next);
      applyDocumentLang(next);
      setDirection(dirOf(next));
      const session = qc.getQueryData<SessionPayload>(SESSION_KEY);
      if (!session?.user) {
        chosenBeforeSignIn = next;
        return;
      }
      if (opts.remember !== false && session.user.locale !== next) {
        qc.setQueryData<SessionPayload>(SESSION_KEY, { ...session, user: { ...session.user, locale: next } });
        await saveLocale(next).catch(() => undefined);
      }
    },
    [i18n, qc, setDirection],
  );
  return { lang, dir: dirOf(lang), setLang };
}
