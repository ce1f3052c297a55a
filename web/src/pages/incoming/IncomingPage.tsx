// /incoming: incoming leads (GET /api/v4/leads/unsorted) a page at a time, each with the channel
// it came in on; a call (sip) shows its phone, length and recording instead of a form's contacts
// (lib/incoming.ts). A pending one can be accepted into a chosen stage of its pipeline
// (POST …/{uid}/accept with status_id) or declined (DELETE …/{uid}/decline), each offered only
// when the effective user's incoming-leads rights allow it; accepting creates a lead, so it also
// needs leads add and offers only the stages the user's stage rights let a lead enter. Refusals
// are shown in the server's words. Above the list, one line sums up every item the user may view
// (GET /api/v4/leads/unsorted/summary), refreshed with the list after each decision.
import { Anchor, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { NoAccess } from '../../components/access/NoAccess';
import { ListTable, Pager } from '../../components/records/ListControls';
import { ListState } from '../../components/records/ListState';
import { formatPrice, formatTime } from '../../lib/format';
import { incomingCall, incomingCategoryLabel, incomingName, incomingSummaryLine } from '../../lib/incoming';
import { usePipelines, type Pipeline } from '../../lib/leadsApi';
import { leadPermissions } from '../../lib/leadRights';
import { pageLimit, positiveInt } from '../../lib/listQuery';
import { pageOf } from '../../lib/recordsApi';
import { incomingActions } from '../../lib/recordRights';
import { useEffectiveUser } from '../../lib/useEffectiveUser';

type Incoming = components['schemas']['IncomingLead'];

// Where the item came from, and for a call its length and recording.
function Source({ item }: { item: Incoming }) {
  const call = incomingCall(item);
  return (
    <>
      {item.source_name || item.source_uid} ({incomingCategoryLabel(item.category)})
      {call && (
        <Text size="xs" c="gray.7">
          Call of {call.duration}
          {call.link && (
            <>
              {' · '}
              <Anchor href={call.link} target="_blank" rel="noopener noreferrer" size="xs" underline="always">
                Recording
              </Anchor>
            </>
          )}
        </Text>
      )}
    </>
  );
}

// Who the item brings: the form's contacts, or the number a call came from.
function contactsOf(item: Incoming): string {
  const names = item._embedded.contacts.map((c) => c.name).join(', ');
  return names || incomingCall(item)?.phone || '—';
}

function Actions({ item, pipeline, canAccept, canDecline, canEnter }: {
  item: Incoming;
  pipeline: Pipeline | undefined;
  canAccept: boolean;
  canDecline: boolean;
  canEnter: (pipelineId: number, statusId: number) => boolean;
}) {
  const queries = useQueryClient();
  // Working stages a lead may enter (type 0; the incoming-leads stage itself is type 1).
  const stages = (pipeline?._embedded.statuses ?? []).filter((s) => s.type === 0 && canEnter(item.pipeline_id, s.id));
  // The first allowed stage until one is chosen (the pipelines may arrive after the item).
  const [chosen, setStage] = useState<string | null>(null);
  const stage = stages.some((s) => String(s.id) === chosen) ? chosen : stages[0] ? String(stages[0].id) : null;
  const name = incomingName(item);
  const done = async (message: string) => {
    await queries.invalidateQueries({ queryKey: ['incoming'] });
    await queries.invalidateQueries({ queryKey: ['leads'] });
    notifications.show({ color: 'green', message });
  };
  const refused = (title: string) => (error: Error) => notifications.show({ color: 'red', title, message: error.message });
  const accept = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v4/leads/unsorted/{uid}/accept', {
          params: { path: { uid: item.uid } },
          body: { status_id: Number(stage) },
        }),
      ),
    onSuccess: (body) => done(`${name} accepted as lead ${body._embedded.leads[0]?.id ?? ''}.`),
    onError: refused(`${name} was not accepted`),
  });
  const decline = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v4/leads/unsorted/{uid}/decline', { params: { path: { uid: item.uid } } })),
    onSuccess: () => done(`${name} declined.`),
    onError: refused(`${name} was not declined`),
  });
  const acceptable = canAccept && stages.length > 0;
  if (!acceptable && !canDecline) return <Text size="sm" c="gray.7">No action allowed</Text>;
  return (
    <Group gap="xs" wrap="nowrap">
      {acceptable && (
        <>
          <Select
            aria-label={`Stage for ${name}`}
            size="xs"
            w={150}
            allowDeselect={false}
            data={stages.map((s) => ({ value: String(s.id), label: s.name }))}
            value={stage}
            onChange={setStage}
          />
          <Button size="compact-sm" aria-label={`Accept ${name}`} loading={accept.isPending} disabled={!stage} onClick={() => accept.mutate()}>
            Accept
          </Button>
        </>
      )}
      {canDecline && (
        <Button size="compact-sm" color="red" variant="light" aria-label={`Decline ${name}`} loading={decline.isPending} onClick={() => decline.mutate()}>
          Decline
        </Button>
      )}
    </Group>
  );
}

