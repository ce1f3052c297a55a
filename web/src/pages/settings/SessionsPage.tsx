// /settings/sessions (administrators): every session of the workspace with whose it is; end one,
// every session of a user, or every session but this one.
import { Alert, Button, Group, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ConfirmDialog } from '../../components/account/ConfirmDialog';
import { SessionsTable } from '../../components/account/SessionsTable';
import type { SessionItem } from '../../components/account/types';
import { useUsers } from '../../lib/users';

const pageSize = 50;
type Pending = { kind: 'user'; userId: number } | { kind: 'account' } | null;

export default function SessionsPage() {
  const queries = useQueryClient();
  const [page, setPage] = useState(1);
  const [userFilter, setUserFilter] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);

  const users = useUsers();
  const sessions = useQuery({
    queryKey: ['sessions', 'workspace', userFilter, page],
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const filter = userFilter ? { user_id: Number(userFilter) } : { all: true };
      const answer = (await unwrap(
        api.GET('/api/v4/security/sessions', { params: { query: { filter, page, limit: pageSize } } }),
      ));
      return { items: answer?._embedded.sessions ?? [], hasNext: Boolean(answer?._links.next) };
    },
  });

  const byId = new Map((users.data ?? []).map((u) => [u.id, u]));
  const userName = (id: number) => byId.get(id)?.name || byId.get(id)?.email || `User ${id}`;
  const done = (title: string, message: string) => {
    notifications.show({ title, message });
    return queries.invalidateQueries({ queryKey: ['sessions'] });
  };
  const failed = (error: Error) => notifications.show({ color: 'red', title: 'Sessions not ended', message: error.message });

  const endOne = useMutation({
    mutationFn: (s: SessionItem) =>
      unwrap(api.DELETE('/api/v4/security/sessions/{id}', { params: { path: { id: s.id } } })),
    onSuccess: (_, s) => done('Session ended', `${userName(s.user_id)} has to sign in again on ${s.device}.`),
    onError: failed,
  });
  const endMany = useMutation({
    mutationFn: async (what: NonNullable<Pending>) =>
      (await unwrap(
        api.POST('/api/v4/security/sessions/end', {
          body: (what.kind === 'user' ? { scope: 'user', user_id: what.userId } : { scope: 'account' }),
        }),
      )),
    onSuccess: (answer) => {
      setPending(null);
      setPage(1);
      return done('Sessions ended', `${answer.ended} session${answer.ended === 1 ? '' : 's'} ended.`);
    },
    onError: (error) => {
      setPending(null);
      failed(error);
    },
  });

  const items = sessions.data?.items ?? [];
  const selectedName = userFilter ? userName(Number(userFilter)) : '';

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Sessions</Title>
          <Text c="dimmed" size="sm">
            Everyone signed in to this workspace through the browser. Ending a session signs that device out at its next
            request.
          </Text>
        </div>
        <Button color="red" onClick={() => setPending({ kind: 'account' })}>
          End all sessions
        </Button>
      </Group>
      <Group align="flex-end">
        <Select
          label="User"
          placeholder="Everyone"
          searchable
          clearable
          w={280}
          data={(users.data ?? []).map((u) => ({ value: String(u.id), label: u.name || u.email }))}
          value={userFilter}
          onChange={(value) => {
            setUserFilter(value);
            setPage(1);
          }}
        />
        {userFilter && (
          <Button variant="light" color="red" onClick={() => setPending({ kind: 'user', userId: Number(userFilter) })}>
            End all sessions of {selectedName}
          </Button>
        )}
      </Group>
      {users.isError && (
        <Alert color="red" role="alert" title="User names could not be read">
          {users.error.message}
        </Alert>
      )}
      {sessions.isError && (
        <Alert color="red" role="alert" title="Sessions could not be read">
          {sessions.error.message}
        </Alert>
      )}
      {sessions.isPending ? (
        <Skeleton h={160} />
      ) : items.length === 0 ? (
        <Text>{userFilter ? `${selectedName} is not signed in anywhere.` : 'Nobody is signed in.'}</Text>
      ) : (
        <SessionsTable
          sessions={items}
          caption={userFilter ? `Sessions of ${selectedName}` : 'Every session of the workspace'}
          userName={userName}
          endingId={endOne.isPending ? (endOne.variables?.id ?? null) : null}
          onEnd={(s) => endOne.mutate(s)}
          onEndUser={(userId) => setPending({ kind: 'user', userId })}
        />
      )}
      {(page > 1 || sessions.data?.hasNext) && (
        <Group gap="xs" role="navigation" aria-label="Pages of sessions">
          <Button variant="default" size="compact-sm" disabled={page === 1} onClick={() => setPage(page - 1)}>
            Previous page
          </Button>
          <Text size="sm">Page {page}</Text>
          <Button variant="default" size="compact-sm" disabled={!sessions.data?.hasNext} onClick={() => setPage(page + 1)}>
            Next page
          </Button>
        </Group>
      )}
      <ConfirmDialog
        opened={pending !== null}
        title={pending?.kind === 'user' ? `End all sessions of ${userName(pending.userId)}` : 'End all sessions'}
        confirmLabel="End sessions"
        busy={endMany.isPending}
        onClose={() => setPending(null)}
        onConfirm={() => pending && endMany.mutate(pending)}
      >
        {pending?.kind === 'user'
          ? `${userName(pending.userId)} will have to sign in again on every device. If that is you, this session stays.`
          : 'Everyone in the workspace will have to sign in again. Only this session of yours stays.'}
      </ConfirmDialog>
    </Stack>
  );
}
