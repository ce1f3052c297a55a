// /settings/groups: the workspace's user groups with their sizes; create, rename, delete. The
// server refuses deleting the default group or a group with users; the refusal is shown as is.
import { useUsers } from '../../lib/users';
import { Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ConfirmDialog, EditDeleteButtons, LoadError, NameDialog, errorText } from '../../components/admin/Dialogs';
import { PageLoader } from '../../components/PageLoader';
import { createGroup, deleteGroup, listGroups, renameGroup, type Group as UserGroup } from '../../lib/adminApi';

export default function GroupsPage() {
  const queries = useQueryClient();
  const groups = useQuery({ queryKey: ['groups'], queryFn: listGroups });
  const users = useUsers();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<UserGroup | null>(null);
  const [deleting, setDeleting] = useState<UserGroup | null>(null);
  const refresh = () => queries.invalidateQueries({ queryKey: ['groups'] });
  const create = useMutation({
    mutationFn: (value: string) => createGroup(value),
    onSuccess: () => {
      setName('');
      void refresh();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) create.mutate(name.trim());
  }

  const sizes = new Map<number, number>();
  for (const user of users.data ?? []) {
    const group = user.rights?.group_id ?? 0;
    sizes.set(group, (sizes.get(group) ?? 0) + 1);
  }

  return (
    <Stack>
      <Title order={1}>Groups</Title>
      <Text c="gray.7">Groups gather users for team-wide rights: a “Team-wide” level reaches the records of the user’s group.</Text>
      <form onSubmit={submit} aria-label="Add a group">
        <Group align="flex-start">
          <TextInput
            label="New group name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={create.error ? errorText(create.error) : null}
            w={320}
          />
          <Button type="submit" mt={25} loading={create.isPending} disabled={!name.trim()}>
            Add group
          </Button>
        </Group>
      </form>
      {groups.isPending ? (
        <PageLoader />
      ) : groups.isError ? (
        <LoadError error={groups.error} />
      ) : (
        <Table striped highlightOnHover aria-label="Groups">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Users</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.data.map((group) => (
              <Table.Tr key={group.id}>
                <Table.Td>{group.name}</Table.Td>
                <Table.Td>{users.data ? (sizes.get(group.id) ?? 0) : '…'}</Table.Td>
                <Table.Td>
                  <EditDeleteButtons what={group.name} onEdit={() => setRenaming(group)} onDelete={() => setDeleting(group)} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <NameDialog
        opened={renaming !== null}
        title={`Rename group ${renaming?.name ?? ''}`}
        label="Name"
        initial={renaming?.name ?? ''}
        onClose={() => setRenaming(null)}
        onSave={async (value) => {
          await renameGroup(renaming!.id, value);
          await refresh();
        }}
      />
      <ConfirmDialog
        opened={deleting !== null}
        title={`Delete group ${deleting?.name ?? ''}`}
        message={`Delete the group “${deleting?.name ?? ''}”? Groups that still have users cannot be deleted: move the users first.`}
        confirmLabel="Delete group"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await deleteGroup(deleting!.id);
          await refresh();
        }}
      />
    </Stack>
  );
}
