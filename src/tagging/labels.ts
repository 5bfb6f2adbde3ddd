/**
 * Label identity for the tagger. A label is `kind` + a key: SDG goals and targets by number ("16", "16.2"), themes
 * and affected persons by a canonical form of their name, so that the same theme written by different list
 * generations is one label: "A12 Acceptance of international norms" (older OHCHR lists, coded), "2.1. Acceptance of
 * international norms" (numbered), "Acceptance of international norms" (newer lists, plain) all become
 * "acceptance of international norms".
 */
export const TAG_KINDS = ['sdg_goal', 'sdg_target', 'theme', 'affected_person'] as const;
export type TagKind = (typeof TAG_KINDS)[number];

/** Leading theme codes: "A12 ", "S ", "B31 ", "2.1. ", "29.1. ", "12 - ". */
const CODE_PREFIX = /^(?:[A-Z]\d{0,3}|\d{1,3}(?:\.\d{1,3})*\.?)\s*(?:[-–:]\s*)?(?=\S)/u;

export function canonicalName(kind: 'theme' | 'affected_person', name: string): string {
  let s = name.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (kind === 'theme') {
    const m = CODE_PREFIX.exec(s);
    // keep one-letter words ("A" alone is not a code) and names that would become empty
    if (m && m[0].trim().length > 0 && s.length > m[0].length && (/\d/.test(m[0]) || /^[A-Z]\s/.test(s))) s = s.slice(m[0].length);
  } else {
    s = s.replace(/^general\s*-\s*(?=\S)/i, '');
  }
  s = s
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[\s\-–—_:;,.()/'"’]+/g, ' ')
    .trim();
  if (kind === 'theme') s = s.replace(/ general$/, '').trim();
  return s;
}

/** A theme or affected-person key; SDG codes as given (trimmed). */
export function labelKey(kind: TagKind, codeOrName: string): string {
  if (kind === 'theme' || kind === 'affected_person') return canonicalName(kind, codeOrName);
  return codeOrName.trim();
}

/**
 * SDG references as sources write them: "16.2 - Protect children…", "16.2", "16", "Goal 16", "SDG 16". Returns the
 * goal and (when given) the target, or null when the value names no SDG.
 */
export function parseSdgRef(value: string): { goal: string; target?: string } | null {
  const m = /^\s*(?:(?:SDG|Goal)\s*)?(\d{1,2})(?:\.([0-9a-z]{1,2}))?(?=$|[\s\-–:.,;])/iu.exec(value);
  if (!m) return null;
  const goal = String(Number(m[1]));
  return m[2] ? { goal, target: `${goal}.${m[2].toLowerCase()}` } : { goal };
}
