// The IP whitelist (GET/PUT /api/v4/security/ip_whitelist). When saving would lock the
// administrator out, the server refuses with the address it saw (`client_ip`); the editor shows
// the refusal and offers to add that address.
import { Alert, Button, Group, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, fieldErrors } from '../../api/problem';
import type { components } from '../../api/schema';
import { putWhitelist, type IpWhitelist } from '../../lib/adminApi';
import { isPendingApproval } from '../../lib/approvals';
import { FormActions } from '../FormActions';
import { errorText, readable } from './Dialogs';

interface LockOut {
  message: string;
  address: string | null;
}

export function WhitelistEditor({ whitelist }: { whitelist: IpWhitelist }) {
  const queries = useQueryClient();
  const [draft, setDraft] = useState<IpWhitelist>(whitelist);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [lockOut, setLockOut] = useState<LockOut | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (value: IpWhitelist) => putWhitelist(value),
    onSuccess: (saved) => {
      setErrors({});
      setLockOut(null);
      setFailure(null);
      if (isPendingApproval(saved)) {
        setDraft(whitelist);
        void queries.invalidateQueries({ queryKey: ['security', 'approvals'] });
        notifications.show({ color: 'blue', message: 'Sent for approval: another administrator must approve this change.' });
        return;
      }
      setDraft(saved);
      queries.setQueryData(['security', 'whitelist'], saved);
      void queries.invalidateQueries({ queryKey: ['events'] });
      notifications.show({ color: 'green', message: 'IP whitelist saved.' });
    },
    onError: (error) => {
      setLockOut(null);
      setFailure(null);
      const fields = error instanceof ApiError ? fieldErrors(error.problem) : {};
      const guard =
        error instanceof ApiError &&
        (error.problem['validation-errors'] ?? []).some((g) => (g.errors ?? []).some((e) => e.code === 'LockOut'));
      if (guard && error instanceof ApiError) {
        const address = (error.problem as components['schemas']['Problem']).client_ip;
        setLockOut({ message: fields.entries ?? error.message, address: typeof address === 'string' ? address : null });
        const { entries: _guard, ...rest } = fields;
        setErrors(rest);
        return;
      }
      setErrors(fields);
      setFailure(Object.keys(fields).length > 0 ? 'The whitelist was not saved: correct the marked entries.' : errorText(error));
    },
  });

  const setEntry = (index: number, change: Partial<IpWhitelist['entries'][number]>) =>
    setDraft({ ...draft, entries: draft.entries.map((e, i) => (i === index ? { ...e, ...change } : e)) });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ ...draft, entries: draft.entries.filter((e) => e.value.trim() !== '').map((e) => ({ value: e.value.trim(), note: e.note })) });
  }

  function addAddress(address: string) {
    setDraft({ ...draft, entries: [...draft.entries, { value: address, note: 'my address' }] });
    setLockOut(null);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Switch
          label="Enable the IP whitelist"
          styles={readable}
          description="Sign-ins and console sessions are accepted only from the addresses below."
          checked={draft.enabled}
          onChange={(e) => setDraft({ ...draft, enabled: e.currentTarget.checked })}
        />
        <Switch
          label="Report only"
          styles={readable}
          description="Refuse nothing; log every request the whitelist would have refused."
          checked={draft.report_only}
          onChange={(e) => setDraft({ ...draft, report_only: e.currentTarget.checked })}
        />
        <Switch
          label="Also block API requests"
          styles={readable}
          description="Apply the whitelist to API tokens and integrations too."
          checked={draft.block_api}
          onChange={(e) => setDraft({ ...draft, block_api: e.currentTarget.checked })}
        />
        {draft.block_api && (
          <Alert color="yellow" title="Blocking API requests cuts off mobile and roaming access">
            Mobile apps, integrations and people working away from the listed networks call the API from addresses that are
            not on this list: with this on, all of them are refused.
          </Alert>
        )}
        <Table aria-label="Whitelist entries">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Address or range</Table.Th>
              <Table.Th>Note</Table.Th>
              <Table.Th>Remove</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {draft.entries.map((entry, index) => (
              <Table.Tr key={index}>
                <Table.Td>
                  <TextInput
                    aria-label={`Address ${index + 1}`}
                    placeholder="203.0.113.0/24"
                    value={entry.value}
                    onChange={(e) => setEntry(index, { value: e.currentTarget.value })}
                    error={errors[`entries.${index}.value`]}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`Note ${index + 1}`}
                    value={entry.note}
                    onChange={(e) => setEntry(index, { note: e.currentTarget.value })}
                    error={errors[`entries.${index}.note`]}
                  />
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    aria-label={`Remove entry ${index + 1}`}
                    onClick={() => setDraft({ ...draft, entries: draft.entries.filter((_, i) => i !== index) })}
                  >
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {draft.entries.length === 0 && <Text c="gray.7">No entries yet.</Text>}
        <Group>
          <Button variant="default" onClick={() => setDraft({ ...draft, entries: [...draft.entries, { value: '', note: '' }] })}>
            Add entry
          </Button>
        </Group>
        {lockOut && (
          <Alert color="red" role="alert" title="Saving would lock you out">
            <Stack gap="xs">
              <Text>{lockOut.message.charAt(0).toUpperCase() + lockOut.message.slice(1)}</Text>
              {lockOut.address && (
                <>
                  <Text>
                    The server saw your address as <strong>{lockOut.address}</strong>.
                  </Text>
                  <Group>
                    <Button size="xs" variant="default" onClick={() => addAddress(lockOut.address!)}>
                      Add {lockOut.address} to the list
                    </Button>
                  </Group>
                </>
              )}
            </Stack>
          </Alert>
        )}
        <FormActions error={failure} busy={save.isPending} start />
      </Stack>
    </form>
  );
}
