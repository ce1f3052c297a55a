// The leads list's state (filters, sort, page) as it lives in the console's URL, and the Kommo
// query string it becomes for GET /api/v4/leads and /api/v4/leads/export. The URL keeps short
// readable keys (a reload or a shared link restores the same list); the API gets Kommo's
// bracketed filters. Values that do not parse are dropped from the URL state rather than sent.

export interface StageKey {
  pipelineId: number;
  statusId: number;
}

export type SortField = 'id' | 'created_at' | 'updated_at';
export type SortDirection = 'asc' | 'desc';

export interface LeadsSort {
  field: SortField;
  direction: SortDirection;
}

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
}

export interface LeadsView {
  filter: LeadsFilter;
  sort: LeadsSort | null; // null: the API's own order (id ascending)
  page: number;
  limit: number;
}

export const pageSizes = [25, 50, 100, 250] as const;
export const defaultLimit = 50;

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
};

const sortFields: readonly SortField[] = ['id', 'created_at', 'updated_at'];

function positiveInt(text: string | null): number | null {
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  const value = Number(text);
  return value > 0 ? value : null;
}

function nonNegativeInt(text: string | null): number | null {
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

function isDay(text: string | null): text is string {
  if (text === null || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d;
}

function day(search: URLSearchParams, key: string): string {
  const value = search.get(key);
  return isDay(value) ? value : '';
}

function ids(search: URLSearchParams, key: string): number[] {
  const out: number[] = [];
  for (const value of search.getAll(key).flatMap((v) => v.split(','))) {
    const id = positiveInt(value);
    if (id !== null && !out.includes(id)) out.push(id);
  }
  return out;
}

// "sort=created_at" ascending, "sort=-created_at" descending.
function parseSort(text: string | null): LeadsSort | null {
  if (!text) return null;
  const direction: SortDirection = text.startsWith('-') ? 'desc' : 'asc';
  const field = text.replace(/^-/, '') as SortField;
  return sortFields.includes(field) ? { field, direction } : null;
}

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
  const limit = positiveInt(search.get('limit'));
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
    },
    sort: parseSort(search.get('sort')),
    page: positiveInt(search.get('page')) ?? 1,
    limit: limit !== null && (pageSizes as readonly number[]).includes(limit) ? limit : defaultLimit,
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
  if (view.sort) out.set('sort', `${view.sort.direction === 'desc' ? '-' : ''}${view.sort.field}`);
  if (view.page > 1) out.set('page', String(view.page));
  if (view.limit !== defaultLimit) out.set('limit', String(view.limit));
  return out;
}

// Unix seconds of the first and the last second of a local calendar day.
export function dayStart(text: string): number {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  return Math.floor(new Date(y, m - 1, d).getTime() / 1000);
}

export function dayEnd(text: string): number {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  return Math.floor(new Date(y, m - 1, d + 1).getTime() / 1000) - 1;
}

function range(out: URLSearchParams, key: string, from: number | null, to: number | null): void {
  if (from !== null) out.set(`filter[${key}][from]`, String(from));
  if (to !== null) out.set(`filter[${key}][to]`, String(to));
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
  range(out, 'created_at', f.createdFrom ? dayStart(f.createdFrom) : null, f.createdTo ? dayEnd(f.createdTo) : null);
  range(out, 'updated_at', f.updatedFrom ? dayStart(f.updatedFrom) : null, f.updatedTo ? dayEnd(f.updatedTo) : null);
  range(out, 'price', f.priceFrom, f.priceTo);
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
  return JSON.stringify(filter) !== JSON.stringify(emptyFilter);
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

// The next sort when a column header is clicked: ascending, then descending, then the default.
export function nextSort(current: LeadsSort | null, field: SortField): LeadsSort | null {
  if (!current || current.field !== field) return { field, direction: 'asc' };
  if (current.direction === 'asc') return { field, direction: 'desc' };
  return null;
}
