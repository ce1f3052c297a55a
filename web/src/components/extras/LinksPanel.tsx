// A record's links (GET /{kind}/{id}/links: only to records this user may view), with unlink
// and link for whoever may edit the record (the server also asks view on the other record, and
// reports one this user may not view as missing). Leads link to contacts and companies;
// contacts and companies link to leads (a contact and a company are linked through leads).
import { ActionIcon, Alert, Anchor, Button, Group, List, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { ApiError, fieldErrors } from '../../api/problem';
import type { LinkKind } from '../../lib/links';
import { kindPath, useLinks } from '../../lib/extrasApi';
import { linkTargets, targetLabel } from '../../lib/links';
import { useRecordNames, type Named } from '../../lib/recordsApi';
import { Section } from '../records/Section';

// Records of `kind` whose name matches what was typed, for the picker.
function useCandidates(kind: LinkKind, query: string) {
  return useQuery({
    queryKey: [kind, 'pick', query],
    enabled: query.trim().length > 0,
    queryFn: async ({ signal }): Promise<Named[]> => {
      const querySerializer = () => `query=${encodeURIComponent(query.trim())}&limit=20`;
      if (kind === 'leads') return (await unwrap(api.GET('/api/v4/leads', { querySerializer, signal })))?._embedded.leads ?? [];
      if (kind === 'contacts') return (await unwrap(api.GET('/api/v4/contacts', { querySerializer, signal })))?._embedded.contacts ?? [];
      return (await unwrap(api.GET('/api/v4/companies', { querySerializer, signal })))?._embedded.companies ?? [];
    },
  });
}

function LinkForm({ kind, id, target, onLinked }: { kind: LinkKind; id: number; target: LinkKind; onLinked: () => Promise<void> }) {
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search, 250);
  const [chosen, setChosen] = useState<string | null>(null);
  const candidates = useCandidates(target, query);
  const link = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST(kindPath(kind, '/api/v4/leads/{id}/link'), {
          params: { path: { id } },
          body: [{ to_entity_id: Number(chosen), to_entity_type: target }],
        }),
      ),
    onSuccess: async () => {
      setChosen(null);
      setSearch('');
      notifications.show({ color: 'green', message: 'Linked' });
      await onLinked();
    },
  });
  const errors = link.error instanceof ApiError ? fieldErrors(link.error.problem) : {};
  const pickError = errors.to_entity_id ?? errors.to_entity_type;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen) link.mutate();
      }}
    >
      <Stack gap={4}>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <Select
            label={`${targetLabel(target)} to link`}
            placeholder="Type a name"
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            data={(candidates.data ?? []).map((r) => ({ value: String(r.id), label: r.name || `#${r.id}` }))}
            value={chosen}
            onChange={setChosen}
            nothingFoundMessage={query.trim() ? 'Nothing you may view matches' : 'Type to search'}
            filter={({ options }) => options}
            error={pickError}
            style={{ flex: 1 }}
          />
          <Button type="submit" disabled={!chosen} loading={link.isPending}>
            Link
          </Button>
        </Group>
        {link.isError && !pickError && (
          <Alert color="red" role="alert" title="Not linked">
            {link.error.message}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

const prefix: Record<LinkKind, string> = { leads: '/leads/', contacts: '/contacts/', companies: '/companies/' };

// One section per kind of linked record ("Contacts" and "Companies" on a lead, "Leads" on a
// contact or company). `embedded` (the ids the record was read with) is shown until the links
// are loaded.
export function LinksPanel({ kind, id, editable, embedded }: {
  kind: LinkKind;
  id: number;
  editable: boolean;
  embedded: Partial<Record<LinkKind, number[]>>;
}) {
  const queries = useQueryClient();
  const links = useLinks(kind, id, embedded);
  const all = links.data ?? [];
  const refresh = async () => {
    await Promise.all([
      queries.invalidateQueries({ queryKey: ['links'] }),
      queries.invalidateQueries({ queryKey: [kind, 'one', id] }),
      queries.invalidateQueries({ queryKey: ['events'] }),
    ]);
  };
  const unlink = useMutation({
    mutationFn: (to: { to_entity_id: number; to_entity_type: LinkKind }) =>
      unwrap(api.POST(kindPath(kind, '/api/v4/leads/{id}/unlink'), { params: { path: { id } }, body: [to] })),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Unlinked' });
      await refresh();
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Not unlinked', message: error.message }),
  });
  return (
    <>
      {linkTargets(kind).map((t) => (
        <LinkedOf
          key={t}
          target={t}
          ids={all.filter((l) => l.to_entity_type === t).map((l) => l.to_entity_id)}
          main={all.filter((l) => l.metadata?.main_contact).map((l) => l.to_entity_id)}
          error={links.error}
          unlinking={unlink.isPending ? (unlink.variables?.to_entity_id ?? null) : null}
          onUnlink={editable ? (to) => unlink.mutate({ to_entity_id: to, to_entity_type: t }) : null}
        >
          {editable && <LinkForm kind={kind} id={id} target={t} onLinked={refresh} />}
        </LinkedOf>
      ))}
    </>
  );
}

function LinkedOf({ target, ids, main, error, unlinking, onUnlink, children }: {
  target: LinkKind;
  ids: number[];
  main: number[];
  error: Error | null;
  unlinking: number | null;
  onUnlink: ((id: number) => void) | null;
  children: React.ReactNode;
}) {
  const names = useRecordNames(target, ids);
  return (
    <Section title={targetLabel(target, true)}>
      <Stack gap="sm">
        {error && (
          <Text size="sm" c="red.9" role="alert">
            {error.message}
          </Text>
        )}
        {ids.length === 0 ? (
          <Text size="sm" c="gray.7">
            None you may view
          </Text>
        ) : (
          <List size="sm">
            {ids.map((to) => {
              const name = names.data?.find((n) => n.id === to)?.name || `#${to}`;
              return (
                <List.Item key={to}>
                  <Group gap={6} wrap="nowrap">
                    <Anchor component={Link} to={`${prefix[target]}${to}`} size="sm">
                      {name}
                    </Anchor>
                    {target === 'contacts' && main.includes(to) && (
                      <Text size="xs" c="gray.7">
                        (main contact)
                      </Text>
                    )}
                    {onUnlink && (
                      <ActionIcon size="sm" variant="subtle" color="red" aria-label={`Unlink ${name}`} loading={unlinking === to} onClick={() => onUnlink(to)}>
                        ×
                      </ActionIcon>
                    )}
                  </Group>
                </List.Item>
              );
            })}
          </List>
        )}
        {children}
      </Stack>
    </Section>
  );
}
