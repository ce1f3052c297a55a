import { describe, expect, it } from 'vitest';
import { groupSecret, normalizeCode, otpauthAccount, recoveryCodesText, svgDataUri } from './twoFactor';

describe('two-factor helpers', () => {
  it('turns the QR SVG into an inert data: URI', () => {
    const uri = svgDataUri('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>');
    expect(uri.startsWith('data:image/svg+xml;charset=utf-8,%3Csvg')).toBe(true);
    expect(uri).not.toMatch(/[<>"#]/);
    expect(decodeURIComponent(uri.slice(uri.indexOf(',') + 1))).toContain('<rect width="1"');
  });

  it('groups a secret by four', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDE')).toBe('ABCD E');
    expect(groupSecret('')).toBe('');
  });

  it('normalizes typed codes', () => {
    expect(normalizeCode(' 123 456 ')).toBe('123456');
    expect(normalizeCode('123-456')).toBe('123456');
    expect(normalizeCode(' abcd-efgh-jkmn ')).toBe('abcd-efgh-jkmn');
    expect(normalizeCode('12345')).toBe('12345');
  });

  it('writes the recovery codes file', () => {
    const text = recoveryCodesText(['aaaa-bbbb-cccc', 'dddd-eeee-ffff'], 'sam@acme.test', new Date('2026-03-04T10:00:00Z'));
    expect(text).toContain('Account: sam@acme.test\nIssued: 2026-03-04\n');
    expect(text.trimEnd().split('\n').slice(-2)).toEqual(['aaaa-bbbb-cccc', 'dddd-eeee-ffff']);
  });

  it('reads the account from an otpauth URI', () => {
    expect(otpauthAccount('otpauth://totp/Gatehouse:sam%40acme.test?secret=ABC&issuer=Gatehouse')).toBe('sam@acme.test');
    expect(otpauthAccount('otpauth://totp/sam@acme.test?secret=ABC')).toBe('sam@acme.test');
    expect(otpauthAccount('otpauth://totp/%E0%A4%A?secret=ABC')).toBe('');
    expect(otpauthAccount('https://example.com')).toBe('');
  });
});
