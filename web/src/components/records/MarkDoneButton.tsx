// "Mark done" on an open task (PATCH /api/v4/tasks/{id} is_completed): offered by the caller
// only when the effective user may edit the task; a refusal is shown in the server's words.
import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { Task } from '../../lib/recordsApi';

export function MarkDoneButton({ task }: { task: Task }) {
  const queries = useQueryClient();
  // The accessible name starts with the visible text (WCAG 2.5.3), then says which task.
  const label = `Mark done: ${task.text || 'task'} (task ${task.id})`;
  const done = useMutation({
    mutationFn: () =>
      unwrap(api.PATCH('/api/v4/tasks/{id}', { params: { path: { id: task.id } }, body: { is_completed: true } })),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['tasks'] });
      notifications.show({ color: 'green', message: `Task ${task.id} marked done.` });
    },
    onError: (error) => {
      notifications.show({ color: 'red', title: 'The task was not changed', message: error.message });
    },
  });
  return (
    <Button size="compact-sm" variant="light" aria-label={label} loading={done.isPending} onClick={() => done.mutate()}>
      Mark done
    </Button>
  );
}
