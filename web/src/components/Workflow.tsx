import { Badge } from '@mantine/core';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { UpdateStatus } from '../api/followup.ts';
import { useLanguage } from '../i18n/useLanguage.ts';
import './charts.css';

const BADGE_COLOR: Record<UpdateStatus, string> = { draft: 'gray', submitted: 'blue', returned: 'orange', approved: 'green' };

/** The update's workflow state as a text badge (colour only adds to the word). */
export function UpdateStatusBadge({ status, size = 'md' }: { status: UpdateStatus; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color={BADGE_COLOR[status]} variant="light" c="dark.8" size={size} data-testid="update-status" data-status={status}>
      {t(`updates.status.${status}`)}
    </Badge>
  );
}

/** draft → submitted → returned | approved, with the current step marked. */
export function WorkflowStepper({ status }: { status: UpdateStatus }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const last: UpdateStatus = status === 'returned' ? 'returned' : 'approved';
  const steps: UpdateStatus[] = ['draft', 'submitted', last];
  const at = steps.indexOf(status);
  const arrow = lang === 'ar' ? '←' : '→';
  return (
    <ol className="wf-stepper" aria-label={t('updates.workflow')} data-testid="workflow">
      {steps.map((s, i) => {
        const state = i < at ? 'done' : i === at ? 'current' : 'todo';
        return (
          <Fragment key={s}>
            {i > 0 ? (
              <li className="wf-arrow" aria-hidden="true">
                {arrow}
              </li>
            ) : null}
            <li className="wf-step" data-state={state} data-tone={s === 'returned' ? 'warn' : undefined} aria-current={state === 'current' ? 'step' : undefined}>
              {state === 'done' ? <span aria-hidden="true">✓</span> : null}
              {t(`updates.status.${s}`)}
            </li>
          </Fragment>
        );
      })}
    </ol>
  );
}
