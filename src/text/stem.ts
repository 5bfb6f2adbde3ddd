/**
 * Light stemming of normalised tokens, chosen by script:
 * - Arabic letters → @orama/stemmers/arabic (Snowball Arabic);
 * - Latin letters → @orama/stemmers/english (Snowball English / Porter2), also used for French
 *   text (it is applied the same way to index and query, so it is consistent, just lighter);
 * - anything else (digits, other scripts) → unchanged.
 *
 * Arabic: why we do not stem the raw spelling.
 * CONVENTIONS.md says "stem the raw word (after stripping diacritics), then normalise". That
 * gives the best stems for correctly spelled words, but the Snowball stemmer reacts to hamza, taa
 * marbuta and alef maqsura, so two spellings of one word get different stems, e.g.
 * المرأة → مرء but المراة → مرا, so a user who types without hamza would find nothing. The Find spec requires those variants to be equivalent.
 * So the stemmer is fed a canonical spelling computed ONLY from the normalised word (therefore
 * identical for all variants), chosen to look like what the stemmer expects:
 *   1. a final ه becomes ة (the stemmer strips ة as the feminine ending, e.g. الدولية → دول;
 *      it also strips ة where ه was a pronoun, e.g. حقوقه → حقوق, which is what we want);
 *   2. an initial ا (after at most one proclitic و ف ب ك ل), not followed by ل and with at least
 *      two more letters, becomes أ, so the stemmer still removes the proclitic
 *      (وإيجاد/وايجاد → ايجاد, بأحكام/باحكام → احكام);
 *   3. a leading و/ف before the article (وال…/فال…, 6+ letters) is removed: Snowball never strips
 *      و/ف before ا, so والمرأة and المرأة would otherwise not share a stem (cost: rare roots such
 *      as والدين "parents" meet الدين "religion", and واجب meets أجب);
 *   then the stem is normalised again (normalizeArabic).
 * On the Moroccan DIDH corpus (5,234 distinct Arabic words) rules 1–2 agree with "stem the raw word,
 * then normalise" for about 94% of word types while guaranteeing that spelling variants agree; the
 * remaining differences are mostly final ى/ي words (على → عل instead of علي), harmless because
 * index and query go through the same function.
 */
import { stemmer as arabicSnowball } from '@orama/stemmers/arabic';
import { stemmer as englishSnowball } from '@orama/stemmers/english';
import { normalizeArabic } from './normalize.ts';

export type Script = 'arabic' | 'latin' | 'other';

const ARABIC_RE = /\p{Script=Arabic}/u;
const LATIN_RE = /\p{Script=Latin}/u;

/** Script of a (single-script) token: Arabic letters → arabic, Latin letters → latin. */
export function scriptOf(token: string): Script {
  if (ARABIC_RE.test(token)) return 'arabic';
  if (LATIN_RE.test(token)) return 'latin';
  return 'other';
}

/** The canonical spelling given to the Arabic stemmer (depends only on the normalised word). */
export function arabicStemmerForm(norm: string): string {
  let k = norm;
  if (k.length >= 3 && k.endsWith('\u0647')) k = k.slice(0, -1) + '\u0629';
  // Conjunction + article: Snowball never removes و/ف before ا, so strip it here.
  if (k.length >= 6 && /^[وف]ال/u.test(k)) k = k.slice(1);
  return k.replace(/^([وفبكل]?)ا(?!ل)(?=\p{L}{2})/u, '$1\u0623');
}

/** Stem of a normalised Arabic token (result is normalised too). */
export function stemArabic(norm: string): string {
  let s: string;
  try {
    s = normalizeArabic(arabicSnowball(arabicStemmerForm(norm)));
  } catch {
    return norm;
  }
  return s.length > 0 ? s : norm;
}

/**
 * Words Snowball English folds into a word of another meaning, kept apart (issue 13): "nationality" would become
 * "nation", the stem of "national", so a search for nationality ranked "national human rights institution" first.
 * Changing this list changes the index: bump SEARCH_PIPELINE_VERSION (src/search/search.index.ts).
 */
const KEEP_APART: Readonly<Record<string, string>> = { nationality: 'nationality', nationalities: 'nationality' };

/** Stem of a normalised Latin token (Snowball English, but for KEEP_APART). */
export function stemEnglish(norm: string): string {
  if (!/^[a-z]+$/.test(norm)) return norm; // digits mixed in, other letters: leave as is
  const kept = KEEP_APART[norm];
  if (kept) return kept;
  try {
    const s = englishSnowball(norm);
    return s.length > 0 ? s : norm;
  } catch {
    return norm;
  }
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 100_000;

/** Stem of a normalised single-script token (see tokenize.ts), chosen by its script. Memoised. */
export function stemToken(norm: string): string {
  const hit = cache.get(norm);
  if (hit !== undefined) return hit;
  const script = scriptOf(norm);
  const s = script === 'arabic' ? stemArabic(norm) : script === 'latin' ? stemEnglish(norm) : norm;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(norm, s);
  return s;
}
