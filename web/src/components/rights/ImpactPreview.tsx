// Before Save: who gains or loses how many records, per data set and action, and whose custom
// field rights change (from the impact preview), or the server's refusal of the change in words.
import { Alert, Anchor, Loader, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { fieldImpactLines, impactLines, impactSummary, userTotals, type ImpactReport, type ImpactUser } from '../../lib/impact';
import { fieldErrors } from '../../api/problem';
import { ApiError } from '../../api/problem';

interface Props {
  report: ImpactReport | null;
  error: Error | null;
  pending: boolean;
}

function refusal(error: Error): string {
  if (!(error instanceof ApiError)) return error.message;
  const fields = Object.entries(fieldErrors(error.problem)).filter(([path]) => path.includes('.') || path === 'body');
  if (fields.length > 0) return fields.map(([path, message]) => `${path}: ${message}`).join('; ');
  return error.message;
}

function RecordImpact({ user }: { user: ImpactUser }) {
  return (
    <Table withTableBorder striped aria-label={`Impact on ${user.name}`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Right</Table.Th>
          <Table.Th>Before</Table.Th>
          <Table.Th>After</Table.Th>
          <Table.Th>Records gained</Table.Th>
          <Table.Th>Records lost</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {impactLines(user.changes).map((line) => (
          <Table.Tr key={line.what}>
            <Table.Td>{line.what}</Table.Td>
            <Table.Td>{line.before}</Table.Td>
            <Table.Td>{line.after}</Table.Td>
            <Table.Td>{line.gained}</Table.Td>
            <Table.Td>{line.lost}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

// The custom fields whose view or edit right flips for this user.
function FieldImpact({ user }: { user: ImpactUser }) {
  return (
    <Table withTableBorder striped aria-label={`Field rights of ${user.name}`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Field</Table.Th>
          <Table.Th>Data set</Table.Th>
          <Table.Th>View before → after</Table.Th>
          <Table.Th>Edit before → after</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {fieldImpactLines(user.field_changes).map((line) => (
          <Table.Tr key={line.key}>
            <Table.Td>{line.field}</Table.Td>
            <Table.Td>{line.dataSet}</Table.Td>
            <Table.Td>{line.view}</Table.Td>
            <Table.Td>{line.edit}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ImpactPreview({ report, error, pending }: Props) {
  return (
    <Stack gap="sm" role="region" aria-label="Impact preview">
      <Group gap="xs">
        <Title order={3} size="h4">
          Impact preview
        </Title>
        {pending && <Loader size="xs" aria-label="Computing the impact" />}
      </Group>
      {error && (
        <Alert color="red" role="alert" title="The server refuses this change">
          {refusal(error)}
        </Alert>
      )}
      {report && !error && (
        <>
          <Text fw={500}>{impactSummary(report)}</Text>
          {report.affected_users.map((user) => (
            <Stack key={user.user_id} gap={4}>
              <Text>
                <Anchor component={Link} to={`/settings/users/${user.user_id}`}>
                  {user.name}
                </Anchor>{' '}
                {userTotals(user)}
              </Text>
              {user.changes.length > 0 && <RecordImpact user={user} />}
              {user.field_changes.length > 0 && <FieldImpact user={user} />}
            </Stack>
          ))}
        </>
      )}
    </Stack>
  );
}
