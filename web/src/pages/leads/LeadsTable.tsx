// One page of leads: a row per lead with a link to its record page, sortable by the columns the
// API can order by (created, updated), and a checkbox per row when batch actions are offered.
import { Anchor, Badge, Checkbox, Table, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { Lead, StageInfo, UserSummary } from '../../lib/leadsApi';
import type { LeadsSort, SortField } from '../../lib/leadsQuery';
import { formatPrice, formatTime } from '../../lib/format';

interface Props {
  leads: Lead[];
  stages: Map<string, StageInfo>;
  users: Map<number, UserSummary>;
  sort: LeadsSort | null;
  onSort: (field: SortField) => void;
  selectable: boolean;
  selected: Set<number>;
  onSelect: (ids: number[], on: boolean) => void;
}

function SortHeader({ label, field, sort, onSort }: {
  label: string;
  field: SortField;
  sort: LeadsSort | null;
  onSort: (field: SortField) => void;
}) {
  const active = sort?.field === field;
  const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';
  const arrow = active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : '';
  return (
    <Table.Th aria-sort={ariaSort}>
      <UnstyledButton onClick={() => onSort(field)} fw={700} fz="sm" title={`Sort by ${label.toLowerCase()}`}>
        {label}
        <span aria-hidden="true">{arrow}</span>
      </UnstyledButton>
    </Table.Th>
  );
}

export function LeadsTable({ leads, stages, users, sort, onSort, selectable, selected, onSelect }: Props) {
  const ids = leads.map((l) => l.id);
  const all = ids.length > 0 && ids.every((id) => selected.has(id));
  const some = ids.some((id) => selected.has(id));
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Leads">
        <Table.Thead>
          <Table.Tr>
            {selectable && (
              <Table.Th w={70}>
                <Checkbox
                  label="All"
                  aria-label="Select all leads on this page"
                  checked={all}
                  indeterminate={some && !all}
                  onChange={(e) => onSelect(ids, e.currentTarget.checked)}
                />
              </Table.Th>
            )}
            <SortHeader label="ID" field="id" sort={sort} onSort={onSort} />
            <Table.Th>Name</Table.Th>
            <Table.Th>Stage</Table.Th>
            <Table.Th>Pipeline</Table.Th>
            <Table.Th>Responsible</Table.Th>
            <Table.Th ta="right">Price</Table.Th>
            <SortHeader label="Created" field="created_at" sort={sort} onSort={onSort} />
            <SortHeader label="Updated" field="updated_at" sort={sort} onSort={onSort} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {leads.map((lead) => {
            const info = stages.get(`${lead.pipeline_id}.${lead.status_id}`);
            return (
              <Table.Tr key={lead.id} data-lead-id={lead.id}>
                {selectable && (
                  <Table.Td>
                    <Checkbox
                      aria-label={`Select ${lead.name || `lead ${lead.id}`}`}
                      checked={selected.has(lead.id)}
                      onChange={(e) => onSelect([lead.id], e.currentTarget.checked)}
                    />
                  </Table.Td>
                )}
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {lead.id}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/leads/${lead.id}`} size="sm">
                    {lead.name || `Lead #${lead.id}`}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge
                    variant="outline"
                    color="dark"
                    radius="sm"
                    styles={{ root: { borderLeft: `6px solid ${info?.stage.color ?? '#ccc'}`, textTransform: 'none' } }}
                  >
                    {info?.stage.name ?? `Stage ${lead.status_id}`}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{info?.pipeline.name ?? `Pipeline ${lead.pipeline_id}`}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {users.get(lead.responsible_user_id)?.name ?? `User ${lead.responsible_user_id}`}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{formatPrice(lead.price)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatTime(lead.created_at)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatTime(lead.updated_at)}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
