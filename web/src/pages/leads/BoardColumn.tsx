// One stage of the board: its name, the count and sum of price of the leads the user may view
// (from the summary, counted by the server over every lead), and its cards a page at a time.
import { Button, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useDroppable } from '@dnd-kit/core';
import { formatPrice } from '../../lib/format';
import type { Lead } from '../../lib/leadsApi';
import { useColumnCards } from '../../lib/boardApi';
import { BoardCard, type CardTarget } from './BoardCard';

interface Props {
  pipelineId: number;
  statusId: number;
  name: string;
  count: number | undefined;
  price: number | undefined;
  // While a card is dragged: whether it may be dropped here (null: nothing is dragged).
  accepts: boolean | null;
  movedOut: ReadonlySet<number>; // cards on their way to another column
  movedIn: readonly Lead[]; // cards on their way here
  pending: ReadonlySet<number>;
  targetsOf: (lead: Lead) => CardTarget[];
  responsibleOf: (lead: Lead) => string;
  onMove: (lead: Lead, statusId: number) => void;
}

export function BoardColumn(props: Props) {
  const { pipelineId, statusId, name, count, price, accepts, movedOut, movedIn, pending } = props;
  const cards = useColumnCards(pipelineId, statusId);
  const { setNodeRef, isOver } = useDroppable({ id: `stage-${statusId}`, data: { statusId }, disabled: accepts !== true });
  const loaded = cards.data?.pages.flatMap((p) => p.leads) ?? [];
  const inIds = new Set(movedIn.map((l) => l.id));
  const shown = [...movedIn, ...loaded.filter((l) => !movedOut.has(l.id) && !inIds.has(l.id))];
  const headingId = `stage-${statusId}-name`;
  const border =
    accepts === null ? undefined : accepts ? `2px solid var(--mantine-color-${isOver ? 'blue-7' : 'blue-3'})` : '2px dashed var(--mantine-color-gray-4)';
  return (
    <Paper
      ref={setNodeRef}
      component="section"
      aria-labelledby={headingId}
      data-status-id={statusId}
      withBorder
      bg={isOver ? 'blue.0' : 'gray.0'}
      p="xs"
      w={260}
      miw={260}
      style={{ border, opacity: accepts === false ? 0.6 : 1, alignSelf: 'flex-start' }}
    >
      <Title order={2} size="h5" id={headingId} lineClamp={1}>
        {name}
      </Title>
      <Text size="xs" c="gray.8" mb="xs" data-testid="stage-totals" data-count={count} data-price={price}>
        {count === undefined ? '…' : `${count} ${count === 1 ? 'lead' : 'leads'} · ${formatPrice(price ?? 0)}`}
      </Text>
      {accepts === false && (
        <Text size="xs" c="gray.8" mb="xs">
          You may not move this lead here
        </Text>
      )}
      <Stack gap={6}>
        {cards.isPending && <Loader size="xs" aria-label={`Loading ${name}`} />}
        {cards.isError && (
          <Text size="xs" c="red.9" role="alert">
            {cards.error.message}
          </Text>
        )}
        {shown.map((lead) => (
          <BoardCard
            key={lead.id}
            lead={lead}
            responsible={props.responsibleOf(lead)}
            targets={props.targetsOf(lead)}
            moving={pending.has(lead.id)}
            onMove={props.onMove}
          />
        ))}
        {cards.hasNextPage && (
          <Button variant="subtle" size="xs" loading={cards.isFetchingNextPage} onClick={() => void cards.fetchNextPage()}>
            Load more
          </Button>
        )}
      </Stack>
    </Paper>
  );
}
