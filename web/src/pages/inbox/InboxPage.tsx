// /inbox: Shared Inbox conversations (GET /api/v4/talks), newest activity first, a page at a
// time, when the effective user's mail_access is on. The API lists only conversations whose
// linked lead or contact the user may view. A chosen conversation shows its messages (oldest
// first) and a form to send one; the chosen conversation and the page live in the URL.
import { Alert, Anchor, Button, Center, Grid, Group, Loader, NavLink, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { ApiError, fieldErrors } from '../../api/problem';
import type { components } from '../../api/schema';
import { NoAccess } from '../../components/access/NoAccess';
import { Pager } from '../../components/records/ListControls';
import { formatTime } from '../../lib/format';
import { pageLimit, positiveInt } from '../../lib/listQuery';
import { pageOf, personName, usePeople, type Person } from '../../lib/recordsApi';
import { featureAccess } from '../../lib/recordRights';
import { useEffectiveUser } from '../../lib/useEffectiveUser';

type Talk = components['schemas']['Talk'];

function recordLink(talk: Talk): { to: string; label: string } {
  return talk.entity_type === 'lead'
    ? { to: `/leads/${talk.entity_id}`, label: `Lead #${talk.entity_id}` }
    : { to: `/contacts/${talk.entity_id}`, label: `Contact #${talk.entity_id}` };
}

function Conversation({ talk, people }: { talk: Talk; people: Person[] | undefined }) {
  const queries = useQueryClient();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const messages = useQuery({
    queryKey: ['talks', talk.id, 'messages'],
    queryFn: async () => {
      const body = await unwrap(
        api.GET('/api/v4/talks/{id}/messages', { params: { path: { id: talk.id } }, querySerializer: () => 'limit=250' }),
      );
      return body?._embedded.messages ?? [];
    },
  });
  const send = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v4/talks/{id}/messages', { params: { path: { id: talk.id } }, body: { text } })),
    onSuccess: async () => {
      setText('');
      setError(null);
      await queries.invalidateQueries({ queryKey: ['talks'] });
    },
    onError: (e) => setError(e instanceof ApiError ? (fieldErrors(e.problem).text ?? e.message) : e.message),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) {
      setError('Write a message first');
      return;
    }
    send.mutate();
  };
  const link = recordLink(talk);
  return (
    <Paper withBorder p="md" component="section" aria-label={`Conversation: ${talk.subject || talk.id}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h3">
            {talk.subject || `Conversation ${talk.id}`}
          </Title>
          <Anchor component={Link} to={link.to} size="sm">
            {link.label}
          </Anchor>
        </Group>
        {messages.isPending && <Loader size="sm" aria-label="Loading messages" />}
        {messages.isError && (
          <Text c="red.9" role="alert">
            {messages.error.message}
          </Text>
        )}
        {messages.data && (
          <Stack gap="xs" component="ol" aria-label="Messages" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {messages.data.map((m) => (
              <Paper key={m.id} component="li" bg="gray.0" p="xs" radius="sm" data-message-id={m.id}>
                <Text size="xs" c="gray.7">
                  {m.author_id ? personName(people, m.author_id) : 'Customer'} · {formatTime(m.created_at)}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {m.text}
                </Text>
              </Paper>
            ))}
          </Stack>
        )}
        <form onSubmit={submit} noValidate>
          <Stack gap="xs">
            <Textarea
              label="Message"
              autosize
              minRows={2}
              value={text}
              error={error}
              onChange={(e) => setText(e.currentTarget.value)}
            />
            <Group>
              <Button type="submit" loading={send.isPending}>
                Send
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}

export default function InboxPage() {
  const [search, setSearch] = useSearchParams();
  const viewer = useEffectiveUser();
  const access = featureAccess(viewer);
  const people = usePeople();
  const page = positiveInt(search.get('page')) ?? 1;
  const limit = pageLimit(search.get('limit'));
  const talks = useQuery({
    queryKey: ['talks', 'list', page, limit],
    enabled: access?.inbox === true,
    queryFn: async ({ signal }) => {
      const body = await unwrap(api.GET('/api/v4/talks', { querySerializer: () => `page=${page}&limit=${limit}`, signal }));
      return pageOf(body, body?._embedded.talks);
    },
    placeholderData: (previous) => previous,
  });
  const rows = talks.data?.items ?? [];
  const chosenId = positiveInt(search.get('talk'));
  const chosen = rows.find((t) => t.id === chosenId) ?? rows[0];
  const ready = talks.data !== undefined && !talks.isPlaceholderData;
  const go = (next: { talk?: number; page: number; limit: number }) => {
    const out = new URLSearchParams();
    if (next.talk) out.set('talk', String(next.talk));
    if (next.page > 1) out.set('page', String(next.page));
    if (next.limit !== pageLimit(null)) out.set('limit', String(next.limit));
    setSearch(out);
  };

  if (access && !access.inbox) {
    return (
      <NoAccess title="Inbox" alertTitle="No access to the Shared Inbox">
        Your rights do not include the Shared Inbox. An administrator can turn on mail access in your rights.
      </NoAccess>
    );
  }
  return (
    <Stack gap="md">
      <Title order={1}>Inbox</Title>
      {talks.isError && (
        <Alert color="red" title="The conversations could not be loaded" role="alert">
          {talks.error.message}
        </Alert>
      )}
      {(!access || talks.isPending) && (
        <Center py="xl">
          <Loader aria-label="Loading conversations" />
        </Center>
      )}
      {talks.data && rows.length === 0 && (
        <Text py="lg" ta="center" c="gray.7" role="status">
          No conversations you may see
        </Text>
      )}
      {rows.length > 0 && (
        <Grid>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack gap="xs">
              <Paper withBorder p="xs" component="nav" aria-label="Conversations" aria-busy={!ready} data-ready={ready}>
                {rows.map((t) => (
                  <NavLink
                    key={t.id}
                    component="button"
                    data-talk-id={t.id}
                    label={
                      <>
                        <Text size="sm">{t.subject || `Conversation ${t.id}`}</Text>
                        {/* Not NavLink's description: its dimmed colour is too faint on the active row. */}
                        <Text size="xs" c="dark.6">
                          {recordLink(t).label} · {formatTime(t.last_message_at || t.updated_at)}
                        </Text>
                      </>
                    }
                    active={t.id === chosen?.id}
                    aria-current={t.id === chosen?.id ? 'true' : undefined}
                    onClick={() => go({ talk: t.id, page, limit })}
                  />
                ))}
              </Paper>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            {chosen && <Conversation key={chosen.id} talk={chosen} people={people.data} />}
          </Grid.Col>
        </Grid>
      )}
      {rows.length > 0 && (
        <Pager
          page={page}
          limit={limit}
          hasNext={talks.data?.hasNext ?? false}
          ready={ready}
          onPage={(p) => go({ page: p, limit })}
          onLimit={(l) => go({ page: 1, limit: l })}
        />
      )}
    </Stack>
  );
}
