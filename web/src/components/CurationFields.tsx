import { Group, MultiSelect, Select, SimpleGrid, Stack, Switch, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { pickLabel } from '../api/format.ts';
import { useTerms } from '../api/queries.ts';
import type { CurationPatch, Kind, Position, RecommendationDetail, TermKind } from '../api/types.ts';
import { useLanguage } from '../i18n/useLanguage.ts';

/** Taxonomies a coordinator picks terms from on a recommendation (SDG goals follow from the targets). */
export const EDITABLE_TERM_KINDS = ['theme', 'affected_person', 'sdg_target', 'tag'] as const satisfies readonly TermKind[];
type EditableKind = (typeof EDITABLE_TERM_KINDS)[number];

const KINDS: readonly Kind[] = ['recommendation', 'observation', 'pledge'];
const POSITIONS: readonly Position[] = ['supported', 'partially_supported', 'noted'];
const NO_POSITION = 'none';
const TEXTS = [
  { code: 'ar', dir: 'rtl' },
  { code: 'en', dir: 'ltr' },
  { code: 'fr', dir: 'ltr' },
] as const;

export interface CurationValues {
  text_ar: string;
  text_en: string;
  text_fr: string;
  kind: Kind;
  position: string;
  is_public: boolean;
  terms: Record<EditableKind, string[]>;
}

export function curationValuesOf(rec: RecommendationDetail): CurationValues {
  const terms = Object.fromEntries(EDITABLE_TERM_KINDS.map((k) => [k, rec.terms.filter((x) => x.kind === k).map((x) => x.id)])) as Record<EditableKind, string[]>;
  return {
    text_ar: rec.text_ar ?? '',
    text_en: rec.text_en ?? '',
    text_fr: rec.text_fr ?? '',
    kind: rec.kind,
    position: rec.position ?? NO_POSITION,
    is_public: rec.is_public,
    terms,
  };
}

/** Only the fields that differ from what the server holds. */
export function curationPatch(rec: RecommendationDetail, v: CurationValues): Omit<CurationPatch, 'version'> {
  const patch: Omit<CurationPatch, 'version'> = {};
  for (const { code } of TEXTS) {
    const key = `text_${code}` as const;
    if (v[key] !== (rec[key] ?? '')) patch[key] = v[key].trim() ? v[key] : null;
  }
  if (v.kind !== rec.kind) patch.kind = v.kind;
  const position = v.position === NO_POSITION ? null : (v.position as Position);
  if (position !== (rec.position ?? null)) patch.position = position;
  if (v.is_public !== rec.is_public) patch.is_public = v.is_public;
  return patch;
}

/** The full new list of term ids when the picked terms changed, else null. Terms of other kinds are kept. */
export function changedTermIds(rec: RecommendationDetail, v: CurationValues): string[] | null {
  const before = curationValuesOf(rec).terms;
  const same = EDITABLE_TERM_KINDS.every((k) => before[k].length === v.terms[k].length && before[k].every((id) => v.terms[k].includes(id)));
  if (same) return null;
  const kept = rec.terms.filter((x) => !(EDITABLE_TERM_KINDS as readonly string[]).includes(x.kind)).map((x) => x.id);
  return [...kept, ...EDITABLE_TERM_KINDS.flatMap((k) => v.terms[k])];
}

function TermSelect({ kind, value, onChange }: { kind: EditableKind; value: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const terms = useTerms(kind);
  const data = (terms.data?.items ?? []).map((x) => {
    const label = pickLabel(x.label_ar, x.label_en, lang, x.code);
    return { value: x.id, label: kind === 'sdg_target' ? `${x.code} — ${label}` : label };
  });
  return (
    <MultiSelect
      label={t(`terms.${kind}`)}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      clearable
      nothingFoundMessage={t('curation.noTerms')}
      placeholder={value.length ? undefined : t('curation.pickTerms')}
      maxDropdownHeight={260}
      comboboxProps={{ withinPortal: true }}
      data-testid={`terms-select-${kind}`}
    />
  );
}

/** Texts per language, kind, position, publication and taxonomy terms of one recommendation. */
export function CurationFields({ value, onChange }: { value: CurationValues; onChange: (v: CurationValues) => void }) {
  const { t } = useTranslation();
  const set = <K extends keyof CurationValues>(k: K, v: CurationValues[K]) => onChange({ ...value, [k]: v });
  return (
    <Stack gap="md">
      <Title order={3} fz="sm" c="navy.9">
        {t('curation.texts')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        {TEXTS.map((l) => (
          <Textarea
            key={l.code}
            label={t(`fields.text_${l.code}`)}
            value={value[`text_${l.code}`]}
            onChange={(e) => set(`text_${l.code}`, e.currentTarget.value)}
            dir={l.dir}
            lang={l.code}
            autosize
            minRows={3}
            maxRows={12}
            data-testid={`edit-text-${l.code}`}
          />
        ))}
      </SimpleGrid>
      <Title order={3} fz="sm" c="navy.9">
        {t('curation.classification')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <Select label={t('fields.kind')} data={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} value={value.kind} onChange={(v) => v && set('kind', v as Kind)} allowDeselect={false} />
        <Select
          label={t('fields.position')}
          data={[{ value: NO_POSITION, label: t('curation.noPosition') }, ...POSITIONS.map((p) => ({ value: p, label: t(`position.${p}`) }))]}
          value={value.position}
          onChange={(v) => v && set('position', v)}
          allowDeselect={false}
        />
        <Group align="flex-end" pb={6}>
          <Switch label={t('curation.public')} description={t('curation.publicHint')} checked={value.is_public} onChange={(e) => set('is_public', e.currentTarget.checked)} />
        </Group>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {EDITABLE_TERM_KINDS.map((k) => (
          <TermSelect key={k} kind={k} value={value.terms[k]} onChange={(ids) => set('terms', { ...value.terms, [k]: ids })} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
