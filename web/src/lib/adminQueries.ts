// Server state of the users and roles pages (TanStack Query): every page of the admin lists,
// fetched 250 at a time (the API's largest page). An empty list is a 204 with no body.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { allPages, pageLimit } from './pages';
import type { GroupItem, PipelineItem, PolicyView, RoleItem, RolesPage, UserItem, UsersPage } from './adminTypes';

const query = (q: Record<string, string | number>) => q as never;

function allUsers(): Promise<UserItem[]> {
  return allPages(async (page) => {
    const data = (await unwrap(
      api.GET('/api/v4/users', { params: { query: query({ with: 'role,group,security', limit: pageLimit, page }) } }),
    )) as UsersPage | undefined;
    return data && { items: data._embedded?.users ?? [], hasNext: (data._page_count ?? 1) > page };
  });
}

function allRoles(): Promise<RoleItem[]> {
  return allPages(async (page) => {
    const data = (await unwrap(
      api.GET('/api/v4/roles', { params: { query: query({ with: 'users', limit: pageLimit, page }) } }),
    )) as RolesPage | undefined;
    return data && { items: data._embedded?.roles ?? [], hasNext: (data._page_count ?? 1) > page };
  });
}

export function useUsers() {
  return useQuery({ queryKey: ['admin', 'users'], queryFn: allUsers });
}

export function useUser(id: number) {
  return useQuery({
    queryKey: ['admin', 'user', id],
    queryFn: async () =>
      (await unwrap(
        api.GET('/api/v4/users/{id}', { params: { path: { id }, query: query({ with: 'role,group,security' }) } }),
      )) as UserItem,
  });
}

export function useRoles() {
  return useQuery({ queryKey: ['admin', 'roles'], queryFn: allRoles });
}

export function useRole(id: number) {
  return useQuery({
    queryKey: ['admin', 'role', id],
    queryFn: async () =>
      (await unwrap(
        api.GET('/api/v4/roles/{id}', { params: { path: { id }, query: query({ with: 'users' }) } }),
      )) as RoleItem,
  });
}

export function useGroups() {
  return useQuery({
    queryKey: ['admin', 'groups'],
    queryFn: async () => {
      const data = (await unwrap(api.GET('/api/v4/users_groups', {}))) as
        | { _embedded?: { users_groups?: GroupItem[]; groups?: GroupItem[] } }
        | undefined;
      return data?._embedded?.users_groups ?? data?._embedded?.groups ?? [];
    },
  });
}

export function usePipelines() {
  return useQuery({
    queryKey: ['admin', 'pipelines'],
    queryFn: async () => {
      const data = (await unwrap(api.GET('/api/v4/leads/pipelines', {}))) as
        | { _embedded?: { pipelines?: PipelineItem[] } }
        | undefined;
      return data?._embedded?.pipelines ?? [];
    },
  });
}

export function usePolicy() {
  return useQuery({
    queryKey: ['admin', 'policy'],
    queryFn: async () => (await unwrap(api.GET('/api/v4/security/policy', {}))) as PolicyView,
  });
}

// After any user or role write: users, roles and seats may all have changed.
export function useInvalidateAdmin() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['admin'] });
}
