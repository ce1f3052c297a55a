// The frame of every signed-in page: header with the account menu, navigation by role.
import { AppShell, Burger, Group, Menu, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession, useSignedIn } from '../api/session';
import { useCurrentUser } from '../lib/useCurrentUser';
import { PageLoader } from './PageLoader';

interface NavItem {
  to: string;
  label: string;
}

const workspaceItems: NavItem[] = [
  { to: '/leads', label: 'Leads' },
  { to: '/profile', label: 'Profile' },
];

const settingsItems: NavItem[] = [
  { to: '/settings/users', label: 'Users' },
  { to: '/settings/roles', label: 'Roles' },
  { to: '/settings/groups', label: 'Groups' },
  { to: '/settings/pipelines', label: 'Pipelines' },
  { to: '/settings/security', label: 'Security' },
  { to: '/settings/sessions', label: 'Sessions' },
  { to: '/settings/activity', label: 'Activity log' },
  { to: '/settings/report', label: 'Security report' },
];

function NavItems({ items, onNavigate }: { items: NavItem[]; onNavigate: () => void }) {
  const location = useLocation();
  return items.map((item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={item.label}
      onClick={onNavigate}
      active={location.pathname === item.to || location.pathname.startsWith(item.to + '/')}
    />
  ));
}

function AccountMenu() {
  const { signOut } = useSession();
  const navigate = useNavigate();
  const user = useCurrentUser();
  // TODO(openapi): generated type
  const name = (user.data as { name?: string } | undefined)?.name ?? 'Account';
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        {/* The name holds the visible text too (axe label-content-name-mismatch). */}
        <UnstyledButton aria-label={`Account menu: ${name}`}>
          <Text size="sm" fw={500}>
            {name}
          </Text>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component={Link} to="/profile">
          Profile
        </Menu.Item>
        <Menu.Item
          onClick={() => {
            void signOut().then(() => navigate('/login'));
          }}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export function Shell() {
  const { isAdmin } = useSignedIn();
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
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
