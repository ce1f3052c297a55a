// /settings/activity: the activity log with filters (actor, kind, target, time), paging
// through the API, CSV export with the same filters, and the hash chain's verification.
// Filters live in the address (?actor=&type=&entity=&entity_id=&from=&to=&page=), so a link
// from the security report opens the log already narrowed.
import { useUsers } from '../../lib/users';
import { Button, Card, Group, Select, SimpleGrid, Spoiler, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { ChainCheck } from '../../components/admin/ChainCheck';
import { LoadError } from '../../components/admin/Dialogs';
import { EventExport } from '../../components/admin/EventExport';
import { PageLoader } from '../../components/PageLoader';
import { eventsFilter, type ActivityFilters } from '../../lib/activityFilters';
import { changeText, describeChange } from '../../lib/eventChange';
import { listEvents, listEventTypes } from '../../lib/adminApi';

const PAGE_SIZE = 50;

const targets: { value: string; label: string }[] = [
  { value: 'lead', label: 'Leads' },
  { value: 'contact', label: 'Contacts' },
  { value: 'company', label: 'Companies' },
  { value: 'task', label: 'Tasks' },
  { value: 'customer', label: 'Customers' },
  { value: 'user', label: 'Users' },
  { value: 'role', label: 'Roles' },
  { value: 'group', label: 'Groups' },
  { value: 'pipeline', label: 'Pipelines' },
  { value: 'status', label: 'Stages' },
  { value: 'account', label: 'Account settings' },
  { value: 'session', label: 'Sessions' },
  { value: 'token', label: 'API tokens' },
  { value: 'integration', label: 'Integrations' },
  { value: 'login', label: 'Sign-in' },
  { value: 'event', label: 'Activity log' },
];

// What an event changed, a line a value; long changes (a whole rights matrix) fold.
function Change({ before, after }: { before: unknown; after: unknown }) {
  const lines = describeChange(before, after).map(changeText);
  if (lines.length === 0) return null;
  return (
    <Spoiler maxHeight={110} showLabel="Show all changes" hideLabel="Show fewer changes">
      {lines.map((line) => (
        <Text key={line} size="sm" style={{ wordBreak: 'break-word' }}>
          {line}
        </Text>
      ))}
    </Spoiler>
  );
}

export default function ActivityPage() {
  const [params, setParams] = useSearchParams();
  const filters: ActivityFilters = {
    actor: params.get('actor') ?? '',
    type: params.get('type') ?? '',
    entity: params.get('entity') ?? '',
    entityId: params.get('entity_id') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const page = Math.max(1, Number(params.get('page')) || 1);

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key === 'entity' && !value) next.delete('entity_id');
    next.delete('page');
    setParams(next, { replace: true });
  };
  const goTo = (n: number) => {
    const next = new URLSearchParams(params);
    if (n > 1) next.set('page', String(n));
    else next.delete('page');
    setParams(next);
  };

  const users = useUsers();
  const types = useQuery({ queryKey: ['events', 'types'], queryFn: listEventTypes, staleTime: Infinity });
  const filter = eventsFilter(filters);
  const events = useQuery({
    queryKey: ['events', 'list', filter, page],
    queryFn: () => listEvents(filter, page, PAGE_SIZE),
    placeholderData: keepPreviousData,
  });

  const userName = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  const typeName = new Map((types.data ?? []).map((t) => [t.key, t.lang]));
  const actor = (id: number) => (id === 0 ? 'System / anonymous' : (userName.get(id) ?? `User ${id}`));

  return (
    <Stack>
      <Title order={1}>Activity log</Title>
      <Card withBorder component="section" aria-labelledby="filters-title">
        <Stack>
          <Title order={2} size="h4" id="filters-title">
            Filters
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }}>
            <Select
              label="Actor"
              placeholder="Anyone"
              searchable
              clearable
              data={(users.data ?? []).map((u) => ({ value: String(u.id), label: u.name }))}
              value={filters.actor || null}
              onChange={(v) => set('actor', v)}
            />
            <Select
              label="Kind"
              placeholder="Any kind"
              searchable
              clearable
              data={(types.data ?? []).map((t) => ({ value: t.key, label: t.lang }))}
              value={filters.type || null}
              onChange={(v) => set('type', v)}
            />
            <Select label="Target" placeholder="Anything" clearable data={targets} value={filters.entity || null} onChange={(v) => set('entity', v)} />
            <TextInput
              label="Target id"
              disabled={!filters.entity}
              inputMode="numeric"
              value={filters.entityId}
              onChange={(e) => set('entity_id', e.currentTarget.value.replace(/\D/g, ''))}
            />
            <TextInput label="From" type="date" value={filters.from} onChange={(e) => set('from', e.currentTarget.value)} />
            <TextInput label="To" type="date" value={filters.to} onChange={(e) => set('to', e.currentTarget.value)} />
          </SimpleGrid>
          <Group justify="space-between" align="flex-start">
            <EventExport query={{ filter }} />
            <ChainCheck />
          </Group>
        </Stack>
      </Card>
      {events.isPending ? (
        <PageLoader />
      ) : events.isError ? (
        <LoadError error={events.error} />
      ) : (
        <>
          <Table striped aria-label="Events">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Change</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.data.events.map((event) => (
                <Table.Tr key={event.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{new Date(event.created_at * 1000).toLocaleString()}</Table.Td>
                  <Table.Td>{actor(event.created_by)}</Table.Td>
                  <Table.Td title={event.type}>{typeName.get(event.type) ?? event.type}</Table.Td>
                  <Table.Td>
                    {event.entity_type}
                    {event.entity_id ? ` ${event.entity_id}` : ''}
                  </Table.Td>
                  <Table.Td>
                    <Change before={event.value_before} after={event.value_after} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {events.data.events.length === 0 && <Text>No events match these filters.</Text>}
          <Group justify="space-between">
            <Button variant="default" disabled={page <= 1} onClick={() => goTo(page - 1)}>
              Previous page
            </Button>
            <Text aria-live="polite">Page {page}</Text>
            <Button variant="default" disabled={!events.data.hasNext} onClick={() => goTo(page + 1)}>
              Next page
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
