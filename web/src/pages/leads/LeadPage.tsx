// /leads/:id: one lead's fields, tags, custom fields (those the user may view; read-only ones
// disabled), linked contacts and companies (only those the user may view), notes, tasks and
// recent activity, the guidance of its stage (its newbie description), the edit form when the user may
// edit it, and "Why can I see this?". A lead the user may not view is a 404 exactly like a
// missing one, and shows the same not-found page.
import { Field } from '../../components/records/Section';
import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { formatPrice, formatTime } from '../../lib/format';
import { stageIndex, usePipelines, useUsers } from '../../lib/leadsApi';
import { nonNegativeInt } from '../../lib/listQuery';
import { RecordPending } from '../records/RecordPending';
import { WhyPanel } from '../../components/access/WhyPanel';
import { rowActions, type Mover } from '../../lib/board';
import { useEffectiveUser } from '../../lib/useEffectiveUser';
import { LeadActivity, LeadEditForm, LeadTasks } from './LeadRecordParts';
import { CustomFieldsPanel } from '../../components/extras/CustomFieldsPanel';
import { LinksPanel } from '../../components/extras/LinksPanel';
import { NotesPanel } from '../../components/extras/NotesPanel';
import { TagsPanel } from '../../components/extras/TagsPanel';
import { StageGuidance } from '../../components/records/StageGuidance';

export default function LeadPage() {
  const { id: param } = useParams();
  const id = nonNegativeInt(param ?? null);
  const lead = useQuery({
    queryKey: ['leads', 'one', id],
    enabled: id !== null,
    queryFn: () =>
      unwrap(
        api.GET('/api/v4/leads/{id}', {
          params: { path: { id: id ?? 0 } },
          querySerializer: () => 'with=contacts,companies',
        }),
      ),
  });
  const pipelines = usePipelines();
  const users = useUsers();
  const me = useEffectiveUser();

  if (id === null || lead.isError || !lead.data) return <RecordPending id={id} error={lead.error} what="lead" />;
  const l = lead.data;
  const info = stageIndex(pipelines.data).get(`${l.pipeline_id}.${l.status_id}`);
  const userName = (userId: number) => users.data?.find((u) => u.id === userId)?.name ?? `User ${userId}`;
  const mover: Mover = {
    userId: me.userId,
    isAdmin: me.isAdmin,
    rights: me.rights,
    groupOf: (userId) => users.data?.find((u) => u.id === userId)?._embedded?.groups?.[0]?.id,
  };
  // Users are needed to judge team-wide rights: the form waits for them.
  const editable = users.data !== undefined && rowActions(mover, l).edit;
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/leads" size="sm">
        ← Leads
      </Anchor>
      <Group justify="space-between" align="center">
        <Group gap="sm" align="center">
          <Title order={1}>{l.name || `Lead #${l.id}`}</Title>
          <Badge variant="outline" color="dark" radius="sm" styles={{ root: { textTransform: 'none' } }}>
            {info?.stage.name ?? `Stage ${l.status_id}`}
          </Badge>
        </Group>
        <WhyPanel entityType="leads" entityId={l.id} />
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
          <Field label="ID">{l.id}</Field>
          <Field label="Price">{formatPrice(l.price)}</Field>
          <Field label="Pipeline">{info?.pipeline.name ?? `Pipeline ${l.pipeline_id}`}</Field>
          <Field label="Stage">{info?.stage.name ?? `Stage ${l.status_id}`}</Field>
          <Field label="Responsible">{userName(l.responsible_user_id)}</Field>
          <Field label="Created">
            {formatTime(l.created_at)} by {userName(l.created_by)}
          </Field>
          <Field label="Updated">
            {formatTime(l.updated_at)} by {userName(l.updated_by)}
          </Field>
          <Field label="Closed">{formatTime(l.closed_at)}</Field>
        </SimpleGrid>
      </Paper>
      <StageGuidance pipeline={l.pipeline_id} stage={l.status_id} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TagsPanel key={`tags.${l.id}`} kind="leads" id={l.id} tags={l._embedded.tags} editable={editable} />
        <LinksPanel
          kind="leads"
          id={l.id}
          editable={editable}
          embedded={{ contacts: l._embedded.contacts?.map((c) => c.id) ?? [], companies: l._embedded.companies.map((c) => c.id) }}
        />
      </SimpleGrid>
      <CustomFieldsPanel key={`fields.${l.id}`} kind="leads" id={l.id} values={l.custom_fields_values} editable={editable} viewer={me} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <NotesPanel kind="leads" id={l.id} editable={editable} userId={me.userId} userName={userName} />
        <LeadTasks leadId={l.id} userName={userName} />
        <LeadActivity leadId={l.id} userName={userName} />
      </SimpleGrid>
      {editable && <LeadEditForm key={`edit.${l.id}`} lead={l} pipeline={info?.pipeline} mover={mover} />}
    </Stack>
  );
}
