// "View as" for administrators (UI.md): pick a user, then every workspace page goes through the
// API with X-Context-User-ID and shows what that user would see and be offered. A banner says so
// while it lasts, with "Stop viewing as"; settings and the profile stay the administrator's own.
import { Alert, Button, Group, Menu, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useSyncExternalStore } from 'react';
import { useLocation } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { useSignedIn } from '../../api/session';
import { isViewedPath } from '../../lib/viewAs';
import { stopViewAs, useViewAs } from '../../lib/viewAsStore';

// Loaded when first opened: the sign-in page and non-administrators never need it.
const ViewAsDialog = lazy(() => import('./ViewAsDialog'));

// Whether the "View as" dialog is open: the Account menu opens it, but the menu's dropdown
// unmounts when it closes, so the dialog lives in the Shell (ViewAsDialogHost).
let dialogOpen = false;
const dialogListeners = new Set<() => void>();
function setDialogOpen(open: boolean): void {
  dialogOpen = open;
  for (const listener of dialogListeners) listener();
}
function subscribeDialog(listener: () => void): () => void {
  dialogListeners.add(listener);
  return () => dialogListeners.delete(listener);
}

// The Account menu's entry: "View as…" (administrators), or "Stop viewing as" while viewing.
export function ViewAsMenuItem() {
  const { isAdmin } = useSignedIn();
  const viewAs = useViewAs();
  if (!isAdmin) return null;
  if (viewAs !== null) return <Menu.Item onClick={stopViewAs}>Stop viewing as</Menu.Item>;
  return <Menu.Item onClick={() => setDialogOpen(true)}>View as…</Menu.Item>;
}

export function ViewAsDialogHost() {
  const opened = useSyncExternalStore(subscribeDialog, () => dialogOpen);
  const { isAdmin } = useSignedIn();
  if (!isAdmin || !opened) return null;
  return (
    <Suspense fallback={null}>
      <ViewAsDialog opened={opened} onClose={() => setDialogOpen(false)} />
    </Suspense>
  );
}

// The banner shown on every page while viewing as someone.
export function ViewAsBanner() {
  const viewAs = useViewAs();
  const { pathname } = useLocation();
  // Under View as the API answers this to the viewed user themself; on the administrator's own
  // pages the administrator asks.
  const user = useQuery({
    queryKey: ['users', viewAs],
    enabled: viewAs !== null,
    queryFn: () => unwrap(api.GET('/api/v4/users/{id}', { params: { path: { id: viewAs ?? 0 } } })),
  });
  if (viewAs === null) return null;
  const name = user.data?.name ?? `user ${viewAs}`;
  const own = !isViewedPath(pathname);
  return (
    <Alert
      color="orange"
      variant="filled"
      mb="md"
      role="status"
      aria-label="View as"
      styles={{ message: { color: 'var(--mantine-color-black)' }, root: { background: 'var(--mantine-color-orange-3)' } }}
    >
      <Group justify="space-between" gap="sm">
        <Text size="sm" fw={700} c="black">
          Viewing as {name}
          {own ? ' — this page is your own (settings and profile are never viewed as another user)' : ''}
          {user.isError ? ` — the API refuses: ${user.error.message}` : ''}
        </Text>
        <Button size="xs" color="dark" onClick={stopViewAs}>
          Stop viewing as
        </Button>
      </Group>
    </Alert>
  );
}
