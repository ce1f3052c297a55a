import { describe, expect, it } from 'vitest';
import { dayEnd, dayStart } from './listQuery';
import { parseRecordsView, recordsFilterProblems, recordsListQuery, recordsViewSearch } from './recordsQuery';

describe('recordsQuery', () => {
  it('round-trips the URL state and drops what does not parse', () => {
    const search = new URLSearchParams(
      'q=%20acme%20&responsible=4&responsible=9&created_from=2025-01-02&updated_to=nope&sort=-updated_at&page=3&limit=100&pipeline=2',
    );
    const view = parseRecordsView(search);
    expect(view).toEqual({
      filter: { query: 'acme', responsible: [4, 9], createdFrom: '2025-01-02', createdTo: '', updatedFrom: '', updatedTo: '', tags: [] },
      sort: { field: 'updated_at', direction: 'desc' },
      page: 3,
      limit: 100,
    });
    expect(recordsViewSearch(view).toString()).toBe(
      'q=acme&responsible=4&responsible=9&created_from=2025-01-02&sort=-updated_at&page=3&limit=100',
    );
  });

  it("becomes Kommo's query with paging", () => {
    const view = parseRecordsView(new URLSearchParams('q=a b&responsible=4,9&created_from=2025-01-02&created_to=2025-01-03&sort=id'));
    const query = new URLSearchParams(recordsListQuery(view));
    expect(Object.fromEntries(query)).toEqual({
      query: 'a b',
      'filter[responsible_user_id]': '4,9',
      'filter[created_at][from]': String(dayStart('2025-01-02')),
      'filter[created_at][to]': String(dayEnd('2025-01-03')),
      'order[id]': 'asc',
      page: '1',
      limit: '50',
    });
  });

  it('filters by tags (any of them)', () => {
    const view = parseRecordsView(new URLSearchParams('tag=3,7'));
    expect(view.filter.tags).toEqual([3, 7]);
    expect(recordsViewSearch(view).toString()).toBe('tag=3&tag=7');
    expect(new URLSearchParams(recordsListQuery(view)).getAll('filter[tags][]')).toEqual(['3', '7']);
  });

  it('says which range ends before it starts', () => {
    const view = parseRecordsView(new URLSearchParams('updated_from=2025-02-02&updated_to=2025-02-01'));
    expect(recordsFilterProblems(view.filter)).toEqual({ updatedTo: 'Must not be before the start date' });
  });
});
