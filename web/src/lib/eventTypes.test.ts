import { describe, expect, it, vi } from 'vitest';
import { eventTypeLabels } from './eventTypes';

// The HTTP client needs a browser; labelling needs none.
vi.mock('../api/client', () => ({ api: {}, unwrap: vi.fn() }));

describe('eventTypeLabels', () => {
  it('labels event types by key', () => {
    const labels = eventTypeLabels([
      { key: 'lead_added', lang: 'Lead added' },
      { key: 'login_failed', lang: 'Failed login' },
    ]);
    expect(labels.get('lead_added')).toBe('Lead added');
    expect(labels.get('login_failed')).toBe('Failed login');
    expect(labels.get('other')).toBeUndefined();
  });
});
