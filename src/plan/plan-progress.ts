import type { ActionStatus } from '../db/schema.ts';

/**
 * Progress roll-up, pure and in one place (the plan page, the list, the dashboard and the document use it).
 *
 * - Indicator attainment: the latest approved value placed between baseline and target, 0..1
 *   ((value − baseline) / (target − baseline), clamped; a missing baseline counts as 0; a target equal to the
 *   baseline is attained once the value reaches it). Null without a target or without an approved value.
 * - Action progress (percent): completed = 100; cancelled = not counted (null); otherwise the status gives
 *   not started 0, delayed 25, on track 50, and when at least one of its indicators has an attainment the
 *   result is the mean of that status score and the mean attainment (× 100).
 * - Objective = mean of its actions' progress; pillar = mean of its objectives'; plan = mean of its pillars'
 *   (each ignoring the nulls; null when nothing below counts).
 */
export const STATUS_SCORE: Record<Exclude<ActionStatus, 'completed' | 'cancelled'>, number> = { not_started: 0, delayed: 25, on_track: 50 };

export function attainment(value: string | number | null | undefined, baseline: string | null, target: string | null): number | null {
  if (value === null || value === undefined || target === null) return null;
  const v = Number(value);
  const t = Number(target);
  const b = baseline === null ? 0 : Number(baseline);
  if (![v, t, b].every(Number.isFinite)) return null;
  if (t === b) return v >= t ? 1 : 0;
  return Math.min(1, Math.max(0, (v - b) / (t - b)));
}

export function actionProgress(status: ActionStatus, attainments: (number | null)[]): number | null {
  if (status === 'cancelled') return null;
  if (status === 'completed') return 100;
  const score = STATUS_SCORE[status];
  const known = attainments.filter((a): a is number => a !== null);
  if (known.length === 0) return score;
  const mean = known.reduce((s, a) => s + a, 0) / known.length;
  return Math.round((score + mean * 100) / 2);
}

export function meanProgress(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return null;
  return Math.round(known.reduce((s, v) => s + v, 0) / known.length);
}
