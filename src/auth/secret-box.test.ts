import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSecretKey } from '../config/config.ts';
import { isSealed, open, seal, secretKeyFor } from './secret-box.ts';

describe('secret box (AES-256-GCM at rest)', () => {
  const key = randomBytes(32);

  it('opens what it sealed; each seal uses a new nonce; the clear text does not show', () => {
    const a = seal(key, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    const b = seal(key, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(a).not.toBe(b);
    expect(isSealed(a)).toBe(true);
    expect(a).not.toContain('JBSWY3DP');
    expect(open(key, a)).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  });

  it('refuses another key, an altered value, and a value in clear', () => {
    const sealed = seal(key, 'secret');
    expect(() => open(randomBytes(32), sealed)).toThrow();
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => open(key, `v1:${raw.toString('base64url')}`)).toThrow();
    expect(() => open(key, 'JBSWY3DPEHPK3PXP')).toThrow();
  });

  it('reads SECRET_KEY as hex or base64 and refuses anything else', () => {
    const k = randomBytes(32);
    expect(parseSecretKey(k.toString('hex')).equals(k)).toBe(true);
    expect(parseSecretKey(k.toString('base64')).equals(k)).toBe(true);
    expect(() => parseSecretKey('abc')).toThrow(/SECRET_KEY/);
    expect(() => parseSecretKey(randomBytes(16).toString('hex'))).toThrow(/SECRET_KEY/);
  });

  it('without SECRET_KEY, makes one key file in the data folder (0600) and keeps using it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-secret-'));
    try {
      const dataDir = path.join(dir, 'data');
      const first = secretKeyFor({ secretKey: null, dataDir });
      const file = path.join(dataDir, 'secret.key');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(file, 'utf8').trim()).toBe(first.toString('hex'));
      // another configuration (a restart) reads the same key
      expect(secretKeyFor({ secretKey: null, dataDir }).equals(first)).toBe(true);
      // SECRET_KEY, when set, wins over the file
      const given = randomBytes(32);
      expect(secretKeyFor({ secretKey: given, dataDir }).equals(given)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
