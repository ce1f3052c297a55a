// A record's custom fields. The API sends only the fields this user may view (definitions and
// values), so a hidden field never reaches the page. Fields the user may view but not edit
// (rights.custom_fields_rights of the effective user: the server answers 403 for them) are shown
// disabled and never sent; the PATCH carries only the fields that changed. Errors at
// `custom_fields_values.N…` are shown under the field they name.
import { SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, fieldErrors } from '../../api/problem';
import {
  changedValues,
  currentDrafts,
  displayOf,
  draftOf,
  entriesOf,
  errorsByField,
  mayEditField,
  sameWhenSent,
  sortedDefs,
  type Change,
  type FieldKind,
} from '../../lib/customFields';
import { useFieldDefs } from '../../lib/extrasApi';
import { useDrafts } from '../../lib/useDrafts';
import type { EffectiveUser } from '../../lib/useEffectiveUser';
import { FormActions } from '../FormActions';
import { FieldInput } from './FieldInput';
import { patchRecord, recordKeys } from './patchRecord';
import { Section } from '../records/Section';

interface Props {
  kind: FieldKind;
  id: number;
  values: unknown; // the record's custom_fields_values
  editable: boolean; // the user may edit the record
  viewer: EffectiveUser;
}

export function CustomFieldsPanel({ kind, id, values, editable, viewer }: Props) {
  const queries = useQueryClient();
  const defs = useFieldDefs(kind);
  const entries = entriesOf(values);
  const fields = sortedDefs(defs.data);
  // The fields the user changed, until saved; the record's values for the others, so that a save
  // elsewhere on the page (tags, the record's form) refreshes them without discarding a draft.
  const form = useDrafts(currentDrafts(fields, entries), sameWhenSent(fields));
  const [sent, setSent] = useState<Change[]>([]);
  const changes = changedValues(fields, form.change);
  const save = useMutation({
    mutationFn: () => {
      setSent(changes);
      return patchRecord(kind, id, { custom_fields_values: changes as never });
    },
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Fields saved' });
      await Promise.all(recordKeys(kind, id).map((queryKey) => queries.invalidateQueries({ queryKey })));
      form.reset();
    },
  });
  const problem = save.error instanceof ApiError ? save.error : null;
  const byField = problem ? errorsByField(fieldErrors(problem.problem), sent) : {};

  if (defs.isError) {
    return (
      <Section title="Custom fields">
        <Text size="sm" c="red.9" role="alert">
          {defs.error.message}
        </Text>
      </Section>
    );
  }
  if (!defs.data) return <Section title="Custom fields">{null}</Section>;
  if (fields.length === 0) {
    return (
      <Section title="Custom fields">
        <Text size="sm" c="gray.7">
          No custom fields you may view
        </Text>
      </Section>
    );
  }
  if (!editable) {
    return (
      <Section title="Custom fields">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm" component="dl" m={0}>
          {fields.map((def) => (
            <div key={def.id}>
              <Text component="dt" size="xs" c="gray.7" fw={700} tt="uppercase">
                {def.name}
              </Text>
              <Text component="dd" size="sm" m={0}>
                {displayOf(def, entries.find((e) => e.field_id === def.id))}
              </Text>
            </div>
          ))}
        </SimpleGrid>
      </Section>
    );
  }
  const rights = viewer.rights?.custom_fields_rights;
  return (
    <Section title="Custom fields">
      {/* noValidate: the server checks every value and its message lands under the field. */}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            {fields.map((def) => (
              <FieldInput
                key={def.id}
                def={def}
                value={form.values[def.id] ?? draftOf(def, undefined)}
                disabled={!mayEditField(rights, viewer.isAdmin, kind, def.id)}
                error={byField[def.id]}
                onChange={(value) => form.set(def.id, value)}
              />
            ))}
          </SimpleGrid>
          <FormActions
            error={save.isError && Object.keys(byField).length === 0 ? save.error.message : null}
            errorTitle="Fields not saved"
            busy={save.isPending}
            disabled={changes.length === 0}
          />
        </Stack>
      </form>
    </Section>
  );
}
