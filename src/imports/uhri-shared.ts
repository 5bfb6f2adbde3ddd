/**
 * Field mapping shared by the UHRI JSON and Excel importers (src/imports/uhri-json.ts, uhri-xlsx.ts).
 */
import type { ImportRecord, Lang, Position, RecommendationKind } from './types.ts';
import { splitRecommendingStates } from './recommending-states.ts';

/**
 * UPR texts end with the recommending state(s) in parentheses ("… (Mexico, Chile);"). Drop that
 * trailing attribution when it names the record's recommending states, so that the text matches
 * what the OHCHR thematic-list importer stores for the same recommendation.
 */
export function stripUprAttribution(text: string, states: string[]): string {
  if (!states.length || !/\)[\s;.,]*$/.test(text)) return text;
  const split = splitRecommendingStates(text);
  const known = new Set(states.map((s) => s.toLowerCase()));
  if (!split.states.length || !split.states.some((s) => known.has(s.toLowerCase()))) return text;
  return split.text || text;
}

export const TREATY_BODIES = new Set(['CERD', 'CCPR', 'CESCR', 'CEDAW', 'CAT', 'SPT', 'CRC', 'CMW', 'CRPD', 'CED']);

export type Mechanism = 'upr' | 'treaty' | 'special_procedures' | 'other';

/** "- Recommendations" → "Recommendations"; trims and drops the UHRI bullet. */
export function stripBullet(s: string): string {
  return s.replace(/^\s*[-–•]\s*/, '').trim();
}

