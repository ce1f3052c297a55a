// What every paged record list of the console shares: URL values that parse or are dropped,
// sorting by a column (ascending, descending, then the API's own order), local calendar days as
// Kommo's unix-second ranges, and the page sizes the API allows (at most 250).

export type SortDirection = 'asc' | 'desc';

export interface Sort<F extends string> {
  field: F;
  direction: SortDirection;
}

export const pageSizes = [25, 50, 100, 250] as const;
export const defaultLimit = 50;

export function positiveInt(text: string | null): number | null {
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  const value = Number(text);
  return value > 0 ? value : null;
}

export function nonNegativeInt(text: string | null): number | null {
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

// A page size from the URL: one the console offers, else the default.
export function pageLimit(text: string | null): number {
  const limit = positiveInt(text);
  return limit !== null && (pageSizes as readonly number[]).includes(limit) ? limit : defaultLimit;
}

export function isDay(text: string | null): text is string {
  if (text === null || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d;
}

// A YYYY-MM-DD value of the URL, or '' when absent or not a real day.
export function day(search: URLSearchParams, key: string): string {
  const value = search.get(key);
  return isDay(value) ? value : '';
}

// Positive ids given as repeated keys or comma lists, each once.
export function ids(search: URLSearchParams, key: string): number[] {
  const out: number[] = [];
  for (const value of search.getAll(key).flatMap((v) => v.split(','))) {
    const id = positiveInt(value);
    if (id !== null && !out.includes(id)) out.push(id);
  }
  return out;
}

// "sort=created_at" ascending, "sort=-created_at" descending; a field not in `fields` is none.
export function parseSort<F extends string>(text: string | null, fields: readonly F[]): Sort<F> | null {
  if (!text) return null;
  const direction: SortDirection = text.startsWith('-') ? 'desc' : 'asc';
  const field = text.replace(/^-/, '') as F;
  return fields.includes(field) ? { field, direction } : null;
}

export function sortText<F extends string>(sort: Sort<F>): string {
  return `${sort.direction === 'desc' ? '-' : ''}${sort.field}`;
}

// The next sort when a column header is clicked: ascending, then descending, then the default.
export function nextSort<F extends string>(current: Sort<F> | null, field: F): Sort<F> | null {
  if (!current || current.field !== field) return { field, direction: 'asc' };
  if (current.direction === 'asc') return { field, direction: 'desc' };
  return null;
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

// Kommo's range filter: filter[key][from] / filter[key][to], either may be left out.
export function range(out: URLSearchParams, key: string, from: number | null, to: number | null): void {
  if (from !== null) out.set(`filter[${key}][from]`, String(from));
  if (to !== null) out.set(`filter[${key}][to]`, String(to));
}

// A range of local days ('' for open ends) as a Kommo range in unix seconds.
export function dayRange(out: URLSearchParams, key: string, from: string, to: string): void {
  range(out, key, from ? dayStart(from) : null, to ? dayEnd(to) : null);
}
