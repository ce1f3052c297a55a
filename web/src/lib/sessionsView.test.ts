import { describe, expect, it } from 'vitest';
import { deviceLabel, formatRelative, locationLabel } from './sessionsView';

describe('sessions view', () => {
  const now = Date.UTC(2026, 2, 4, 12, 0, 0);
  const at = (secondsAgo: number) => now / 1000 - secondsAgo;

  it('says how long ago', () => {
    expect(formatRelative(at(5), now)).toBe('just now');
    expect(formatRelative(at(-30), now)).toBe('just now');
    expect(formatRelative(at(60), now)).toBe('1 minute ago');
    expect(formatRelative(at(59 * 60), now)).toBe('59 minutes ago');
    expect(formatRelative(at(2 * 3600 + 5), now)).toBe('2 hours ago');
    expect(formatRelative(at(86400), now)).toBe('1 day ago');
    expect(formatRelative(at(40 * 86400), now)).toMatch(/2026/);
  });

  it('names locations', () => {
    expect(locationLabel('local')).toBe('Local network');
    expect(locationLabel('unknown')).toBe('Unknown');
    expect(locationLabel('')).toBe('Unknown');
    expect(locationLabel('DE')).toBe('Germany (DE)');
    expect(locationLabel('somewhere')).toBe('somewhere');
  });

  it('capitalises devices', () => {
    expect(deviceLabel('unknown device')).toBe('Unknown device');
    expect(deviceLabel('Chrome 120 on Linux')).toBe('Chrome 120 on Linux');
    expect(deviceLabel('')).toBe('Unknown device');
  });
});
