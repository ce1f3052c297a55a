// The signed-in user's own sessions, with "Log out other sessions" and ending a single one.
import { Alert, Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ConfirmDialog } from './ConfirmDialog';
import { SessionsTable } from './SessionsTable';
import type { SessionItem } from './types';

export function OwnSessionsSection() {
  const queries = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const sessions = useQuery({
    queryKey: ['sessions', 'own'],
    queryFn: async () => {
      // 204 (no sessions) cannot happen for a signed-in user, but is an empty list all the same.
      const page = (await unwrap(
        api.GET('/api/v4/security/sessions', { params: { query: { limit: 250 } } }),
      ));
      return page?._embedded.sessions ?? [];
    },
  });
  const endOne = useMutation({
    mutationFn: (session: SessionItem) =>
      unwrap(api.DELETE('/api/v4/security/sessions/{id}', { params: { path: { id: session.id } } })),
    onSuccess: () => {
      notifications.show({ title: 'Session ended', message: 'That device has to sign in again.' });
      return queries.invalidateQueries({ queryKey: ['sessions'] });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Session not ended', message: error.message }),
  });
  const endOthers = useMutation({
    mutationFn: async () =>
      (await unwrap(
        api.POST('/api/v4/security/sessions/end', { body: { scope: 'others' } }),
      )),
    onSuccess: (answer) => {
      setConfirming(false);
      notifications.show({
        title: 'Other sessions logged out',
        message: `${answer.ended} session${answer.ended === 1 ? '' : 's'} ended.`,
      });
      return queries.invalidateQueries({ queryKey: ['sessions'] });
    },
    onError: (error) => {
      setConfirming(false);
      notifications.show({ color: 'red', title: 'Sessions not ended', message: error.message });
    },
  });

  const others = sessions.data?.filter((s) => !s.current).length ?? 0;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="sessions-title">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h3" id="sessions-title">
            Sessions
          </Title>
          <Button variant="light" color="red" disabled={others === 0} onClick={() => setConfirming(true)}>
            Log out other sessions
          </Button>
        </Group>
        {sessions.isPending && <Skeleton h={80} />}
        {sessions.isError && (
          <Alert color="red" role="alert">
            {sessions.error.message}
          </Alert>
        )}
        {sessions.data && (
          <>
            <SessionsTable
              sessions={sessions.data}
              caption="Where you are signed in"
              endingId={endOne.isPending ? (endOne.variables?.id ?? null) : null}
              onEnd={(s) => endOne.mutate(s)}
            />
            {others === 0 && (
              <Text size="sm" c="dimmed">
                You are signed in only here.
              </Text>
            )}
          </>
        )}
      </Stack>
      <ConfirmDialog
        opened={confirming}
        title="Log out other sessions"
        confirmLabel="Log out others"
        busy={endOthers.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() => endOthers.mutate()}
      >
        Every other browser and device signed in as you ({others}) will have to sign in again. This session stays.
      </ConfirmDialog>
    </Paper>
  );
}
