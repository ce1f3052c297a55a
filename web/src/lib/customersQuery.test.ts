import { describe, expect, it } from 'vitest';
import { customersListQuery, customersViewSearch, customerStatusOf, parseCustomersView } from './customersQuery';

describe('customersQuery', () => {
  it('keeps the statuses in the URL next to the records filters', () => {
    const view = parseCustomersView(new URLSearchParams('q=acme&status=4&status=x&status=7&responsible=3&page=2'));
    expect(view.statuses).toEqual([4, 7]);
    expect(view.filter.query).toBe('acme');
    expect(view.filter.responsible).toEqual([3]);
    expect(view.page).toBe(2);
    expect(customersViewSearch(view).toString()).toBe('q=acme&responsible=3&page=2&status=4&status=7');
  });

  it('asks the API for the statuses with filter[status]', () => {
    const view = parseCustomersView(new URLSearchParams('status=4&status=7&sort=-updated_at'));
    const query = new URLSearchParams(customersListQuery(view));
    expect(query.get('filter[status]')).toBe('4,7');
    expect(query.get('order[updated_at]')).toBe('desc');
    expect(query.get('page')).toBe('1');
    expect(new URLSearchParams(customersListQuery(parseCustomersView(new URLSearchParams()))).has('filter[status]')).toBe(
      false,
    );
  });

  it('carries the tag filter to filter[tags] (customers have tags since the cfapi change)', () => {
    const view = parseCustomersView(new URLSearchParams('tag=3&tag=5&status=2'));
    expect(view.filter.tags).toEqual([3, 5]);
    expect(new URLSearchParams(customersListQuery(view)).getAll('filter[tags][]')).toEqual(['3', '5']);
    expect(customersViewSearch(view).getAll('tag')).toEqual(['3', '5']);
  });

  it('names a status by id, and an unknown one plainly', () => {
    const statuses = [{ id: 4, name: 'Recently bought', color: '#87f2c0' }];
    expect(customerStatusOf(statuses, 4).name).toBe('Recently bought');
    expect(customerStatusOf(statuses, 9).name).toBe('Status #9');
    expect(customerStatusOf(undefined, 9).name).toBe('Status #9');
  });
});
