import { describe, expect, test } from 'vitest';
import { CsvRecordCounter, dayBound, describeRefusal, filterQuery, noFilters, pageQuery, toSearch } from './activityFilters';

describe('filterQuery', () => {
  test('no filters, no query', () => {
    expect(filterQuery(noFilters)).toEqual({});
  });
  test('every filter under the API names', () => {
    const query = filterQuery({ actor: '3', type: 'login_failed', entity: 'user', entityId: ' 7 ', from: '2026-01-02', to: '2026-01-02' });
    expect(query['filter[created_by]']).toBe('3');
    expect(query['filter[type]']).toBe('login_failed');
    expect(query['filter[entity]']).toBe('user');
    expect(query['filter[entity_id]']).toBe('7');
    const from = Number(query['filter[created_at][from]']);
    const to = Number(query['filter[created_at][to]']);
    expect(to - from).toBe(24 * 3600 - 1);
  });
  test('an entity id without an entity is left out (the API needs both)', () => {
    expect(filterQuery({ ...noFilters, entityId: '5' })).toEqual({});
  });
  test('paging adds page and limit; the search string encodes brackets', () => {
    expect(pageQuery({ ...noFilters, type: 'a' }, 2, 50)).toEqual({ 'filter[type]': 'a', page: '2', limit: '50' });
    expect(toSearch({ 'filter[type]': 'a b' })).toBe('filter%5Btype%5D=a+b');
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

describe('CsvRecordCounter', () => {
  test('counts records across chunks, quoted line breaks and doubled quotes included', () => {
    const counter = new CsvRecordCounter();
    const text = 'id,value\r\n1,"[{""a"":1}]"\r\n2,"two\r\nlines"\r\n3,x';
    for (let i = 0; i < text.length; i += 3) counter.push(text.slice(i, i + 3));
    expect(counter.finish()).toBe(4);
  });
  test('a final line break adds no record; blank lines are none', () => {
    const counter = new CsvRecordCounter();
    counter.push('h\r\n\r\na\r\n');
    expect(counter.finish()).toBe(2);
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
