import { Anchor, Badge, Button, Group, Paper, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, pickLabel } from '../../api/format.ts';
import { useEntities, useReference } from '../../api/queries.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { type CalendarItem, hijri, useCalendar } from './api.ts';
import { FeedCard } from './FeedCard.tsx';
import './reports.css';

const iso = (d: Date) => d.toISOString().slice(0, 10);
const LOCALE = { ar: 'ar-u-nu-latn', en: 'en-GB' } as const;

/** Month grid (Saturday first in Arabic, Monday in English) and the month's list, with optional Hijri dates. */
export function CalendarPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const ref = useReference();
  const entities = useEntities();
  const [month, setMonth] = useState(() => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  });
  const [body, setBody] = useState<string | null>(null);
  const [entity, setEntity] = useState<string | null>(null);
  const [showHijri, setShowHijri] = useState(false);
  const first = month;
  const last = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0));
  const cal = useCalendar(iso(first), iso(last), body ?? undefined, entity ?? undefined);
  const weekStart = lang === 'ar' ? 6 : 1; // Saturday / Monday
  const lead = (first.getUTCDay() - weekStart + 7) % 7;
  const days = last.getUTCDate();
  const cells: (string | null)[] = [...Array<null>(lead).fill(null), ...Array.from({ length: days }, (_, i) => iso(new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), i + 1))))];
  while (cells.length % 7) cells.push(null);
  // 2024-01-07 was a Sunday (getUTCDay 0)
  const weekdays = Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(LOCALE[lang], { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 7 + ((weekStart + i) % 7)))));
  const title = new Intl.DateTimeFormat(LOCALE[lang], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(month);
  const byDay = new Map<string, CalendarItem[]>();
  for (const it of cal.data?.items ?? []) byDay.set(it.date, [...(byDay.get(it.date) ?? []), it]);
  const shift = (n: number) => setMonth(new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + n, 1)));
  const today = iso(new Date());

  return (
    <Stack gap="md">
      <PageHeader
        title={t('reports.calendar')}
        subtitle={t('reports.calendarSubtitle')}
        actions={
          <Button component={Link} to="/reports" variant="default">
            {t('reports.backToObligations')}
          </Button>
        }
      />
      <Paper withBorder p="sm">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Select
            w={220}
            label={t('reports.body')}
            placeholder={t('reports.allBodies')}
            data={(ref.data?.bodies ?? []).map((b) => ({ value: b.code, label: `${b.code} — ${pickLabel(b.name_ar, b.name_en, lang, b.code)}` }))}
            value={body}
            onChange={setBody}
            clearable
            searchable
          />
          <Select
            w={220}
            label={t('reports.entity')}
            placeholder={t('reports.allEntities')}
            data={(entities.data?.items ?? []).map((e) => ({ value: e.id, label: pickLabel(e.name_ar, e.name_en, lang, e.code) }))}
            value={entity}
            onChange={setEntity}
            clearable
            searchable
          />
          <Switch label={t('reports.showHijri')} checked={showHijri} onChange={(e) => setShowHijri(e.currentTarget.checked)} mb={6} data-testid="hijri-switch" />
        </Group>
      </Paper>
      <Paper withBorder p="sm" component="section" aria-labelledby="cal-title">
        <Group justify="space-between" mb="sm" wrap="nowrap">
          <Button variant="default" size="xs" onClick={() => shift(-1)} aria-label={t('reports.previousMonth')}>
            {lang === 'ar' ? '→' : '←'}
          </Button>
          <Stack gap={0} align="center">
            <Title order={2} fz="lg" id="cal-title" c="navy.9" data-testid="calendar-month">
              {title}
            </Title>
            {showHijri ? (
              <Text size="xs" c="dimmed">
                <bdi>
                  {hijri(iso(first), lang, { month: 'long', year: 'numeric' })} – {hijri(iso(last), lang, { month: 'long', year: 'numeric' })}
                </bdi>
              </Text>
            ) : null}
          </Stack>
          <Button variant="default" size="xs" onClick={() => shift(1)} aria-label={t('reports.nextMonth')}>
            {lang === 'ar' ? '←' : '→'}
          </Button>
        </Group>
        {cal.isPending ? (
          <LoadingState />
        ) : cal.isError ? (
          <ErrorState error={cal.error} onRetry={() => void cal.refetch()} />
        ) : (
          <div className="cal-grid" role="grid" aria-labelledby="cal-title" data-testid="calendar-grid">
            <div role="row" className="cal-row">
              {weekdays.map((w) => (
                <div role="columnheader" key={w} className="cal-head">
                  {w}
                </div>
              ))}
            </div>
            {Array.from({ length: cells.length / 7 }, (_, r) => (
              <div role="row" className="cal-row" key={r}>
                {cells.slice(r * 7, r * 7 + 7).map((d, i) => {
                  const items = d ? (byDay.get(d) ?? []) : [];
                  return (
                    <div role="gridcell" key={d ?? `e${r}-${i}`} className={`cal-cell${d === today ? ' cal-today' : ''}${d ? '' : ' cal-empty'}`} aria-label={d ? formatDate(d, lang) : undefined}>
                      {d ? (
                        <>
                          <div className="cal-day">
                            <span>{Number(d.slice(8))}</span>
                            {showHijri ? <span className="cal-hijri">{hijri(d, lang, { day: 'numeric', month: 'short' })}</span> : null}
                          </div>
                          {items.slice(0, 3).map((it) => (
                            <div key={`${it.kind}:${it.id}`} className={`cal-item cal-${it.kind}${it.overdue ? ' cal-overdue' : ''}`} title={label(it, lang, t)}>
                              {it.kind === 'obligation' ? (
                                <Ltr>{it.bodyCode}</Ltr>
                              ) : it.kind === 'action' ? (
                                <>
                                  {t('reports.actionEnds')} <Ltr>{it.code}</Ltr>
                                </>
                              ) : (
                                t('reports.updateDue')
                              )}
                            </div>
                          ))}
                          {items.length > 3 ? <div className="cal-more">+{items.length - 3}</div> : null}
                        </>
                      ) : null}
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
        )}
      </Paper>
      <Paper withBorder p="sm" component="section" aria-labelledby="cal-list-title">
        <Title order={2} fz="md" id="cal-list-title" c="navy.9" mb="xs">
          {t('reports.monthList')}
        </Title>
        {(cal.data?.items ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('reports.nothingThisMonth')}
          </Text>
        ) : (
          <Stack gap={6} data-testid="calendar-list">
            {(cal.data?.items ?? []).map((it) => (
              <Group key={`${it.kind}:${it.id}`} gap="sm" wrap="nowrap" align="flex-start">
                <Text size="sm" w={110} style={{ flexShrink: 0 }}>
                  <bdi>{formatDate(it.date, lang)}</bdi>
                  {showHijri ? (
                    <Text span display="block" size="xs" c="dimmed">
                      <bdi>{hijri(it.date, lang, { day: 'numeric', month: 'short', year: 'numeric' })}</bdi>
                    </Text>
                  ) : null}
                </Text>
                <Badge size="sm" variant={it.kind === 'action' ? 'filled' : 'light'} color={it.kind === 'obligation' ? 'indigo' : it.kind === 'action' ? '#0b5e4a' : 'gray'} style={{ flexShrink: 0 }}>
                  {t(`reports.calendarKinds.${it.kind}`)}
                </Badge>
                <Text size="sm" style={{ minWidth: 0 }}>
                  {it.kind === 'obligation' ? (
                    <Anchor component={Link} to={`/reports?obligation=${it.id}`}>
                      {label(it, lang, t)}
                    </Anchor>
                  ) : it.kind === 'action' ? (
                    <Anchor component={Link} to={`/plan/${it.planId}`} data-testid="calendar-action">
                      {label(it, lang, t)}
                    </Anchor>
                  ) : (
                    <Anchor component={Link} to={`/assignments/${it.id}`}>
                      {label(it, lang, t)}
                    </Anchor>
                  )}
                  {it.overdue ? (
                    <Badge ms={6} size="xs" color="red.9" variant="filled">
                      {t('reports.obligationStatus.overdue')}
                    </Badge>
                  ) : null}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Paper>
      <FeedCard />
    </Stack>
  );
}

function label(it: CalendarItem, lang: 'ar' | 'en', t: (k: string) => string): string {
  if (it.kind === 'obligation') return `${pickLabel(it.title_ar, it.title_en, lang) || t(`reports.types.${it.type}`)} — ${it.bodyCode}`;
  if (it.kind === 'action') {
    const who = it.entity_ar || it.entity_en ? ` — ${pickLabel(it.entity_ar, it.entity_en, lang)}${it.entityRole ? ` (${t(`reports.entityRoles.${it.entityRole}`)})` : ''}` : '';
    return `\u2066${it.code}\u2069 ${pickLabel(it.title_ar, it.title_en, lang)}${who}`;
  }
  const what = it.label || pickLabel(it.cluster_ar, it.cluster_en, lang);
  return `${pickLabel(it.entity_ar, it.entity_en, lang)}: ${what}`;
}
