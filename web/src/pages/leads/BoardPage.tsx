// /leads/board: the chosen pipeline as columns, one per stage, with the count and sum of price of
// the leads the (effective) user may view, and their cards a page at a time. A card moves to
// another stage by dragging it or with its "Move to…" menu; only moves the user's rights can
// allow are offered. A move the server refuses snaps back and its reason is shown; a move that
// goes through refreshes the two columns and the totals from the server.
import { Alert, Box, Group, Loader, Select, Text, Title, VisuallyHidden } from '@mantine/core';
import { DndContext, DragOverlay, PointerSensor, pointerWithin, useSensor, useSensors, type DragEndEvent, type DragStartEvent } from '@dnd-kit/core';
import { useQueryClient, useIsFetching } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/problem';
import { moveTargets, parsePipelineParam, type Mover } from '../../lib/board';
import { columnKey, moveLead, useBoardSummary } from '../../lib/boardApi';
import { formatPrice } from '../../lib/format';
import { usePipelines, useUsers, type Lead } from '../../lib/leadsApi';
import { useEffectiveUser } from '../../lib/useEffectiveUser';
import { BoardColumn } from './BoardColumn';
import { CardBody, type CardTarget } from './BoardCard';

interface Refusal {
  lead: Lead;
  stage: string;
  reason: string;
}

