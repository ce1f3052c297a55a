// /customers/:id: one customer (Kommo's repeat buyer) — status, next purchase, periodicity,
// responsible user, tags and custom fields (edited with the same panels as leads, contacts and
// companies), linked contacts and company (those the user may view), its notes, tasks and recent
// activity (the sections of the other record pages) — and its edit form when the user's leads
// rights allow editing it (customers follow the leads' row of the matrix, without stage rights).
// "Why can I see this?", and for administrators "Check access" and "Who could see this record?".
// A customer the user may not view is a 404 like a missing one.
import { Field, StampField } from '../../components/records/Section';
import { Anchor, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { ApiError, fieldErrors } from '../../api/problem';
import type { components } from '../../api/schema';
import { Section } from '../../components/records/Section';
import { FormActions } from '../../components/FormActions';
import { WhyPanel } from '../../components/access/WhyPanel';
import { CustomFieldsPanel } from '../../components/extras/CustomFieldsPanel';
import { NotesPanel } from '../../components/extras/NotesPanel';
import { TagsPanel } from '../../components/extras/TagsPanel';
import { useCustomerStatuses, type Customer, type CustomerStatus } from '../../lib/customersApi';
import { customerStatusOf } from '../../lib/customersQuery';
import { formatPrice, formatTime } from '../../lib/format';
import { dayStart, nonNegativeInt } from '../../lib/listQuery';
import { levelAllows } from '../../lib/recordRights';
import { personName, usePeople } from '../../lib/recordsApi';
import { useDrafts } from '../../lib/useDrafts';
import { useRequiredWholeNumber } from '../../lib/wholeNumber';
import { useEffectiveUser } from '../../lib/useEffectiveUser';
import { LinkedRecords, RecordActivity, RecordTasks } from '../records/RecordSections';
import { RecordPending } from '../records/RecordPending';

// Unix seconds as the local calendar day (YYYY-MM-DD), as dayStart reads it back.
function localDay(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

type CustomerInput = components['schemas']['CustomerInput'];

interface CustomerDraft {
  name: string;
  next_price: number | string; // '' when the input is cleared
  next_day: string; // YYYY-MM-DD or ''
  periodicity: number | string;
  status: string | null;
}

const numberOf = (value: number | string) => (typeof value === 'number' ? value : Number(value) || 0);

function CustomerEditForm({ customer, statuses }: { customer: Customer; statuses: CustomerStatus[] }) {
  const queries = useQueryClient();
  // Only what changed is sent: an untouched next purchase keeps its time of day, and a field
  // changed elsewhere meanwhile (another user, the API) is not written back stale.
  const form = useDrafts<CustomerDraft>(
    {
      name: customer.name,
      next_price: customer.next_price,
      next_day: customer.next_date ? localDay(customer.next_date) : '',
      periodicity: customer.periodicity ?? '',
      status: String(customer.status_id),
    },
    {
      next_price: (draft, current) => numberOf(draft) === numberOf(current),
      periodicity: (draft, current) => String(draft) === String(current),
    },
  );
  const { change } = form;
  const body: CustomerInput = {
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.next_price !== undefined ? { next_price: numberOf(change.next_price) } : {}),
    // A day chosen here is its local midnight, as the list's day filters read days.
    ...(change.next_day !== undefined ? { next_date: change.next_day ? dayStart(change.next_day) : null } : {}),
    ...(change.periodicity !== undefined ? { periodicity: change.periodicity === '' ? null : Number(change.periodicity) } : {}),
    ...(change.status !== undefined ? { status_id: Number(change.status) } : {}),
  };
  const save = useMutation({
    mutationFn: (sent: CustomerInput) => unwrap(api.PATCH('/api/v4/customers/{id}', { params: { path: { id: customer.id } }, body: sent })),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Customer saved' });
      await Promise.all([queries.invalidateQueries({ queryKey: ['customers'] }), queries.invalidateQueries({ queryKey: ['events'] })]);
      form.reset();
    },
  });
  // An emptied amount is refused here rather than saved as 0, an amount nobody typed.
  const amount = useRequiredWholeNumber('Enter an amount (0 for none)');
  const errors: Record<string, string> = {
    ...(save.error instanceof ApiError ? fieldErrors(save.error.problem) : {}),
    ...(amount.error ? { next_price: amount.error } : {}),
  };
  const shown = ['name', 'next_price', 'next_date', 'periodicity', 'status_id'].some((k) => errors[k]);
  return (
    <Section title="Edit customer">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (amount.accepts(change.next_price)) save.mutate(body);
        }}
      >
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
            <TextInput label="Name" value={form.values.name} onChange={(e) => form.set('name', e.currentTarget.value)} error={errors.name} />
            <Select
              label="Status"
              data={statuses.map((s) => ({ value: String(s.id), label: s.name }))}
              value={form.values.status}
              onChange={(v) => form.set('status', v)}
              allowDeselect={false}
              error={errors.status_id}
            />
            <NumberInput label="Expected amount" value={form.values.next_price} onChange={(v) => form.set('next_price', v)} min={0} allowNegative={false} allowDecimal={false} thousandSeparator=" " error={errors.next_price} />
            <TextInput label="Next purchase" type="date" value={form.values.next_day} onChange={(e) => form.set('next_day', e.currentTarget.value)} error={errors.next_date} />
            <NumberInput label="Periodicity (days)" value={form.values.periodicity} onChange={(v) => form.set('periodicity', v)} min={0} allowNegative={false} allowDecimal={false} error={errors.periodicity} />
          </SimpleGrid>
          <FormActions error={save.isError && !shown ? save.error.message : null} errorTitle="Not saved" busy={save.isPending} disabled={!form.changed} />
        </Stack>
      </form>
    </Section>
  );
}

