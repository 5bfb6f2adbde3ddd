import { Alert, Button, Group, Loader, Popover, Stack, Text, UnstyledButton } from '@mantine/core';
import './exports.css';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ApiErrorBody } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { formatNumber } from '../../api/format.ts';
import { useLanguage } from '../../i18n/useLanguage.ts';

type Format = 'xlsx' | 'csv';

/** The file name from content-disposition (the UTF-8 one when given). */
function fileNameOf(header: string | null, fallback: string): string {
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header ?? '');
  if (utf8) return decodeURIComponent(utf8[1]!);
  const plain = /filename="([^"]+)"/i.exec(header ?? '');
  return plain ? plain[1]! : fallback;
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

const formatBytes = (n: number, lang: 'ar' | 'en') =>
  n < 1024 * 1024 ? `${formatNumber(Math.max(1, Math.round(n / 1024)), lang)} KB` : `${formatNumber(Math.round((n / 1048576) * 10) / 10, lang)} MB`;

/**
 * "Export" on the recommendations list: the implementation matrix (Excel) or the list as CSV, of everything the
 * list shows for its current search, filters and sort (all pages), in the interface language. The file is read
 * as it streams in, with the received size shown meanwhile.
 */
export function ExportMenu({ listQuery, total }: { listQuery: string; total: number | undefined }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [busy, setBusy] = useState<Format | null>(null);
  const [received, setReceived] = useState(0);
  const [done, setDone] = useState<{ count: number; name: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const id = useId();
  const [open, setOpen] = useState(false);

  const download = async (format: Format) => {
    setBusy(format);
    setReceived(0);
    setDone(null);
    setError(null);
    try {
      const sp = new URLSearchParams(listQuery);
      sp.delete('page');
      sp.delete('pageSize');
      sp.set('format', format);
      sp.set('lang', lang);
      let res: Response;
      try {
        res = await fetch(`/api/exports/matrix?${sp.toString()}`, { credentials: 'same-origin' });
      } catch {
        throw new ApiError(0, 'network_error', 'The server could not be reached.');
      }
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: ApiErrorBody } | null;
        const e = body?.error;
        throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? res.statusText, e?.message_ar, e?.details);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      const reader = res.body?.getReader();
      if (reader) {
        for (;;) {
          const { done: end, value } = await reader.read();
          if (end) break;
          chunks.push(value);
          size += value.length;
          setReceived(size);
        }
      }
      const name = fileNameOf(res.headers.get('content-disposition'), `rasd-matrix-${lang}.${format}`);
      saveBlob(new Blob(chunks as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' }), name);
      setDone({ count: Number(res.headers.get('x-total-count')) || 0, name });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const empty = total === 0;
  return (
    <Stack gap={4} align="flex-end" data-testid="export">
      <Popover opened={open} onChange={setOpen} position="bottom-end" shadow="md" width={280} withArrow trapFocus>
        <Popover.Target>
          <Button
            variant="default"
            size="xs"
            disabled={empty || busy !== null}
            onClick={() => setOpen((o) => !o)}
            aria-expanded={open}
            aria-haspopup="dialog"
            leftSection={busy ? <Loader size={12} /> : null}
            rightSection={<span aria-hidden="true">▾</span>}
            data-testid="export-menu"
            title={empty ? t('exports.nothingToExport') : undefined}
          >
            {busy ? t('exports.preparing') : t('exports.button')}
          </Button>
        </Popover.Target>
        <Popover.Dropdown aria-labelledby={`${id}-scope`}>
          <Text id={`${id}-scope`} size="xs" c="dimmed" mb={6}>
            {t('exports.scope', { total: formatNumber(total ?? 0, lang) })}
          </Text>
          <Stack gap={4}>
            {(['xlsx', 'csv'] as const).map((format) => (
              <UnstyledButton
                key={format}
                className="export-option"
                onClick={() => {
                  setOpen(false);
                  void download(format);
                }}
                data-testid={`export-${format}`}
                aria-describedby={`${id}-${format}-hint`}
              >
                <Text size="sm" fw={500}>
                  {t(format === 'xlsx' ? 'exports.xlsx' : 'exports.csv')}
                </Text>
                <Text size="xs" c="dimmed" id={`${id}-${format}-hint`}>
                  {t(format === 'xlsx' ? 'exports.xlsxHint' : 'exports.csvHint')}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        </Popover.Dropdown>
      </Popover>
      <div aria-live="polite" data-testid="export-status">
        {busy ? (
          <Text size="xs" c="dimmed">
            {received > 0 ? t('exports.received', { size: formatBytes(received, lang) }) : t('exports.waiting')}
          </Text>
        ) : done ? (
          <Text size="xs" c="teal.9">
            {t('exports.done', { total: formatNumber(done.count, lang) })} <bdi dir="ltr">{done.name}</bdi>
          </Text>
        ) : null}
      </div>
      {error ? (
        <Alert color="red" variant="light" p="xs" withCloseButton closeButtonLabel={t('exports.dismiss')} onClose={() => setError(null)} data-testid="export-error">
          <Group gap={4}>
            <Text size="sm">{error instanceof ApiError && error.code === 'empty_selection' ? t('exports.emptySelection') : errorMessage(error)}</Text>
          </Group>
        </Alert>
      ) : null}
    </Stack>
  );
}
