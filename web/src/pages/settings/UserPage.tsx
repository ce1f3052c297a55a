// /settings/users/:id: one user's access. Group, role and the administrator flag are part of
// the same proposal as the matrix: each change is previewed by the server (impact and the
// rights as they would be stored) before Save. A hand edit of the matrix detaches the user from
// their role, and the page says so before saving; an administrator's matrix is not editable.
import { Alert, Anchor, Badge, Button, Group, Loader, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { NameDialog } from '../../components/admin/Dialogs';
import { RightsEditor } from '../../components/rights/RightsEditor';
import { useChangePreview, type Proposal } from '../../components/rights/useChangePreview';
import { useGroups, useInvalidateAdmin, usePipelines, useRoles, useUser } from '../../lib/adminQueries';
import { NotFoundPage } from '../NotFoundPage';

export default function UserPage() {
  const id = Number(useParams().id);
  const user = useUser(id);
  const roles = useRoles();
  const groups = useGroups();
  const pipelines = usePipelines();
  const preview = useChangePreview({ kind: 'user', id });
  const invalidate = useInvalidateAdmin();
  const queries = useQueryClient();
  const [renaming, setRenaming] = useState(false);

  if (!Number.isInteger(id) || id <= 0) return <NotFoundPage />;
  if (user.isError) {
    return (
      <Alert color="red" role="alert" title="Cannot show this user">
        {user.error.message}
      </Alert>
    );
  }
  if (!user.data) return <Loader aria-label="Loading the user" />;

  const saved = user.data.rights;
  const proposal = preview.proposal ?? {};
  const roleId = 'role_id' in proposal ? proposal.role_id ?? null : preview.report?.rights?.role_id ?? saved?.role_id ?? null;
  const groupId = proposal.group_id ?? saved?.group_id ?? null;
  const isAdmin = proposal.is_admin ?? saved?.is_admin ?? false;
  const savedRole = roles.data?.find((r) => r.id === saved?.role_id);
  const detaches = saved?.role_id != null && preview.report?.rights?.role_id === null && !preview.error;

  function change(part: Proposal, drop: (keyof Proposal)[] = []) {
    const next: Proposal = { ...(preview.proposal ?? {}), ...part };
    for (const key of drop) delete next[key];
    // Back to what is saved: nothing to propose for that member.
    if (next.group_id !== undefined && next.group_id === (saved?.group_id ?? null)) delete next.group_id;
    if (next.is_admin !== undefined && next.is_admin === (saved?.is_admin ?? false)) delete next.is_admin;
    if (next.role_id !== undefined && next.role_id === (saved?.role_id ?? null) && !next.rights) delete next.role_id;
    void preview.propose(Object.keys(next).length ? next : null);
  }

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/settings/users" size="sm">
        ← Users
      </Anchor>
      <Group gap="sm" align="baseline">
        <Title order={1}>{user.data.name}</Title>
        <Text c="gray.7">{user.data.email}</Text>
        {saved?.is_admin && <Badge color="violet">Administrator</Badge>}
        {saved?.is_active === false && <Badge color="gray">Deactivated</Badge>}
        {savedRole ? <Badge variant="light">Role: {savedRole.name}</Badge> : <Badge variant="outline">Own rights</Badge>}
        <Button size="xs" variant="default" onClick={() => setRenaming(true)} aria-label={`Rename ${user.data.name}`}>
          Rename
        </Button>
      </Group>
      {/* PATCH /api/v4/users/{id} {name}: the server's refusal (an empty or too long name) shows in the dialog. */}
      <NameDialog
        opened={renaming}
        title={`Rename ${user.data.name}`}
        label="Name"
        initial={user.data.name}
        onClose={() => setRenaming(false)}
        onSave={async (name) => {
          await unwrap(api.PATCH('/api/v4/users/{id}', { params: { path: { id } }, body: { name } }));
          // The name shows in the lists, the account menu and every record page's people.
          await Promise.all([invalidate(), queries.invalidateQueries({ queryKey: ['users'] })]);
        }}
      />

      {/* The section's heading keeps the outline whole: the matrix's own headings are h3. */}
      <Title order={2} size="h3">
        Access
      </Title>
      <Group align="flex-end" gap="lg">
        <Select
          label="Group"
          w={220}
          data={(groups.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))}
          value={groupId === null ? null : String(groupId)}
          onChange={(v) => v && change({ group_id: Number(v) })}
          allowDeselect={false}
        />
        <Select
          label="Role"
          w={240}
          data={[{ value: '', label: 'No role (own rights)' }, ...(roles.data ?? []).map((r) => ({ value: String(r.id), label: r.name }))]}
          value={roleId === null ? '' : String(roleId)}
          onChange={(v) => change({ role_id: v ? Number(v) : null }, v ? ['rights'] : [])}
          allowDeselect={false}
          disabled={isAdmin}
        />
        <Switch
          label="Administrator"
          checked={isAdmin}
          onChange={(e) => change({ is_admin: e.currentTarget.checked })}
        />
      </Group>

      {detaches && (
        <Alert color="yellow" title="This edit detaches the user from their role">
          {user.data.name} holds the role “{savedRole?.name ?? saved?.role_id}”. Saving rights edited by hand gives{' '}
          {user.data.name} rights of their own: later edits of the role will no longer reach them.
        </Alert>
      )}

      <RightsEditor
        preview={preview}
        saved={saved}
        readOnly={isAdmin}
        readOnlyReason="Administrators may do everything; their rights cannot be edited. Turn the administrator flag off to edit the matrix."
        pipelines={pipelines.data ?? []}
        onSaved={() => void invalidate()}
      />
    </Stack>
  );
}
