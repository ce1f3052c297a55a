// Editing a contact or a company (PATCH /api/v4/{kind}/{id}): only the fields that changed are
// sent; the server's field errors land on their fields, anything else is said above the form.
import { Alert, Button, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError, fieldErrors } from '../../api/problem';
import type { components } from '../../api/schema';
import type { RecordKind } from '../../lib/recordRights';
import type { AnyRecord, Person } from '../../lib/recordsApi';
import { useDrafts } from '../../lib/useDrafts';

type ContactInput = components['schemas']['ContactInput'];
type CompanyInput = components['schemas']['CompanyInput'];

interface Draft {
  name: string;
  first_name: string;
  last_name: string;
  responsible_user_id: number;
}

function draftOf(record: AnyRecord): Draft {
  return {
    name: record.name,
    first_name: 'first_name' in record ? record.first_name : '',
    last_name: 'last_name' in record ? record.last_name : '',
    responsible_user_id: record.responsible_user_id,
  };
}

export function RecordEditForm({ kind, record, people }: { kind: RecordKind; record: AnyRecord; people: Person[] }) {
  const queries = useQueryClient();
  // The record's values for the fields not touched, so that a save elsewhere on the page (tags,
  // custom fields) or another user's change shows here without discarding what is being typed.
  const form = useDrafts(draftOf(record));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: async (change: ContactInput & CompanyInput) => {
      const path = { id: record.id };
      if (kind === 'contacts') {
        return unwrap(api.PATCH('/api/v4/contacts/{id}', { params: { path }, body: change }));
      }
      return unwrap(api.PATCH('/api/v4/companies/{id}', { params: { path }, body: change }));
    },
    onSuccess: async () => {
      setErrors({});
      setFailure(null);
      await queries.invalidateQueries({ queryKey: [kind] });
      await queries.invalidateQueries({ queryKey: ['events', kind, record.id] });
      form.reset();
      notifications.show({ color: 'green', message: 'Saved.' });
    },
    onError: (error) => {
      const fields = error instanceof ApiError ? fieldErrors(error.problem) : {};
      setErrors(fields);
      setFailure(Object.keys(fields).length > 0 ? 'Not saved: correct the marked fields.' : error.message);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    // A company's form has no first or last name inputs, so its change never names them.
    save.mutate(form.change);
  }

  const draft = form.values;
  return (
    <form onSubmit={submit} noValidate aria-label={`Edit ${kind === 'contacts' ? 'contact' : 'company'}`}>
      <Stack gap="sm">
        {failure && (
          <Alert color="red" role="alert" title="Not saved">
            {failure}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label="Name"
            value={draft.name}
            error={errors.name}
            onChange={(e) => form.set('name', e.currentTarget.value)}
          />
          <Select
            label="Responsible"
            searchable
            allowDeselect={false}
            data={people.map((p) => ({ value: String(p.id), label: p.name }))}
            value={String(draft.responsible_user_id)}
            error={errors.responsible_user_id}
            onChange={(value) => value && form.set('responsible_user_id', Number(value))}
          />
          {kind === 'contacts' && (
            <>
              <TextInput
                label="First name"
                value={draft.first_name}
                error={errors.first_name}
                onChange={(e) => form.set('first_name', e.currentTarget.value)}
              />
              <TextInput
                label="Last name"
                value={draft.last_name}
                error={errors.last_name}
                onChange={(e) => form.set('last_name', e.currentTarget.value)}
              />
            </>
          )}
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!form.changed}>
            Save
          </Button>
          {form.changed && (
            <Button variant="default" onClick={form.reset}>
              Discard changes
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
