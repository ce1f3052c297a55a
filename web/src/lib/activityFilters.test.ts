import { describe, expect, test } from 'vitest';
import { dayBound, describeRefusal, eventsFilter, noFilters, toSearch } from './activityFilters';

describe('eventsFilter', () => {
  test('no filters, no query', () => {
    expect(eventsFilter(noFilters)).toEqual({});
    expect(toSearch({ filter: eventsFilter(noFilters) })).toBe('');
  });
  test('every filter under the API names', () => {
    const filter = eventsFilter({ actor: '3', type: 'login_failed', entity: 'user', entityId: ' 7 ', from: '2026-01-02', to: '2026-01-02' });
    expect(filter).toMatchObject({ created_by: '3', type: 'login_failed', entity: 'user', entity_id: '7' });
    expect(filter.created_at!.to! - filter.created_at!.from!).toBe(24 * 3600 - 1);
    const search = new URLSearchParams(toSearch({ filter, page: 2 }));
    expect(search.get('filter[type]')).toBe('login_failed');
    expect(search.get('filter[created_at][from]')).toBe(String(filter.created_at!.from));
    expect(search.get('page')).toBe('2');
  });
  test('an entity id without an entity is left out (the API needs both)', () => {
    expect(eventsFilter({ ...noFilters, entityId: '5' })).toEqual({});
  });
  test('only one bound of the time range', () => {
    expect(Object.keys(eventsFilter({ ...noFilters, from: '2026-01-02' }).created_at!)).toEqual(['from']);
  });
  test('brackets are encoded, arrays take [], undefined is left out', () => {
    expect(toSearch({ filter: { type: 'a b' } })).toBe('filter%5Btype%5D=a+b');
    expect(toSearch({ x: [1, 2], y: undefined })).toBe('x%5B%5D=1&x%5B%5D=2');
  });
});

describe('dayBound', () => {
  test('rejects malformed and impossible days', () => {
    expect(dayBound('', false)).toBeNull();
    expect(dayBound('2026-02-30', false)).toBeNull();
    expect(dayBound('26-1-1', true)).toBeNull();
  });
  test('start and end of a local day', () => {
    const start = dayBound('2026-03-10', false)!;
    expect(new Date(start * 1000).getHours()).toBe(0);
    expect(dayBound('2026-03-11', false)! - dayBound('2026-03-10', true)!).toBe(1);
  });
});

describe('describeRefusal', () => {
  test('a sign-in', () => {
    expect(describeRefusal([{ login: { email: 'ada@x.test', ip: '127.0.0.1' } }])).toEqual({
      address: '127.0.0.1',
      what: 'sign-in as ada@x.test',
    });
  });
  test('a session request and a token request', () => {
    expect(describeRefusal([{ request: { session_id: 's', ip: '::1' } }])?.what).toBe('a request of a signed-in session');
    expect(describeRefusal([{ request: { token_id: 4, ip: '10.0.0.1' } }])).toEqual({
      address: '10.0.0.1',
      what: 'an API token request',
    });
  });
  test('anything else', () => {
    expect(describeRefusal([])).toBeNull();
    expect(describeRefusal([{ other: {} }])).toBeNull();
    expect(describeRefusal('x')).toBeNull();
  });
});
