import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { parseMultipart, parseUrlEncoded } from './form-body.ts';

const CT = 'multipart/form-data; boundary=XyZ';
const part = (name: string, value: string, file?: string) =>
  `--XyZ\r\nContent-Disposition: form-data; name="${name}"${file !== undefined ? `; filename="${file}"` : ''}\r\n${file !== undefined ? 'Content-Type: application/pdf\r\n' : ''}\r\n${value}\r\n`;

describe('HTML form bodies', () => {
  it('reads url-encoded fields (Arabic included)', () => {
    expect(parseUrlEncoded('name=%D9%85%D9%86%D9%89&email=a%40b.example&x=1&x=2')).toEqual({ fields: { name: 'منى', email: 'a@b.example', x: '2' }, files: [] });
  });

  it('reads multipart fields and one file, byte for byte, and skips an empty file input', () => {
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]);
    const body = Buffer.concat([
      Buffer.from(part('body', 'سطر أول\r\nسطر ثان') + part('empty', '', '')),
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="attachment"; filename="تقرير.pdf"\r\n\r\n'),
      bytes,
      Buffer.from('\r\n--XyZ--\r\n'),
    ]);
    const out = parseMultipart(body, CT);
    expect(out.fields).toEqual({ body: 'سطر أول\r\nسطر ثان' });
    expect(out.files).toHaveLength(1);
    expect(out.files[0]!.fileName).toBe('تقرير.pdf');
    expect(out.files[0]!.bytes.equals(bytes)).toBe(true);
  });

  it('refuses a body without its boundary or cut short', () => {
    expect(() => parseMultipart(Buffer.from(part('a', '1')), 'multipart/form-data')).toThrow(AppError);
    expect(() => parseMultipart(Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'), CT)).toThrow(/ends too soon/);
  });
});
