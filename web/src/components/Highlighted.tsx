import type { HighlightSegment, Lang } from '../api/types.ts';
import './search.css';

type TextLang = 'ar' | 'en' | 'fr';

/**
 * Which text to show for a search result, and its highlighted segments: the interface language's
 * text when it has a match, else another language's matched text, else the plain text (no marks).
 */
export function pickHighlighted(
  item: { text_ar: string | null; text_en: string | null; text_fr?: string | null; highlights?: Partial<Record<TextLang, HighlightSegment[]>> },
  lang: Lang,
): { lang: TextLang; segments: HighlightSegment[] } | null {
  const order: TextLang[] = lang === 'ar' ? ['ar', 'en', 'fr'] : ['en', 'ar', 'fr'];
  for (const l of order) {
    const segs = item.highlights?.[l];
    if (segs && segs.some((s) => s.match)) return { lang: l, segments: segs };
  }
  for (const l of order) {
    const v = item[`text_${l}`];
    if (v && v.trim()) return { lang: l, segments: [{ text: v, match: false }] };
  }
  return null;
}

/** Text with the matched words wrapped in <mark>. */
export function Highlighted({ segments }: { segments: HighlightSegment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.match ? (
          <mark key={i} className="search-mark">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}
