import { describe, expect, it } from 'vitest';
import {
  dayEnd,
  dayStart,
  defaultLimit,
  emptyFilter,
  filterProblems,
  hasFilters,
  leadsExportQuery,
  leadsListQuery,
  leadsViewSearch,
  nextSort,
  parseLeadsView,
  type LeadsView,
} from './leadsQuery';

const decoded = (query: string) => decodeURIComponent(query).split('&');

describe('parseLeadsView', () => {
  it('reads every filter, the sort and the page from the console URL', () => {
    const view = parseLeadsView(
      new URLSearchParams(
        'q=acme&pipeline=3&stage=3.31&stage=3.32&responsible=5&responsible=7,8&created_from=2026-01-02' +
          '&created_to=2026-01-31&updated_from=2026-02-01&price_from=100&price_to=5000&sort=-created_at&page=4&limit=100',
      ),
    );
    expect(view).toEqual({
      filter: {
        query: 'acme',
        pipelineId: 3,
        stages: [
          { pipelineId: 3, statusId: 31 },
          { pipelineId: 3, statusId: 32 },
        ],
        responsible: [5, 7, 8],
        createdFrom: '2026-01-02',
        createdTo: '2026-01-31',
        updatedFrom: '2026-02-01',
        updatedTo: '',
        priceFrom: 100,
        priceTo: 5000,
        tags: [],
      },
      sort: { field: 'created_at', direction: 'desc' },
      page: 4,
      limit: 100,
    });
  });

  it.each([
    ['pipeline=abc', { pipelineId: null }],
    ['pipeline=0', { pipelineId: null }],
    ['stage=3&stage=x.1', { stages: [] }],
    ['responsible=-1,a', { responsible: [] }],
    ['created_from=2026-02-30', { createdFrom: '' }],
    ['created_to=yesterday', { createdTo: '' }],
    ['price_from=-5', { priceFrom: null }],
    ['price_to=1.5', { priceTo: null }],
  ])('drops what does not parse: %s', (query, expected) => {
    expect(parseLeadsView(new URLSearchParams(query)).filter).toEqual({ ...emptyFilter, ...expected });
  });

  it('falls back to page 1, the default page size and the API order', () => {
    const view = parseLeadsView(new URLSearchParams('page=0&limit=33&sort=name'));
    expect(view.page).toBe(1);
    expect(view.limit).toBe(defaultLimit);
    expect(view.sort).toBeNull();
  });

  it('round-trips through the URL', () => {
    const search = 'q=x&pipeline=2&stage=2.5&responsible=9&created_from=2026-03-01&price_to=10&sort=updated_at&page=2&limit=25';
    expect(leadsViewSearch(parseLeadsView(new URLSearchParams(search))).toString()).toBe(search);
    expect(leadsViewSearch(parseLeadsView(new URLSearchParams(''))).toString()).toBe('');
  });
});

describe('the API query', () => {
  const view: LeadsView = {
    filter: {
      ...emptyFilter,
      query: 'big deal',
      pipelineId: 3,
      stages: [
        { pipelineId: 3, statusId: 31 },
        { pipelineId: 3, statusId: 142 },
      ],
      responsible: [5, 7],
      createdFrom: '2026-01-02',
      createdTo: '2026-01-02',
      priceFrom: 0,
      priceTo: 5000,
    },
    sort: { field: 'updated_at', direction: 'desc' },
    page: 3,
    limit: 25,
  };

  it('uses Kommo filters, order and paging', () => {
    expect(decoded(leadsListQuery(view))).toEqual([
      'query=big+deal',
      'filter[pipeline_id]=3',
      'filter[statuses][0][pipeline_id]=3',
      'filter[statuses][0][status_id]=31',
      'filter[statuses][1][pipeline_id]=3',
      'filter[statuses][1][status_id]=142',
      'filter[responsible_user_id]=5,7',
      `filter[created_at][from]=${dayStart('2026-01-02')}`,
      `filter[created_at][to]=${dayEnd('2026-01-02')}`,
      'filter[price][from]=0',
      'filter[price][to]=5000',
      'order[updated_at]=desc',
      'page=3',
      'limit=25',
    ]);
  });

  it('exports with the same filters and order, without paging', () => {
    const exported = decoded(leadsExportQuery(view));
    expect(exported).toEqual(decoded(leadsListQuery(view)).filter((p) => !/^(page|limit)=/.test(p)));
  });

  it('keeps tags in the URL and asks for leads with any of them', () => {
    const tagged = parseLeadsView(new URLSearchParams('tag=4&tag=9,4&tag=x'));
    expect(tagged.filter.tags).toEqual([4, 9]);
    expect(leadsViewSearch(tagged).toString()).toBe('tag=4&tag=9');
    expect(decoded(leadsListQuery(tagged))).toEqual(['filter[tags][]=4', 'filter[tags][]=9', 'page=1', 'limit=50']);
    expect(hasFilters(tagged.filter)).toBe(true);
  });

  it('asks for nothing but a page when no filter is set', () => {
    expect(leadsListQuery({ filter: emptyFilter, sort: null, page: 1, limit: 50 })).toBe('page=1&limit=50');
  });

  it('covers whole local days', () => {
    const start = dayStart('2026-03-10');
    expect(new Date(start * 1000).getHours()).toBe(0);
    expect(new Date(dayEnd('2026-03-10') * 1000).getDate()).toBe(10);
    expect(new Date((dayEnd('2026-03-10') + 1) * 1000).getDate()).toBe(11);
  });
});

describe('filterProblems', () => {
  it('names a range that ends before it starts', () => {
    expect(filterProblems({ ...emptyFilter, createdFrom: '2026-02-02', createdTo: '2026-02-01' })).toHaveProperty('createdTo');
    expect(filterProblems({ ...emptyFilter, priceFrom: 10, priceTo: 9 })).toHaveProperty('priceTo');
    expect(filterProblems({ ...emptyFilter, priceFrom: 10, priceTo: 10 })).toEqual({});
  });
});

describe('nextSort', () => {
  it('cycles ascending, descending, the default', () => {
    const asc = nextSort(null, 'created_at');
    expect(asc).toEqual({ field: 'created_at', direction: 'asc' });
    const desc = nextSort(asc, 'created_at');
    expect(desc).toEqual({ field: 'created_at', direction: 'desc' });
    expect(nextSort(desc, 'created_at')).toBeNull();
    expect(nextSort(desc, 'id')).toEqual({ field: 'id', direction: 'asc' });
  });
});

describe('hasFilters', () => {
  it('is true for any filter, false for none', () => {
    expect(hasFilters(emptyFilter)).toBe(false);
    expect(hasFilters({ ...emptyFilter, priceFrom: 0 })).toBe(true);
    expect(hasFilters({ ...emptyFilter, stages: [{ pipelineId: 1, statusId: 2 }] })).toBe(true);
    expect(hasFilters(parseLeadsView(new URLSearchParams('sort=-id&page=3')).filter)).toBe(false);
  });
});
