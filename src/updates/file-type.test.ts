import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { detectFileType, validateFileName } from './file-type.ts';

/** A minimal stored ZIP (no compression) with the given entry names: enough for the central directory. */
function zip(names: string[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const n = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(n.length, 26);
    locals.push(local, n);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, n);
    offset += 30 + n.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(names.length, 8);
  eocd.writeUInt16LE(names.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

describe('evidence file types come from the content', () => {
  it.each([
    ['PDF', Buffer.from('%PDF-1.7\n…'), 'application/pdf'],
    ['PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'image/png'],
    ['JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image/jpeg'],
    ['GIF', Buffer.from('GIF89a\x01\x00', 'latin1'), 'image/gif'],
    ['WebP', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]), 'image/webp'],
    ['DOCX', zip(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['XLSX', zip(['[Content_Types].xml', 'xl/workbook.xml']), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ])('recognises %s', (_name, bytes, mime) => {
    expect(detectFileType(bytes)?.mime).toBe(mime);
  });

  it('recognises a real XLSX written by exceljs', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRow(['مؤشر', 1]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    expect(detectFileType(bytes)?.ext).toBe('xlsx');
  });

  it.each([
    ['a Windows executable', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)])],
    ['an ELF binary', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(60)])],
    ['a shell script', Buffer.from('#!/bin/sh\nrm -rf /\n')],
    ['HTML', Buffer.from('<html><script>alert(1)</script></html>')],
    ['a ZIP that is not an Office file', zip(['payload.exe'])],
    ['a ZIP with content types but no document part', zip(['[Content_Types].xml', 'evil/x.bin'])],
    ['a truncated ZIP', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])],
    ['an empty file', Buffer.alloc(0)],
  ])('refuses %s', (_name, bytes) => {
    expect(detectFileType(bytes)).toBeNull();
  });
});

describe('evidence file names', () => {
  it.each(['تقرير 2026.pdf', 'report (final).docx', 'a.b.c.xlsx'])('accepts %s', (n) => expect(validateFileName(n)).toBe(n));
  it.each(['../../etc/passwd', '..\\x.pdf', '/etc/passwd', 'a/b.pdf', '..', '.', '', 'x\u0000.pdf', 'a..b.pdf', 'x'.repeat(201), 'invoice\u202Efdp.exe', 'a\u2067b.pdf'])('refuses %j', (n) =>
    expect(validateFileName(n)).toBeNull(),
  );
});
