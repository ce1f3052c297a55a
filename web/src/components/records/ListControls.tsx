// Pieces every paged record list shares: its table, a sortable column header (aria-sort, arrow
// hidden from screen readers) and the pager (rows per page, previous / next, the page number).
import { Button, Group, Loader, Select, Table, Text, UnstyledButton } from '@mantine/core';
import { Fragment, type ReactElement, type ReactNode } from 'react';

// The list's table, scrolling sideways below `minWidth`. `columns`: a header cell each — a text,
// or a cell of its own (a SortHeader); false leaves one out. `children`: the rows.
export function ListTable({ label, minWidth, hover = false, columns, children }: {
  label: string;
  minWidth: number;
  hover?: boolean; // highlight the row under the pointer (rows that link somewhere)
  columns: (string | ReactElement | false)[];
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped highlightOnHover={hover} verticalSpacing="xs" fz="sm" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column, i) =>
              typeof column === 'string' ? <Table.Th key={column}>{column}</Table.Th> : <Fragment key={i}>{column}</Fragment>,
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
import { pageSizes, type Sort } from '../../lib/listQuery';

export function SortHeader<F extends string>({ label, field, sort, onSort }: {
  label: string;
  field: F;
  sort: Sort<F> | null;
  onSort: (field: F) => void;
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

export function Pager({ page, limit, hasNext, ready, onPage, onLimit }: {
  page: number;
  limit: number;
  hasNext: boolean;
  ready: boolean;
  onPage: (page: number) => void;
  onLimit: (limit: number) => void;
}) {
  return (
    <Group justify="space-between">
      <Select
        label="Rows per page"
        w={140}
        size="xs"
        data={pageSizes.map(String)}
        value={String(limit)}
        allowDeselect={false}
        onChange={(value) => value && onLimit(Number(value))}
      />
      <Group gap="xs">
        {!ready && <Loader size="xs" aria-label="Loading page" />}
        <Button variant="default" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          Previous page
        </Button>
        <Text size="sm" aria-live="polite">
          Page {page}
        </Text>
        <Button variant="default" disabled={!hasNext || !ready} onClick={() => onPage(page + 1)}>
          Next page
        </Button>
      </Group>
    </Group>
  );
}

// The pager of a list whose view lives in the address (`change`: useAddressView's): another page
// size starts again at page 1.
export function ViewPager<V extends { page: number; limit: number }>({ view, change, hasNext, ready }: {
  view: V;
  change: (edit: (current: V) => V) => void;
  hasNext: boolean;
  ready: boolean;
}) {
  return (
    <Pager
      page={view.page}
      limit={view.limit}
      hasNext={hasNext}
      ready={ready}
      onPage={(page) => change((v) => ({ ...v, page }))}
      onLimit={(limit) => change((v) => ({ ...v, limit, page: 1 }))}
    />
  );
}