export default function CustomerPage() {
  const { id: param } = useParams();
  const id = nonNegativeInt(param ?? null);
  const customer = useQuery({
    queryKey: ['customers', 'one', id],
    enabled: id !== null,
    queryFn: () =>
      unwrap(api.GET('/api/v4/customers/{id}', { params: { path: { id: id ?? 0 } }, querySerializer: () => 'with=contacts,companies' })),
  });
  const statuses = useCustomerStatuses();
  const people = usePeople();
  const viewer = useEffectiveUser();

  if (id === null || customer.isError || !customer.data) return <RecordPending id={id} error={customer.error} what="customer" />;
  const c = customer.data;
  const who = (userId: number) => personName(people.data, userId);
  const responsible = people.data?.find((p) => p.id === c.responsible_user_id);
  // Customers follow the leads' rights (kommo-api-v4.md §7), stage rights aside.
  const editable =
    viewer.isAdmin ||
    viewer.rights?.is_admin === true ||
    (viewer.rights !== undefined &&
      people.data !== undefined &&
      levelAllows(viewer.rights.leads.edit, viewer, { responsibleUserId: c.responsible_user_id, responsibleGroupId: responsible?.groupId ?? 0 }));
  const status = customerStatusOf(statuses.data, c.status_id);
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/customers" size="sm">
        ← Customers
      </Anchor>
      <Group justify="space-between" align="center">
        <Title order={1}>{c.name || `Customer #${c.id}`}</Title>
        <WhyPanel entityType="customers" entityId={c.id} />
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
          <Field label="ID">{c.id}</Field>
          <Field label="Status">{status.name}</Field>
          <Field label="Next purchase">{c.next_date ? formatTime(c.next_date) : '—'}</Field>
          <Field label="Expected amount">{formatPrice(c.next_price)}</Field>
          <Field label="Periodicity">{c.periodicity ? `${c.periodicity} days` : '—'}</Field>
          <Field label="Responsible">{who(c.responsible_user_id)}</Field>
          <StampField label="Created" at={c.created_at} by={c.created_by} who={who} />
          <StampField label="Updated" at={c.updated_at} by={c.updated_by} who={who} />
        </SimpleGrid>
      </Paper>
      <TagsPanel key={`tags.${c.id}`} kind="customers" id={c.id} tags={c._embedded.tags} editable={editable} />
      <CustomFieldsPanel key={`fields.${c.id}`} kind="customers" id={c.id} values={c.custom_fields_values} editable={editable} viewer={viewer} />
      {editable ? (
        <CustomerEditForm key={`edit.${c.id}`} customer={c} statuses={statuses.data ?? []} />
      ) : (
        viewer.ready && (
          <Text size="sm" c="gray.7">
            You may view this customer but not edit it.
          </Text>
        )
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <LinkedRecords title="Contacts" kind="contacts" ids={c._embedded.contacts?.map((x) => x.id) ?? []} />
        <LinkedRecords title="Companies" kind="companies" ids={c._embedded.companies?.map((x) => x.id) ?? []} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <NotesPanel kind="customers" id={c.id} editable={editable} userId={viewer.userId} userName={who} />
        <RecordTasks kind="customers" id={c.id} viewer={viewer} people={people.data} />
        <RecordActivity kind="customers" id={c.id} people={people.data} />
      </SimpleGrid>
    </Stack>
  );
}
