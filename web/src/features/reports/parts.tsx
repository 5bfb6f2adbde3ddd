import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ObligationStatus, ReportStatus } from './api.ts';

const OBLIGATION_COLORS: Record<ObligationStatus | 'overdue', string> = {
  planned: 'gray',
  drafting: 'blue',
  in_review: 'orange',
  approved: 'teal',
  submitted: 'green',
  overdue: 'red',
};

/** Obligation status, always named in text (overdue when past due and not submitted). */
export function ObligationBadge({ status }: { status: ObligationStatus | 'overdue' }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant={status === 'overdue' ? 'filled' : 'light'} color={status === 'overdue' ? 'red.9' : OBLIGATION_COLORS[status]}>
      {t(`reports.obligationStatus.${status}`)}
    </Badge>
  );
}

export function ReportBadge({ status }: { status: ReportStatus }) {
  const { t } = useTranslation();
  const color = { draft: 'gray', in_review: 'orange', approved: 'teal', submitted: 'green' }[status];
  return (
    <Badge size="md" variant="light" color={color} data-testid="report-status">
      {t(`reports.reportStatus.${status}`)}
    </Badge>
  );
}
