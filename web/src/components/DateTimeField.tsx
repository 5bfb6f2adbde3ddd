import { ActionIcon, Box, Button, Group, Input, Popover, Select, SimpleGrid, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, locales } from '../api/format.ts';
import type { Lang } from '../api/types.ts';
import { useLanguage } from '../i18n/useLanguage.ts';

/**
 * A date and a time of day, drawn by the app in the page's language: a month calendar (month and weekday names from
 * Intl in the page's language) and a 24-hour time list. The browser's own `datetime-local` field follows the
 * browser's locale instead (AM/PM and an English calendar on an Arabic page). The value is local time,
 * "YYYY-MM-DDTHH:MM", as that field's.
 */
export function DateTimeField({ label, value, onChange, testId }: { label: string; value: string; onChange: (value: string) => void; testId?: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [date = '', time = ''] = value.split('T');
  const times = new Set(Array.from({ length: 48 }, (_, k) => `${String(Math.floor(k / 2)).padStart(2, '0')}:${k % 2 ? '30' : '00'}`));
  if (time) times.add(time.slice(0, 5));
  return (
    <Input.Wrapper label={label} labelProps={{ id: `${id}-label` }} required>
      <Group gap="xs" wrap="nowrap" role="group" aria-labelledby={`${id}-label`} data-testid={testId}>
        <Box style={{ flex: 1, minWidth: 0 }}>
          <DatePicker label={label} value={date} onChange={(d) => onChange(`${d}T${time}`)} testId={testId ? `${testId}-calendar` : undefined} />
        </Box>
        <Select
          aria-label={`${label}: ${t('dateField.time')}`}
          data={[...times].sort()}
          value={time.slice(0, 5) || null}
          onChange={(v) => v && onChange(`${date}T${v}`)}
          allowDeselect={false}
          searchable
          w={96}
          dir="ltr"
          comboboxProps={{ withinPortal: true }}
          data-testid={testId ? `${testId}-time` : undefined}
        />
      </Group>
    </Input.Wrapper>
  );
}

/** Arabic-Indic and Eastern Arabic-Indic digits as ASCII ones (a date typed on an Arabic keyboard). */
const asciiDigits = (s: string) => s.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) & 0xf));
const validDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/**
 * A date alone, in the page's language: typed as year-month-day (digits only, so nothing in the browser's language;
 * Arabic-Indic digits are read too) or picked from the month calendar behind its button. The browser's own `date`
 * field follows the browser's locale instead (an English calendar and "mm/dd/yyyy" on an Arabic page). The value is
 * "YYYY-MM-DD" (or '' when empty), as that field's.
 */
export function DateField({
  label,
  value,
  onChange,
  testId,
  required,
  disabled,
  error,
  description,
  w,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  required?: boolean;
  disabled?: boolean;
  error?: string;
  description?: string;
  w?: number;
}) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const { opened, setOpened, open, view, move } = useMonthView(value);
  const shown = validDay(value) ? formatDate(value, lang) : '';
  // the popover hangs on the calendar button: on the text box its aria-expanded would not be allowed (axe)
  return (
    <TextInput
      label={label}
      description={description ?? (shown || undefined)}
      required={required}
      disabled={disabled}
      error={error ?? (value && !validDay(value) ? t('dateField.invalid') : undefined)}
      value={value}
      onChange={(e) => onChange(asciiDigits(e.currentTarget.value).trim())}
      placeholder={t('dateField.format')}
      inputMode="numeric"
      dir="ltr"
      w={w}
      data-testid={testId}
      rightSectionPointerEvents="all"
      rightSection={
        <Popover opened={opened} onChange={setOpened} position="bottom-end" trapFocus shadow="md" withinPortal>
          <Popover.Target>
            <ActionIcon variant="subtle" onClick={open} disabled={disabled} aria-label={`${t('dateField.pick')}: ${label}`} data-testid={testId ? `${testId}-open` : undefined}>
              <span aria-hidden="true">▦</span>
            </ActionIcon>
          </Popover.Target>
          <Popover.Dropdown p="xs" data-testid={testId ? `${testId}-calendar` : undefined}>
            <MonthGrid lang={lang} view={view} value={value} onMove={move} onPick={(d) => { onChange(d); setOpened(false); }} />
          </Popover.Dropdown>
        </Popover>
      }
    />
  );
}

