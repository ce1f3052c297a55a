// /settings/pipelines: pipelines and their stages. Working stages can be added, renamed,
// moved (their sort values swap) and deleted (their leads move to the first stage); the
// incoming-leads stage and the closing stages won / lost are the system's (is_editable false)
// and are shown locked, as the API protects them. Each working stage's descriptions (the
// guidance per experience level) open in a dialog of their own.
import { Alert, Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ConfirmDialog, EditDeleteButtons, LoadError, NameDialog, errorText } from '../../components/admin/Dialogs';
import { StageDescriptionsDialog } from '../../components/admin/StageDescriptionsDialog';
import { PageLoader } from '../../components/PageLoader';
import {
  addStage,
  createPipeline,
  deletePipeline,
  deleteStage,
  listPipelines,
  renamePipeline,
  updateStage,
  type Pipeline,
  type Stage,
} from '../../lib/adminApi';
import { moveStage, stageKind } from '../../lib/stages';

type Target = { kind: 'pipeline'; pipeline: Pipeline } | { kind: 'stage'; pipeline: Pipeline; stage: Stage };

function AddForm({ label, button, onAdd }: { label: string; button: string; onAdd: (name: string) => Promise<unknown> }) {
  const [name, setName] = useState('');
  const add = useMutation({ mutationFn: onAdd, onSuccess: () => setName('') });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) add.mutate(name.trim());
  }
  return (
    <form onSubmit={submit}>
      <Group align="flex-start">
        <TextInput label={label} value={name} onChange={(e) => setName(e.currentTarget.value)} error={add.error ? errorText(add.error) : null} w={300} />
        <Button type="submit" mt={25} loading={add.isPending} disabled={!name.trim()}>
          {button}
        </Button>
      </Group>
    </form>
  );
}

