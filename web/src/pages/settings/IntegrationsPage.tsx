// /settings/integrations (administrators): the workspace's OAuth integrations — register one
// (its client secret shown once, with the endpoints its developer needs), see how many tokens
// each holds, delete one (every token it holds stops working) — and every API token of the
// workspace, each revocable.
import { useUsers } from '../../lib/users';
import { Alert, Button, Code, Group, Modal, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ConfirmDialog } from '../../components/account/ConfirmDialog';
import { SecretField } from '../../components/account/SecretField';
import { FormActions } from '../../components/FormActions';
import { QueryView } from '../../components/QueryView';
import { TokensTable } from '../../components/account/TokensTable';
import { useFormSubmit } from '../../components/account/useFormSubmit';
import { useRemoval } from '../../components/account/useRemoval';
import { useTokenRevocation } from '../../components/account/useTokenRevocation';
import { allPages, pageLimit } from '../../lib/pages';
import { activeTokensLabel, integrationEndpoints } from '../../lib/integrations';
import { formatDateTime } from '../../lib/sessionsView';

function listIntegrations() {
  return allPages(async (page) => {
    const body = await unwrap(api.GET('/api/v4/security/integrations', { params: { query: { page, limit: pageLimit } } }));
    return body && { items: body._embedded.integrations, hasNext: Boolean(body._links.next) };
  });
}
type Integration = Awaited<ReturnType<typeof listIntegrations>>[number];

function listAllTokens() {
  return allPages(async (page) => {
    const body = await unwrap(api.GET('/api/v4/security/tokens', { params: { query: { filter: { all: true }, page, limit: pageLimit } } }));
    return body && { items: body._embedded.tokens, hasNext: Boolean(body._links.next) };
  });
}
type Token = Awaited<ReturnType<typeof listAllTokens>>[number];

interface Registered {
  name: string;
  client_id: string;
  client_secret: string;
}

