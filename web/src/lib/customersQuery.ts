// The customers list's state as it lives in the console's URL: the contacts' and companies'
// filters (search, responsible users, created and updated ranges, tags, sort, page) plus customer
// statuses, and the Kommo query it becomes for GET /api/v4/customers.
import { ids } from './listQuery';
import { parseRecordsView, recordsListQuery, recordsViewSearch, type RecordsView } from './recordsQuery';

export interface CustomersView extends RecordsView {
  statuses: number[]; // customer status ids; empty: any
}

export function parseCustomersView(search: URLSearchParams): CustomersView {
  return { ...parseRecordsView(search), statuses: ids(search, 'status') };
}

export function customersViewSearch(view: CustomersView): URLSearchParams {
  const out = recordsViewSearch(view);
  for (const id of view.statuses) out.append('status', String(id));
  return out;
}

// GET /api/v4/customers: the records' query (filter[tags] included) and filter[status] (Kommo's customer statuses).
export function customersListQuery(view: CustomersView): string {
  const out = new URLSearchParams(recordsListQuery(view));
  if (view.statuses.length > 0) out.set('filter[status]', view.statuses.join(','));
  return out.toString();
}

export interface StatusLike {
  id: number;
  name: string;
  color: string;
}

// The status a customer is in, by id: its name and colour, or a plain "#id" when unknown (a
// status deleted since the page was loaded).
export function customerStatusOf(statuses: readonly StatusLike[] | undefined, id: number): StatusLike {
  return statuses?.find((s) => s.id === id) ?? { id, name: `Status #${id}`, color: '#e6e8ea' };
}
