import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '../api/types.ts';
import ar from './ar.json';
import en from './en.json';

export const LANGS: readonly Lang[] = ['ar', 'en'];
const STORAGE_KEY = 'rasd.lang';

export function isLang(value: unknown): value is Lang {
  return value === 'ar' || value === 'en';
}

export function storedLang(): Lang {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return isLang(v) ? v : 'ar';
  } catch {
    return 'ar';
  }
}

export function dirOf(lang: Lang): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

/** Sets lang/dir on <html> and the document title; remembers the choice in this browser. */
export function applyDocumentLang(lang: Lang): void {
  const html = document.documentElement;
  html.setAttribute('lang', lang);
  html.setAttribute('dir', dirOf(lang));
  document.title = i18next.t('app.title', { lng: lang });
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode: the choice just is not remembered */
  }
}

export function currentLang(): Lang {
  return isLang(i18next.language) ? i18next.language : 'ar';
}

export async function initI18n(): Promise<typeof i18next> {
  const lng = storedLang();
  await i18next.use(initReactI18next).init({
    resources: { ar: { translation: ar }, en: { translation: en } },
    lng,
    fallbackLng: 'ar',
    supportedLngs: ['ar', 'en'],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyDocumentLang(lng);
  return i18next;
}

export default i18next;
