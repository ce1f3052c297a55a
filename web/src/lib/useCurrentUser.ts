// The signed-in user's own record (name, email, rights) from GET /api/v4/users/{id}.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useSignedIn } from '../api/session';

export function useCurrentUser() {
  const { userId } = useSignedIn();
  return useQuery({
    queryKey: ['users', userId],
    queryFn: () => unwrap(api.GET('/api/v4/users/{id}', { params: { path: { id: userId } } })),
  });
}
