// The activity log's filters as the API's query (GET /api/v4/events and its CSV export take the
// same filters), and what a report-only whitelist event says it would have refused.

export interface ActivityFilters {
  actor: string; // user id, "" for anyone
  type: string; // event type key, "" for any
  entity: string; // entity type ("lead", "user", ...), "" for any
  entityId: string; // with an entity only
  from: string; // "YYYY-MM-DD" (local day), "" for no bound
  to: string;
}

export const noFilters: ActivityFilters = { actor: '', type: '', entity: '', entityId: '', from: '', to: '' };

// Unix seconds of the start (or the last second) of a local calendar day "YYYY-MM-DD".
export function dayBound(day: string, end: boolean): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const start = new Date(year, month, date, 0, 0, 0, 0);
  if (start.getFullYear() !== year || start.getMonth() !== month || start.getDate() !== date) return null;
  const seconds = Math.floor(start.getTime() / 1000);
  return end ? Math.floor(new Date(year, month, date + 1).getTime() / 1000) - 1 : seconds;
}

// The API's filter object (GET /api/v4/events `filter`, deepObject): only what is set.
export interface EventsFilter {
  created_by?: string;
  type?: string;
  entity?: string;
  entity_id?: string;
  created_at?: { from?: number; to?: number };
}

export function eventsFilter(filters: ActivityFilters): EventsFilter {
  const filter: EventsFilter = {};
  if (filters.actor) filter.created_by = filters.actor;
  if (filters.type) filter.type = filters.type;
  if (filters.entity) {
    filter.entity = filters.entity;
    if (filters.entityId.trim()) filter.entity_id = filters.entityId.trim();
  }
  const from = dayBound(filters.from, false);
  const to = dayBound(filters.to, true);
  if (from !== null || to !== null) {
    filter.created_at = {};
    if (from !== null) filter.created_at.from = from;
    if (to !== null) filter.created_at.to = to;
  }
  return filter;
}

// A query object as the server reads it: nested objects in PHP brackets at any depth
// (filter[created_at][from]=1), arrays as key[]=; undefined members left out.
export function toSearch(query: object): string {
  const params = new URLSearchParams();
  const add = (key: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) add(`${key}[]`, item);
    } else if (typeof value === 'object') {
      for (const [name, inner] of Object.entries(value)) add(`${key}[${name}]`, inner);
    } else {
      params.append(key, String(value));
    }
  };
  for (const [key, value] of Object.entries(query)) add(key, value);
  return params.toString();
}

export interface WouldRefuse {
  address: string;
  what: string; // "sign-in as ada@…", "a request of a signed-in session", "an API token request"
}

// What an ip_whitelist_would_refuse (or _refused) event says: the server writes
// value_after = [{"login": {"email", "ip"}}] for a sign-in and [{"request": {"session_id"|
// "token_id", "ip"}}] for a request of a session or token.
export function describeRefusal(valueAfter: unknown): WouldRefuse | null {
  if (!Array.isArray(valueAfter) || valueAfter.length === 0) return null;
  const first = valueAfter[0] as Record<string, Record<string, unknown> | undefined>;
  const login = first.login;
  if (login && typeof login.ip === 'string') {
    const email = typeof login.email === 'string' && login.email ? login.email : 'an unknown email';
    return { address: login.ip, what: `sign-in as ${email}` };
  }
  const request = first.request;
  if (request && typeof request.ip === 'string') {
    const what = 'token_id' in request ? 'an API token request' : 'a request of a signed-in session';
    return { address: request.ip, what };
  }
  return null;
}