/** A calendar's open state and the month it shows: the value's month when it opens (else the current one), moved by arrows. */
function useMonthView(value: string) {
  const [opened, setOpened] = useState(false);
  const [view, setView] = useState(() => ({ y: Number(value.slice(0, 4)) || new Date().getFullYear(), m: Number(value.slice(5, 7)) || new Date().getMonth() + 1 }));
  const open = () => {
    if (validDay(value)) setView({ y: Number(value.slice(0, 4)), m: Number(value.slice(5, 7)) });
    setOpened((o) => !o);
  };
  const move = (by: number) => setView(({ y, m }) => ({ y: y + Math.floor((m - 1 + by) / 12), m: ((((m - 1 + by) % 12) + 12) % 12) + 1 }));
  return { opened, setOpened, open, view, move };
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDay = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** A button showing the date in the page's language; it opens a month calendar. The value is "YYYY-MM-DD". */
function DatePicker({ label, value, onChange, testId }: { label: string; value: string; onChange: (value: string) => void; testId?: string }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const { opened, setOpened, open, view, move } = useMonthView(value);
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-start" trapFocus shadow="md" withinPortal>
      <Popover.Target>
        <Button variant="default" fullWidth justify="space-between" onClick={open} aria-label={`${label}: ${formatDate(value, lang)}`} aria-expanded={opened} fw={400}>
          {formatDate(value, lang) || t('dateField.pick')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown p="xs" data-testid={testId}>
        <MonthGrid lang={lang} view={view} value={value} onMove={move} onPick={(d) => { onChange(d); setOpened(false); }} />
      </Popover.Dropdown>
    </Popover>
  );
}

function MonthGrid({ lang, view, value, onMove, onPick }: { lang: Lang; view: { y: number; m: number }; value: string; onMove: (by: number) => void; onPick: (day: string) => void }) {
  const { t } = useTranslation();
  const loc = locales[lang];
  // weeks start on Saturday in Arabic (as in Kuwait), on Monday in English (en-GB)
  const firstWeekday = lang === 'ar' ? 6 : 1;
  const utc = (d: number) => new Date(Date.UTC(view.y, view.m - 1, d));
  const days = new Date(Date.UTC(view.y, view.m, 0)).getUTCDate();
  const lead = (utc(1).getUTCDay() - firstWeekday + 7) % 7;
  // Arabic weekday names have no short form: their initials, as printed calendars have them
  const weekday = new Intl.DateTimeFormat(loc, { weekday: lang === 'ar' ? 'narrow' : 'short', timeZone: 'UTC' });
  const full = new Intl.DateTimeFormat(loc, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  // 2024-01-06 was a Saturday
  const headers = Array.from({ length: 7 }, (_, k) => weekday.format(new Date(Date.UTC(2024, 0, 6 + ((firstWeekday - 6 + k + 7) % 7)))));
  const today = (() => {
    const n = new Date();
    return isoDay(n.getFullYear(), n.getMonth() + 1, n.getDate());
  })();
  return (
    <Box w={260}>
      <Group justify="space-between" mb={6} wrap="nowrap">
        {/* the earlier month on the reading side, its arrow pointing outwards */}
        <ActionIcon variant="subtle" onClick={() => onMove(-1)} aria-label={t('dateField.previousMonth')}>
          {lang === 'ar' ? '›' : '‹'}
        </ActionIcon>
        <Text fw={600} size="sm" aria-live="polite">
          {new Intl.DateTimeFormat(loc, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(utc(1))}
        </Text>
        <ActionIcon variant="subtle" onClick={() => onMove(1)} aria-label={t('dateField.nextMonth')}>
          {lang === 'ar' ? '‹' : '›'}
        </ActionIcon>
      </Group>
      <SimpleGrid cols={7} spacing={2} verticalSpacing={2}>
        {headers.map((h, k) => (
          <Text key={k} size="xs" c="dimmed" ta="center" aria-hidden="true">
            {h}
          </Text>
        ))}
        {Array.from({ length: lead }, (_, k) => (
          <span key={`lead-${k}`} />
        ))}
        {Array.from({ length: days }, (_, k) => {
          const day = isoDay(view.y, view.m, k + 1);
          const selected = day === value;
          return (
            <UnstyledButton
              key={day}
              onClick={() => onPick(day)}
              aria-label={full.format(utc(k + 1))}
              aria-pressed={selected}
              data-day={day}
              style={{
                textAlign: 'center',
                borderRadius: 4,
                padding: '5px 0',
                fontSize: 14,
                background: selected ? 'var(--mantine-primary-color-filled)' : undefined,
                color: selected ? 'var(--mantine-primary-color-contrast)' : undefined,
                outline: day === today && !selected ? '1px solid var(--mantine-color-gray-5)' : undefined,
              }}
            >
              {new Intl.NumberFormat(loc).format(k + 1)}
            </UnstyledButton>
          );
        })}
      </SimpleGrid>
    </Box>
  );
}
