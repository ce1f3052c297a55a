// A task's state cell in a task table: its due state in words (overdue in bold red too, so colour
// is not the only cue), and "Mark done" on an open task the effective user may edit.
import { Group, Text } from '@mantine/core';
import { taskActions, type Viewer } from '../../lib/recordRights';
import type { Person, Task } from '../../lib/recordsApi';
import { dueState, isOverdue } from '../../lib/tasks';
import { MarkDoneButton } from './MarkDoneButton';

export function TaskState({ task, now, viewer, people, nowrap = false }: {
  task: Task;
  now: number; // Unix seconds
  viewer: Viewer;
  people: Person[] | undefined;
  nowrap?: boolean;
}) {
  const overdue = isOverdue(task, now);
  const ownership = {
    responsibleUserId: task.responsible_user_id,
    responsibleGroupId: people?.find((p) => p.id === task.responsible_user_id)?.groupId,
  };
  return (
    <Group gap="xs" wrap={nowrap ? 'nowrap' : undefined}>
      <Text size="sm" c={overdue ? 'red.9' : undefined} fw={overdue ? 700 : undefined}>
        {dueState(task, now)}
      </Text>
      {!task.is_completed && taskActions(viewer, ownership).edit && <MarkDoneButton task={task} />}
    </Group>
  );
}
