import { describe, expect, it } from 'vitest';
import { appendTagFilter, isEmptyEdit, tagEdit, tagNames } from './tags';

const catalog = [
  { id: 1, name: 'VIP', color: null },
  { id: 2, name: 'cold', color: null },
  { id: 3, name: 'Partner', color: 'ff0000' },
];

describe('tag edits', () => {
  it('adds catalog tags by id, new ones by name, and deletes the ones removed', () => {
    const edit = tagEdit([catalog[0]!, catalog[1]!], ['VIP', ' partner ', 'Brand new', 'brand NEW'], catalog);
    expect(edit).toEqual({ tags_to_add: [{ id: 3 }, { name: 'Brand new' }], tags_to_delete: [{ id: 2 }] });
  });

  it('is empty when the names are the record’s own (case and blanks aside)', () => {
    expect(isEmptyEdit(tagEdit([catalog[0]!], ['vip '], catalog))).toBe(true);
    expect(isEmptyEdit(tagEdit([catalog[0]!], [], catalog))).toBe(false);
  });

  it('offers the catalog names sorted, each once', () => {
    expect(tagNames([...catalog, { id: 4, name: 'VIP', color: null }])).toEqual(['cold', 'Partner', 'VIP']);
  });

  it('filters by any of the tags', () => {
    const out = new URLSearchParams();
    appendTagFilter(out, [4, 9]);
    expect(out.toString()).toBe('filter%5Btags%5D%5B%5D=4&filter%5Btags%5D%5B%5D=9');
  });
});
