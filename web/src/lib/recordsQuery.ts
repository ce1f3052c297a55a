// The contacts' and companies' list state (search, responsible users, created and updated
// ranges, tags, sort, page) as it lives in the console's URL, and the Kommo query it becomes for
// GET /api/v4/contacts and /api/v4/companies. Same URL keys as the leads list.
import {
  day,
  dayRange,
  defaultLimit,
  ids,
  pageLimit,
  parseSort,
  positiveInt,
  sortText,
  type Sort,
} from './listQuery';
import { appendTagFilter } from './tags';

export type RecordSortField = 'id' | 'created_at' | 'updated_at';
const sortFields: readonly RecordSortField[] = ['id', 'created_at', 'updated_at'];

export interface RecordsFilter {
  query: string;
  responsible: number[];
  createdFrom: string; // YYYY-MM-DD, local day; '' for none
  createdTo: string;
  updatedFrom: string;
  updatedTo: string;
  tags: number[]; // tag ids: records with any of them; empty: any
}

export interface RecordsView {
  filter: RecordsFilter;
  sort: Sort<RecordSortField> | null; // null: the API's own order (id ascending)
  page: number;
  limit: number;
}

export const emptyRecordsFilter: RecordsFilter = {
  query: '',
  responsible: [],
  createdFrom: '',
  createdTo: '',
  updatedFrom: '',
  updatedTo: '',
  tags: [],
};

export function parseRecordsView(search: URLSearchParams): RecordsView {
  return {
    filter: {
      query: (search.get('q') ?? '').trim(),
      responsible: ids(search, 'responsible'),
      createdFrom: day(search, 'created_from'),
      createdTo: day(search, 'created_to'),
      updatedFrom: day(search, 'updated_from'),
      updatedTo: day(search, 'updated_to'),
      tags: ids(search, 'tag'),
    },
    sort: parseSort(search.get('sort'), sortFields),
    page: positiveInt(search.get('page')) ?? 1,
    limit: pageLimit(search.get('limit')),
  };
}

// The console URL's query for a view: only what differs from the defaults, in a stable order.
export function recordsViewSearch(view: RecordsView): URLSearchParams {
  const out = new URLSearchParams();
  const f = view.filter;
  if (f.query) out.set('q', f.query);
  for (const id of f.responsible) out.append('responsible', String(id));
  if (f.createdFrom) out.set('created_from', f.createdFrom);
  if (f.createdTo) out.set('created_to', f.createdTo);
  if (f.updatedFrom) out.set('updated_from', f.updatedFrom);
  if (f.updatedTo) out.set('updated_to', f.updatedTo);
  for (const id of f.tags) out.append('tag', String(id));
  if (view.sort) out.set('sort', sortText(view.sort));
  if (view.page > 1) out.set('page', String(view.page));
  if (view.limit !== defaultLimit) out.set('limit', String(view.limit));
  return out;
}

// GET /api/v4/contacts|companies: Kommo's filters, order and paging.
export function recordsListQuery(view: RecordsView): string {
  const out = new URLSearchParams();
  const f = view.filter;
  if (f.query) out.set('query', f.query);
  if (f.responsible.length > 0) out.set('filter[responsible_user_id]', f.responsible.join(','));
  dayRange(out, 'created_at', f.createdFrom, f.createdTo);
  dayRange(out, 'updated_at', f.updatedFrom, f.updatedTo);
  appendTagFilter(out, f.tags);
  if (view.sort) out.set(`order[${view.sort.field}]`, view.sort.direction);
  out.set('page', String(view.page));
  out.set('limit', String(view.limit));
  return out.toString();
}

export function hasRecordsFilters(filter: RecordsFilter): boolean {
  return recordsViewSearch({ filter, sort: null, page: 1, limit: defaultLimit }).toString() !== '';
}

// Ranges that end before they start are caught here, in words, before the API refuses them.
export function recordsFilterProblems(filter: RecordsFilter): Partial<Record<keyof RecordsFilter, string>> {
  const out: Partial<Record<keyof RecordsFilter, string>> = {};
  if (filter.createdFrom && filter.createdTo && filter.createdFrom > filter.createdTo) {
    out.createdTo = 'Must not be before the start date';
  }
  if (filter.updatedFrom && filter.updatedTo && filter.updatedFrom > filter.updatedTo) {
    out.updatedTo = 'Must not be before the start date';
  }
  return out;
}
