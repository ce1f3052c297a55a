// The frame of every signed-in page: header with the account menu, navigation by role.
import { ActionIcon, AppShell, Burger, Group, Menu, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession, useSignedIn } from '../api/session';
import { useCurrentUser } from '../lib/useCurrentUser';
import { useViewAs } from '../lib/viewAsStore';
import { ViewAsBanner, ViewAsDialogHost, ViewAsMenuItem } from './access/ViewAs';
import { PageLoader } from './PageLoader';

interface NavItem {
  to: string;
  label: string;
}

const workspaceItems: NavItem[] = [
  { to: '/leads', label: 'Leads' },
  { to: '/leads/board', label: 'Board' },
  { to: '/contacts', label: 'Contacts' },
  { to: '/companies', label: 'Companies' },
  { to: '/customers', label: 'Customers' },
  { to: '/tasks', label: 'Tasks' },
  { to: '/incoming', label: 'Incoming leads' },
  { to: '/lists', label: 'Lists' },
  { to: '/inbox', label: 'Inbox' },
  { to: '/profile', label: 'Profile' },
];

const settingsItems: NavItem[] = [
  { to: '/settings/users', label: 'Users' },
  { to: '/settings/roles', label: 'Roles' },
  { to: '/settings/groups', label: 'Groups' },
  { to: '/settings/pipelines', label: 'Pipelines' },
  { to: '/settings/fields', label: 'Custom fields' },
  { to: '/settings/security', label: 'Security' },
  { to: '/settings/sessions', label: 'Sessions' },
  { to: '/settings/integrations', label: 'Integrations' },
  { to: '/settings/activity', label: 'Activity log' },
  { to: '/settings/report', label: 'Security report' },
];

function NavItems({ items, onNavigate }: { items: NavItem[]; onNavigate: () => void }) {
  const location = useLocation();
  const matches = (to: string) => location.pathname === to || location.pathname.startsWith(to + '/');
  // The longest matching item is the active one (/leads/board is Board, not Leads).
  const active = items.filter((item) => matches(item.to)).sort((a, b) => b.to.length - a.to.length)[0];
  return items.map((item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={item.label}
      onClick={onNavigate}
      active={item === active}
    />
  ));
}

function AccountMenu() {
  const { signOut } = useSession();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const name = user.data?.name ?? '';
  return (
    <Group gap="xs">
      {/* The name stays outside the button, whose accessible name is exactly "Account menu"
          (UI.md); the button holds only an icon, so label and visible text cannot disagree. */}
      <Text size="sm" fw={500} visibleFrom="xs">
        {name}
      </Text>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="default" size="lg" radius="xl" aria-label="Account menu">
            <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" strokeWidth="2" />
              <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" fill="none" stroke="currentColor" strokeWidth="2" />
            </svg>
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item component={Link} to="/profile">
            Profile
          </Menu.Item>
          <ViewAsMenuItem />
          <Menu.Item
            onClick={() => {
              void signOut().then(() => navigate('/login'));
            }}
          >
            Sign out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}

export function Shell() {
  const { isAdmin } = useSignedIn();
  const viewAs = useViewAs();
  const [opened, { toggle, close }] = useDisclosure();
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Navigation" />
            <Text component={Link} to="/" fw={700} size="lg" c="inherit" td="none">
              Gatehouse
            </Text>
          </Group>
          <AccountMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <ScrollArea>
          <NavItems items={workspaceItems} onNavigate={close} />
          {isAdmin && (
            <>
              <Text size="xs" c="gray.7" fw={700} tt="uppercase" mt="md" mb={4} px="sm">
                Settings
              </Text>
              <NavItems items={settingsItems} onNavigate={close} />
            </>
          )}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <ViewAsBanner />
        <ViewAsDialogHost />
        <Suspense fallback={<PageLoader />}>
          {/* A new page instance when View as starts or stops: no state of the other user stays. */}
          <Outlet key={viewAs ?? 'own'} />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
