// Route guards: no session -> /login (remembering where the user was going), a session that must
// first enrol in 2FA -> /enroll-2fa, settings -> administrators only.
import { Center, Loader } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useSession } from '../api/session';
import { NotFoundPage } from '../pages/NotFoundPage';

export function RequireSession() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (state.status === 'anonymous') {
    const next = location.pathname + location.search;
    const params = new URLSearchParams();
    if (next !== '/') params.set('next', next);
    if (state.reason === 'expired') params.set('reason', 'expired');
    const query = params.toString();
    return <Navigate to={`/login${query ? `?${query}` : ''}`} replace />;
  }
  if (state.mustEnrollTwoFactor && location.pathname !== '/enroll-2fa') {
    return <Navigate to="/enroll-2fa" replace />;
  }
  return <Outlet />;
}

export function RequireAdmin() {
  const { state } = useSession();
  if (state.status !== 'signed-in' || !state.isAdmin) return <NotFoundPage />;
  return <Outlet />;
}
