// Batch actions on the selected leads, only those the user's rights allow on every selected lead
// (lib/board.ts rowActions): move to a stage (only stages every one of them may enter), hand to
// another user, delete. Each lead is its own request, so a lead the server still refuses (its
// responsible user or the rights changed meanwhile) is listed with the server's reason while the
// others are done; progress shows while it runs.
import { Alert, Button, Group, Modal, Paper, Progress, Select, Stack, Table, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { runBatch, type BatchOutcome } from '../../lib/batch';
import type { Lead, Pipeline, User } from '../../lib/leadsApi';
import type { LeadPermissions } from '../../lib/leadRights';
import { mayEditIn, rowActions, type Mover } from '../../lib/board';

type Kind = 'stage' | 'responsible' | 'delete';
type LeadInput = components['schemas']['LeadInput'];

interface Props {
  selected: Lead[];
  pipelines: Pipeline[];
  users: User[];
  permissions: LeadPermissions;
  mover: Mover;
  onFinished: (doneIds: number[]) => void;
}

const titles: Record<Kind, string> = {
  stage: 'Change stage',
  responsible: 'Change responsible',
  delete: 'Delete leads',
};

async function apply(kind: Kind, lead: Lead, target: string): Promise<void> {
  const path = { id: lead.id };
  if (kind === 'delete') {
    await unwrap(api.DELETE('/api/v4/leads/{id}', { params: { path } }));
    return;
  }
  let body: LeadInput;
  if (kind === 'stage') {
    const [pipelineId, statusId] = target.split('.').map(Number) as [number, number];
    body = { pipeline_id: pipelineId, status_id: statusId };
  } else {
    body = { responsible_user_id: Number(target) };
  }
  await unwrap(api.PATCH('/api/v4/leads/{id}', { params: { path }, body }));
}

export function BatchActions({ selected, pipelines, users, permissions, mover, onFinished }: Props) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind | null>(null);
  const [target, setTarget] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [outcomes, setOutcomes] = useState<BatchOutcome<Lead>[] | null>(null);
  const abort = useRef<AbortController | null>(null);
  const running = progress !== null && outcomes === null;
  const count = progress?.total ?? selected.length;

  const open = (next: Kind) => {
    setKind(next);
    setTarget(null);
    setProgress(null);
    setOutcomes(null);
  };
  const close = () => {
    if (running) return;
    // The selection is let go only once the outcome has been read.
    if (outcomes !== null) onFinished(outcomes.filter((r) => r.error === null).map((r) => r.item.id));
    setKind(null);
  };

  const start = async () => {
    if (!kind || (kind !== 'delete' && !target)) return;
    abort.current = new AbortController();
    const items = [...selected];
    setProgress({ done: 0, total: items.length });
    const results = await runBatch(items, (lead) => apply(kind, lead, target ?? ''), {
      concurrency: 4,
      signal: abort.current.signal,
      onProgress: (done, total) => setProgress({ done, total }),
    });
    setOutcomes(results);
    await queryClient.invalidateQueries({ queryKey: ['leads'] });
  };

  const mayEdit = permissions.edit && selected.every((l) => rowActions(mover, l).edit);
  const mayDelete = permissions.delete && selected.every((l) => rowActions(mover, l).delete);
  const stageOptions = pipelines.map((p) => ({
    group: p.name,
    items: p._embedded.statuses
      .filter((s) => s.type !== 1 && selected.every((l) => mayEditIn(mover, l, p.id, s.id)))
      .map((s) => ({ value: `${p.id}.${s.id}`, label: `${p.name} / ${s.name}` })),
  })).filter((g) => g.items.length > 0);

  const refused = outcomes?.filter((o) => o.error !== null) ?? [];
  const succeeded = (outcomes?.length ?? 0) - refused.length;

  return (
    <>
      {/* The dialog stays mounted while it runs, even when the rows it acts on leave the page. */}
      {selected.length > 0 && (
        <Paper withBorder p="xs" aria-label="Batch actions" role="region">
          <Group gap="xs">
            <Text size="sm" fw={500}>
              {selected.length} selected
            </Text>
            {mayEdit && (
              <>
                <Button size="xs" variant="light" onClick={() => open('stage')}>
                  Change stage
                </Button>
                <Button size="xs" variant="light" onClick={() => open('responsible')}>
                  Change responsible
                </Button>
              </>
            )}
            {mayDelete && (
              <Button size="xs" variant="light" color="red" onClick={() => open('delete')}>
                Delete
              </Button>
            )}
          </Group>
        </Paper>
      )}
      <Modal closeButtonProps={{ 'aria-label': 'Close dialog' }} opened={kind !== null} onClose={close} title={kind ? titles[kind] : ''} closeOnClickOutside={!running}>
        <Stack>
          {outcomes === null && kind === 'stage' && (
            <Select
              label="New stage"
              placeholder="Choose a stage"
              searchable
              data={stageOptions}
              value={target}
              onChange={setTarget}
              disabled={running}
              comboboxProps={{ withinPortal: true }}
            />
          )}
          {outcomes === null && kind === 'responsible' && (
            <Select
              label="New responsible user"
              placeholder="Choose a user"
              searchable
              data={users.map((u) => ({ value: String(u.id), label: u.name }))}
              value={target}
              onChange={setTarget}
              disabled={running}
              comboboxProps={{ withinPortal: true }}
            />
          )}
          {outcomes === null && kind === 'delete' && (
            <Text>
              Delete {count} {count === 1 ? 'lead' : 'leads'}? This cannot be undone.
            </Text>
          )}
          {progress && (
            <Stack gap={4}>
              <Progress
                value={progress.total ? (progress.done / progress.total) * 100 : 0}
                aria-label="Batch progress"
                animated={running}
              />
              <Text size="sm" c="gray.7" aria-live="polite">
                {progress.done} of {progress.total} done
              </Text>
            </Stack>
          )}
          {outcomes !== null && (
            <Alert color={refused.length ? 'yellow' : 'green'} title={refused.length ? 'Partly done' : 'Done'}>
              {succeeded} {succeeded === 1 ? 'lead' : 'leads'} done
              {refused.length > 0 && `, ${refused.length} refused by the server`}.
            </Alert>
          )}
          {refused.length > 0 && (
            <Table aria-label="Refused leads">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Lead</Table.Th>
                  <Table.Th>Reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {refused.map((o) => (
                  <Table.Tr key={o.item.id}>
                    <Table.Td>{o.item.name || `Lead #${o.item.id}`}</Table.Td>
                    <Table.Td>{o.error}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Group justify="flex-end">
            {running && (
              <Button variant="default" onClick={() => abort.current?.abort()}>
                Stop
              </Button>
            )}
            {!running && outcomes === null && (
              <>
                <Button variant="default" onClick={close}>
                  Cancel
                </Button>
                <Button
                  color={kind === 'delete' ? 'red' : undefined}
                  disabled={kind !== 'delete' && !target}
                  onClick={() => void start()}
                >
                  {kind === 'delete' ? 'Delete' : 'Apply'}
                </Button>
              </>
            )}
            {outcomes !== null && <Button onClick={close}>Close</Button>}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
