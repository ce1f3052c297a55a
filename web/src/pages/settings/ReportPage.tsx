// /settings/report: the security report (GET /api/v4/security/report) as a dashboard: counts
// by severity, the users the findings name, and each finding with a link to the page that
// fixes it; then who the dormant-user rule deactivates within the next days, each linked to
// their user page.
import { Anchor, Badge, Button, Card, Group, List, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { LoadError } from '../../components/admin/Dialogs';
import { PageLoader } from '../../components/PageLoader';
import { getReport, type DormantDeactivations, type Finding } from '../../lib/adminApi';
import { formatTime } from '../../lib/format';
import { affectedLink, affectedUsers, findingFix, findingLink } from '../../lib/reportLinks';

const severities = [
  { key: 'high', label: 'High', color: 'red.9' },
  { key: 'medium', label: 'Medium', color: '#9c3d00' }, // dark orange: white text stays above 4.5:1
  { key: 'low', label: 'Low', color: 'blue.9' },
] as const;

function FindingCard({ finding }: { finding: Finding }) {
  const fix = findingLink(finding.code);
  const severity = severities.find((s) => s.key === finding.severity)!;
  const headingId = `finding-${finding.code}`;
  return (
    <Card withBorder component="article" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Badge color={severity.color} variant="filled" style={{ flexShrink: 0 }}>
              {severity.label}
            </Badge>
            <Title order={3} size="h5" id={headingId}>
              {finding.title}
            </Title>
          </Group>
          <Button component={Link} to={fix.to} size="xs" style={{ flexShrink: 0 }} aria-label={`${fix.label}: ${finding.title}`}>
            {fix.label}
          </Button>
        </Group>
        <Text size="sm">{findingFix(finding.code, finding.fix)}</Text>
        {finding.affected.length > 0 && (
          <List size="sm" aria-label={`Affected by: ${finding.title}`}>
            {finding.affected.slice(0, 20).map((entry) => {
              const to = affectedLink(entry);
              return (
                <List.Item key={`${entry.type}-${entry.id}`}>
                  {to ? (
                    <Anchor component={Link} to={to}>
                      {entry.name}
                    </Anchor>
                  ) : (
                    entry.name
                  )}{' '}
                  <Text span c="gray.7" size="sm">
                    ({entry.type}
                    {entry.detail ? `: ${entry.detail}` : ''})
                  </Text>
                </List.Item>
              );
            })}
            {finding.affected.length > 20 && <List.Item>and {finding.affected.length - 20} more</List.Item>}
          </List>
        )}
      </Stack>
    </Card>
  );
}

function DormantSection({ dormant, now }: { dormant: DormantDeactivations; now: number }) {
  const days = dormant.within_days;
  return (
    <Stack component="section" aria-labelledby="dormant-deactivations">
      <Title order={2} id="dormant-deactivations">
        Deactivations in the next {days} days
      </Title>
      {dormant.dormant_days === 0 ? (
        <Text>
          Automatic deactivation of dormant users is off.{' '}
          <Anchor component={Link} to="/settings/security">
            Set “Dormant after (days)” in the workspace policy
          </Anchor>{' '}
          to deactivate users without a login for that long.
        </Text>
      ) : (
        <>
          <Text size="sm">
            Users without a login for {dormant.dormant_days} days (counted from creation when they never logged in, and
            from their last reactivation) are deactivated automatically: their seat is freed, sessions and tokens end,
            their records stay. Reactivate them on their user page.
          </Text>
          {dormant.users.length === 0 ? (
            <Text>Nobody is due in the next {days} days.</Text>
          ) : (
            <Table aria-label={`Deactivations in the next ${days} days`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>User</Table.Th>
                  <Table.Th>Last login</Table.Th>
                  <Table.Th>Deactivation</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {dormant.users.map((user) => (
                  <Table.Tr key={user.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/settings/users/${user.id}`}>
                        {user.name}
                      </Anchor>{' '}
                      <Text span c="gray.7" size="sm">
                        {user.email}
                        {user.is_admin ? ', administrator' : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>{user.last_login_at ? formatTime(user.last_login_at) : 'never'}</Table.Td>
                    <Table.Td>{user.deactivate_at <= now ? 'at the next run (hourly)' : formatTime(user.deactivate_at)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {dormant.kept.map((user) => (
            <Text key={user.id} size="sm">
              <Anchor component={Link} to={`/settings/users/${user.id}`}>
                {user.name}
              </Anchor>{' '}
              is due too but stays active: the last active administrator is never deactivated.
            </Text>
          ))}
        </>
      )}
    </Stack>
  );
}

export default function ReportPage() {
  const report = useQuery({ queryKey: ['security', 'report'], queryFn: getReport });
  if (report.isPending) return <PageLoader />;
  if (report.isError) return <LoadError error={report.error} />;
  const { summary, findings, generated_at } = report.data;
  const users = affectedUsers(findings);
  const titleOf = new Map(findings.map((f) => [f.code, f.title]));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Security report</Title>
        <Button variant="default" onClick={() => void report.refetch()} loading={report.isFetching}>
          Check again
        </Button>
      </Group>
      <Text c="gray.7">Checked {new Date(generated_at * 1000).toLocaleString()}.</Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }} component="section" aria-label="Findings by severity">
        {severities.map((s) => (
          <Card key={s.key} withBorder>
            <Text size="sm" fw={600}>
              {s.label} severity
            </Text>
            <Text fz={32} fw={700} c={summary[s.key] > 0 ? s.color : undefined}>
              {summary[s.key]}
            </Text>
            <Text size="sm">{summary[s.key] === 1 ? 'finding' : 'findings'}</Text>
          </Card>
        ))}
      </SimpleGrid>
      {findings.length === 0 && <Text>No findings: the workspace follows every practice the report checks.</Text>}
      {severities.map((s) => {
        const group = findings.filter((f) => f.severity === s.key);
        if (group.length === 0) return null;
        return (
          <Stack key={s.key} component="section" aria-labelledby={`severity-${s.key}`}>
            <Title order={2} id={`severity-${s.key}`}>
              {s.label} severity
            </Title>
            {group.map((finding) => (
              <FindingCard key={finding.code} finding={finding} />
            ))}
          </Stack>
        );
      })}
      <DormantSection dormant={report.data.dormant_deactivations} now={generated_at} />
      {users.length > 0 && (
        <Stack component="section" aria-labelledby="affected-users">
          <Title order={2} id="affected-users">
            Affected users
          </Title>
          <Table aria-label="Affected users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>User</Table.Th>
                <Table.Th>Findings</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/settings/users/${user.id}`}>
                      {user.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{user.findings.map((code) => titleOf.get(code) ?? code).join(' · ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Stack>
  );
}
