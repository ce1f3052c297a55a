import { expect, test } from 'vitest';
import { loginSummary } from './loginStats';

test('totals, span and the day with most failures', () => {
  expect(
    loginSummary([
      { date: '2026-01-01', succeeded: 2, failed: 0 },
      { date: '2026-01-02', succeeded: 1, failed: 4 },
      { date: '2026-01-03', succeeded: 0, failed: 1 },
    ]),
  ).toBe('Logins over the last 3 days (2026-01-01 to 2026-01-03, UTC): 3 successful, 5 failed. Most failures on 2026-01-02: 4.');
});

test('no failures, one day, no data', () => {
  expect(loginSummary([{ date: '2026-01-01', succeeded: 1, failed: 0 }])).toBe(
    'Logins over the last 1 day (2026-01-01 to 2026-01-01, UTC): 1 successful, 0 failed.',
  );
  expect(loginSummary([])).toBe('No login data.');
});