/** Multi-valued cell / array → clean list (bullets removed, blanks dropped, order kept, no duplicates). */
export function cleanList(v: unknown): string[] {
  let items: unknown[];
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) items = v;
  else items = String(v).split(/\r?\n/);
  const out: string[] = [];
  for (const it of items) {
    if (it === null || it === undefined) continue;
    const s = stripBullet(String(it));
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

/** Body as printed by UHRI ("- CRC", "- UPR", "Universal Periodic Review", "- Special Procedures") → code. */
export function bodyCode(raw: string): string {
  const s = stripBullet(raw);
  if (/^(UPR|Universal Periodic Review)$/i.test(s)) return 'UPR';
  if (/^Special Procedures?$/i.test(s) || /^SP$/i.test(s)) return 'SP';
  const up = s.toUpperCase();
  if (TREATY_BODIES.has(up)) return up;
  return s;
}

export function mechanismOf(body: string): Mechanism {
  if (body === 'UPR') return 'upr';
  if (TREATY_BODIES.has(body)) return 'treaty';
  if (body === 'SP' || /special procedure|rapporteur|working group|independent expert/i.test(body)) return 'special_procedures';
  return 'other';
}

export function kindOf(annotationType: string): RecommendationKind {
  const s = stripBullet(annotationType).toLowerCase();
  if (s.includes('recommendation')) return 'recommendation';
  if (s.includes('pledge') || s.includes('commitment')) return 'pledge';
  return 'observation'; // "Concerns/Observations", "Positive aspects", …
}

/** Document type from body and symbol; undefined when unsure. */
export function documentTypeOf(body: string, symbol: string): string | undefined {
  if (body === 'UPR') return /\/Add\.\d+/i.test(symbol) ? 'upr_addendum' : 'upr_wg_report';
  if (TREATY_BODIES.has(body) && /\/CO\//i.test(symbol)) return 'concluding_observations';
  if (mechanismOf(body) === 'special_procedures') return 'sp_visit_report';
  return undefined;
}

const ARABIC_INDIC = /[\u0660-\u0669\u06F0-\u06F9]/g;
function westernDigits(s: string): string {
  return s.replace(ARABIC_INDIC, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

/**
 * Split the leading paragraph number off a UHRI text:
 * "4.The Committee…" → 4; "128.26 Ratify…" → 128.26; "12. (a) …" → 12; Arabic-Indic digits accepted.
 */
export function splitParagraph(text: string): { paragraph?: string; text: string } {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  const m = /^([0-9\u0660-\u0669\u06F0-\u06F9]{1,4}(?:\.[0-9\u0660-\u0669\u06F0-\u06F9]{1,4})*)(?:\s*[.)\-–]\s*|\s+)(?=\S)/.exec(t);
  if (!m?.[1]) return { text: t.trim() };
  return { paragraph: westernDigits(m[1]), text: t.slice(m[0].length).trim() };
}

/** "16.2 - Protect children…" → {code:"16.2", label}; "Goal 5: Gender equality" → {code:"5"}. */
export function parseSdg(raw: string): { code: string; label?: string } | undefined {
  const s = stripBullet(raw);
  const m = /^(?:SDG|Goal|Target)?\s*(\d{1,2}(?:\.[0-9a-z]{1,2})?)\s*(?:[-–:]\s*(.*))?$/i.exec(s);
  if (!m?.[1]) return s ? { code: s } : undefined;
  const label = m[2]?.trim();
  return label ? { code: m[1], label } : { code: m[1] };
}

export function parseSdgs(v: unknown): { code: string; label?: string }[] {
  const out: { code: string; label?: string }[] = [];
  for (const s of cleanList(v)) {
    const p = parseSdg(s);
    if (p && !out.some((x) => x.code === p.code)) out.push(p);
  }
  return out;
}

/** "3", 3, "Cycle 3", "3rd cycle", ["- 34"] → number. */
export function parseIntLoose(v: unknown): number | undefined {
  if (Array.isArray(v)) {
    for (const x of v) {
      const n = parseIntLoose(x);
      if (n !== undefined) return n;
    }
    return undefined;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /(\d+)/.exec(westernDigits(v));
  return m?.[1] ? Number(m[1]) : undefined;
}

/** ["Supported"] → supported; ["Supported","Noted"] or "Supported/Noted" → partially_supported. */
export function positionOf(v: unknown): Position | undefined {
  const items = cleanList(v).flatMap((s) => s.split('/')).map((s) => s.trim().toLowerCase());
  let sup = false;
  let noted = false;
  for (const s of items) {
    if (/partial/.test(s)) return 'partially_supported';
    if (/^(supported|accepted|accept)/.test(s)) sup = true;
    else if (/^(noted|rejected|not supported)/.test(s)) noted = true;
  }
  if (sup && noted) return 'partially_supported';
  if (sup) return 'supported';
  if (noted) return 'noted';
  return undefined;
}

/** ISO date (yyyy-mm-dd) from an ISO string, Date or Excel serial. */
export function isoDate(v: unknown): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
  if (typeof v === 'number') return excelSerialToIso(v);
  const s = String(v).trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  if (/^\d+(\.\d+)?$/.test(s)) return excelSerialToIso(Number(s));
  const dmy = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(s);
  if (dmy) return `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}

/** Excel 1900 date system serial → ISO date (serial 1 = 1900-01-01; Excel's fake 1900-02-29 handled). */
export function excelSerialToIso(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial <= 0 || serial > 2958465) return undefined;
  const ms = Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

export function isoDateToExcelSerial(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round((Date.UTC(y ?? 1900, (m ?? 1) - 1, d ?? 1) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

const LANGS: Lang[] = ['ar', 'en', 'fr', 'es', 'ru', 'zh'];

/** export-full-en.json → en; uhri_ar.xlsx → ar; undefined when the name does not say. */
export function langFromFilename(name: string | undefined): Lang | undefined {
  if (!name) return undefined;
  const base = name.split(/[\\/]/).pop() ?? name;
  const m = /(?:^|[-_.])(ar|en|fr|es|ru|zh)(?=[-_.])/i.exec(base.replace(/\.(json|xlsx|gz)$/i, '.$1'));
  const l = m?.[1]?.toLowerCase() as Lang | undefined;
  return l && LANGS.includes(l) ? l : undefined;
}

export interface UhriFilter {
  /** Keep only records whose countries include one of these (English names, case-insensitive). */
  country?: string | string[];
  /** Keep only these bodies (codes: UPR, CRC, SP…; case-insensitive). */
  body?: string | string[];
  /** Keep only these mechanisms. */
  mechanism?: Mechanism | Mechanism[];
}

export function makeFilter(f: UhriFilter): (rec: ImportRecord, countries: string[]) => boolean {
  const norm = (v: string | string[] | undefined) =>
    v === undefined ? undefined : new Set((Array.isArray(v) ? v : [v]).map((s) => s.trim().toLowerCase()));
  const countries = norm(f.country);
  const bodies = norm(f.body);
  const mechs = f.mechanism === undefined ? undefined : new Set(Array.isArray(f.mechanism) ? f.mechanism : [f.mechanism]);
  if (!countries && !bodies && !mechs) return () => true;
  return (rec, recCountries) => {
    if (countries && !recCountries.some((c) => countries.has(c.toLowerCase()))) return false;
    if (bodies && !bodies.has(rec.document.body.toLowerCase())) return false;
    if (mechs && !mechs.has(mechanismOf(rec.document.body))) return false;
    return true;
  };
}
