// The signed-in user's API tokens (/profile): create a personal token for a script or a private
// integration (shown once, with how to use it), see every token that acts as you (personal and
// those integrations obtained), and revoke any of them.
import { Alert, Button, Code, Group, Modal, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { allPages, pageLimit } from '../../lib/pages';
import { bearerExample, defaultExpiryDays, expiresAtFor, expiryChoices } from '../../lib/apiTokens';
import { SecretField } from './SecretField';
import { FormActions } from '../FormActions';
import { QueryView } from '../QueryView';
import { TokensTable } from './TokensTable';
import { useFormSubmit } from './useFormSubmit';
import { useTokenRevocation } from './useTokenRevocation';

type Token = NonNullable<Awaited<ReturnType<typeof listOwnTokens>>>[number];

function listOwnTokens() {
  return allPages(async (page) => {
    const body = await unwrap(api.GET('/api/v4/security/tokens', { params: { query: { page, limit: pageLimit } } }));
    return body && { items: body._embedded.tokens, hasNext: Boolean(body._links.next) };
  });
}

function CreatedTokenDialog({ token, onClose }: { token: { name: string; token: string } | null; onClose: () => void }) {
  return (
    <Modal opened={token !== null} onClose={onClose} title="Token created" centered size="lg">
      {token && (
        <Stack>
          <Alert color="yellow" title="Copy the token now">
            It is shown only this once. Whoever holds it acts as you, with your rights, until it expires or you revoke it.
          </Alert>
          <SecretField label={`Token “${token.name}”`} value={token.token} copyLabel="Copy token" />
          <Text size="sm">
            A script sends it in the <Code>Authorization</Code> header, for example:
          </Text>
          <Code block>{bearerExample(window.location.origin)}</Code>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function NewTokenForm({ onCreated }: { onCreated: (token: { name: string; token: string }) => void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState<string>(defaultExpiryDays);
  const { submit, busy, fields, formError } = useFormSubmit(
    () => unwrap(api.POST('/api/v4/security/tokens', { body: { name: name.trim(), expires_at: expiresAtFor(Number(days)) } })),
    {
      shown: ['name', 'expires_at'],
      refresh: [['tokens']],
      onDone: (created) => {
        setName('');
        onCreated({ name: created.name, token: created.token });
      },
    },
  );
  return (
    <form onSubmit={submit} aria-label="New API token">
      <Stack gap="xs">
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Token name" description="What uses it, e.g. “Invoice export”" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fields.name} required w={280} />
          <Select label="Expires after" data={expiryChoices} value={days} onChange={(v) => setDays(v ?? defaultExpiryDays)} allowDeselect={false} error={fields.expires_at} w={160} />
        </Group>
        <FormActions error={formError} submit="Create token" busy={busy} disabled={name.trim() === ''} start />
      </Stack>
    </form>
  );
}

export function ApiTokensSection() {
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const tokens = useQuery({ queryKey: ['tokens', 'own'], queryFn: listOwnTokens });
  const revocation = useTokenRevocation<Token>([['tokens']]);

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="tokens-title">
      <Stack>
        <Title order={2} size="h3" id="tokens-title">
          API tokens
        </Title>
        <Text size="sm" c="dimmed">
          A token lets a script or a private integration use the API as you, with your rights. Integrations you allowed access to get their own tokens, listed here too.
        </Text>
        <NewTokenForm onCreated={setCreated} />
        <QueryView query={tokens} empty="You have no API tokens.">
          {(data) => <TokensTable tokens={data} caption="Your API tokens" revokingId={revocation.revokingId} onRevoke={revocation.onRevoke} />}
        </QueryView>
      </Stack>
      <CreatedTokenDialog token={created} onClose={() => setCreated(null)} />
      {revocation.dialog}
    </Paper>
  );
}
