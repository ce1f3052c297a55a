// The sections of a record page below its fields: linked records (only those the user may
// view: the API embeds no others), the record's tasks, and its recent activity (the events API
// shows every user the events of records they may view now).
import { Section, SectionNote } from '../../components/records/Section';
import { NewRecordButton } from '../../components/records/NewRecord';
import { Anchor, Badge, Group, List, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { TaskState } from '../../components/records/TaskState';
import { useEventTypes } from '../../lib/eventTypes';
import { formatTime } from '../../lib/format';
import type { Viewer } from '../../lib/recordRights';
import {
  personName,
  useRecordEvents,
  useRecordNames,
  useRecordTasks,
  type Person,
} from '../../lib/recordsApi';
import type { TaskEntityType } from '../../lib/tasks';

type LinkKind = 'leads' | 'contacts' | 'companies';

const linkPrefix: Record<LinkKind, string> = { leads: '/leads/', contacts: '/contacts/', companies: '/companies/' };

export function LinkedRecords({ title, kind, ids }: { title: string; kind: LinkKind; ids: number[] }) {
  const names = useRecordNames(kind, ids);
  return (
    <Section title={title}>
      {ids.length === 0 ? (
        <Text size="sm" c="gray.7">
          None you may view
        </Text>
      ) : (
        <List size="sm">
          {ids.map((id) => (
            <List.Item key={id}>
              <Anchor component={Link} to={`${linkPrefix[kind]}${id}`} size="sm">
                {names.data?.find((n) => n.id === id)?.name || `#${id}`}
              </Anchor>
            </List.Item>
          ))}
        </List>
      )}
    </Section>
  );
}

export function RecordTasks({ kind, id, viewer, people }: {
  kind: TaskEntityType;
  id: number;
  viewer: Viewer;
  people: Person[] | undefined;
}) {
  const tasks = useRecordTasks(kind, id);
  const now = Date.now() / 1000;
  return (
    <Section title="Tasks" action={<NewRecordButton kind="tasks" target={{ entityType: kind, entityId: id }} />}>
      <SectionNote error={tasks.error} empty={tasks.data?.length === 0} emptyText="No tasks you may view" />
      {tasks.data && tasks.data.length > 0 && (
        <Table verticalSpacing={4} fz="sm" aria-label="Tasks of this record">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Task</Table.Th>
              <Table.Th>Due</Table.Th>
              <Table.Th>Responsible</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tasks.data.map((task) => (
              <Table.Tr key={task.id} data-task-id={task.id}>
                <Table.Td>{task.text || `Task ${task.id}`}</Table.Td>
                <Table.Td>{formatTime(task.complete_till)}</Table.Td>
                <Table.Td>{personName(people, task.responsible_user_id)}</Table.Td>
                <Table.Td>
                  <TaskState task={task} now={now} viewer={viewer} people={people} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

export function RecordActivity({ kind, id, people }: { kind: TaskEntityType; id: number; people: Person[] | undefined }) {
  const events = useRecordEvents(kind, id);
  const types = useEventTypes();
  return (
    <Section title="Recent activity">
      <SectionNote error={events.error} empty={events.data?.length === 0} emptyText="No activity recorded" />
      {events.data && events.data.length > 0 && (
        <Stack gap={6} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {events.data.map((event) => (
            <Group key={event.id} component="li" gap="xs" wrap="nowrap" data-event-id={event.id}>
              <Badge variant="outline" color="dark" radius="sm" styles={{ root: { textTransform: 'none' } }}>
                {types.data?.get(event.type) ?? event.type}
              </Badge>
              <Text size="sm">
                {formatTime(event.created_at)} by {event.created_by ? personName(people, event.created_by) : 'the system'}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}
