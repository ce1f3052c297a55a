// /settings/roles: role presets with their holders. A new role starts with everything denied;
// its matrix is then set on the role's page, where the server narrows it live.
import { Alert, Anchor, Button, Group, Loader, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { ApiError, fieldErrors } from '../../api/problem';
import { FormActions } from '../../components/FormActions';
import type { RolesPage as RolesAnswer } from '../../lib/adminTypes';
import { useInvalidateAdmin, useRoles } from '../../lib/adminQueries';
import { fromApi, levelInfo, toApi } from '../../lib/rights';

function CreateRole({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const invalidate = useInvalidateAdmin();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNameError(null);
    try {
      const created = (await unwrap(
        api.POST('/api/v4/roles', { body: [{ name: name.trim(), rights: toApi(fromApi(undefined)) }] as never }),
      )) as RolesAnswer;
      const id = created._embedded?.roles?.[0]?.id;
      await invalidate();
      onClose();
      setName('');
      if (id) navigate(`/settings/roles/${id}`);
    } catch (caught) {
      if (caught instanceof ApiError) {
        const fields = fieldErrors(caught.problem);
        if (fields.name) setNameError(fields.name);
        else setError(caught.message);
      } else {
        setError(String(caught));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Create role">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Role name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} data-autofocus />
          <Text size="sm" c="gray.7">
            The role starts with everything denied; set its rights on the next page.
          </Text>
          <FormActions error={error} errorTitle="Not created" submit="Create role" busy={busy} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

export default function RolesPage() {
  const roles = useRoles();
  const [creating, setCreating] = useState(false);
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1}>Roles</Title>
        <Button onClick={() => setCreating(true)}>Create role</Button>
      </Group>
      <Text c="gray.7">Role presets: users holding a role follow it when it is edited.</Text>
      {roles.isError && (
        <Alert color="red" role="alert" title="Cannot list roles">
          {roles.error.message}
        </Alert>
      )}
      {!roles.data && !roles.isError && <Loader aria-label="Loading roles" />}
      {roles.data && (
        <Table striped highlightOnHover withTableBorder aria-label="Roles">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Holders</Table.Th>
              <Table.Th>Leads view</Table.Th>
              <Table.Th>Contacts view</Table.Th>
              <Table.Th>Companies view</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {roles.data.map((role) => {
              const matrix = fromApi(role.rights);
              return (
                <Table.Tr key={role.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/settings/roles/${role.id}`}>
                      {role.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{role._embedded?.users?.length ?? 0}</Table.Td>
                  <Table.Td>{levelInfo(matrix.levels.leads.view ?? 'D').name}</Table.Td>
                  <Table.Td>{levelInfo(matrix.levels.contacts.view ?? 'D').name}</Table.Td>
                  <Table.Td>{levelInfo(matrix.levels.companies.view ?? 'D').name}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <CreateRole opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
