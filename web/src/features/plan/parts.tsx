import { Badge, Group, Progress, type StyleProp, Text } from '@mantine/core';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { Ltr } from '../../components/Ltr.tsx';
import type { ActionStatus, PlanStatus } from './api.ts';

const PLAN_COLORS: Record<PlanStatus, string> = { draft: 'gray', consultation: 'yellow', adopted: 'teal', archived: 'dark' };
export const ACTION_COLORS: Record<ActionStatus, string> = { not_started: '#868e96', on_track: '#1c7ed6', delayed: '#e8590c', completed: '#2b8a3e', cancelled: '#495057' };

export function PlanStatusBadge({ status }: { status: PlanStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={PLAN_COLORS[status]} variant="light" c="dark.8" data-testid="plan-status">
      {t(`plan.status.${status}`)}
    </Badge>
  );
}

/** The action status is named in text; the colour is only a dot beside it. */
export function ActionStatusBadge({ status }: { status: ActionStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="outline"
      color="gray"
      c="dark.7"
      bg="white"
      size="sm"
      leftSection={<span className="status-dot" style={{ background: ACTION_COLORS[status] }} aria-hidden="true" />}
      styles={{ root: { borderColor: ACTION_COLORS[status], fontWeight: 500 } }}
    >
      {t(`plan.actionStatus.${status}`)}
    </Badge>
  );
}

/** A progress bar with its percentage in text (or "no data"). */
export function ProgressBar({ value, label, w = 160 }: { value: number | null; label: string; w?: StyleProp<CSSProperties['width']> }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap" w={w}>
      <Progress value={value ?? 0} flex={1} aria-label={label} color={value === null ? 'gray' : value >= 67 ? 'teal' : value >= 34 ? 'blue' : 'orange'} />
      <Text size="xs" c="dimmed" w={44} ta="end">
        {value === null ? t('plan.noData') : <Ltr>{`${value}%`}</Ltr>}
      </Text>
    </Group>
  );
}

/** Units the app knows are shown translated; any other unit is shown as typed. */
export const UNIT_CODES = ['persons', 'campaigns', 'stages', 'cases', 'reports', 'laws', 'days'] as const;
export function unitLabel(t: (key: string) => string, unit: string | null | undefined): string {
  if (!unit) return '';
  return (UNIT_CODES as readonly string[]).includes(unit) ? t(`plan.units.${unit}`) : unit;
}
