import { Group, Pagination } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The paging footer under a list table, with translated labels for the pages and the controls. */
export function ListPagination({ total, value, onChange }: { total: number; value: number; onChange: (page: number) => void }) {
  const { t } = useTranslation();
  return (
    <Group justify="center" p="sm" className="table-footer">
      <Pagination
        total={total}
        value={value}
        onChange={onChange}
        size="sm"
        aria-label={t('recs.pagination')}
        getItemProps={(p) => ({ 'aria-label': t('recs.pageN', { n: p }) })}
        getControlProps={(control) => ({ 'aria-label': t(`recs.pageControl.${control}`) })}
      />
    </Group>
  );
}
