import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isLang } from '../i18n/index.ts';
import { useLanguage } from '../i18n/useLanguage.ts';

/** العربية / English: each name written in its own language. */
export function LanguageSwitch({ size = 'xs' }: { size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  const { lang, setLang } = useLanguage();
  return (
    <SegmentedControl
      size={size}
      value={lang}
      aria-label={t('language.switch')}
      onChange={(v) => {
        if (isLang(v)) void setLang(v);
      }}
      data={[
        { value: 'ar', label: <span lang="ar">{t('language.ar')}</span> },
        { value: 'en', label: <span lang="en">{t('language.en')}</span> },
      ]}
    />
  );
}
