// Who is signed in, for the whole console. The session lives in an HttpOnly cookie; on load the
// console asks GET /auth/session for the user and the CSRF token (never kept in storage).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, setUnauthenticatedHandler, unwrap } from './client';
import type { components } from './schema';
import { ApiError } from './problem';
import { setViewAsAllowed, stopViewAs } from '../lib/viewAsStore';

export interface SignedIn {
  userId: number;
  accountId: number;
  isAdmin: boolean;
  mustEnrollTwoFactor: boolean;
}

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; reason: 'none' | 'expired' | 'signed-out' }
  | ({ status: 'signed-in' } & SignedIn);

interface SessionApi {
  state: SessionState;
  // Re-reads the session (after login, 2FA enrolment, a rights change of one's own).
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

type SessionBody = components['schemas']['CurrentSession'];

async function readSession(): Promise<SessionBody> {
  try {
    return await unwrap(api.GET('/auth/session'));
  } catch (error) {
    // 403: refused by the IP whitelist; the login page says why when the user tries.
    if (error instanceof ApiError && error.status === 403) return { authenticated: false };
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const queries = useQueryClient();

  const refresh = useCallback(async () => {
    const body = await readSession();
    if (!body.authenticated) {
      setCsrfToken('');
      setViewAsAllowed(false);
      const ended = body.session_ended === true;
      setState((previous) =>
        previous.status === 'signed-in' || ended
          ? { status: 'anonymous', reason: 'expired' }
          : { status: 'anonymous', reason: 'none' },
      );
      return;
    }
    setCsrfToken(body.csrf_token ?? '');
    // Before the pages render: only an administrator's session views the workspace as another.
    setViewAsAllowed(body.is_admin ?? false);
    setState({
      status: 'signed-in',
      userId: body.user_id ?? 0,
      accountId: body.account_id ?? 0,
      isAdmin: body.is_admin ?? false,
      mustEnrollTwoFactor: body.must_enroll_two_factor ?? false,
    });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await unwrap(api.POST('/auth/logout'));
    } finally {
      setCsrfToken('');
      stopViewAs();
      queries.clear();
      setState({ status: 'anonymous', reason: 'signed-out' });
    }
  }, [queries]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken('');
      stopViewAs();
      queries.clear();
      setState((previous) => (previous.status === 'signed-in' ? { status: 'anonymous', reason: 'expired' } : previous));
    });
    void refresh().catch(() => setState({ status: 'anonymous', reason: 'none' }));
    return () => setUnauthenticatedHandler(null);
  }, [refresh, queries]);

  const value = useMemo(() => ({ state, refresh, signOut }), [state, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

// The signed-in user; only for pages rendered behind RequireSession.
export function useSignedIn(): SignedIn {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn on a page without a session');
  return state;
}
