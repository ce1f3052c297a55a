// The leads list's state (filters, sort, page) as it lives in the console's URL, and the Kommo
// query string it becomes for GET /api/v4/leads and /api/v4/leads/export. The URL keeps short
// readable keys (a reload or a shared link restores the same list); the API gets Kommo's
// bracketed filters. Values that do not parse are dropped from the URL state rather than sent.

import {
  dayRange,
  day,
  defaultLimit,
  ids,
  nonNegativeInt,
  pageLimit,
  parseSort,
  positiveInt,
  range,
  sortText,
  type Sort,
  type SortDirection,
} from './listQuery';
import { appendTagFilter } from './tags';

// Shared with the other record lists (./listQuery.ts); re-exported for the leads pages.
export { dayEnd, dayStart, defaultLimit, nextSort, pageSizes } from './listQuery';

export interface StageKey {
  pipelineId: number;
  statusId: number;
}

export type SortField = 'id' | 'created_at' | 'updated_at';
export type { SortDirection };
export type LeadsSort = Sort<SortField>;

export interface LeadsFilter {
  pipelineId: number | null;
  stages: StageKey[];
  responsible: number[];
  createdFrom: string; // YYYY-MM-DD, local day; '' for none
  createdTo: string;
  updatedFrom: string;
  updatedTo: string;
  priceFrom: number | null;
  priceTo: number | null;
  query: string;
  tags: number[]; // tag ids: leads with any of them; empty: any
}

export interface LeadsView {
  filter: LeadsFilter;
  sort: LeadsSort | null; // null: the API's own order (id ascending)
  page: number;
  limit: number;
}

export const emptyFilter: LeadsFilter = {
  pipelineId: null,
  stages: [],
  responsible: [],
  createdFrom: '',
  createdTo: '',
  updatedFrom: '',
  updatedTo: '',
  priceFrom: null,
  priceTo: null,
  query: '',
  tags: [],
};

const sortFields: readonly SortField[] = ['id', 'created_at', 'updated_at'];


export function parseLeadsView(search: URLSearchParams): LeadsView {
  const stages: StageKey[] = [];
  for (const value of search.getAll('stage')) {
    const match = /^(\d+)\.(\d+)$/.exec(value);
    if (!match) continue;
    const key = { pipelineId: Number(match[1]), statusId: Number(match[2]) };
    if (!stages.some((s) => s.pipelineId === key.pipelineId && s.statusId === key.statusId)) {
      stages.push(key);
    }
  }
  return {
    filter: {
      pipelineId: positiveInt(search.get('pipeline')),
      stages,
      responsible: ids(search, 'responsible'),
      createdFrom: day(search, 'created_from'),
      createdTo: day(search, 'created_to'),
      updatedFrom: day(search, 'updated_from'),
      updatedTo: day(search, 'updated_to'),
      priceFrom: nonNegativeInt(search.get('price_from')),
      priceTo: nonNegativeInt(search.get('price_to')),
      query: (search.get('q') ?? '').trim(),
      tags: ids(search, 'tag'),
    },
    sort: parseSort(search.get('sort'), sortFields),
    page: positiveInt(search.get('page')) ?? 1,
    limit: pageLimit(search.get('limit')),
  };
}

// The console URL's query for a view: only what differs from the defaults, in a stable order.
export function leadsViewSearch(view: LeadsView): URLSearchParams {
  const out = new URLSearchParams();
  const f = view.filter;
  if (f.query) out.set('q', f.query);
  if (f.pipelineId !== null) out.set('pipeline', String(f.pipelineId));
  for (const s of f.stages) out.append('stage', `${s.pipelineId}.${s.statusId}`);
  for (const id of f.responsible) out.append('responsible', String(id));
  if (f.createdFrom) out.set('created_from', f.createdFrom);
  if (f.createdTo) out.set('created_to', f.createdTo);
  if (f.updatedFrom) out.set('updated_from', f.updatedFrom);
  if (f.updatedTo) out.set('updated_to', f.updatedTo);
  if (f.priceFrom !== null) out.set('price_from', String(f.priceFrom));
  if (f.priceTo !== null) out.set('price_to', String(f.priceTo));
  for (const id of f.tags) out.append('tag', String(id));
  if (view.sort) out.set('sort', sortText(view.sort));
  if (view.page > 1) out.set('page', String(view.page));
  if (view.limit !== defaultLimit) out.set('limit', String(view.limit));
  return out;
}


// Kommo's query for the filters and the order (shared by the list and the export).
export function leadsFilterQuery(view: Pick<LeadsView, 'filter' | 'sort'>): URLSearchParams {
  const out = new URLSearchParams();
  const f = view.filter;
  if (f.query) out.set('query', f.query);
  if (f.pipelineId !== null) out.set('filter[pipeline_id]', String(f.pipelineId));
  f.stages.forEach((s, i) => {
    out.set(`filter[statuses][${i}][pipeline_id]`, String(s.pipelineId));
    out.set(`filter[statuses][${i}][status_id]`, String(s.statusId));
  });
  if (f.responsible.length > 0) out.set('filter[responsible_user_id]', f.responsible.join(','));
  dayRange(out, 'created_at', f.createdFrom, f.createdTo);
  dayRange(out, 'updated_at', f.updatedFrom, f.updatedTo);
  range(out, 'price', f.priceFrom, f.priceTo);
  appendTagFilter(out, f.tags);
  if (view.sort) out.set(`order[${view.sort.field}]`, view.sort.direction);
  return out;
}

// GET /api/v4/leads: the filters plus Kommo paging.
export function leadsListQuery(view: LeadsView): string {
  const out = leadsFilterQuery(view);
  out.set('page', String(view.page));
  out.set('limit', String(view.limit));
  return out.toString();
}

// GET /api/v4/leads/export: the same filters, no paging (the export refuses page and limit).
export function leadsExportQuery(view: LeadsView): string {
  return leadsFilterQuery(view).toString();
}

export function hasFilters(filter: LeadsFilter): boolean {
  return leadsViewSearch({ filter, sort: null, page: 1, limit: defaultLimit }).toString() !== '';
}

// Filters that contradict themselves are caught here, in words, before the API refuses them.
export function filterProblems(filter: LeadsFilter): Partial<Record<keyof LeadsFilter, string>> {
  const out: Partial<Record<keyof LeadsFilter, string>> = {};
  if (filter.createdFrom && filter.createdTo && filter.createdFrom > filter.createdTo) {
    out.createdTo = 'Must not be before the start date';
  }
  if (filter.updatedFrom && filter.updatedTo && filter.updatedFrom > filter.updatedTo) {
    out.updatedTo = 'Must not be before the start date';
  }
  if (filter.priceFrom !== null && filter.priceTo !== null && filter.priceFrom > filter.priceTo) {
    out.priceTo = 'Must not be below the minimum';
  }
  return out;
}

