/**
 * Test helper: the text of a report as it comes out of a PDF, made from a report's clean text (../shared/data
 * wg-reports). Two ways:
 *  - `simulatePdfText`: pure and fast; wraps the paragraphs at a page width (splitting long words with a hyphen,
 *    and hyphenated words at their hyphen), cuts pages with a header (the symbol) and a footer (page number and a
 *    "GE.…" job number, in alternating order), moves each footnote to the bottom of its page (its number on a line
 *    of its own, then its text wrapped over several lines), and ends pages with a form feed;
 *  - `libreOfficePdfText`: the real path: a DOCX (header, footer with the page number, real footnotes) printed to
 *    PDF by LibreOffice and read back with poppler's `pdftotext`.
 */
import { execFileSync } from 'node:child_process';
import { AlignmentType, Document, Footer, FootnoteReferenceRun, Header, Packer, PageNumber, Paragraph, TextRun } from 'docx';
import { docxToPdf } from '../../src/reports/index.ts';
import { decodeBytes } from '../../src/imports/tabular.ts';

export interface PdfTextOptions {
  /** printed in every page header */
  symbol: string;
  /** the "GE.10-14455" job number in every footer */
  job?: string;
  /** characters per line (default 88) */
  width?: number;
  /** lines per page, footnotes included (default 42) */
  pageLines?: number;
}

interface Source {
  paragraphs: { text: string; notes: { n: string; text: string }[] }[];
}

/** The clean report's paragraphs (one a line in the shared files) and its footnote lines ("2 The recommendation…"). */
function readSource(bytes: Buffer | string): Source {
  const text = (typeof bytes === 'string' ? bytes : decodeBytes(bytes, {}).text).replace(/\r\n?/g, '\n');
  const markers = new Set<string>();
  for (const m of text.matchAll(/[\p{Ll};)\u201d](\d{1,2})(?=[\s.,;]|$)|\)[;.] (\d{1,2})\s*$/gmu)) markers.add(String(Number(m[1] ?? m[2])));
  const paragraphs: Source['paragraphs'] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[\t\u00a0]+/g, ' ').trim();
    if (!line) continue;
    const note = /^(\d{1,2}) +([\p{Lu}\u201c"].*)$/u.exec(line);
    if (note && markers.has(String(Number(note[1]))) && paragraphs.length) {
      paragraphs.at(-1)!.notes.push({ n: String(Number(note[1])), text: note[2]! });
      continue;
    }
    paragraphs.push({ text: line, notes: [] });
  }
  return { paragraphs };
}

function wrap(text: string, width: number, state: { splits: number }): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (!line) {
      line = word;
      continue;
    }
    if (line.length + 1 + word.length <= width) {
      line += ' ' + word;
      continue;
    }
    const room = width - line.length - 1;
    const hyphen = word.indexOf('-');
    if (hyphen > 1 && hyphen + 1 <= room && hyphen < word.length - 2) {
      // a hyphenated word breaks at its hyphen: "non-" / "discrimination"
      out.push(`${line} ${word.slice(0, hyphen + 1)}`);
      line = word.slice(hyphen + 1);
      continue;
    }
    const letters = /^[\p{L}]+/u.exec(word)?.[0] ?? '';
    if (letters.length >= 10 && room >= 6 && state.splits++ % 2 === 0) {
      // a long word split by the PDF's hyphenation: "Conven-" / "tion"
      const cut = Math.min(room - 1, Math.max(5, Math.floor(letters.length / 2)));
      out.push(`${line} ${word.slice(0, cut)}-`);
      line = word.slice(cut);
      continue;
    }
    out.push(line);
    line = word;
  }
  if (line) out.push(line);
  return out;
}

export function simulatePdfText(clean: Buffer | string, o: PdfTextOptions): string {
  const width = o.width ?? 88;
  const pageLines = o.pageLines ?? 42;
  const job = o.job ?? 'GE.10-14455';
  const { paragraphs } = readSource(clean);
  const pages: string[] = [];
  let body: string[] = [];
  let notes: string[] = [];
  const state = { splits: 0 };
  const flush = () => {
    const n = pages.length + 1;
    const footer = n % 2 ? [String(n), job] : [job, String(n)];
    pages.push([o.symbol, '', ...body, '', ...notes, ...footer].join('\n'));
    body = [];
    notes = [];
  };
  for (const p of paragraphs) {
    for (const line of wrap(p.text, width, state)) {
      if (body.length + notes.length >= pageLines) flush();
      body.push(line);
    }
    p.notes.forEach((note, k) => {
      // alternately: the number alone on its line, or glued before the text
      const lines = k % 2 === 0 && note.n !== '1' ? [note.n, ...wrap(note.text, width - 4, { splits: 1 })] : wrap(`${note.n} ${note.text}`, width - 4, { splits: 1 });
      notes.push(...lines);
    });
  }
  if (body.length || notes.length) flush();
  return pages.join('\n\f');
}

export async function libreOfficePdfText(clean: Buffer | string, o: PdfTextOptions): Promise<string> {
  const { paragraphs } = readSource(clean);
  const footnotes: Record<number, { children: Paragraph[] }> = {};
  let id = 0;
  const children = paragraphs.map((p) => {
    const runs: (TextRun | FootnoteReferenceRun)[] = [];
    let text = p.text;
    const refs: number[] = [];
    for (const note of p.notes) {
      id += 1;
      footnotes[id] = { children: [new Paragraph(note.text)] };
      refs.push(id);
      // the marker printed in the clean text is replaced by the real footnote reference
      text = text.replace(new RegExp(`([;.)\\u201d\\p{Ll}]) ?${note.n}(?=[\\s.,;]|$)`, 'u'), '$1');
    }
    runs.push(new TextRun(text));
    for (const r of refs) runs.push(new FootnoteReferenceRun(r));
    return new Paragraph({ children: runs, alignment: AlignmentType.JUSTIFIED, spacing: { after: 120 } });
  });
  const doc = new Document({
    footnotes,
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph(o.symbol)] }) },
        footers: { default: new Footer({ children: [new Paragraph({ children: [new TextRun({ children: [PageNumber.CURRENT] })] }), new Paragraph(o.job ?? 'GE.10-14455')] }) },
        children,
      },
    ],
  });
  const pdf = await docxToPdf(await Packer.toBuffer(doc));
  return execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8');
}
