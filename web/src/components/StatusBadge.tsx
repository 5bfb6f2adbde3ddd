import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { pickLabel } from '../api/format.ts';
import type { StatusRef } from '../api/types.ts';
import { useLanguage } from '../i18n/useLanguage.ts';

/** The status is always named in text; the colour is only a dot beside it. */
export function StatusBadge({ code, statuses, size = 'md' }: { code: string; statuses?: StatusRef[]; size?: 'sm' | 'md' | 'lg' }) {
  const { lang } = useLanguage();
  const { t } = useTranslation();
  const ref = statuses?.find((s) => s.code === code);
  const label = ref ? pickLabel(ref.label_ar, ref.label_en, lang, code) : code || t('common.none');
  return (
    <Badge
      size={size}
      variant="outline"
      color="gray"
      c="dark.7"
      bg="white"
      leftSection={<span className="status-dot" style={{ background: ref?.color ?? '#868e96' }} aria-hidden="true" />}
      // a long name wraps within its cell instead of being cut short (styles.css)
      classNames={{ root: 'status-badge', label: 'status-badge-label' }}
      styles={{ root: { borderColor: ref?.color ?? '#ced4da', fontWeight: 500, maxWidth: '100%' } }}
    >
      {label}
    </Badge>
  );
}
