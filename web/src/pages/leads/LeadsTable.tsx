// One page of leads: a row per lead with a link to its record page, sortable by the columns the
// API can order by (created, updated), and a checkbox per row when batch actions are offered.
import { TagList } from '../../components/extras/TagList';
import { Anchor, Checkbox, Table } from '@mantine/core';
import type { CSSProperties } from 'react';
import { Link } from 'react-router-dom';
import type { Lead, StageInfo, User } from '../../lib/leadsApi';
import type { LeadsSort, SortField } from '../../lib/leadsQuery';
import { formatPrice, formatTime } from '../../lib/format';
import { ListTable, SortHeader } from '../../components/records/ListControls';

const swatch: CSSProperties = {
  display: 'inline-block',
  width: 10,
  height: 10,
  borderRadius: 2,
  marginRight: 6,
  verticalAlign: 'baseline',
};

interface Props {
  leads: Lead[];
  stages: Map<string, StageInfo>;
  users: Map<number, User>;
  sort: LeadsSort | null;
  onSort: (field: SortField) => void;
  selectable: boolean;
  canSelect: (lead: Lead) => boolean; // a lead the user may act on (edit or delete)
  selected: Set<number>;
  onSelect: (ids: number[], on: boolean) => void;
}

export function LeadsTable({ leads, stages, users, sort, onSort, selectable, canSelect, selected, onSelect }: Props) {
  const ids = leads.filter(canSelect).map((l) => l.id);
  const all = ids.length > 0 && ids.every((id) => selected.has(id));
  const some = ids.some((id) => selected.has(id));
  return (
    // Cells hold plain text (no component per cell): a page of 250 rows renders quickly.
    <ListTable
      label="Leads"
      minWidth={900}
      hover
      columns={[
        selectable && (
          <Table.Th w={120}>
            <Checkbox
              label="Select all"
              checked={all}
              disabled={ids.length === 0}
              indeterminate={some && !all}
              onChange={(e) => onSelect(ids, e.currentTarget.checked)}
            />
          </Table.Th>
        ),
        <SortHeader label="ID" field="id" sort={sort} onSort={onSort} />,
        'Name',
        'Tags',
        'Stage',
        'Pipeline',
        'Responsible',
        <Table.Th ta="right">Price</Table.Th>,
        <SortHeader label="Created" field="created_at" sort={sort} onSort={onSort} />,
        <SortHeader label="Updated" field="updated_at" sort={sort} onSort={onSort} />,
      ]}
    >
      {leads.map((lead) => {
        const info = stages.get(`${lead.pipeline_id}.${lead.status_id}`);
        return (
          <Table.Tr key={lead.id} data-lead-id={lead.id}>
            {selectable && (
              <Table.Td>
                <Checkbox
                  aria-label={`Select ${lead.name || `lead ${lead.id}`}`}
                  disabled={!canSelect(lead)}
                  title={canSelect(lead) ? undefined : 'Your rights allow no action on this lead'}
                  checked={selected.has(lead.id)}
                  onChange={(e) => onSelect([lead.id], e.currentTarget.checked)}
                />
              </Table.Td>
            )}
            <Table.Td>
              {lead.id}
            </Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/leads/${lead.id}`} size="sm">
                {lead.name || `Lead #${lead.id}`}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <TagList tags={lead._embedded.tags} />
            </Table.Td>
            <Table.Td>
              {/* The stage's colour as in Kommo; its name says the same in words. */}
              <span style={{ ...swatch, background: info?.stage.color ?? '#ccc' }} />
              {info?.stage.name ?? `Stage ${lead.status_id}`}
            </Table.Td>
            <Table.Td>
              {info?.pipeline.name ?? `Pipeline ${lead.pipeline_id}`}
            </Table.Td>
            <Table.Td>
              {users.get(lead.responsible_user_id)?.name ?? `User ${lead.responsible_user_id}`}
            </Table.Td>
            <Table.Td ta="right">
              {formatPrice(lead.price)}
            </Table.Td>
            <Table.Td>
              {formatTime(lead.created_at)}
            </Table.Td>
            <Table.Td>
              {formatTime(lead.updated_at)}
            </Table.Td>
          </Table.Tr>
        );
      })}
    </ListTable>
  );
}
