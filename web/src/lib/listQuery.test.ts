import { describe, expect, it } from 'vitest';
import { day, dayEnd, dayRange, dayStart, ids, nextSort, nonNegativeInt, pageLimit, parseSort, sortText } from './listQuery';

describe('listQuery', () => {
  it('keeps only real days, positive ids once, offered page sizes', () => {
    const search = new URLSearchParams('a=2024-02-30&b=2024-02-29&r=3,3,x&r=0&r=5&limit=77');
    expect(day(search, 'a')).toBe('');
    expect(day(search, 'b')).toBe('2024-02-29');
    expect(ids(search, 'r')).toEqual([3, 5]);
    expect(pageLimit(search.get('limit'))).toBe(50);
    expect(pageLimit('250')).toBe(250);
  });

  it('reads a whole number of at most 15 digits (a record id in the address), or none', () => {
    expect(nonNegativeInt('42')).toBe(42);
    expect(nonNegativeInt('0')).toBe(0);
    expect(nonNegativeInt(null)).toBeNull();
    expect(nonNegativeInt('')).toBeNull();
    expect(nonNegativeInt('4x')).toBeNull();
    expect(nonNegativeInt('-1')).toBeNull();
    expect(nonNegativeInt('1234567890123456')).toBeNull();
  });

  it('parses and prints sorts over the allowed fields only', () => {
    const fields = ['id', 'created_at'] as const;
    expect(parseSort('-created_at', fields)).toEqual({ field: 'created_at', direction: 'desc' });
    expect(parseSort('price', fields)).toBeNull();
    expect(sortText({ field: 'id', direction: 'desc' })).toBe('-id');
  });

  it('cycles a column: ascending, descending, default', () => {
    const asc = nextSort(null, 'id');
    expect(asc).toEqual({ field: 'id', direction: 'asc' });
    const desc = nextSort(asc, 'id');
    expect(desc).toEqual({ field: 'id', direction: 'desc' });
    expect(nextSort(desc, 'id')).toBeNull();
    expect(nextSort(desc, 'created_at')).toEqual({ field: 'created_at', direction: 'asc' });
  });

  it('turns local days into a closed range of unix seconds', () => {
    const out = new URLSearchParams();
    dayRange(out, 'created_at', '2025-03-01', '');
    expect(out.toString()).toBe(`filter%5Bcreated_at%5D%5Bfrom%5D=${dayStart('2025-03-01')}`);
    expect(dayEnd('2025-03-01') - dayStart('2025-03-01')).toBeGreaterThanOrEqual(82799); // DST days
  });
});
