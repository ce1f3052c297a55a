// /contacts/:id and /companies/:id: the record's fields, tags, custom fields (those the user may
// view; read-only ones disabled), linked records (only those the user may view; linked and
// unlinked by whoever may edit the record), notes, tasks and recent activity; edit and delete where the effective user's
// rights allow them. A record the user may not view is a 404 exactly like a missing one, and
// shows the same not-found page.
import { Field, StampField } from '../../components/records/Section';
import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { ConfirmDialog } from '../../components/account/ConfirmDialog';
import { WhyPanel } from '../../components/access/WhyPanel';
import { recordActions, type RecordKind } from '../../lib/recordRights';
import { personName, usePeople, useRecord, type AnyRecord } from '../../lib/recordsApi';
import { useEffectiveUser } from '../../lib/useEffectiveUser';
import { nonNegativeInt } from '../../lib/listQuery';
import { RecordPending } from './RecordPending';
import { RecordEditForm } from './RecordEditForm';
import { kindTitles } from './RecordsListPage';
import { LinkedRecords, RecordActivity, RecordTasks } from './RecordSections';
import { CustomFieldsPanel } from '../../components/extras/CustomFieldsPanel';
import { LinksPanel } from '../../components/extras/LinksPanel';
import { NotesPanel } from '../../components/extras/NotesPanel';
import { TagsPanel } from '../../components/extras/TagsPanel';

function DeleteButton({ kind, record }: { kind: RecordKind; record: AnyRecord }) {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: async () => {
      const path = { id: record.id };
      if (kind === 'contacts') return unwrap(api.DELETE('/api/v4/contacts/{id}', { params: { path } }));
      return unwrap(api.DELETE('/api/v4/companies/{id}', { params: { path } }));
    },
    onSuccess: () => {
      setOpen(false);
      notifications.show({ color: 'green', message: `${record.name || `#${record.id}`} deleted.` });
      // The record's own query is left alone: while this page is still mounted, asking again
      // would answer 404; a later visit asks anew and shows the not-found page.
      navigate(`/${kind}`);
      void queries.invalidateQueries({ queryKey: [kind, 'list'] });
    },
    onError: (error) => {
      setOpen(false);
      notifications.show({ color: 'red', title: 'Not deleted', message: error.message });
    },
  });
  const one = kindTitles[kind].one.toLowerCase();
  return (
    <>
      <Button color="red" variant="light" onClick={() => setOpen(true)}>
        Delete {one}
      </Button>
      <ConfirmDialog
        opened={open}
        title={`Delete this ${one}?`}
        confirmLabel="Delete"
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={() => setOpen(false)}
      >
        {record.name || `#${record.id}`} will be deleted.
      </ConfirmDialog>
    </>
  );
}

export function RecordPage({ kind }: { kind: RecordKind }) {
  const { id: param } = useParams();
  const id = nonNegativeInt(param ?? null);
  const record = useRecord(kind, id);
  const people = usePeople();
  const viewer = useEffectiveUser();
  const titles = kindTitles[kind];

  if (id === null || record.isError || !record.data) return <RecordPending id={id} error={record.error} what={titles.one.toLowerCase()} />;
  const r = record.data;
  const responsible = people.data?.find((p) => p.id === r.responsible_user_id);
  const actions = recordActions(viewer, kind, {
    responsibleUserId: r.responsible_user_id,
    responsibleGroupId: people.data ? (responsible?.groupId ?? 0) : undefined,
  });
  const leadIds = r._embedded.leads?.map((l) => l.id) ?? [];
  const contactIds = 'first_name' in r ? [] : (r._embedded.contacts?.map((c) => c.id) ?? []);
  const who = (userId: number) => personName(people.data, userId);
  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/${kind}`} size="sm">
        ← {titles.plural}
      </Anchor>
      <Group justify="space-between" align="center">
        <Title order={1}>{r.name || `${titles.one} #${r.id}`}</Title>
        <Group gap="sm">
          <WhyPanel entityType={kind} entityId={r.id} />
          {actions.delete && <DeleteButton kind={kind} record={r} />}
        </Group>
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
          <Field label="ID">{r.id}</Field>
          <Field label="Responsible">{who(r.responsible_user_id)}</Field>
          <StampField label="Created" at={r.created_at} by={r.created_by} who={who} />
          <StampField label="Updated" at={r.updated_at} by={r.updated_by} who={who} />
          {'first_name' in r && <Field label="First name">{r.first_name || '—'}</Field>}
          {'last_name' in r && <Field label="Last name">{r.last_name || '—'}</Field>}
        </SimpleGrid>
      </Paper>
      {actions.edit ? (
        <Paper withBorder p="md" component="section" aria-label="Edit">
          <Title order={2} size="h4" mb="xs">
            Edit
          </Title>
          <RecordEditForm key={`edit.${r.id}`} kind={kind} record={r} people={people.data ?? []} />
        </Paper>
      ) : (
        viewer.ready && (
          <Text size="sm" c="gray.7">
            You may view this {titles.one.toLowerCase()} but not edit it.
          </Text>
        )
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TagsPanel key={`tags.${r.id}`} kind={kind} id={r.id} tags={r._embedded.tags} editable={actions.edit} />
        <LinksPanel kind={kind} id={r.id} editable={actions.edit} embedded={{ leads: leadIds }} />
        {kind === 'companies' && <LinkedRecords title="Contacts" kind="contacts" ids={contactIds} />}
      </SimpleGrid>
      <CustomFieldsPanel key={`fields.${r.id}`} kind={kind} id={r.id} values={r.custom_fields_values} editable={actions.edit} viewer={viewer} />
      <NotesPanel kind={kind} id={r.id} editable={actions.edit} userId={viewer.userId} userName={who} />
      <RecordTasks kind={kind} id={r.id} viewer={viewer} people={people.data} />
      <RecordActivity kind={kind} id={r.id} people={people.data} />
    </Stack>
  );
}
