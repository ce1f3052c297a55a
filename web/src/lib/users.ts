// The account's users as every page names them: each with their group (`_embedded.groups`, for
// "Why can I see this?"), by name. One query under one cache key, whichever page asks first —
// pages that stored other shapes under the same key read each other's data.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { allPages, pageLimit } from './pages';

export type User = components['schemas']['User'];

export async function listUsers(): Promise<User[]> {
  const users = await allPages(async (page) => {
    const body = await unwrap(api.GET('/api/v4/users', { params: { query: { page, limit: pageLimit, with: 'group' } } }));
    return body && { items: body._embedded.users, hasNext: Boolean(body._links.next) };
  });
  return users.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

export function useUsers() {
  return useQuery({ queryKey: ['users', 'all'], queryFn: listUsers, staleTime: 60_000 });
}
