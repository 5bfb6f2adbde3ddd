/**
 * HTML form bodies for the few server-rendered pages that take them (the portal's registration, sign-in and comment
 * forms, `config.form`): application/x-www-form-urlencoded, and multipart/form-data with at most one file.
 */
import { badRequest } from '../shared/errors.ts';

export interface FormFile {
  field: string;
  fileName: string;
  bytes: Buffer;
}
export interface FormBody {
  fields: Record<string, string>;
  files: FormFile[];
}

export function parseUrlEncoded(text: string): FormBody {
  const fields: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) fields[k] = v;
  return { fields, files: [] };
}

const MAX_PARTS = 50;

/** multipart/form-data (RFC 7578): fields as text, files as bytes; an empty file input (no name, no bytes) is left out. */
export function parseMultipart(body: Buffer, contentType: string): FormBody {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2]?.trim();
  if (!boundary || boundary.length > 70) throw badRequest('invalid_form', 'The form could not be read (no multipart boundary).');
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, string> = {};
  const files: FormFile[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw badRequest('invalid_form', 'The form could not be read.');
  let parts = 0;
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') break; // closing delimiter
    if (body.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw badRequest('invalid_form', 'The form could not be read.');
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw badRequest('invalid_form', 'The form could not be read.');
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw badRequest('invalid_form', 'The form could not be read (it ends too soon).');
    const content = body.subarray(headerEnd + 4, next);
    if (++parts > MAX_PARTS) throw badRequest('invalid_form', 'The form has too many fields.');
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    const fileName = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    if (name !== undefined) {
      if (fileName !== undefined) {
        if (fileName !== '' || content.length > 0) files.push({ field: name, fileName, bytes: Buffer.from(content) });
      } else fields[name] = content.toString('utf8');
    }
    pos = next + 2;
  }
  return { fields, files };
}