export default function BoardPage() {
  const [search, setSearch] = useSearchParams();
  const pipelines = usePipelines();
  const users = useUsers();
  const me = useEffectiveUser();
  const queries = useQueryClient();
  const chosen = parsePipelineParam(search.get('pipeline'));
  const pipeline = pipelines.data?.find((p) => p.id === chosen) ?? pipelines.data?.[0];
  const pipelineId = pipeline?.id ?? null;
  const summary = useBoardSummary(pipelineId);
  const [pending, setPending] = useState<Map<number, { lead: Lead; to: number }>>(new Map());
  const [dragged, setDragged] = useState<Lead | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const fetchingCards = useIsFetching({ queryKey: ['leads', 'board', pipelineId] });
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }));

  const userById = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u])), [users.data]);
  const mover: Mover = useMemo(
    () => ({
      userId: me.userId,
      isAdmin: me.isAdmin,
      rights: me.rights,
      groupOf: (id) => userById.get(id)?._embedded?.groups?.[0]?.id,
    }),
    [me.userId, me.isAdmin, me.rights, userById],
  );
  // Board order is the summary's (the server's); names come from the pipeline.
  const stages = useMemo(() => {
    const named = new Map((pipeline?._embedded.statuses ?? []).map((s) => [s.id, s]));
    return (summary.data?._embedded.stages ?? [])
      .filter((s) => s.pipeline_id === pipelineId)
      .map((s) => ({ ...s, id: s.status_id, name: named.get(s.status_id)?.name ?? `Stage ${s.status_id}`, type: named.get(s.status_id)?.type ?? 0 }));
  }, [summary.data, pipeline, pipelineId]);
  const stageName = useCallback((id: number) => stages.find((s) => s.id === id)?.name ?? `stage ${id}`, [stages]);

  const targetsOf = useCallback(
    (lead: Lead): CardTarget[] => moveTargets(mover, lead, stages).map((id) => ({ id, name: stageName(id) })),
    [mover, stages, stageName],
  );
  const responsibleOf = useCallback(
    (lead: Lead) => userById.get(lead.responsible_user_id)?.name ?? `User ${lead.responsible_user_id}`,
    [userById],
  );

  const move = useCallback(
    async (lead: Lead, to: number) => {
      if (pipelineId === null || lead.status_id === to) return;
      const from = lead.status_id;
      setRefusal(null);
      setPending((current) => new Map(current).set(lead.id, { lead, to }));
      const name = lead.name || `Lead #${lead.id}`;
      try {
        await moveLead(lead, to);
        await Promise.all([
          queries.invalidateQueries({ queryKey: ['leads', 'summary', pipelineId] }),
          queries.invalidateQueries({ queryKey: columnKey(pipelineId, from) }),
          queries.invalidateQueries({ queryKey: columnKey(pipelineId, to) }),
          queries.invalidateQueries({ queryKey: ['leads', 'list'] }),
          queries.invalidateQueries({ queryKey: ['leads', 'one', lead.id] }),
        ]);
        setAnnouncement(`Moved ${name} to ${stageName(to)}`);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        setRefusal({ lead, stage: stageName(to), reason });
        setAnnouncement(`The move of ${name} was refused`);
        // The rights or the lead changed meanwhile: learn them again so the offer is right.
        if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
          void queries.invalidateQueries({ queryKey: ['users', me.userId] });
          void queries.invalidateQueries({ queryKey: columnKey(pipelineId, from) });
          void queries.invalidateQueries({ queryKey: ['leads', 'summary', pipelineId] });
        }
      } finally {
        setPending((current) => {
          const next = new Map(current);
          next.delete(lead.id);
          return next;
        });
      }
    },
    [pipelineId, queries, stageName, me.userId],
  );

  const onDragStart = (event: DragStartEvent) => setDragged((event.active.data.current?.lead as Lead | undefined) ?? null);
  const onDragEnd = (event: DragEndEvent) => {
    const lead = event.active.data.current?.lead as Lead | undefined;
    const statusId = event.over?.data.current?.statusId as number | undefined;
    setDragged(null);
    if (lead && statusId !== undefined && targetsOf(lead).some((t) => t.id === statusId)) void move(lead, statusId);
  };
  const draggedTargets = useMemo(() => new Set(dragged ? targetsOf(dragged).map((t) => t.id) : []), [dragged, targetsOf]);

  const movedOut = useMemo(() => new Set(pending.keys()), [pending]);
  const movedIn = (statusId: number) => [...pending.values()].filter((p) => p.to === statusId).map((p) => p.lead);
  // Usable and settled: totals, every column's cards and the rights are in, and no move is under way.
  const ready = summary.data !== undefined && stages.length > 0 && fetchingCards === 0 && me.ready && pending.size === 0;

  return (
    <Box>
      <Group justify="space-between" align="flex-end" mb="md">
        <Title order={1}>Board</Title>
        <Group align="flex-end">
          {summary.data && (
            <Text size="sm" data-testid="board-total" data-count={summary.data.total.count} data-price={summary.data.total.price}>
              {summary.data.total.count} leads · {formatPrice(summary.data.total.price)}
            </Text>
          )}
          <Select
            label="Pipeline"
            w={220}
            data={(pipelines.data ?? []).map((p) => ({ value: String(p.id), label: p.name }))}
            value={pipelineId === null ? null : String(pipelineId)}
            allowDeselect={false}
            onChange={(value) => value && setSearch({ pipeline: value })}
          />
        </Group>
      </Group>
      {refusal && (
        <Alert color="red" title={`${refusal.lead.name || `Lead #${refusal.lead.id}`} was not moved to ${refusal.stage}`} role="alert" mb="md" withCloseButton closeButtonLabel="Dismiss" onClose={() => setRefusal(null)}>
          {refusal.reason}
        </Alert>
      )}
      {summary.isError && (
        <Alert color="red" title="The board could not be loaded" role="alert" mb="md">
          {summary.error.message}
        </Alert>
      )}
      <VisuallyHidden aria-live="polite">{announcement}</VisuallyHidden>
      {(pipelines.isPending || summary.isPending) && <Loader aria-label="Loading the board" />}
      {pipelineId !== null && (
        <DndContext sensors={sensors} collisionDetection={pointerWithin} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setDragged(null)}>
          <Group
            align="flex-start"
            wrap="nowrap"
            gap="sm"
            pb="sm"
            style={{ overflowX: 'auto' }}
            data-ready={ready}
            aria-busy={!ready}
            data-pipeline-id={pipelineId}
          >
            {stages.map((stage) => (
              <BoardColumn
                key={`${pipelineId}.${stage.id}`}
                pipelineId={pipelineId}
                statusId={stage.id}
                name={stage.name}
                count={stage.count}
                price={stage.price}
                accepts={dragged === null ? null : draggedTargets.has(stage.id)}
                movedOut={movedOut}
                movedIn={movedIn(stage.id)}
                pending={movedOut}
                targetsOf={targetsOf}
                responsibleOf={responsibleOf}
                onMove={(lead, to) => void move(lead, to)}
              />
            ))}
          </Group>
          <DragOverlay dropAnimation={null}>
            {dragged && (
              <Box bg="white" p="xs" w={240} style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4, boxShadow: 'var(--mantine-shadow-md)' }}>
                <CardBody lead={dragged} responsible={responsibleOf(dragged)} />
              </Box>
            )}
          </DragOverlay>
        </DndContext>
      )}
    </Box>
  );
}
