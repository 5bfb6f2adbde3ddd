import { Group, Text } from '@mantine/core';
import { type DragEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../api/format.ts';
import { useLanguage } from '../i18n/useLanguage.ts';
import { Ltr } from './Ltr.tsx';

/** A labelled file input that also takes a file dropped on it (keyboard: the input itself is focusable). */
export function FileDrop({
  label,
  hint,
  accept,
  file,
  onFile,
  testId,
}: {
  label: string;
  hint?: string;
  accept?: string;
  file: File | null;
  onFile: (f: File | null) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const id = useId();
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) onFile(f);
  };
  return (
    <div
      className={`drop-zone${over ? ' drop-zone-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid={testId}
    >
      <input
        id={id}
        type="file"
        className="visually-hidden drop-input"
        accept={accept}
        aria-describedby={`${id}-hint`}
        onChange={(e) => onFile(e.currentTarget.files?.[0] ?? null)}
      />
      <label htmlFor={id} className="drop-label">
        <span className="drop-button">{t('files.choose')}</span>
        <span className="drop-title">{label}</span>
      </label>
      <Text size="sm" c="dimmed" id={`${id}-hint`} mt={4}>
        {hint ?? t('files.dropHint')}
      </Text>
      {file ? (
        <Group gap={6} mt="xs" data-testid={testId ? `${testId}-chosen` : undefined}>
          <Text size="sm" fw={600}>
            {t('files.chosen')}:
          </Text>
          <Text size="sm">
            <Ltr>{file.name}</Ltr> (<bdi>{formatNumber(Math.max(1, Math.round(file.size / 1024)), lang)}</bdi> {t('files.kb')})
          </Text>
        </Group>
      ) : null}
    </div>
  );
}
