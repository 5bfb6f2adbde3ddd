import { Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, pickLabel } from '../../api/format.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { ACTION_STATUSES, type ActionStatus, type PlanActionRow, type PlanTree } from './api.ts';
import { ACTION_COLORS } from './parts.tsx';
import './plan.css';

const DAY = 86_400_000;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** Actions on a time axis, grouped by pillar or by lead entity, with a today line; overdue actions are outlined and named. */
export function PlanTimeline({ plan, today = new Date().toISOString().slice(0, 10) }: { plan: PlanTree; today?: string }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [by, setBy] = useState<'pillar' | 'entity'>('pillar');
  const [status, setStatus] = useState<ActionStatus | 'overdue' | null>(null);
  const keep = (a: PlanActionRow) => !status || (status === 'overdue' ? a.overdue : a.status === status);
  const actions = plan.pillars.flatMap((p) => p.objectives.flatMap((o) => o.actions)).filter(keep);
  const dates = [plan.period_start, plan.period_end, ...actions.flatMap((a) => [a.start_date, a.end_date])].filter((d): d is string => !!d);
  const from = Math.min(...dates.map(ms));
  const to = Math.max(...dates.map(ms)) + DAY;
  const span = Math.max(DAY, to - from);
  const pos = (d: string) => ((ms(d) - from) / span) * 100;
  const years: number[] = [];
  for (let y = new Date(from).getUTCFullYear(); y <= new Date(to).getUTCFullYear(); y++) if (ms(`${y}-01-01`) >= from) years.push(y);
  const todayPos = ms(today) >= from && ms(today) <= to ? pos(today) : null;

  const groups: { key: string; label: string; actions: PlanActionRow[] }[] = [];
  if (by === 'pillar') {
    for (const p of plan.pillars) groups.push({ key: p.id, label: `${p.code} · ${pickLabel(p.title_ar, p.title_en, lang)}`, actions: p.objectives.flatMap((o) => o.actions).filter(keep) });
  } else {
    const m = new Map<string, { key: string; label: string; actions: PlanActionRow[] }>();
    for (const a of actions) {
      const key = a.lead_entity_id ?? '';
      const g = m.get(key) ?? { key: key || 'none', label: a.lead_entity_id ? pickLabel(a.lead_name_ar, a.lead_name_en, lang, a.lead_code ?? '') : t('plan.noLead'), actions: [] };
      g.actions.push(a);
      m.set(key, g);
    }
    groups.push(...[...m.values()].sort((x, y) => x.label.localeCompare(y.label)));
  }

  return (
    <Stack gap="sm" data-testid="plan-timeline">
      <Group justify="space-between" wrap="wrap">
        <SegmentedControl
          size="xs"
          value={by}
          onChange={(v) => setBy(v as 'pillar' | 'entity')}
          data={[
            { value: 'pillar', label: t('plan.timeline.byPillar') },
            { value: 'entity', label: t('plan.timeline.byEntity') },
          ]}
          aria-label={t('plan.timeline.groupBy')}
        />
        <Select
          size="xs"
          w={200}
          placeholder={t('plan.timeline.allStatuses')}
          aria-label={t('plan.timeline.statusFilter')}
          data={[...ACTION_STATUSES.map((s) => ({ value: s, label: t(`plan.actionStatus.${s}`) })), { value: 'overdue', label: t('plan.overdue') }]}
          value={status}
          onChange={(v) => setStatus(v as ActionStatus | 'overdue' | null)}
          clearable
          comboboxProps={{ withinPortal: true }}
          data-testid="timeline-status"
        />
        <Text size="xs" c="dimmed">
          {t('plan.timeline.legend')}
        </Text>
      </Group>
      <div className="gantt" role="list" aria-label={t('plan.timeline.title')}>
        <div className="gantt-scale" aria-hidden="true">
          <span className="gantt-label" />
          <div className="gantt-track">
            {years.map((y) => (
              <span key={y} className="gantt-tick" style={{ insetInlineStart: `${pos(`${y}-01-01`)}%` }}>
                {y}
              </span>
            ))}
            {todayPos !== null ? <span className="gantt-today" style={{ insetInlineStart: `${todayPos}%` }} title={t('plan.timeline.today')} /> : null}
          </div>
        </div>
        {groups.map((g) => (
          <div key={g.key} role="presentation">
            <div className="gantt-pillar">{g.label}</div>
            {g.actions.map((a) => {
              const title = pickLabel(a.title_ar, a.title_en, lang);
              const start = a.start_date ?? plan.period_start;
              const end = a.end_date ?? plan.period_end;
              const left = pos(start);
              const width = Math.max(0.5, pos(end) + (DAY / span) * 100 - left);
              const when = `${formatDate(start, lang)} – ${formatDate(end, lang)}`;
              return (
                <div key={a.id} className="gantt-row" role="listitem" data-testid="gantt-row" aria-label={`${a.code} ${title}: ${when}, ${t(`plan.actionStatus.${a.status}`)}${a.overdue ? `, ${t('plan.overdue')}` : ''}`}>
                  <span className="gantt-label" title={title}>
                    <Ltr>{a.code}</Ltr> {title}
                    {a.overdue ? (
                      <Text span size="xs" c="red.9" fw={600}>
                        {' '}
                        · {t('plan.overdue')}
                      </Text>
                    ) : null}
                  </span>
                  <div className="gantt-track">
                    {todayPos !== null ? <span className="gantt-today" style={{ insetInlineStart: `${todayPos}%` }} /> : null}
                    <span className={`gantt-bar${a.overdue ? ' is-overdue' : ''}`} style={{ insetInlineStart: `${left}%`, width: `${width}%`, background: ACTION_COLORS[a.status] }} title={`${title} (${when})`} />
                  </div>
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </Stack>
  );
}
