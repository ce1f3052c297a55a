// Changes waiting for a second administrator (four-eyes approval): what each would do, who
// asked and until when; Approve and Reject for the other administrators. The requester sees
// their own requests waiting, without the buttons.
import { useUsers } from '../../lib/users';
import { Alert, Button, Group, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSignedIn } from '../../api/session';
import { approveRequest, listApprovals, rejectRequest } from '../../lib/adminApi';
import { canDecide, describeApproval, type Approval } from '../../lib/approvals';
import { errorText, LoadError } from './Dialogs';

export function ApprovalsList() {
  const { userId } = useSignedIn();
  const queries = useQueryClient();
  const approvals = useQuery({ queryKey: ['security', 'approvals'], queryFn: listApprovals });
  const users = useUsers();
  const decide = useMutation({
    mutationFn: ({ id, approve }: { id: number; approve: boolean }) => (approve ? approveRequest(id) : rejectRequest(id)),
    onSuccess: (_decided, { approve }) => {
      void queries.invalidateQueries({ queryKey: ['security'] });
      void queries.invalidateQueries({ queryKey: ['users'] });
      notifications.show({ color: 'green', message: approve ? 'Change approved and applied.' : 'Change rejected.' });
    },
  });

  if (approvals.isPending) return <Text c="gray.7">Loading…</Text>;
  if (approvals.isError) return <LoadError error={approvals.error} />;
  const name = (id: number) => users.data?.find((u) => u.id === id)?.name ?? `user ${id}`;
  const pending = approvals.data.filter((a) => a.status === 'pending');
  const decided = approvals.data.filter((a) => a.status !== 'pending').slice(0, 10);
  const when = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000).toLocaleString() : '');

  const row = (a: Approval) => (
    <Table.Tr key={a.id}>
      <Table.Td>{describeApproval(a, name)}</Table.Td>
      <Table.Td>{name(a.requested_by)}</Table.Td>
      <Table.Td>{when(a.requested_at)}</Table.Td>
      <Table.Td>
        {a.status === 'pending' ? `waiting until ${when(a.expires_at)}` : `${a.status}${a.decided_by ? ` by ${name(a.decided_by)}` : ''}`}
      </Table.Td>
      <Table.Td>
        {canDecide(a, userId) ? (
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" onClick={() => decide.mutate({ id: a.id, approve: true })} aria-label={`Approve change ${a.id}`}>
              Approve
            </Button>
            <Button size="xs" variant="default" onClick={() => decide.mutate({ id: a.id, approve: false })} aria-label={`Reject change ${a.id}`}>
              Reject
            </Button>
          </Group>
        ) : a.status === 'pending' ? (
          <Text size="sm">Waiting for another administrator</Text>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );

  const head = (
    <Table.Thead>
      <Table.Tr>
        <Table.Th>Change</Table.Th>
        <Table.Th>Requested by</Table.Th>
        <Table.Th>Requested</Table.Th>
        <Table.Th>Status</Table.Th>
        <Table.Th>Decision</Table.Th>
      </Table.Tr>
    </Table.Thead>
  );

  return (
    <>
      {decide.isError && (
        <Alert color="red" role="alert" title="Not decided">
          {errorText(decide.error)}
        </Alert>
      )}
      {pending.length === 0 ? (
        <Text>No change is waiting for approval.</Text>
      ) : (
        <Table aria-label="Changes waiting for approval">
          {head}
          <Table.Tbody>{pending.map(row)}</Table.Tbody>
        </Table>
      )}
      {decided.length > 0 && (
        <Table aria-label="Decided changes">
          {head}
          <Table.Tbody>{decided.map(row)}</Table.Tbody>
        </Table>
      )}
    </>
  );
}
