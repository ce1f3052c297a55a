import { expect, test } from 'vitest';
import { chainVerdict } from './chain';

test('intact, with and without entries before the chain', () => {
  expect(chainVerdict({ intact: true, events_checked: 12, unchained_events: 0, first_break: null })).toBe(
    'Verified: the chain is intact (12 entries checked).',
  );
  expect(chainVerdict({ intact: true, events_checked: 1, unchained_events: 3, first_break: null })).toBe(
    'Verified: the chain is intact (1 entry checked). 3 older entries predate the chain.',
  );
});

test('broken at an entry, in words', () => {
  expect(
    chainVerdict({ intact: false, events_checked: 7, unchained_events: 0, first_break: { seq: 5, event_id: null, reason: 'event 5 is missing' } }),
  ).toBe('Broken at entry 5: event 5 is missing.');
});
