import { currencyLabel, formatNumber } from '../api/format.ts';
import { useLanguage } from '../i18n/useLanguage.ts';
import { Ltr } from './Ltr.tsx';

/**
 * An amount and its currency: the number left-to-right, then the currency as the page names it (its Arabic name on an
 * Arabic page, its code on an English one), in the page's direction. Kept on one line, but on a phone when `wrap`.
 */
export function Money({ amount, currency, wrap = false }: { amount: number; currency: string | null | undefined; wrap?: boolean }) {
  const { lang } = useLanguage();
  const label = currency ? currencyLabel(currency, lang) : '';
  if (lang !== 'ar') return <Ltr wrap={wrap}>{label ? `${formatNumber(amount, lang)} ${label}` : formatNumber(amount, lang)}</Ltr>;
  return (
    <bdi className={wrap ? 'money money-wrap' : 'money'}>
      <Ltr>{formatNumber(amount, lang)}</Ltr>
      {label ? ` ${label}` : null}
    </bdi>
  );
}
