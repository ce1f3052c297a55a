import { describe, expect, it } from 'vitest';
import { incomingCall, incomingCategoryLabel, incomingName, incomingSummaryLine } from './incoming';

const call = {
  category: 'sip' as const,
  metadata: { uniq: 'c1', phone: '+15550100', called_at: 1700000000, duration: 65, service_code: 'pbx', link: 'https://pbx.test/1.mp3' },
  source_name: 'PBX',
  uid: 'u1',
  _embedded: { leads: [{ name: '', price: 0 }], contacts: [], companies: [] },
};

describe('incoming leads in words', () => {
  it('names each channel', () => {
    expect(incomingCategoryLabel('sip')).toBe('call');
    expect(incomingCategoryLabel('forms')).toBe('web form');
  });

  it('reads a call from a sip item’s metadata, and nothing from a form’s', () => {
    expect(incomingCall(call)).toEqual({ phone: '+15550100', duration: '1:05', link: 'https://pbx.test/1.mp3' });
    expect(incomingCall({ ...call, metadata: { ...call.metadata, link: 'javascript:alert(1)' } })).toEqual({ phone: '+15550100', duration: '1:05' });
    expect(incomingCall({ category: 'forms', metadata: { phone: '+1', duration: 5 } })).toBeNull();
    expect(incomingCall({ category: 'sip', metadata: null })).toBeNull();
    expect(incomingCall({ category: 'sip', metadata: { phone: 5 } })).toBeNull();
  });

  it('names an item by its lead, else the caller, else its source', () => {
    expect(incomingName(call)).toBe('Call from +15550100');
    expect(incomingName({ ...call, _embedded: { ...call._embedded, leads: [{ name: 'Hot lead', price: 0 }] } })).toBe('Hot lead');
    expect(incomingName({ ...call, category: 'forms' })).toBe('PBX');
    expect(incomingName({ ...call, category: 'forms', source_name: '' })).toBe('u1');
  });

  it('sums up the incoming leads in one line', () => {
    expect(incomingSummaryLine({ total: 168, accepted: 6, declined: 2, average_sort_time: 8100 })).toBe(
      '168 incoming · 6 accepted · 2 declined · average sorting time 2 h 15 min',
    );
    expect(incomingSummaryLine({ total: 3, accepted: 0, declined: 0, average_sort_time: 0 })).toBe(
      '3 incoming · 0 accepted · 0 declined · average sorting time —',
    );
  });
});
