// Successful and failed logins per day (GET /api/v4/security/login_stats), as a bar chart with
// its text alternative: a one-sentence summary (the chart's accessible name) and the numbers
// as a table. Loaded on demand: the charting library stays out of every other page.
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getLoginStats } from '../../lib/adminApi';
import { loginSummary } from '../../lib/loginStats';
import { LoadError } from './Dialogs';

export default function LoginChart({ days = 30 }: { days?: number }) {
  const stats = useQuery({ queryKey: ['security', 'login-stats', days], queryFn: () => getLoginStats(days) });
  if (stats.isPending) return <Text c="gray.7">Loading…</Text>;
  if (stats.isError) return <LoadError error={stats.error} />;
  const summary = loginSummary(stats.data);
  const data = stats.data.map((d) => ({ date: d.date.slice(5), Successful: d.succeeded, Failed: d.failed }));
  return (
    <Stack gap="xs">
      <figure aria-labelledby="login-chart-summary" style={{ margin: 0 }}>
        <figcaption id="login-chart-summary">
          <Text>{summary}</Text>
        </figcaption>
        <BarChart
          h={220}
          data={data}
          dataKey="date"
          withLegend
          series={[
            { name: 'Successful', color: 'teal.8' },
            { name: 'Failed', color: 'red.8' },
          ]}
        />
      </figure>
      <details>
        <summary>Logins per day as a table</summary>
        <Table aria-label="Logins per day">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date (UTC)</Table.Th>
              <Table.Th>Successful</Table.Th>
              <Table.Th>Failed</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...stats.data].reverse().map((d) => (
              <Table.Tr key={d.date}>
                <Table.Td>{d.date}</Table.Td>
                <Table.Td>{d.succeeded}</Table.Td>
                <Table.Td>{d.failed}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </details>
    </Stack>
  );
}
