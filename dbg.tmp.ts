import { readFileSync } from 'node:fs';
import { reviewReportText } from './src/imports/report-text.ts';
import { parseUprInfoCsv } from './src/imports/upr-info-csv.ts';
const rt = reviewReportText(readFileSync('/work/shared/data/wg-reports/kuwait2010-A_HRC_15_15.txt'), { symbol: 'A/HRC/15/15' }).records;
const ui = parseUprInfoCsv(readFileSync('/work/shared/data/upr-info/upr-info-sessions-1-20.csv'), { country: 'Kuwait' }).filter((r) => r.kind === 'recommendation');
const tok = (s: string) => new Set(s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[’']/g, '').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1));
const dice = (a: Set<string>, b: Set<string>) => { let n = 0; for (const x of a) if (b.has(x)) n++; return (2 * n) / (a.size + b.size || 1); };
let matched = 0; const low: string[] = [];
for (const u of ui) {
  const tu = tok(u.texts.en!);
  let best = 0, bp = '', bs: string[] = [];
  for (const r of rt) { const d = dice(tu, tok(r.texts.en!)); if (d > best) { best = d; bp = r.paragraph!; bs = r.recommendingStates!; } }
  if (best >= 0.8) matched++; else low.push(best.toFixed(2) + ' ' + bp + ' ' + u.texts.en!.slice(0, 70) + ' | ' + u.recommendingStates + ' vs ' + bs);
  if (best >= 0.8 && !bs.includes(u.recommendingStates![0]!)) console.log('STATE', u.recommendingStates, bs, best.toFixed(2));
}
console.log(ui.length, matched); console.log(low.join('\n'));
