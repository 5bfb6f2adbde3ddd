/**
 * The recommending states a UPR recommendation's text ends with ("… (Chile); (Estonia);"), split off its text. Used by
 * the OHCHR thematic-list reader (ohchr-docx.ts) and the UHRI readers (uhri-shared.ts); a module of its own so that a
 * parse worker reading a UHRI file does not load the DOCX reader's XML and zip libraries.
 */
/** Find the top-level parenthetical groups of a string: [start, end) including the parentheses. */
function parenGroups(s: string): { start: number; end: number; inner: string }[] {
  const groups: { start: number; end: number; inner: string }[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === ')' && depth > 0) {
      depth--;
      if (depth === 0) groups.push({ start, end: i + 1, inner: s.slice(start + 1, i) });
    }
  }
  return groups;
}

function splitTopLevelCommas(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if ((ch === ',' || ch === ';') && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

const PARTICLES = new Set(['of', 'the', 'and', 'former', 'da', 'de', 'del', 'e', 'et', 'du', 'd’Ivoire', "d'Ivoire", 'to']);

const INSTRUMENT_WORDS =
  /\b(Principles?|Conventions?|Protocols?|Covenants?|Statute|Rules|Guidelines|Law|Act|Code|Plan|Programme|Strategy|Committee|Council|Agreement|Declaration|Charter|Commission|Office|Organi[sz]ation|Court|Agenda|Goals?|Framework|Mechanism|Ombudsman|Institution|Union)\b/;

/** Does this look like a state name ("Iran (Islamic Republic of)", "the former Yugoslav Republic of Macedonia")? */
export function looksLikeStateName(s: string): boolean {
  const t = s.trim();
  if (!t || t.length > 70) return false;
  if (/\d/.test(t)) return false; // "No. 29", "Convention 189"
  const bare = t.replace(/\([^)]*\)/g, '').trim();
  if (!/^(?:the\s+(?:former\s+)?)?[A-Z\u00C0-\u024F]/.test(bare)) return false;
  const words = bare.split(/\s+/);
  if (words.length > 9) return false;
  // acronyms of instruments and bodies: ICPPED, ICCPR-OP2, OP-CAT, CEDAW, ILO
  if (words.length === 1 && /^[A-Z0-9\-–/.]+$/.test(bare) && bare.length > 1) return false;
  if (/^[A-Z\-–/]{2,}(?:\s+[A-Z\-–/]{2,})*$/.test(bare)) return false;
  // lower-case words other than particles mean a phrase, not a name
  // instruments, institutions and documents are not states: "(the Paris Principles)", "(Istanbul Convention)"
  if (INSTRUMENT_WORDS.test(bare)) return false;
  for (const w of words) {
    if (/^[a-z]/.test(w) && !PARTICLES.has(w)) return false;
  }
  return true;
}

/**
 * Split the trailing recommending-state attribution off a UPR recommendation:
 * "Ratify the Rome Statute of the ICC (Chile); (Estonia);" → text "Ratify the Rome Statute of the ICC",
 * states [Chile, Estonia]. States attributed inside a merged recommendation
 * ("… (Ukraine); Increase efforts … (Slovakia);") are all returned; only the trailing groups are
 * removed from the text.
 */
export function splitRecommendingStates(text: string): { text: string; states: string[] } {
  const s = text.replace(/\s+/g, ' ').trim();
  const groups = parenGroups(s);
  const stateGroups: { start: number; end: number; names: string[] }[] = [];
  for (const g of groups) {
    const after = s.slice(g.end);
    // a state attribution ends the sentence / clause or is followed by another attribution
    if (!/^\s*(?:$|[;.,:]|\(|and\s+\()/.test(after)) continue;
    const names = splitTopLevelCommas(g.inner);
    if (names.length === 0 || !names.every(looksLikeStateName)) continue;
    stateGroups.push({ start: g.start, end: g.end, names });
  }
  const states: string[] = [];
  for (const g of stateGroups) for (const n of g.names) if (!states.includes(n)) states.push(n);
  // strip trailing attribution groups (and the separators between / after them)
  let cut = s.length;
  for (let i = stateGroups.length - 1; i >= 0; i--) {
    const g = stateGroups[i];
    if (!g) break;
    const between = s.slice(g.end, cut);
    if (!/^[\s;.,:]*(?:and\s*)?$/.test(between)) break;
    cut = g.start;
  }
  let body = s.slice(0, cut);
  if (cut !== s.length) body = body.replace(/[\s;,:]+$/, '');
  return { text: body.trim(), states };
}
