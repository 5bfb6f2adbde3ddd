/**
 * Natural order of paragraph numbers and symbols: digit runs compare as numbers, so 79.2 comes before 79.10 and
 * 128.9 before 128.26. Strings the collation calls equal ("079" and "79") fall back to code-unit order, so the
 * order is total and stable.
 */
const collator = new Intl.Collator('en', { numeric: true });

export function compareNatural(a: string | null | undefined, b: string | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
