// The table of the account pages (sessions, API tokens): a visible caption above it, which also
// names it for screen readers; header cells from `columns` (false leaves one out); `children`
// are the rows. It scrolls sideways on narrow screens.
import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

export function CaptionTable({ caption, columns, children }: { caption: string; columns: (string | false)[]; children: ReactNode }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover verticalSpacing="xs">
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>{columns.map((column) => column && <Table.Th key={column}>{column}</Table.Th>)}</Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
