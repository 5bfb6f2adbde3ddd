import { Anchor, Table, Text } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatNumber, pickLabel } from '../api/format.ts';
import { useLanguage } from '../i18n/useLanguage.ts';
import './charts.css';

export interface ChartStatus {
  code: string;
  label_ar: string;
  label_en: string;
  color: string;
}

export interface BarRow {
  key: string;
  label: string;
  /** the list this row opens */
  href?: string;
  counts: Record<string, number>;
  total: number;
  /** the list one status of this row opens */
  hrefFor?: (status: string) => string;
}

/** A status's name in the page's language (its code when unknown). */
function statusName(statuses: ChartStatus[], code: string, lang: 'ar' | 'en'): string {
  const s = statuses.find((x) => x.code === code);
  return s ? pickLabel(s.label_ar, s.label_en, lang, code) : code;
}

/** A chart's numbers as a table (behind "show as a table"): a row per item, a column per status, then the trailing columns. */
function ChartTable({
  caption,
  statuses,
  head,
  trailing,
  rows,
}: {
  caption: string;
  statuses: ChartStatus[];
  head: string;
  trailing: string[];
  rows: { key: string; label: React.ReactNode; counts: Record<string, number>; trailing: number[] }[];
}) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  return (
    <details className="chart-table">
      <summary>{t('charts.showTable')}</summary>
      <div className="table-scroll">
        <Table verticalSpacing={4} mt="xs" striped>
          <caption className="visually-hidden">{caption}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{head}</Table.Th>
              {statuses.map((s) => (
                <Table.Th scope="col" key={s.code} ta="end">
                  {statusName(statuses, s.code, lang)}
                </Table.Th>
              ))}
              {trailing.map((label) => (
                <Table.Th scope="col" ta="end" key={label}>
                  {label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.key}>
                <Table.Th scope="row" fw={500}>
                  {r.label}
                </Table.Th>
                {statuses.map((s) => (
                  <Table.Td key={s.code} ta="end">
                    <bdi>{formatNumber(r.counts[s.code] ?? 0, lang)}</bdi>
                  </Table.Td>
                ))}
                {r.trailing.map((v, i) => (
                  <Table.Td ta="end" key={i}>
                    <bdi>{formatNumber(v, lang)}</bdi>
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </details>
  );
}

/** The legend: every status named in text beside its colour. */
export function StatusLegend({ statuses }: { statuses: ChartStatus[] }) {
  const { lang } = useLanguage();
  const { t } = useTranslation();
  return (
    <ul className="chart-legend" aria-label={t('charts.legend')}>
      {statuses.map((s) => (
        <li key={s.code}>
          <span className="chart-swatch" style={{ background: s.color }} aria-hidden="true" />
          {pickLabel(s.label_ar, s.label_en, lang, s.code)}
        </li>
      ))}
    </ul>
  );
}

/**
 * Horizontal stacked bars (one per row, segments per status), with a legend and a table alternative.
 * Flex follows the page direction: in Arabic the bars start at the right.
 */
export function StatusBars({ rows, statuses, caption, testId }: { rows: BarRow[]; statuses: ChartStatus[]; caption: string; testId?: string }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const id = useId();
  const max = Math.max(1, ...rows.map((r) => r.total));
  const name = (code: string) => statusName(statuses, code, lang);
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('charts.empty')}
      </Text>
    );
  }
  return (
    <figure style={{ margin: 0 }} aria-labelledby={`${id}-cap`} data-testid={testId}>
      <figcaption id={`${id}-cap`} className="visually-hidden">
        {caption}
      </figcaption>
      <StatusLegend statuses={statuses} />
      <ul className="hbar-list">
        {rows.map((r) => (
          <li key={r.key} className="hbar-row" data-testid={testId ? `${testId}-row` : undefined} data-value={r.key}>
            <span className="hbar-label">
              {r.href ? (
                <Anchor component={Link} to={r.href} size="sm">
                  {r.label}
                </Anchor>
              ) : (
                r.label
              )}
            </span>
            <span className="hbar-track" style={{ width: `${(r.total / max) * 100}%` }}>
              {statuses
                .filter((s) => (r.counts[s.code] ?? 0) > 0)
                .map((s) => {
                  const n = r.counts[s.code] ?? 0;
                  const label = t('charts.segment', { row: r.label, status: name(s.code), n: formatNumber(n, lang) });
                  const style = { width: `${(n / r.total) * 100}%`, background: s.color };
                  return r.hrefFor ? (
                    <Link key={s.code} to={r.hrefFor(s.code)} className="hbar-seg" style={style} aria-label={label} title={label} data-status={s.code} data-count={n} />
                  ) : (
                    <span key={s.code} className="hbar-seg" style={style} title={label} role="img" aria-label={label} data-status={s.code} data-count={n} />
                  );
                })}
            </span>
            <span className="hbar-total">
              <bdi>{formatNumber(r.total, lang)}</bdi>
            </span>
          </li>
        ))}
      </ul>
      <ChartTable
        caption={caption}
        statuses={statuses}
        head={t('charts.item')}
        trailing={[t('charts.total')]}
        rows={rows.map((r) => ({ key: r.key, label: r.label, counts: r.counts, trailing: [r.total] }))}
      />
    </figure>
  );
}

/** Monthly columns (stacked by status), month labels beneath, and a table alternative. */
export function MonthColumns({
  months,
  statuses,
  caption,
  extraLabel,
  testId,
}: {
  months: { month: string; changes: Record<string, number>; total: number; extra: number }[];
  statuses: ChartStatus[];
  caption: string;
  extraLabel: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const id = useId();
  const max = Math.max(1, ...months.map((m) => m.total));
  const loc = lang === 'ar' ? 'ar-u-nu-latn' : 'en-GB';
  const fmt = new Intl.DateTimeFormat(loc, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const fmtMonth = new Intl.DateTimeFormat(loc, { month: 'short', timeZone: 'UTC' });
  const monthLabel = (m: string) => fmt.format(new Date(`${m}-01T00:00:00Z`));
  const monthShort = (m: string) => fmtMonth.format(new Date(`${m}-01T00:00:00Z`));
  return (
    <figure style={{ margin: 0 }} aria-labelledby={`${id}-cap`} data-testid={testId}>
      <figcaption id={`${id}-cap`} className="visually-hidden">
        {caption}
      </figcaption>
      <StatusLegend statuses={statuses} />
      <div className="vbar-chart" aria-hidden="true">
        {months.map((m) => (
          <div key={m.month} className="vbar-col" title={`${monthLabel(m.month)}: ${formatNumber(m.total, lang)}`}>
            {m.total > 0 ? <span className="vbar-value">{formatNumber(m.total, lang)}</span> : null}
            <div className="vbar-stack" style={{ height: `${(m.total / max) * 85}%` }}>
              {statuses
                .filter((s) => (m.changes[s.code] ?? 0) > 0)
                .map((s) => (
                  <span key={s.code} style={{ display: 'block', flex: m.changes[s.code], background: s.color, minHeight: 2 }} />
                ))}
            </div>
          </div>
        ))}
      </div>
      <div className="vbar-labels" aria-hidden="true">
        {months.map((m, i) => (
          <span key={m.month}>
            <span className="vbar-month-name">{monthShort(m.month)}</span>
            {/* on a phone the columns are narrow: the month's number, not its name */}
            <span className="vbar-month-number">{formatNumber(Number(m.month.slice(5, 7)), lang)}</span>
            <br />
            {/* the year once, where it starts (the first column and each January) */}
            {i === 0 || m.month.endsWith('-01') ? m.month.slice(0, 4) : '\u00a0'}
          </span>
        ))}
      </div>
      <ChartTable
        caption={caption}
        statuses={statuses}
        head={t('charts.month')}
        trailing={[t('charts.total'), extraLabel]}
        rows={months.map((m) => ({ key: m.month, label: <bdi>{monthLabel(m.month)}</bdi>, counts: m.changes, trailing: [m.total, m.extra] }))}
      />
    </figure>
  );
}
