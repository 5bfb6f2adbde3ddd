/**
 * Evidence file types, recognised from the bytes, never from the name or the declared content type.
 * Allowed: PDF, DOCX, XLSX, PNG, JPEG, GIF, WebP. Anything else (executables, scripts, HTML, old
 * binary Office files, archives) is refused.
 */
export interface DetectedType {
  mime: string;
  ext: string;
}

const PDF: DetectedType = { mime: 'application/pdf', ext: 'pdf' };
const DOCX: DetectedType = { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' };
const XLSX: DetectedType = { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' };

const startsWith = (buf: Buffer, bytes: number[], at = 0) => buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);

export function detectFileType(buf: Buffer): DetectedType | null {
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d])) return PDF; // %PDF-
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', ext: 'png' };
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', ext: 'jpg' };
  if (buf.length >= 6 && (buf.subarray(0, 6).toString('latin1') === 'GIF87a' || buf.subarray(0, 6).toString('latin1') === 'GIF89a')) {
    return { mime: 'image/gif', ext: 'gif' };
  }
  if (buf.length >= 12 && buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') {
    return { mime: 'image/webp', ext: 'webp' };
  }
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) {
    const names = zipEntryNames(buf);
    if (!names || !names.includes('[Content_Types].xml')) return null;
    if (names.some((n) => n.startsWith('word/'))) return DOCX;
    if (names.some((n) => n.startsWith('xl/'))) return XLSX;
  }
  return null;
}

/** Entry names from a ZIP's central directory, or null when it is not a well-formed ZIP. */
export function zipEntryNames(buf: Buffer): string[] | null {
  const EOCD = 0x06054b50;
  const min = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLen > buf.length) return null;
    names.push(buf.subarray(p + 46, p + 46 + nameLen).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/**
 * The client's file name is only ever shown and used in content-disposition, never as a path. Names that
 * try to be paths (separators, "..", control characters) are refused rather than silently rewritten, so
 * the user sees what happened. Returns the name or null when it is not acceptable.
 */
export function validateFileName(raw: string): string | null {
  const name = raw.normalize('NFC').trim();
  if (!name || name.length > 200) return null;
  if (/[/\\]/.test(name)) return null;
  if (name === '.' || name === '..' || name.includes('..')) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f<>:"|?*]/.test(name)) return null;
  // Direction overrides and isolates make a name display as something else ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf").
  if (/[\u202a-\u202e\u2066-\u2069]/.test(name)) return null;
  return name;
}
