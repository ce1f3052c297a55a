// The API calls behind the contact, company and task pages: a page of records (Kommo paging:
// `_links.next` says whether there is another; 204 is an empty list), one record with its
// linked records, the names of linked records, a record's tasks and recent activity, and the
// users with their groups (names, the responsible filter, and deciding team-wide rights).
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { useUsers } from './leadsApi';
import type { RecordKind } from './recordRights';
import { recordsListQuery, type RecordsView } from './recordsQuery';
import { recordTasksQuery, type TaskEntityType } from './tasks';

type Schemas = components['schemas'];
export type Contact = Schemas['Contact'];
export type Company = Schemas['Company'];
export type Task = Schemas['Task'];
export type RecordEvent = Schemas['Event'];
export type AnyRecord = Contact | Company;

export interface Page<T> {
  items: T[];
  hasNext: boolean;
}

// A Kommo list body (or none, for 204) as items and whether a next page exists.
export function pageOf<T>(body: { _links: { next?: unknown } } | undefined, items: T[] | undefined): Page<T> {
  if (!body) return { items: [], hasNext: false };
  return { items: items ?? [], hasNext: body._links.next !== undefined };
}

export async function fetchRecordsPage(kind: RecordKind, view: RecordsView, signal?: AbortSignal): Promise<Page<AnyRecord>> {
  const querySerializer = () => recordsListQuery(view);
  if (kind === 'contacts') {
    const body = await unwrap(api.GET('/api/v4/contacts', { querySerializer, signal }));
    return pageOf<AnyRecord>(body, body?._embedded.contacts);
  }
  const body = await unwrap(api.GET('/api/v4/companies', { querySerializer, signal }));
  return pageOf<AnyRecord>(body, body?._embedded.companies);
}

export function useRecordsPage(kind: RecordKind, view: RecordsView, enabled = true) {
  return useQuery({
    queryKey: [kind, 'list', view],
    queryFn: ({ signal }) => fetchRecordsPage(kind, view, signal),
    enabled,
    placeholderData: (previous) => previous,
  });
}

// One contact (with its leads) or company (with its leads and contacts): only linked records
// the user may view are embedded.
export function useRecord(kind: RecordKind, id: number | null) {
  return useQuery({
    queryKey: [kind, 'one', id],
    enabled: id !== null,
    queryFn: async (): Promise<AnyRecord> => {
      const path = { id: id ?? 0 };
      if (kind === 'contacts') {
        return unwrap(api.GET('/api/v4/contacts/{id}', { params: { path }, querySerializer: () => 'with=leads' }));
      }
      return unwrap(
        api.GET('/api/v4/companies/{id}', { params: { path }, querySerializer: () => 'with=leads,contacts' }),
      );
    },
  });
}

export interface Named {
  id: number;
  name: string;
}

// Names of linked records by id, one request per kind (the API filters by id lists; 204 when
// none of them may be viewed).
export function useRecordNames(kind: TaskEntityType, ids: number[]) {
  return useQuery({
    queryKey: [kind, 'names', ids],
    enabled: ids.length > 0,
    queryFn: async (): Promise<Named[]> => {
      const querySerializer = () => `filter[id]=${ids.join(',')}&limit=250`;
      if (kind === 'leads') {
        const body = await unwrap(api.GET('/api/v4/leads', { querySerializer }));
        return body?._embedded.leads ?? [];
      }
      if (kind === 'contacts') {
        const body = await unwrap(api.GET('/api/v4/contacts', { querySerializer }));
        return body?._embedded.contacts ?? [];
      }
      if (kind === 'customers') {
        const body = await unwrap(api.GET('/api/v4/customers', { querySerializer }));
        return body?._embedded.customers ?? [];
      }
      const body = await unwrap(api.GET('/api/v4/companies', { querySerializer }));
      return body?._embedded.companies ?? [];
    },
  });
}

export function useRecordTasks(kind: TaskEntityType, id: number, enabled = true) {
  return useQuery({
    queryKey: ['tasks', 'of', kind, id],
    enabled,
    queryFn: async () => {
      const body = await unwrap(api.GET('/api/v4/tasks', { querySerializer: () => recordTasksQuery(kind, id) }));
      return body?._embedded.tasks ?? [];
    },
  });
}

const eventEntity = { leads: 'lead', contacts: 'contact', companies: 'company', customers: 'customer' } as const;

// The record's most recent events, newest first. The API shows everyone the events of records
// they may view now (values naming records they may not view are left out).
export function useRecordEvents(kind: TaskEntityType, id: number) {
  return useQuery({
    queryKey: ['events', kind, id],
    queryFn: async () => {
      const query = `filter[entity]=${eventEntity[kind]}&filter[entity_id]=${id}&limit=20`;
      const body = await unwrap(api.GET('/api/v4/events', { querySerializer: () => query }));
      return body?._embedded.events ?? [];
    },
  });
}

export interface Person {
  id: number;
  name: string;
  groupId: number | undefined;
}

// Every user of the account with their group (the leads pages' user list, which embeds groups):
// names, the responsible filter, and deciding team-wide (G) rights.
export function usePeople(): { data: Person[] | undefined } {
  const users = useUsers();
  const data = useMemo(
    () => users.data?.map((u) => ({ id: u.id, name: u.name, groupId: u._embedded?.groups?.[0]?.id })),
    [users.data],
  );
  return { data };
}

export function personName(people: Person[] | undefined, id: number): string {
  if (id === 0) return 'Nobody';
  return people?.find((p) => p.id === id)?.name ?? `User ${id}`;
}
