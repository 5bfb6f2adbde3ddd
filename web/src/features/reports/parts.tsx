import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ObligationStatus, ReportStatus } from './api.ts';

const COLORS: Record<ObligationStatus | ReportStatus | 'overdue', string> = {
  planned: '#8a8f98',
  draft: '#8a8f98',
  drafting: '#1c7ed6',
  in_review: '#e8890c',
  approved: '#0c8599',
  submitted: '#2f9e44',
  overdue: '#c92a2a',
};

/** A status named in text, its colour only a dot beside it (as the recommendation statuses); overdue stands out. */
function StatusDot({ label, color, testId, strong = false }: { label: string; color: string; testId?: string; strong?: boolean }) {
  return (
    <Badge
      size="md"
      variant={strong ? 'filled' : 'outline'}
      color={strong ? 'red.9' : 'gray'}
      c={strong ? 'white' : 'dark.7'}
      bg={strong ? undefined : 'white'}
      leftSection={strong ? undefined : <span className="status-dot" style={{ background: color }} aria-hidden="true" />}
      styles={{ root: { borderColor: strong ? undefined : color, fontWeight: 500 } }}
      data-testid={testId}
    >
      {label}
    </Badge>
  );
}

export function ObligationBadge({ status }: { status: ObligationStatus | 'overdue' }) {
  const { t } = useTranslation();
  return <StatusDot label={t(`reports.obligationStatus.${status}`)} color={COLORS[status]} strong={status === 'overdue'} />;
}

export function ReportBadge({ status }: { status: ReportStatus }) {
  const { t } = useTranslation();
  return <StatusDot label={t(`reports.reportStatus.${status}`)} color={COLORS[status]} testId="report-status" />;
}
