// The user whose eyes the record pages look through, with their rights: the one place the
// contacts, companies, tasks, incoming, Lists and inbox pages take it from.
import { useSignedIn } from '../api/session';
import type { Viewer } from './recordRights';
import { useCurrentUser } from './useCurrentUser';

export function useViewer(): Viewer & { ready: boolean } {
  const { userId, isAdmin } = useSignedIn();
  const me = useCurrentUser();
  return { userId, isAdmin, rights: me.data?.rights, ready: isAdmin || me.data?.rights !== undefined };
}
