// Add user: name, email, password (the API takes a password; there are no invitations), group,
// and the rights either from a role or as a matrix set on the user's page right after (where the
// server narrows it live). Field errors from the server are shown on their fields; the seats
// refusal in words.
import { Group, Modal, PasswordInput, Radio, Select, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { ApiError, fieldErrors } from '../../api/problem';
import { FormActions } from '../FormActions';
import { useGroups, useInvalidateAdmin, useRoles } from '../../lib/adminQueries';
import type { UsersPage } from '../../lib/adminTypes';
import { fromApi, toApi } from '../../lib/rights';

interface Props {
  opened: boolean;
  onClose: () => void;
}

export function AddUserDialog({ opened, onClose }: Props) {
  const roles = useRoles();
  const groups = useGroups();
  const invalidate = useInvalidateAdmin();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [groupId, setGroupId] = useState<string | null>(null);
  const [mode, setMode] = useState<'role' | 'matrix'>('role');
  const [roleId, setRoleId] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function reset() {
    setName('');
    setEmail('');
    setPassword('');
    setGroupId(null);
    setRoleId(null);
    setMode('role');
    setErrors({});
    setError(null);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    const rights: Record<string, unknown> =
      mode === 'role' && roleId ? { role_id: Number(roleId) } : { ...toApi(fromApi(undefined)) };
    if (groupId) rights.group_id = Number(groupId);
    try {
      const created = (await unwrap(
        api.POST('/api/v4/users', { body: [{ name: name.trim(), email: email.trim(), password, rights }] as never }),
      )) as UsersPage;
      const id = created._embedded?.users?.[0]?.id;
      await invalidate();
      reset();
      onClose();
      if (mode === 'matrix' && id) navigate(`/settings/users/${id}`);
    } catch (caught) {
      if (caught instanceof ApiError) {
        const fields = fieldErrors(caught.problem);
        const known = ['name', 'email', 'password', 'role_id', 'group_id'].filter((f) => fields[f]);
        setErrors(fields);
        if (known.length === 0) setError(caught.message);
      } else {
        setError(String(caught));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Add user" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} data-autofocus />
          <TextInput label="Email" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={errors.email} />
          <PasswordInput
            label="Password"
            description="At least 10 characters; they can change it after signing in."
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={errors.password}
            autoComplete="new-password"
          />
          <Select
            label="Group"
            placeholder="Default group"
            data={(groups.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))}
            value={groupId}
            onChange={setGroupId}
            error={errors.group_id}
            comboboxProps={{ withinPortal: false }}
          />
          <Radio.Group label="Rights" value={mode} onChange={(v) => setMode(v === 'matrix' ? 'matrix' : 'role')}>
            <Group mt={4}>
              <Radio value="role" label="From a role" />
              <Radio value="matrix" label="Set the matrix next (starts with everything denied)" />
            </Group>
          </Radio.Group>
          {mode === 'role' && (
            <Select
              label="Role"
              data={(roles.data ?? []).map((r) => ({ value: String(r.id), label: r.name }))}
              value={roleId}
              onChange={setRoleId}
              error={errors.role_id}
              comboboxProps={{ withinPortal: false }}
            />
          )}
          <FormActions error={error} errorTitle="Not added" submit="Add user" busy={busy} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
