import type { TFunction } from 'i18next';
import { pickLabel } from '../../api/format.ts';
import type { FacetName, FacetValue, Lang, Reference } from '../../api/types.ts';
import { Ltr } from '../../components/Ltr.tsx';
import '../../components/search.css';

/** Optional translation: a known code gets its label, an unknown one is shown as it is. */
export function tCode(t: TFunction, prefix: string, code: string | null | undefined): string {
  if (!code) return t('common.none');
  const key = `${prefix}.${code}`;
  const v = t(key, { defaultValue: '' });
  return v || code;
}

/** The visible label of a facet value (plain text for title attributes and chips). */
export function facetLabel(t: TFunction, facet: FacetName, v: FacetValue | { value: string; label_ar?: string | null; label_en?: string | null }, lang: Lang, ref?: Reference): string {
  switch (facet) {
    case 'mechanism': {
      const m = ref?.mechanisms.find((x) => x.code === v.value);
      return m ? pickLabel(m.name_ar, m.name_en, lang, v.value) : v.value;
    }
    case 'body': {
      const b = ref?.bodies.find((x) => x.code === v.value);
      return b ? pickLabel(b.name_ar, b.name_en, lang, v.value) : v.value;
    }
    case 'status': {
      const s = ref?.statuses.find((x) => x.code === v.value);
      return s ? pickLabel(s.label_ar, s.label_en, lang, v.value) : v.value;
    }
    case 'position':
      return tCode(t, 'position', v.value);
    case 'kind':
      return tCode(t, 'kind', v.value);
    case 'cycle':
      return t('facets.cycleValue', { n: v.value });
    case 'sdg':
      return pickLabel(v.label_ar, v.label_en, lang, '') || t('facets.sdgValue', { code: v.value });
    case 'theme':
    case 'affected':
    case 'entity':
      return pickLabel(v.label_ar, v.label_en, lang, v.value);
    case 'cluster':
      return pickLabel(v.label_ar, v.label_en, lang, '') || t('facets.clusterValue');
    default:
      return v.value;
  }
}

/** Facet values that are codes or symbols are set left-to-right. */
export function FacetValueLabel({ facet, text }: { facet: FacetName; text: string }) {
  if (facet === 'document' || facet === 'year') return <Ltr>{text}</Ltr>;
  // Cluster titles are sentences: two lines in the sidebar, the whole title on hover.
  if (facet === 'cluster') return <span className="facet-name-clamp" title={text}>{text}</span>;
  return <>{text}</>;
}
