// The API calls behind the customers page: a page of customers (Kommo paging: `_links.next`
// says whether there is another; 204 is an empty list) and the account's customer statuses.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { customersListQuery, type CustomersView } from './customersQuery';
import { pageOf, type Page } from './recordsApi';

type Schemas = components['schemas'];
export type Customer = Schemas['Customer'];
export type CustomerStatus = Schemas['CustomerStatus'];

export async function fetchCustomersPage(view: CustomersView, signal?: AbortSignal): Promise<Page<Customer>> {
  const body = await unwrap(
    api.GET('/api/v4/customers', { querySerializer: () => customersListQuery(view), signal }),
  );
  return pageOf<Customer>(body, body?._embedded.customers);
}

export function useCustomersPage(view: CustomersView, enabled = true) {
  return useQuery({
    queryKey: ['customers', 'list', view],
    queryFn: ({ signal }) => fetchCustomersPage(view, signal),
    enabled,
    placeholderData: (previous) => previous,
  });
}

export function useCustomerStatuses() {
  return useQuery({
    queryKey: ['customers', 'statuses'],
    queryFn: async ({ signal }) => {
      const body = await unwrap(api.GET('/api/v4/customers/statuses', { signal }));
      return body?._embedded.statuses ?? [];
    },
    staleTime: 60_000,
  });
}
