// "New lead", "New contact", "New company", "New task", "New customer": one button and one
// dialog for every kind of record (what each kind asks and sends: lib/newRecords.ts). The
// button is shown only when the effective user (the one an administrator views as, too) may
// create that kind; the server still decides, and its field errors land on their inputs. A new
// lead, contact, company or customer is opened at once; a new task refreshes the lists it
// belongs to, with a notification.
import { Alert, Button, Modal, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { ApiError, fieldErrors } from '../../api/problem';
import type { components } from '../../api/schema';
import { useCustomerStatuses } from '../../lib/customersApi';
import { usePipelines } from '../../lib/leadsApi';
import {
  createsPeople,
  emptyDraft,
  mayCreate,
  newKindWords,
  newLeadFieldErrors,
  newRecordBody,
  responsibleChoices,
  stagesForNewLead,
  type NewKind,
  type NewRecordBody,
  type NewRecordDraft,
  type TaskTarget,
} from '../../lib/newRecords';
import { usePeople } from '../../lib/recordsApi';
import { FormActions } from '../FormActions';
import { useEffectiveUser, type EffectiveUser } from '../../lib/useEffectiveUser';

type Schemas = components['schemas'];

const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

// The fields each kind's errors may name; anything else is said above the buttons.
const shownFields: Record<NewKind, string[]> = {
  leads: ['name', 'price', 'pipeline_id', 'status_id', 'responsible_user_id', 'contact_name', 'company_name'],
  contacts: ['name', 'first_name', 'last_name', 'responsible_user_id'],
  companies: ['name', 'responsible_user_id'],
  tasks: ['text', 'complete_till', 'task_type_id', 'entity_id', 'entity_type', 'responsible_user_id'],
  customers: ['name', 'next_price', 'next_date', 'status_id', 'responsible_user_id'],
};

// The new contact and company a new lead may bring: who must be allowed to add them, the draft
// field, the input's label.
const newPeople = [
  ['contacts', 'contact_name', 'Contact name'],
  ['companies', 'company_name', 'Company name'],
] as const;

// POST /api/v4/{kind} with one record (a lead with a new contact or company: POST
// /api/v4/leads/complex, which creates them together or not at all); the id the server gave it.
// (The body holds exactly the fields newRecordBody gives the kind.)
async function create(kind: NewKind, body: NewRecordBody): Promise<number> {
  switch (kind) {
    case 'leads':
      if (createsPeople(body)) {
        return (await unwrap(api.POST('/api/v4/leads/complex', { body: [body as Schemas['LeadComplexInput']] })))[0]!.id;
      }
      return (await unwrap(api.POST('/api/v4/leads', { body: [body as Schemas['LeadInput']] })))._embedded.leads[0]!.id;
    case 'contacts':
      return (await unwrap(api.POST('/api/v4/contacts', { body: [body as Schemas['ContactInput']] })))._embedded.contacts[0]!.id;
    case 'companies':
      return (await unwrap(api.POST('/api/v4/companies', { body: [body as Schemas['CompanyInput']] })))._embedded.companies[0]!.id;
    case 'tasks':
      return (await unwrap(api.POST('/api/v4/tasks', { body: [body as Schemas['TaskInput']] })))._embedded.tasks[0]!.id;
    case 'customers':
      return (await unwrap(api.POST('/api/v4/customers', { body: [body as Schemas['CustomerInput']] })))._embedded.customers[0]!.id;
  }
}

export function NewRecordButton({ kind, target }: { kind: NewKind; target?: TaskTarget }) {
  const viewer = useEffectiveUser();
  const [open, setOpen] = useState(false);
  if (!viewer.ready || !mayCreate(viewer, kind)) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)}>New {newKindWords[kind]}</Button>
      {open && <NewRecordDialog kind={kind} target={target} viewer={viewer} onClose={() => setOpen(false)} />}
    </>
  );
}

