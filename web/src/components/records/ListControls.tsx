// Pieces every paged record list shares: a sortable column header (aria-sort, arrow hidden from
// screen readers) and the pager (rows per page, previous / next, the page number).
import { Button, Group, Loader, Select, Table, Text, UnstyledButton } from '@mantine/core';
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
