import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchStep, otpauthUri, stepAt, totp } from './totp.ts';

// RFC 6238 appendix B (SHA1 secret "12345678901234567890"), last 6 of the 8 digits; RFC 4226 appendix D.
const SECRET = Buffer.from('12345678901234567890');
const B32 = base32Encode(SECRET);

describe('totp', () => {
  it('encodes base32 as RFC 4648 and decodes it back', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(B32).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('mzxw 6ytb-oi').toString()).toBe('foobar');
    expect(() => base32Decode('M1')).toThrow();
  });

  it('gives the RFC 4226 HOTP values', () => {
    expect([0, 1, 2, 9].map((c) => hotp(SECRET, c))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('gives the RFC 6238 TOTP values', () => {
    expect(totp(B32, 59_000)).toBe('287082');
    expect(totp(B32, 1_111_111_109_000)).toBe('081804');
    expect(totp(B32, 1_234_567_890_000)).toBe('005924');
    expect(totp(B32, 20_000_000_000_000)).toBe('353130');
  });

  it('accepts one step of drift either way, and each code once', () => {
    const t = 1_234_567_890_000;
    const now = stepAt(t);
    expect(matchStep(B32, totp(B32, t), null, t)).toBe(now);
    expect(matchStep(B32, totp(B32, t - 30_000), null, t)).toBe(now - 1);
    expect(matchStep(B32, totp(B32, t + 30_000), null, t)).toBe(now + 1);
    expect(matchStep(B32, totp(B32, t - 60_000), null, t)).toBeNull();
    expect(matchStep(B32, totp(B32, t), now, t)).toBeNull(); // already used
    expect(matchStep(B32, '12345', null, t)).toBeNull();
  });

  it('writes the otpauth address authenticator apps read', () => {
    expect(otpauthUri('ABC', 'a@b.example', 'Rasd')).toBe('otpauth://totp/Rasd%3Aa%40b.example?secret=ABC&issuer=Rasd&algorithm=SHA1&digits=6&period=30');
  });
});
