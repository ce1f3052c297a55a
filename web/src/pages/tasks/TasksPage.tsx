// /tasks: the tasks the effective user may view, a page at a time, with "My tasks" (responsible
// = the effective user), done / not done, due dates (overdue said in words, not only in
// colour), "Mark done" where the user may edit the task, and a link to each task's record.
import { Anchor, Group, Paper, Radio, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { ListTable, ViewPager } from '../../components/records/ListControls';
import { ListState } from '../../components/records/ListState';
import { TaskState } from '../../components/records/TaskState';
import { NewRecordButton } from '../../components/records/NewRecord';
import { formatTime } from '../../lib/format';
import { pageOf, personName, usePeople, useRecordNames, type Named, type Task } from '../../lib/recordsApi';
import { parseTasksView, tasksListQuery, tasksViewSearch, type DoneFilter } from '../../lib/tasks';
import { useEffectiveUser } from '../../lib/useEffectiveUser';
import { useAddressView } from '../../lib/useAddressView';

const entityLabels = { leads: 'Lead', contacts: 'Contact', companies: 'Company', customers: 'Customer' } as const;

function idsOf(tasks: Task[], kind: keyof typeof entityLabels): number[] {
  return [...new Set(tasks.filter((t) => t.entity_type === kind && t.entity_id).map((t) => t.entity_id as number))];
}

type Kind = keyof typeof entityLabels;

// The task's record: a link when the user may view it (the names query found it), else its kind
// and id in words (a task can be visible while its record is not: they have separate rights).
function RecordCell({ kind, id, names }: {
  kind: Kind | null;
  id: number | null;
  names: Record<Kind, Named[] | undefined>;
}) {
  if (!kind || !id) return <>—</>;
  const label = `${entityLabels[kind]} #${id}`;
  if (!names[kind]) return <>{label}</>;
  const name = names[kind].find((n) => n.id === id)?.name;
  if (name === undefined) return <Text size="sm" c="gray.7">{label} (not visible to you)</Text>;
  return (
    <Anchor component={Link} to={`/${kind}/${id}`} size="sm">
      {name || label}
    </Anchor>
  );
}

export default function TasksPage() {
  const { view, search, change: go } = useAddressView(parseTasksView, tasksViewSearch);
  const viewer = useEffectiveUser();
  const people = usePeople();
  const query = tasksListQuery(view, viewer.userId);
  const tasks = useQuery({
    queryKey: ['tasks', 'list', query],
    queryFn: async ({ signal }) => {
      const body = await unwrap(api.GET('/api/v4/tasks', { querySerializer: () => query, signal }));
      return pageOf(body, body?._embedded.tasks);
    },
    placeholderData: (previous) => previous,
  });
  const rows = tasks.data?.items ?? [];
  const leadNames = useRecordNames('leads', idsOf(rows, 'leads'));
  const contactNames = useRecordNames('contacts', idsOf(rows, 'contacts'));
  const companyNames = useRecordNames('companies', idsOf(rows, 'companies'));
  const customerNames = useRecordNames('customers', idsOf(rows, 'customers'));
  const names = { leads: leadNames.data, contacts: contactNames.data, companies: companyNames.data, customers: customerNames.data };
  const ready = tasks.data !== undefined && !tasks.isPlaceholderData;
  const now = Date.now() / 1000;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>Tasks</Title>
        <NewRecordButton kind="tasks" />
      </Group>
      <Paper withBorder p="sm">
        <Group gap="xl" align="flex-end">
          <Switch
            label="My tasks"
            checked={view.mine}
            onChange={(e) => {
              const mine = e.currentTarget.checked;
              go((v) => ({ ...v, mine, page: 1 }));
            }}
          />
          <Radio.Group
            label="Show"
            value={view.done}
            onChange={(value) => go((v) => ({ ...v, done: value as DoneFilter, page: 1 }))}
          >
            <Group gap="md" mt={4}>
              <Radio value="open" label="Not done" />
              <Radio value="done" label="Done" />
              <Radio value="all" label="All" />
            </Group>
          </Radio.Group>
        </Group>
      </Paper>
      <ListState
        error={tasks.error}
        errorTitle="The tasks could not be loaded"
        loading={tasks.isPending}
        loadingLabel="Loading tasks"
        empty={tasks.data !== undefined && rows.length === 0}
        emptyText="No tasks match"
        ready={ready}
        search={search.toString()}
      >
        {rows.length > 0 && (
          <ListTable label="Tasks" minWidth={820} columns={['ID', 'Task', 'Record', 'Responsible', 'Due', 'State']}>
            {rows.map((task) => (
              <Table.Tr key={task.id} data-task-id={task.id}>
                <Table.Td>{task.id}</Table.Td>
                <Table.Td>{task.text || '—'}</Table.Td>
                <Table.Td>
                  <RecordCell kind={task.entity_type} id={task.entity_id} names={names} />
                </Table.Td>
                <Table.Td>{personName(people.data, task.responsible_user_id)}</Table.Td>
                <Table.Td>{formatTime(task.complete_till)}</Table.Td>
                <Table.Td>
                  <TaskState task={task} now={now} viewer={viewer} people={people.data} nowrap />
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </ListState>
      {tasks.data && <ViewPager view={view} change={go} hasNext={tasks.data.hasNext} ready={ready} />}
    </Stack>
  );
}
