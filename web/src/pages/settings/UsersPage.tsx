// /settings/users: every user with group, role, admin, 2FA, last login and state; seats used /
// paid; add, deactivate / reactivate, remove with reassignment (one step, as the API does),
// set a new password (a user who forgot theirs), reset 2FA, end sessions. Each action is confirmed
// in a dialog that shows the server's refusal.
import { Alert, Anchor, Button, Group, Loader, Menu, PasswordInput, Select, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { useSignedIn } from '../../api/session';
import { ConfirmDialog } from '../../components/rights/ConfirmDialog';
import { AddUserDialog } from '../../components/rights/AddUserDialog';
import { PasswordStrengthMeter } from '../../components/account/PasswordStrengthMeter';
import { minPasswordLength } from '../../lib/passwordStrength';
import type { UserItem } from '../../lib/adminTypes';
import { useInvalidateAdmin, usePolicy, useUsers } from '../../lib/adminQueries';
import { formatLastLogin } from '../../lib/lastLogin';

type Action = 'deactivate' | 'reactivate' | 'remove' | 'password' | 'reset2fa' | 'sessions';

function Seats() {
  const policy = usePolicy();
  if (!policy.data) return null;
  const { seats, seats_used: used } = policy.data;
  return (
    <Text aria-label="Seats" fw={500}>
      Seats: {used ?? '?'} used of {seats} paid
    </Text>
  );
}

function UserActions({ user, self, onPick }: { user: UserItem; self: boolean; onPick: (a: Action) => void }) {
  const active = user.rights?.is_active !== false;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="xs" variant="default" aria-label={`Actions for ${user.name}`}>
          Actions
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component={Link} to={`/settings/users/${user.id}`}>
          Edit rights
        </Menu.Item>
        {active ? (
          <Menu.Item onClick={() => onPick('deactivate')}>Deactivate</Menu.Item>
        ) : (
          <Menu.Item onClick={() => onPick('reactivate')}>Reactivate</Menu.Item>
        )}
        {/* One's own password is changed on the profile, with the current one. */}
        <Menu.Item onClick={() => onPick('password')} disabled={self}>
          Set a new password…
        </Menu.Item>
        <Menu.Item onClick={() => onPick('reset2fa')} disabled={!user.two_factor_enabled}>
          Reset 2FA
        </Menu.Item>
        <Menu.Item onClick={() => onPick('sessions')}>End sessions</Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red.9" onClick={() => onPick('remove')}>
          Remove…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export default function UsersPage() {
  const users = useUsers();
  const invalidate = useInvalidateAdmin();
  const { userId: me } = useSignedIn();
  const [adding, setAdding] = useState(false);
  const [pending, setPending] = useState<{ user: UserItem; action: Action } | null>(null);
  const [reassignTo, setReassignTo] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState('');

  const target = pending?.user;
  const close = () => {
    setPending(null);
    setReassignTo(null);
    setNewPassword('');
  };
  const patch = (id: number, body: object) => unwrap(api.PATCH('/api/v4/users/{id}', { params: { path: { id } }, body: body as never }));
  const done = async (message: string) => {
    notifications.show({ color: 'green', message });
    await invalidate();
  };
  const reassignable = (users.data ?? []).filter((u) => u.id !== target?.id && u.rights?.is_active !== false);

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1}>Users</Title>
        <Group>
          <Seats />
          <Button onClick={() => setAdding(true)}>Add user</Button>
        </Group>
      </Group>
      {users.isError && (
        <Alert color="red" role="alert" title="Cannot list users">
          {users.error.message}
        </Alert>
      )}
      {!users.data && !users.isError && <Loader aria-label="Loading users" />}
      {users.data && (
        <Table.ScrollContainer minWidth={1000}>
          <Table striped highlightOnHover withTableBorder aria-label="Users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Group</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Admin</Table.Th>
                <Table.Th>2FA</Table.Th>
                <Table.Th>Last login</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.map((user) => {
                const active = user.rights?.is_active !== false;
                return (
                  <Table.Tr key={user.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/settings/users/${user.id}`}>
                        {user.name}
                      </Anchor>
                      {user.id === me && (
                        <Text span size="xs" c="gray.7">
                          {' '}
                          (you)
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{user.email}</Table.Td>
                    <Table.Td>{user._embedded?.groups?.[0]?.name ?? '—'}</Table.Td>
                    <Table.Td>{user._embedded?.roles?.[0]?.name ?? 'Own rights'}</Table.Td>
                    <Table.Td>{user.rights?.is_admin ? 'Yes' : 'No'}</Table.Td>
                    <Table.Td>{user.two_factor_enabled ? 'On' : 'Off'}</Table.Td>
                    <Table.Td>{formatLastLogin(user.last_login_at)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={600} c={active ? '#1e6b30' : 'gray.7'}>
                        {active ? (user.rights?.is_free ? 'Free' : 'Active') : 'Deactivated'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <UserActions user={user} self={user.id === me} onPick={(action) => setPending({ user, action })} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <AddUserDialog opened={adding} onClose={() => setAdding(false)} />

      <ConfirmDialog
        opened={pending?.action === 'deactivate'}
        title={`Deactivate ${target?.name ?? ''}?`}
        confirmLabel="Deactivate"
        onClose={close}
        onConfirm={async () => {
          await patch(target!.id, { is_active: false });
          await done(`${target!.name} is deactivated.`);
        }}
      >
        <Text>Their seat is freed and their sessions and tokens end now. Their records stay.</Text>
      </ConfirmDialog>

      <ConfirmDialog
        opened={pending?.action === 'reactivate'}
        title={`Reactivate ${target?.name ?? ''}?`}
        confirmLabel="Reactivate"
        color="blue"
        onClose={close}
        onConfirm={async () => {
          await patch(target!.id, { is_active: true });
          await done(`${target!.name} is active again.`);
        }}
      >
        <Text>They take a paid seat and can sign in again.</Text>
      </ConfirmDialog>

      <ConfirmDialog
        opened={pending?.action === 'password'}
        title={`Set a new password for ${target?.name ?? ''}`}
        confirmLabel="Set password"
        color="blue"
        canConfirm={newPassword.length > 0}
        onClose={close}
        onConfirm={async () => {
          await unwrap(api.POST('/api/v4/users/{id}/password', { params: { path: { id: target!.id } }, body: { password: newPassword } }));
          await done(`${target!.name} has a new password; their sessions ended and their API tokens were revoked.`);
        }}
      >
        <Text>For someone who forgot theirs. Give it to them over a safe channel; they can change it on their Profile.</Text>
        <PasswordInput
          label="New password"
          description={`At least ${minPasswordLength} characters, not their email address, not a common password.`}
          autoComplete="new-password"
          value={newPassword}
          onChange={(e) => setNewPassword(e.currentTarget.value)}
          data-autofocus
        />
        <PasswordStrengthMeter password={newPassword} email={target?.email} name={target?.name} />
        <Text size="sm" c="dimmed">
          Their sessions end and their API tokens are revoked now.
        </Text>
      </ConfirmDialog>

      <ConfirmDialog
        opened={pending?.action === 'reset2fa'}
        title={`Reset two-step verification of ${target?.name ?? ''}?`}
        confirmLabel="Reset 2FA"
        onClose={close}
        onConfirm={async () => {
          await unwrap(api.POST('/api/v4/users/{id}/two_factor/reset', { params: { path: { id: target!.id } } }));
          await done(`Two-step verification of ${target!.name} is reset.`);
        }}
      >
        <Text>Their authenticator and recovery codes stop working and their sessions end; they enrol again at the next sign-in.</Text>
      </ConfirmDialog>

      <ConfirmDialog
        opened={pending?.action === 'sessions'}
        title={`End every session of ${target?.name ?? ''}?`}
        confirmLabel="End sessions"
        onClose={close}
        onConfirm={async () => {
          const answer = (await unwrap(
            api.POST('/api/v4/security/sessions/end', { body: { scope: 'user', user_id: target!.id } as never }),
          )) as { ended?: number } | undefined;
          await done(`${answer?.ended ?? 0} session(s) of ${target!.name} ended.`);
        }}
      >
        <Text>They are signed out everywhere at once.</Text>
      </ConfirmDialog>

      <ConfirmDialog
        opened={pending?.action === 'remove'}
        title={`Remove ${target?.name ?? ''} for good?`}
        confirmLabel="Remove user"
        canConfirm={reassignTo !== null}
        pendingText="Reassigning their records and removing the user…"
        onClose={close}
        onConfirm={async () => {
          await unwrap(
            api.DELETE('/api/v4/users/{id}', {
              params: { path: { id: target!.id }, query: { reassign_to: Number(reassignTo) } as never },
            }),
          );
          await done(`${target!.name} is removed; their records now belong to ${reassignable.find((u) => String(u.id) === reassignTo)?.name ?? 'the user chosen'}.`);
        }}
      >
        <Text>
          Every lead, contact, company, task, pending incoming lead and conversation of {target?.name} moves to the user you choose, in one step.
          Their sessions and tokens are deleted.
        </Text>
        <Select
          label="Reassign records to"
          data={reassignable.map((u) => ({ value: String(u.id), label: `${u.name} (${u.email})` }))}
          value={reassignTo}
          onChange={setReassignTo}
          searchable
          comboboxProps={{ withinPortal: false }}
        />
      </ConfirmDialog>
    </Stack>
  );
}
