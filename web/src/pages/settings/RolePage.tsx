// /settings/roles/:id: a role preset's matrix and its holders. Saving a role changes every
// holder's rights (holders follow), so the impact preview lists each of them first.
import { Alert, Anchor, Button, Group, List, Loader, Modal, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { RightsEditor } from '../../components/rights/RightsEditor';
import { useChangePreview } from '../../components/rights/useChangePreview';
import { useInvalidateAdmin, usePipelines, useRole, useUsers } from '../../lib/adminQueries';
import { NotFoundPage } from '../NotFoundPage';

export default function RolePage() {
  const id = Number(useParams().id);
  const role = useRole(id);
  const users = useUsers();
  const pipelines = usePipelines();
  const preview = useChangePreview({ kind: 'role', id });
  const invalidate = useInvalidateAdmin();
  const navigate = useNavigate();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  if (!Number.isInteger(id) || id <= 0) return <NotFoundPage />;
  if (role.isError) {
    return (
      <Alert color="red" role="alert" title="Cannot show this role">
        {role.error.message}
      </Alert>
    );
  }
  if (!role.data) return <Loader aria-label="Loading the role" />;
  const holders = (role.data._embedded?.users ?? []).map((h) => users.data?.find((u) => u.id === h.id) ?? { id: h.id, name: `User ${h.id}` });

  async function remove() {
    setDeleting(true);
    setDeleteError(null);
    try {
      await unwrap(api.DELETE('/api/v4/roles/{id}', { params: { path: { id } } }));
      await invalidate();
      navigate('/settings/roles');
    } catch (caught) {
      setDeleteError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setDeleting(false);
    }
  }

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/settings/roles" size="sm">
        ← Roles
      </Anchor>
      <Group justify="space-between">
        <Title order={1}>Role: {role.data.name}</Title>
        <Button variant="outline" color="red" onClick={() => setConfirmDelete(true)}>
          Delete role
        </Button>
      </Group>
      <Stack gap={4}>
        <Title order={2} size="h4">
          Holders
        </Title>
        {holders.length === 0 ? (
          <Text c="gray.7">Nobody holds this role.</Text>
        ) : (
          <List>
            {holders.map((h) => (
              <List.Item key={h.id}>
                <Anchor component={Link} to={`/settings/users/${h.id}`}>
                  {h.name}
                </Anchor>
              </List.Item>
            ))}
          </List>
        )}
        <Text size="sm" c="gray.7">
          Holders follow the role: saving it changes their rights. A hand edit of a holder's rights detaches them.
        </Text>
      </Stack>
      <RightsEditor
        preview={preview}
        saved={role.data.rights}
        readOnly={false}
        pipelines={pipelines.data ?? []}
        onSaved={() => void invalidate()}
      />
      <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={`Delete the role ${role.data.name}?`}>
        <Stack>
          <Text>The role is removed for good. A role that users hold cannot be deleted.</Text>
          {deleteError && (
            <Alert color="red" role="alert" title="Not deleted">
              {deleteError}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmDelete(false)}>
              Cancel
            </Button>
            <Button color="red" loading={deleting} onClick={() => void remove()}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
