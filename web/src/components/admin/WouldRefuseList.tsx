// What report-only mode would have refused: the ip_whitelist_would_refuse events the server
// writes instead of refusing (service/auth.cc), newest first.
import { Anchor, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { describeRefusal } from '../../lib/activityFilters';
import { listEvents } from '../../lib/adminApi';
import { LoadError } from './Dialogs';

const TYPE = 'ip_whitelist_would_refuse';

export function WouldRefuseList() {
  const events = useQuery({
    queryKey: ['events', 'would-refuse'],
    queryFn: () => listEvents({ type: TYPE }, 1, 20),
  });
  if (events.isPending) return <Text c="gray.7">Loading…</Text>;
  if (events.isError) return <LoadError error={events.error} />;
  if (events.data.events.length === 0) {
    return <Text>Nothing would have been refused so far.</Text>;
  }
  return (
    <Stack gap="xs">
      <Table aria-label="Requests report-only mode would have refused">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Address</Table.Th>
            <Table.Th>What</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.data.events.map((event) => {
            const refusal = describeRefusal(event.value_after);
            return (
              <Table.Tr key={event.id}>
                <Table.Td>{new Date(event.created_at * 1000).toLocaleString()}</Table.Td>
                <Table.Td>{refusal?.address ?? 'unknown'}</Table.Td>
                <Table.Td>{refusal?.what ?? event.entity_type}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Anchor component={Link} to={`/settings/activity?type=${TYPE}`}>
        All of them in the activity log
      </Anchor>
    </Stack>
  );
}
