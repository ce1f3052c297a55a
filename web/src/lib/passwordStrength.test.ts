import { describe, expect, it } from 'vitest';
import { estimateStrength } from './passwordStrength';

describe('estimateStrength', () => {
  it('calls anything under ten characters too short, as the server does', () => {
    expect(estimateStrength('').score).toBe(0);
    expect(estimateStrength('Xk#9v!Lq2').label).toBe('Too short');
    expect(estimateStrength('Xk#9v!Lq2').hints[0]).toBe('Use at least 10 characters.');
    expect(estimateStrength('Xk#9v!Lq2z').score).toBeGreaterThan(0);
  });

  it('counts by code point, not UTF-16 unit', () => {
    expect(estimateStrength('😀😀😀😀😀').score).toBe(0);
  });

  it('sees through common words, leetspeak, runs and repeats', () => {
    for (const weak of ['password12', 'P@ssw0rd2026', 'aaaaaaaaaaaa', 'abcdefghijkl', 'qwertyuiop1', '1234567890']) {
      expect(estimateStrength(weak).score, weak).toBeLessThanOrEqual(1);
    }
    expect(estimateStrength('P@ssw0rd2026').hints).toContain('Avoid common words such as "password".');
    expect(estimateStrength('abcdefghijkl').hints.some((h) => h.includes('sequences'))).toBe(true);
  });

  it("marks the user's own name and email", () => {
    const s = estimateStrength('maria.schmidt!', { email: 'maria.schmidt@acme.test', name: 'Maria Schmidt' });
    expect(s.hints).toContain('Avoid your name or email address.');
    expect(s.score).toBeLessThanOrEqual(1);
  });

  it('rates long random or multi-word passwords high', () => {
    expect(estimateStrength('correct horse battery staple').score).toBeGreaterThanOrEqual(3);
    expect(estimateStrength('t7#Vq!9zLw2@pX4m').score).toBe(4);
    expect(estimateStrength('t7#Vq!9zLw2@pX4m').hints).toEqual([]);
  });

  it('orders passwords by how guessable they are', () => {
    const bits = ['summer2026', 'Summer2026!x', 'plum-Orbit-7-kettle'].map((p) => estimateStrength(p).bits);
    expect(bits[0]).toBeLessThan(bits[1] ?? 0);
    expect(bits[1]).toBeLessThan(bits[2] ?? 0);
  });
});
