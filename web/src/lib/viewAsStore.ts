// The tab's "View as" state: which user an administrator is viewing the workspace as. Only the
// user's id is kept (sessionStorage: it survives a reload, not a new tab), and it takes effect
// only while the signed-in session is an administrator's (the session tells this module). The
// API client sends X-Context-User-ID while it is in effect, on pages that are viewed as the user.
import { useSyncExternalStore } from 'react';
import { setContextUser } from '../api/client';
import { isViewedPath, parseViewAsId } from './viewAs';

const storageKey = 'gatehouse.viewAs';

function readStored(): number | null {
  try {
    return parseViewAsId(window.sessionStorage.getItem(storageKey));
  } catch {
    return null; // storage disabled: view-as lasts until the reload
  }
}

let chosen: number | null = readStored();
let allowed = false;
let snapshot: number | null = null;
const listeners = new Set<() => void>();

function apply(): void {
  snapshot = allowed ? chosen : null;
  setContextUser(snapshot, () => isViewedPath(window.location.pathname));
  for (const listener of listeners) listener();
}

function store(id: number | null): void {
  try {
    if (id === null) window.sessionStorage.removeItem(storageKey);
    else window.sessionStorage.setItem(storageKey, String(id));
  } catch {
    // storage disabled: keep the state in memory only
  }
}

// Called by the session: true while an administrator is signed in. A non-administrator's session
// never sends the header, whatever the tab remembers.
export function setViewAsAllowed(isAdmin: boolean): void {
  if (allowed === isAdmin) return;
  allowed = isAdmin;
  apply();
}

export function startViewAs(userId: number): void {
  chosen = userId;
  store(userId);
  apply();
}

export function stopViewAs(): void {
  chosen = null;
  store(null);
  apply();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// The user being viewed as, or null.
export function useViewAs(): number | null {
  return useSyncExternalStore(subscribe, () => snapshot);
}
