// One lead on the board: its name (a link to the record), price and responsible user. It can be
// dragged (pointer) or moved with its "Move to…" menu (keyboard) — only when the user's rights
// can allow a move, and only to the stages they can allow.
import { ActionIcon, Anchor, Group, Menu, Paper, Text } from '@mantine/core';
import { useDraggable } from '@dnd-kit/core';
import { Link } from 'react-router-dom';
import { formatPrice } from '../../lib/format';
import type { Lead } from '../../lib/leadsApi';

export interface CardTarget {
  id: number;
  name: string;
}

interface Props {
  lead: Lead;
  responsible: string;
  targets: CardTarget[]; // empty: the card cannot be moved
  moving: boolean;
  onMove: (lead: Lead, statusId: number) => void;
}

export function CardBody({ lead, responsible }: { lead: Lead; responsible: string }) {
  return (
    <>
      <Text size="sm" fw={600} lineClamp={2}>
        {lead.name || `Lead #${lead.id}`}
      </Text>
      <Group justify="space-between" gap={4} mt={4}>
        <Text size="xs" c="gray.8">
          {formatPrice(lead.price)}
        </Text>
        <Text size="xs" c="gray.8" truncate maw={150}>
          {responsible}
        </Text>
      </Group>
    </>
  );
}

export function BoardCard({ lead, responsible, targets, moving, onMove }: Props) {
  const movable = targets.length > 0 && !moving;
  const { setNodeRef, listeners, isDragging } = useDraggable({
    id: `lead-${lead.id}`,
    data: { lead },
    disabled: !movable,
  });
  const name = lead.name || `Lead #${lead.id}`;
  return (
    // Only the pointer listeners: the card itself is not a control (its link and menu are), so a
    // screen reader meets no nested interactive element.
    <Paper
      ref={setNodeRef}
      {...(movable ? listeners : {})}
      withBorder
      p="xs"
      radius="sm"
      data-lead-id={lead.id}
      data-movable={movable}
      aria-busy={moving}
      style={{ opacity: isDragging || moving ? 0.5 : 1, cursor: movable ? 'grab' : 'default', touchAction: movable ? 'none' : undefined }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap={4}>
        <Anchor component={Link} to={`/leads/${lead.id}`} c="inherit" draggable={false} style={{ minWidth: 0, flex: 1 }}>
          <CardBody lead={lead} responsible={responsible} />
        </Anchor>
        {targets.length > 0 && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray.8" size="sm" aria-label={`Move ${name} to…`} disabled={moving}>
                <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                  <circle cx="12" cy="5" r="2" fill="currentColor" />
                  <circle cx="12" cy="12" r="2" fill="currentColor" />
                  <circle cx="12" cy="19" r="2" fill="currentColor" />
                </svg>
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Move to…</Menu.Label>
              {targets.map((t) => (
                <Menu.Item key={t.id} onClick={() => onMove(lead, t.id)}>
                  {t.name}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
    </Paper>
  );
}