function RegisteredDialog({ registered, onClose }: { registered: Registered | null; onClose: () => void }) {
  const endpoints = registered ? integrationEndpoints(window.location.origin, registered.client_id) : null;
  return (
    <Modal opened={registered !== null} onClose={onClose} title="Integration registered" centered size="lg">
      {registered && endpoints && (
        <Stack>
          <Alert color="yellow" title="Copy the client secret now">
            It is shown only this once. Give it to the integration's developer over a safe channel.
          </Alert>
          <SecretField label="Client ID" value={registered.client_id} copyLabel="Copy client ID" />
          <SecretField label="Client secret" value={registered.client_secret} copyLabel="Copy client secret" />
          <Text size="sm">The integration sends each user to the consent page, then exchanges the code for tokens:</Text>
          <Code block>
            {`Consent page:   ${endpoints.authorize}\nToken endpoint: ${endpoints.token}\nAPI:            ${endpoints.apiBase}`}
          </Code>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function RegisterForm({ onRegistered }: { onRegistered: (r: Registered) => void }) {
  const [name, setName] = useState('');
  const [redirectUri, setRedirectUri] = useState('');
  const { submit, busy, fields, formError } = useFormSubmit(
    () => unwrap(api.POST('/api/v4/security/integrations', { body: { name: name.trim(), redirect_uri: redirectUri.trim() } })),
    {
      shown: ['name', 'redirect_uri'],
      refresh: [['integrations']],
      onDone: (answer) => {
        onRegistered({ name: name.trim(), client_id: answer.client_id, client_secret: answer.client_secret });
        setName('');
        setRedirectUri('');
      },
    },
  );
  return (
    <form onSubmit={submit} aria-label="Register an integration">
      <Stack gap="xs">
        <Group align="flex-start" wrap="wrap">
          <TextInput label="Integration name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fields.name} required w={260} />
          <TextInput
            label="Redirect URI"
            description="Where the consent page sends the user back with the code"
            placeholder="https://app.example.com/oauth/callback"
            value={redirectUri}
            onChange={(e) => setRedirectUri(e.currentTarget.value)}
            error={fields.redirect_uri}
            required
            w={420}
          />
        </Group>
        <FormActions error={formError} submit="Register integration" busy={busy} disabled={!name.trim() || !redirectUri.trim()} start />
      </Stack>
    </form>
  );
}

function IntegrationsTable({ integrations, userName, onDelete }: { integrations: Integration[]; userName: (id: number) => string; onDelete: (i: Integration) => void }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped verticalSpacing="xs">
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>Registered integrations</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Client ID</Table.Th>
            <Table.Th>Redirect URI</Table.Th>
            <Table.Th>Registered</Table.Th>
            <Table.Th>Tokens</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {integrations.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>{i.name}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {i.client_id}
                </Text>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>{i.redirect_uri}</Table.Td>
              <Table.Td>
                {formatDateTime(i.created_at)}, {userName(i.created_by)}
              </Table.Td>
              <Table.Td>{activeTokensLabel(i.active_tokens)}</Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="light" color="red" aria-label={`Delete integration ${i.name}`} onClick={() => onDelete(i)}>
                  Delete
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export default function IntegrationsPage() {
  const [registered, setRegistered] = useState<Registered | null>(null);
  const integrations = useQuery({ queryKey: ['integrations'], queryFn: listIntegrations });
  const tokens = useQuery({ queryKey: ['tokens', 'workspace'], queryFn: listAllTokens });
  const users = useUsers();
  const names = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  const userName = (id: number) => names.get(id) ?? `User ${id}`;
  const integrationName = (id: number) => integrations.data?.find((i) => i.id === id)?.name;

  const refresh = [['integrations'], ['tokens']];
  const removeIntegration = useRemoval<Integration>(
    (i) => unwrap(api.DELETE('/api/v4/security/integrations/{id}', { params: { path: { id: i.id } } })),
    { done: 'Integration deleted', failed: 'Integration not deleted', detail: (i) => `“${i.name}” and its tokens no longer work.` },
    refresh,
  );
  const revocation = useTokenRevocation<Token>(refresh);

  return (
    <Stack maw={1200}>
      <Title order={1}>Integrations</Title>
      <Paper withBorder p="lg" component="section" aria-labelledby="integrations-title">
        <Stack>
          <Title order={2} size="h3" id="integrations-title">
            OAuth integrations
          </Title>
          <Text size="sm" c="dimmed">
            An integration asks each user's consent, then acts as that user with that user's rights. Register it here and give its developer the client ID and secret.
          </Text>
          <RegisterForm onRegistered={setRegistered} />
          <QueryView query={integrations} empty="No integration is registered.">
            {(data) => <IntegrationsTable integrations={data} userName={userName} onDelete={removeIntegration.setPending} />}
          </QueryView>
        </Stack>
      </Paper>
      <Paper withBorder p="lg" component="section" aria-labelledby="all-tokens-title">
        <Stack>
          <Title order={2} size="h3" id="all-tokens-title">
            API tokens of the workspace
          </Title>
          <Text size="sm" c="dimmed">
            Every token that can reach the API now: personal tokens people made on their profile, and the tokens integrations hold.
          </Text>
          <QueryView query={tokens} empty="No API token is active.">
            {(data) => (
              <TokensTable
                tokens={data}
                caption="Active API tokens"
                userName={userName}
                integrationName={integrationName}
                revokingId={revocation.revokingId}
                onRevoke={revocation.onRevoke}
              />
            )}
          </QueryView>
        </Stack>
      </Paper>
      <RegisteredDialog registered={registered} onClose={() => setRegistered(null)} />
      <ConfirmDialog
        opened={removeIntegration.pending !== null}
        title="Delete integration"
        confirmLabel="Delete integration"
        busy={removeIntegration.mutation.isPending}
        onClose={() => removeIntegration.setPending(null)}
        onConfirm={() => removeIntegration.pending && removeIntegration.mutation.mutate(removeIntegration.pending)}
      >
        “{removeIntegration.pending?.name}” and every token it holds stop working at once, on every server. Its users would have to allow a newly registered integration again.
      </ConfirmDialog>
      {revocation.dialog}
    </Stack>
  );
}