function NewRecordDialog({ kind, target, viewer, onClose }: {
  kind: NewKind;
  target: TaskTarget | undefined;
  viewer: EffectiveUser;
  onClose: () => void;
}) {
  const word = newKindWords[kind];
  const queries = useQueryClient();
  const navigate = useNavigate();
  const people = usePeople();
  const pipelines = usePipelines();
  const statuses = useCustomerStatuses();
  const [draft, setDraft] = useState<NewRecordDraft>({ ...emptyDraft, responsible: String(viewer.userId) });
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Changing a field clears the error it showed (the API's name for it).
  const apiName: Partial<Record<keyof NewRecordDraft, string>> = {
    price: kind === 'customers' ? 'next_price' : 'price',
    pipeline: 'pipeline_id',
    status: 'status_id',
    responsible: 'responsible_user_id',
    due: 'complete_till',
    task_type: 'task_type_id',
    next_day: 'next_date',
  };
  const set = <K extends keyof NewRecordDraft>(key: K, value: NewRecordDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    const field = apiName[key] ?? key;
    setErrors((e) => (field in e ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== field)) : e));
    if (save.isError) save.reset(); // the refusal was about the values before this change
  };

  // A lead starts in the chosen pipeline (default the first) and in one of the stages the user
  // may put a new lead in (default the first of them).
  const pipelineId = draft.pipeline ?? (pipelines.data?.[0] ? String(pipelines.data[0].id) : null);
  const pipeline = pipelines.data?.find((p) => String(p.id) === pipelineId);
  const stages = stagesForNewLead(viewer, pipeline);
  const stageId = draft.status && stages.some((s) => String(s.id) === draft.status) ? draft.status : stages[0] ? String(stages[0].id) : null;
  const customerStatus = draft.status ?? (statuses.data?.[0] ? String(statuses.data[0].id) : null);
  const choices = responsibleChoices(viewer, kind, people.data ?? []);

  const save = useMutation({
    mutationFn: (body: NewRecordBody) => create(kind, body),
    onSuccess: async (id) => {
      notifications.show({ color: 'green', message: `${capital(word)} created` });
      onClose();
      await queries.invalidateQueries({ queryKey: [kind] });
      if (kind !== 'tasks') void navigate(`/${kind}/${id}`);
    },
    onError: (error) =>
      setErrors(error instanceof ApiError ? (kind === 'leads' ? newLeadFieldErrors : fieldErrors)(error.problem) : {}),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const filled: NewRecordDraft = {
      ...draft,
      pipeline: kind === 'leads' ? pipelineId : null,
      status: kind === 'leads' ? stageId : kind === 'customers' ? customerStatus : null,
    };
    const built = newRecordBody(kind, filled, target);
    setErrors(built.errors);
    if (Object.keys(built.errors).length === 0) save.mutate(built.body);
  }

  const fieldShown = shownFields[kind].some((f) => errors[f]);
  const nameInput = (
    <TextInput label="Name" value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} data-autofocus />
  );
  const responsibleInput = (
    <Select
      label="Responsible"
      searchable
      allowDeselect={false}
      data={choices.map((p) => ({ value: String(p.id), label: p.name }))}
      value={draft.responsible}
      onChange={(v) => v && set('responsible', v)}
      error={errors.responsible_user_id}
    />
  );

  return (
    <Modal opened onClose={onClose} title={`New ${word}`} size="lg">
      <form onSubmit={submit} noValidate aria-label={`New ${word}`}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            {kind === 'leads' && (
              <>
                {nameInput}
                <NumberInput label="Price" value={draft.price} onChange={(v) => set('price', v)} clampBehavior="none" allowDecimal={false} thousandSeparator=" " error={errors.price} />
                <Select
                  label="Pipeline"
                  allowDeselect={false}
                  data={(pipelines.data ?? []).map((p) => ({ value: String(p.id), label: p.name }))}
                  value={pipelineId}
                  onChange={(v) => v && setDraft((d) => ({ ...d, pipeline: v, status: null }))}
                  error={errors.pipeline_id}
                />
                <Select
                  label="Stage"
                  allowDeselect={false}
                  data={stages.map((s) => ({ value: String(s.id), label: s.name }))}
                  value={stageId}
                  onChange={(v) => v && set('status', v)}
                  error={errors.status_id}
                />
                {newPeople.map(
                  ([peopleKind, key, label]) =>
                    mayCreate(viewer, peopleKind) && (
                      <TextInput
                        key={key}
                        label={label}
                        description="Optional: created with the lead"
                        value={draft[key]}
                        onChange={(e) => set(key, e.currentTarget.value)}
                        error={errors[key]}
                      />
                    ),
                )}
              </>
            )}
            {kind === 'contacts' && (
              <>
                {nameInput}
                <TextInput label="First name" value={draft.first_name} onChange={(e) => set('first_name', e.currentTarget.value)} error={errors.first_name} />
                <TextInput label="Last name" value={draft.last_name} onChange={(e) => set('last_name', e.currentTarget.value)} error={errors.last_name} />
              </>
            )}
            {kind === 'companies' && nameInput}
            {kind === 'customers' && (
              <>
                {nameInput}
                <Select
                  label="Status"
                  allowDeselect={false}
                  data={(statuses.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
                  value={customerStatus}
                  onChange={(v) => v && set('status', v)}
                  error={errors.status_id}
                />
                <NumberInput label="Expected amount" value={draft.price} onChange={(v) => set('price', v)} clampBehavior="none" allowDecimal={false} thousandSeparator=" " error={errors.next_price} />
                <TextInput label="Next purchase" type="date" value={draft.next_day} onChange={(e) => set('next_day', e.currentTarget.value)} error={errors.next_date} />
              </>
            )}
            {kind === 'tasks' && (
              <>
                <TextInput label="Task" value={draft.text} onChange={(e) => set('text', e.currentTarget.value)} error={errors.text} data-autofocus />
                <TextInput label="Due" type="datetime-local" value={draft.due} onChange={(e) => set('due', e.currentTarget.value)} error={errors.complete_till} />
                <Select
                  label="Type"
                  allowDeselect={false}
                  data={[
                    { value: '1', label: 'Follow-up' },
                    { value: '2', label: 'Meeting' },
                  ]}
                  value={draft.task_type}
                  onChange={(v) => v && set('task_type', v)}
                  error={errors.task_type_id}
                />
              </>
            )}
            {responsibleInput}
          </SimpleGrid>
          {kind === 'tasks' && (errors.entity_id || errors.entity_type) && (
            <Alert color="red" role="alert" title="Not created">
              {errors.entity_id ?? errors.entity_type}
            </Alert>
          )}
          <FormActions
            error={save.isError && !fieldShown ? save.error.message : null}
            errorTitle="Not created"
            submit={`Create ${word}`}
            busy={save.isPending}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}