// The summary line; nothing while it loads, and the refusal in the server's words if it fails.
function Summary() {
  const summary = useQuery({
    queryKey: ['incoming', 'summary'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v4/leads/unsorted/summary', { signal })),
  });
  return (
    <Text component="section" aria-label="Incoming summary" aria-live="polite" size="sm" c={summary.error ? 'red' : undefined}>
      {summary.error
        ? `The summary could not be loaded: ${summary.error.message}`
        : summary.data
          ? incomingSummaryLine(summary.data)
          : '\u00a0'}
    </Text>
  );
}

export default function IncomingPage() {
  const [search, setSearch] = useSearchParams();
  const page = positiveInt(search.get('page')) ?? 1;
  const limit = pageLimit(search.get('limit'));
  const viewer = useEffectiveUser();
  const allowed = incomingActions(viewer);
  const pipelines = usePipelines();
  const items = useQuery({
    queryKey: ['incoming', page, limit],
    enabled: allowed.view,
    queryFn: async ({ signal }) => {
      const body = await unwrap(
        api.GET('/api/v4/leads/unsorted', { querySerializer: () => `page=${page}&limit=${limit}`, signal }),
      );
      return pageOf(body, body?._embedded.unsorted);
    },
    placeholderData: (previous) => previous,
  });
  const canEnter = leadPermissions(viewer.rights, viewer.isAdmin).canEnterStage;
  const go = (next: { page: number; limit: number }) => {
    const out = new URLSearchParams();
    if (next.page > 1) out.set('page', String(next.page));
    if (next.limit !== pageLimit(null)) out.set('limit', String(next.limit));
    setSearch(out);
  };
  const rows = items.data?.items ?? [];
  const ready = items.data !== undefined && !items.isPlaceholderData;

  if (viewer.ready && !allowed.view) {
    return (
      <NoAccess title="Incoming leads" alertTitle="No access to incoming leads">
        Your rights do not include viewing incoming leads. An administrator can grant it in your
        rights (Incoming leads view).
      </NoAccess>
    );
  }
  return (
    <Stack gap="md">
      <Title order={1}>Incoming leads</Title>
      <Summary />
      <ListState
        error={items.error}
        errorTitle="The incoming leads could not be loaded"
        loading={items.isPending || !viewer.ready}
        loadingLabel="Loading incoming leads"
        empty={items.data !== undefined && rows.length === 0}
        emptyText="No incoming leads"
        ready={ready}
      >
        {rows.length > 0 && (
          <ListTable
            label="Incoming leads"
            minWidth={980}
            columns={['Incoming lead', 'Source', 'Contact', 'Pipeline', 'Received', 'State', 'Actions']}
          >
            {rows.map((item) => {
              const pipeline = pipelines.data?.find((p) => p.id === item.pipeline_id);
              const lead = item._embedded.leads[0];
              return (
                <Table.Tr key={item.uid} data-uid={item.uid}>
                  <Table.Td>
                    {item.state === 'accepted' && lead?.id ? (
                      <Anchor component={Link} to={`/leads/${lead.id}`} size="sm">
                        {incomingName(item)}
                      </Anchor>
                    ) : (
                      incomingName(item)
                    )}
                    {lead && lead.price > 0 && (
                      <Text size="xs" c="gray.7">
                        {formatPrice(lead.price)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Source item={item} />
                  </Table.Td>
                  <Table.Td>{contactsOf(item)}</Table.Td>
                  <Table.Td>{pipeline?.name ?? `Pipeline ${item.pipeline_id}`}</Table.Td>
                  <Table.Td>{formatTime(item.created_at)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {item.state === 'pending' ? 'Waiting' : item.state === 'accepted' ? 'Accepted' : 'Declined'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {item.state === 'pending' ? (
                      <Actions
                        item={item}
                        pipeline={pipeline}
                        canAccept={allowed.accept}
                        canDecline={allowed.decline}
                        canEnter={canEnter}
                      />
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </ListTable>
        )}
      </ListState>
      {items.data && (
        <Pager
          page={page}
          limit={limit}
          hasNext={items.data.hasNext}
          ready={ready}
          onPage={(p) => go({ page: p, limit })}
          onLimit={(l) => go({ page: 1, limit: l })}
        />
      )}
    </Stack>
  );
}