function StageRows({
  pipeline,
  onRename,
  onDelete,
  onDescribe,
}: {
  pipeline: Pipeline;
  onRename: (s: Stage) => void;
  onDelete: (s: Stage) => void;
  onDescribe: (s: Stage) => void;
}) {
  const queries = useQueryClient();
  const stages = [...pipeline._embedded.statuses].sort((a, b) => a.sort - b.sort || a.id - b.id);
  const move = useMutation({
    mutationFn: async ({ id, direction }: { id: number; direction: -1 | 1 }) => {
      for (const change of moveStage(stages, id, direction)) await updateStage(pipeline.id, change.id, { sort: change.sort });
    },
    onSettled: () => queries.invalidateQueries({ queryKey: ['pipelines'] }),
  });
  const editable = stages.filter((s) => s.is_editable);
  return (
    <>
      {move.error && (
        <Alert color="red" role="alert">
          {errorText(move.error)}
        </Alert>
      )}
      <Table aria-label={`Stages of ${pipeline.name}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Stage</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {stages.map((stage) => {
            const kind = stageKind(stage);
            const position = editable.indexOf(stage);
            return (
              <Table.Tr key={stage.id}>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <span aria-hidden style={{ width: 12, height: 12, borderRadius: 6, background: stage.color, border: '1px solid #868e96' }} />
                    <Text>{stage.name}</Text>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Badge color={kind === 'Won' ? 'teal.9' : kind === 'Lost' ? 'gray.8' : kind === 'Working' ? 'blue.9' : 'violet.9'}>
                    {kind}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {stage.is_editable ? (
                    <EditDeleteButtons what={`stage ${stage.name}`} onEdit={() => onRename(stage)} onDelete={() => onDelete(stage)}>
                      <Button size="xs" variant="default" aria-label={`Move ${stage.name} up`} disabled={position <= 0 || move.isPending}
                        onClick={() => move.mutate({ id: stage.id, direction: -1 })}>
                        ↑
                      </Button>
                      <Button size="xs" variant="default" aria-label={`Move ${stage.name} down`} disabled={position >= editable.length - 1 || move.isPending}
                        onClick={() => move.mutate({ id: stage.id, direction: 1 })}>
                        ↓
                      </Button>
                      <Button size="xs" variant="default" aria-label={`Descriptions of ${stage.name}`} onClick={() => onDescribe(stage)}>
                        Descriptions
                      </Button>
                    </EditDeleteButtons>
                  ) : (
                    <Text size="sm" c="gray.7">
                      System stage: cannot be renamed, moved or deleted
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </>
  );
}

export default function PipelinesPage() {
  const queries = useQueryClient();
  const pipelines = useQuery({ queryKey: ['pipelines'], queryFn: listPipelines });
  const [renaming, setRenaming] = useState<Target | null>(null);
  const [deleting, setDeleting] = useState<Target | null>(null);
  const [describing, setDescribing] = useState<{ pipeline: number; stage: Stage } | null>(null);
  const refresh = () => queries.invalidateQueries({ queryKey: ['pipelines'] });
  const label = (t: Target | null) => (t === null ? '' : t.kind === 'pipeline' ? t.pipeline.name : t.stage.name);

  return (
    <Stack>
      <Title order={1}>Pipelines</Title>
      <AddForm label="New pipeline name" button="Add pipeline" onAdd={async (name) => { await createPipeline(name); await refresh(); }} />
      {pipelines.isPending ? (
        <PageLoader />
      ) : pipelines.isError ? (
        <LoadError error={pipelines.error} />
      ) : (
        [...pipelines.data].sort((a, b) => a.sort - b.sort || a.id - b.id).map((pipeline) => (
          <Card key={pipeline.id} withBorder component="section" aria-labelledby={`pipeline-${pipeline.id}`}>
            <Stack>
              <Group justify="space-between">
                <Group gap="xs">
                  <Title order={2} id={`pipeline-${pipeline.id}`}>
                    {pipeline.name}
                  </Title>
                  {pipeline.is_main && <Badge color="blue.9">Main</Badge>}
                </Group>
                <EditDeleteButtons
                  what={`pipeline ${pipeline.name}`}
                  onEdit={() => setRenaming({ kind: 'pipeline', pipeline })}
                  onDelete={() => setDeleting({ kind: 'pipeline', pipeline })}
                />
              </Group>
              <StageRows
                pipeline={pipeline}
                onRename={(stage) => setRenaming({ kind: 'stage', pipeline, stage })}
                onDelete={(stage) => setDeleting({ kind: 'stage', pipeline, stage })}
                onDescribe={(stage) => setDescribing({ pipeline: pipeline.id, stage })}
              />
              <AddForm label={`New stage in ${pipeline.name}`} button="Add stage" onAdd={async (name) => { await addStage(pipeline.id, name); await refresh(); }} />
            </Stack>
          </Card>
        ))
      )}
      <NameDialog
        opened={renaming !== null}
        title={renaming?.kind === 'stage' ? `Rename stage ${label(renaming)}` : `Rename pipeline ${label(renaming)}`}
        label="Name"
        initial={label(renaming)}
        onClose={() => setRenaming(null)}
        onSave={async (name) => {
          if (renaming?.kind === 'pipeline') await renamePipeline(renaming.pipeline.id, name);
          else if (renaming?.kind === 'stage') await updateStage(renaming.pipeline.id, renaming.stage.id, { name });
          await refresh();
        }}
      />
      <StageDescriptionsDialog pipeline={describing?.pipeline ?? 0} stage={describing?.stage ?? null} onClose={() => setDescribing(null)} />
      <ConfirmDialog
        opened={deleting !== null}
        title={deleting?.kind === 'stage' ? `Delete stage ${label(deleting)}` : `Delete pipeline ${label(deleting)}`}
        message={
          deleting?.kind === 'stage'
            ? `Delete the stage “${label(deleting)}”? Its leads move to the pipeline's first stage, and stage rights naming it are dropped.`
            : `Delete the pipeline “${label(deleting)}”? A pipeline that still has leads, or the last pipeline, cannot be deleted.`
        }
        confirmLabel={deleting?.kind === 'stage' ? 'Delete stage' : 'Delete pipeline'}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (deleting?.kind === 'pipeline') await deletePipeline(deleting.pipeline.id);
          else if (deleting?.kind === 'stage') await deleteStage(deleting.pipeline.id, deleting.stage.id);
          await refresh();
        }}
      />
    </Stack>
  );
}
