// /settings/fields: the custom fields of leads, contacts, companies and customers (Kommo's types), for
// administrators: list, add, edit (name, code, the options of select, multiselect and
// multitext fields; the type never changes), delete (the field's values go with it, and it leaves
// every user's and role's field rights). Who may view or edit a field is set in the rights
// matrix of each user and role. The kind shown lives in the URL (?kind=contacts).
import { ActionIcon, Button, Group, Modal, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { ApiError, fieldErrors } from '../../api/problem';
import { ConfirmDialog, EditDeleteButtons, LoadError } from '../../components/admin/Dialogs';
import { FormActions } from '../../components/FormActions';
import { PageLoader } from '../../components/PageLoader';
import {
  FIELD_TYPES,
  definitionBody,
  definitionDraft,
  definitionErrors,
  sortedDefs,
  takesEnums,
  typeLabel,
  type DefinitionDraft,
  type FieldDef,
  type FieldKind,
} from '../../lib/customFields';
import { kindPath, useFieldDefs } from '../../lib/extrasApi';
import { targetLabel } from '../../lib/links';

const kinds: FieldKind[] = ['leads', 'contacts', 'companies', 'customers'];

function FieldDialog({ kind, field, opened, onClose }: { kind: FieldKind; field: FieldDef | null; opened: boolean; onClose: () => void }) {
  const queries = useQueryClient();
  const creating = field === null;
  const [draft, setDraft] = useState<DefinitionDraft>(() => definitionDraft(field));
  const save = useMutation({
    mutationFn: async () => {
      const body = definitionBody(draft, creating);
      if (creating) return unwrap(api.POST(kindPath(kind, '/api/v4/leads/custom_fields'), { body: [body] }));
      return unwrap(api.PATCH(kindPath(kind, '/api/v4/leads/custom_fields/{id}'), { params: { path: { id: field.id } }, body }));
    },
    onSuccess: async () => {
      notifications.show({ color: 'green', message: creating ? 'Field added' : 'Field saved' });
      await queries.invalidateQueries({ queryKey: ['custom_fields', kind] });
      onClose();
    },
  });
  const errors = save.error instanceof ApiError ? definitionErrors(fieldErrors(save.error.problem)) : { enums: {} as Record<number, string> };
  const shownErrors = Boolean(errors.name || errors.type || errors.code || Object.keys(errors.enums).length);
  const setOption = (i: number, value: string) =>
    setDraft((d) => ({ ...d, enums: d.enums.map((e, j) => (j === i ? { ...e, value } : e)) }));
  return (
    <Modal opened={opened} onClose={onClose} title={creating ? `Add a field to ${targetLabel(kind, true).toLowerCase()}` : `Edit field ${field.name}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <TextInput label="Field name" required value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} error={errors.name} data-autofocus />
          <Select
            label="Type"
            data={FIELD_TYPES.map((t) => ({ value: t.value, label: t.label }))}
            value={draft.type}
            onChange={(v) => v && setDraft({ ...draft, type: v as DefinitionDraft['type'] })}
            allowDeselect={false}
            disabled={!creating}
            description={creating ? undefined : 'The type of a field never changes'}
            error={errors.type}
            comboboxProps={{ withinPortal: false }}
          />
          <TextInput
            label="Code"
            description={draft.type === 'multitext' ? 'PHONE or EMAIL gives Kommo’s phone or email kinds' : 'Optional, for integrations'}
            value={draft.code}
            onChange={(e) => setDraft({ ...draft, code: e.currentTarget.value })}
            error={errors.code}
          />
          {takesEnums(draft.type) && (
            <Stack gap={4} role="group" aria-label="Options">
              <Text size="sm" fw={500}>
                {draft.type === 'multitext' ? 'Kinds (e.g. WORK, MOB)' : 'Options'}
              </Text>
              {draft.enums.map((option, i) => (
                <Group key={option.id ?? `new-${i}`} gap="xs" wrap="nowrap" align="flex-start">
                  <TextInput aria-label={`Option ${i + 1}`} value={option.value} onChange={(e) => setOption(i, e.currentTarget.value)} error={errors.enums[i]} style={{ flex: 1 }} />
                  <ActionIcon variant="subtle" color="red" mt={6} aria-label={`Remove option ${i + 1}`} onClick={() => setDraft((d) => ({ ...d, enums: d.enums.filter((_, j) => j !== i) }))}>
                    ×
                  </ActionIcon>
                </Group>
              ))}
              <Group>
                <Button size="xs" variant="subtle" onClick={() => setDraft((d) => ({ ...d, enums: [...d.enums, { value: '' }] }))}>
                  Add option
                </Button>
              </Group>
            </Stack>
          )}
          <FormActions
            error={save.isError && !shownErrors ? save.error.message : null}
            errorTitle="Not saved"
            busy={save.isPending}
            disabled={draft.name.trim() === ''}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}

export default function FieldsPage() {
  const [search, setSearch] = useSearchParams();
  const kind: FieldKind = kinds.find((k) => k === search.get('kind')) ?? 'leads';
  const defs = useFieldDefs(kind);
  const queries = useQueryClient();
  const [editing, setEditing] = useState<FieldDef | 'new' | null>(null);
  const [deleting, setDeleting] = useState<FieldDef | null>(null);
  const plural = targetLabel(kind, true);
  return (
    <Stack>
      <Title order={1}>Custom fields</Title>
      <Text c="gray.7">
        Fields of leads, contacts, companies and customers. Who may view or edit each field is set in the rights of users and roles (Field rights).
      </Text>
      <Group justify="space-between">
        <SegmentedControl
          aria-label="Record kind"
          data={kinds.map((k) => ({ value: k, label: targetLabel(k, true) }))}
          value={kind}
          onChange={(k) => setSearch(k === 'leads' ? {} : { kind: k })}
        />
        <Button onClick={() => setEditing('new')}>Add field</Button>
      </Group>
      {defs.isPending ? (
        <PageLoader />
      ) : defs.isError ? (
        <LoadError error={defs.error} />
      ) : defs.data.length === 0 ? (
        <Text c="gray.7">No custom fields of {plural.toLowerCase()} yet.</Text>
      ) : (
        <Table striped aria-label={`Custom fields of ${plural.toLowerCase()}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Code</Table.Th>
              <Table.Th>Options</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sortedDefs(defs.data).map((f) => (
              <Table.Tr key={f.id} data-field-id={f.id}>
                <Table.Td>{f.name}</Table.Td>
                <Table.Td>{typeLabel(f.type)}</Table.Td>
                <Table.Td>{f.code ?? '—'}</Table.Td>
                <Table.Td>{(f.enums ?? []).map((e) => e.value).join(', ') || '—'}</Table.Td>
                <Table.Td>
                  <EditDeleteButtons what={f.name} edit="Edit" onEdit={() => setEditing(f)} onDelete={() => setDeleting(f)} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing !== null && (
        <FieldDialog key={editing === 'new' ? 'new' : editing.id} kind={kind} field={editing === 'new' ? null : editing} opened onClose={() => setEditing(null)} />
      )}
      <ConfirmDialog
        opened={deleting !== null}
        title={`Delete field ${deleting?.name ?? ''}`}
        message={`Delete the field “${deleting?.name ?? ''}”? Its values on every record are deleted, and it leaves every user's and role's field rights.`}
        confirmLabel="Delete field"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await unwrap(api.DELETE(kindPath(kind, '/api/v4/leads/custom_fields/{id}'), { params: { path: { id: deleting!.id } } }));
          await queries.invalidateQueries({ queryKey: ['custom_fields', kind] });
        }}
      />
    </Stack>
  );
}
