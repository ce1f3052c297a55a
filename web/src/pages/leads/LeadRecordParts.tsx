// The parts of /leads/:id below its fields: the lead's tasks and recent activity (each as the API
// gives them to this user: GET /api/v4/tasks and GET /api/v4/events filtered to the lead), and
// the edit form, shown only when the user's rights allow editing this lead.
import { Section, SectionNote } from '../../components/records/Section';
import { NewRecordButton } from '../../components/records/NewRecord';
import { FormActions } from '../../components/FormActions';
import { Badge, Group, List, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { ApiError, fieldErrors } from '../../api/problem';
import { mayEditIn, type Mover } from '../../lib/board';
import { useEventTypes } from '../../lib/eventTypes';
import { formatTime } from '../../lib/format';
import type { Lead, Pipeline } from '../../lib/leadsApi';
import { useDrafts } from '../../lib/useDrafts';
import { useRequiredWholeNumber } from '../../lib/wholeNumber';

type LeadInput = components['schemas']['LeadInput'];

export function LeadTasks({ leadId, userName }: { leadId: number; userName: (id: number) => string }) {
  const tasks = useQuery({
    queryKey: ['tasks', 'of-lead', leadId],
    queryFn: async () => {
      const body = await unwrap(
        api.GET('/api/v4/tasks', {
          querySerializer: () => `filter[entity_type]=leads&filter[entity_id]=${leadId}&order[created_at]=desc&limit=50`,
        }),
      );
      return body?._embedded.tasks ?? []; // 204: none this user may view
    },
  });
  return (
    <Section title="Tasks" action={<NewRecordButton kind="tasks" target={{ entityType: 'leads', entityId: leadId }} />}>
      <SectionNote error={tasks.error} empty={tasks.data?.length === 0} emptyText="None you may view" />
      <List size="sm" spacing={4}>
        {tasks.data?.map((t) => (
          <List.Item key={t.id}>
            <Group gap={6} wrap="nowrap" align="flex-start">
              <Badge size="xs" variant="light" color={t.is_completed ? 'green' : 'gray'} style={{ flexShrink: 0 }}>
                {t.is_completed ? 'Done' : 'Open'}
              </Badge>
              <Text size="sm">
                {t.text || `Task #${t.id}`} — due {formatTime(t.complete_till)}, {userName(t.responsible_user_id)}
              </Text>
            </Group>
          </List.Item>
        ))}
      </List>
    </Section>
  );
}

export function LeadActivity({ leadId, userName }: { leadId: number; userName: (id: number) => string }) {
  const types = useEventTypes();
  const events = useQuery({
    queryKey: ['events', 'of-lead', leadId],
    queryFn: async () => {
      const body = await unwrap(
        api.GET('/api/v4/events', { querySerializer: () => `filter[entity]=lead&filter[entity_id]=${leadId}&limit=10` }),
      );
      return body?._embedded.events ?? [];
    },
  });
  return (
    <Section title="Recent activity">
      <SectionNote error={events.error} empty={events.data?.length === 0} emptyText="Nothing recorded yet" />
      <List size="sm" spacing={4}>
        {events.data?.map((e) => (
          <List.Item key={e.id}>
            {formatTime(e.created_at)} — {types.data?.get(e.type) ?? e.type}
            {e.created_by ? ` by ${userName(e.created_by)}` : ''}
          </List.Item>
        ))}
      </List>
    </Section>
  );
}

// The number a price input holds, or NaN when it holds none ('' when cleared): the form refuses to
// send that rather than saving a price nobody typed.
const priceOf = (value: number | string) => (typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value));

export function LeadEditForm({ lead, pipeline, mover }: { lead: Lead; pipeline: Pipeline | undefined; mover: Mover }) {
  const queries = useQueryClient();
  // Only what the user changed is sent: a stage moved on the board meanwhile, or a name changed
  // by someone else, is not written back with the values this form was opened with.
  const form = useDrafts<{ name: string; price: number | string; status: string | null }>(
    { name: lead.name, price: lead.price, status: String(lead.status_id) },
    { price: (draft, current) => priceOf(draft) === priceOf(current) || String(draft) === String(current) },
  );
  const { change } = form;
  const body: LeadInput = {
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.price !== undefined ? { price: priceOf(change.price) } : {}),
    // A stage is named within its pipeline, so the two travel together.
    ...(change.status !== undefined ? { pipeline_id: lead.pipeline_id, status_id: Number(change.status) } : {}),
  };
  const save = useMutation({
    mutationFn: (sent: LeadInput) => unwrap(api.PATCH('/api/v4/leads/{id}', { params: { path: { id: lead.id } }, body: sent })),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Lead saved' });
      await Promise.all([
        queries.invalidateQueries({ queryKey: ['leads'] }),
        queries.invalidateQueries({ queryKey: ['events', 'of-lead', lead.id] }),
      ]);
      form.reset();
    },
  });
  // Stages the lead may be moved to (and its own): as the server checks, edit where it is and
  // where it goes; the incoming-leads stage is never a target.
  const stages = (pipeline?._embedded.statuses ?? [])
    .filter((s) => s.id === lead.status_id || (s.type !== 1 && mayEditIn(mover, lead, lead.pipeline_id, s.id)))
    .map((s) => ({ value: String(s.id), label: s.name }));
  const problem = save.error instanceof ApiError ? save.error : null;
  // A price that is not a whole number is refused here; any other value (a negative one too) is
  // the server's to refuse, and its error lands on the field.
  const price = useRequiredWholeNumber('Enter a whole number (0 for no price)');
  const errors: Record<string, string> = { ...(problem ? fieldErrors(problem.problem) : {}), ...(price.error ? { price: price.error } : {}) };
  return (
    <Section title="Edit lead">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (price.accepts(change.price)) save.mutate(body);
        }}
      >
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput label="Name" value={form.values.name} onChange={(e) => form.set('name', e.currentTarget.value)} error={errors.name} />
            <NumberInput label="Price" value={form.values.price} onChange={(v) => form.set('price', v)} clampBehavior="none" allowDecimal={false} thousandSeparator=" " error={errors.price} />
            <Select
              label="Stage"
              data={stages}
              value={form.values.status}
              onChange={(v) => form.set('status', v)}
              allowDeselect={false}
              error={errors.status_id}
            />
          </Group>
          <FormActions
            error={save.isError && !errors.name && !errors.price && !errors.status_id ? save.error.message : null}
            errorTitle="Not saved"
            busy={save.isPending}
            disabled={!form.changed}
          />
        </Stack>
      </form>
    </Section>
  );
}
