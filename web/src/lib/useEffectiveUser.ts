// Whose rights a workspace page works with: the signed-in user, or — while an administrator views
// the workspace as someone else — that user. Every workspace page asks this hook (never the
// session) what to offer, so "View as" shows exactly what the viewed user would be offered.
//
// The record comes from GET /api/v4/users/{id}; under View as the request carries
// X-Context-User-ID, so the API answers it to the viewed user themself (rights included).
import { useQuery } from '@tanstack/react-query';
import { useLocation } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { useSignedIn } from '../api/session';
import { isViewedPath } from './viewAs';
import { useViewAs } from './viewAsStore';

export type UserRights = components['schemas']['UserRights'];

export interface EffectiveUser {
  userId: number; // whose rights apply to the page's requests
  signedInUserId: number; // who is signed in (the administrator while viewing as)
  viewingAs: boolean; // an administrator is viewing the workspace as `userId`
  isAdmin: boolean; // `userId` is an administrator (false until known while viewing as)
  rights: UserRights | undefined; // undefined while loading: offer nothing until then
  name: string | undefined;
  ready: boolean;
}

export function useEffectiveUser(): EffectiveUser {
  const signedIn = useSignedIn();
  const viewAs = useViewAs();
  const { pathname } = useLocation();
  const viewing = viewAs !== null && isViewedPath(pathname) ? viewAs : null;
  const userId = viewing ?? signedIn.userId;
  const user = useQuery({
    queryKey: ['users', userId],
    queryFn: () => unwrap(api.GET('/api/v4/users/{id}', { params: { path: { id: userId } } })),
  });
  const rights = user.data?.rights;
  return {
    userId,
    signedInUserId: signedIn.userId,
    viewingAs: viewing !== null,
    isAdmin: viewing === null ? signedIn.isAdmin : rights?.is_admin === true,
    rights,
    name: user.data?.name,
    ready: user.data !== undefined,
  };
}
