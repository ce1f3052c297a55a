// /contacts and /companies: the records the effective user may view, a page at a time through
// the API (never everything), with search, responsible and date filters, sortable columns and
// paging. Filters, sort and page live in the URL.
import { Anchor, Group, Paper, Stack, Table, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { ListTable, SortHeader, ViewPager } from '../../components/records/ListControls';
import { ListState } from '../../components/records/ListState';
import { formatTime } from '../../lib/format';
import { nextSort } from '../../lib/listQuery';
import type { RecordKind } from '../../lib/recordRights';
import { personName, usePeople, useRecordsPage } from '../../lib/recordsApi';
import {
  parseRecordsView,
  recordsFilterProblems,
  recordsViewSearch,
  type RecordSortField,
  type RecordsFilter,
} from '../../lib/recordsQuery';
import { useAddressView } from '../../lib/useAddressView';
import { RecordsFilters } from './RecordsFilters';
import { TagList } from '../../components/extras/TagList';
import { NewRecordButton } from '../../components/records/NewRecord';

export const kindTitles: Record<RecordKind, { plural: string; one: string }> = {
  contacts: { plural: 'Contacts', one: 'Contact' },
  companies: { plural: 'Companies', one: 'Company' },
};

export function RecordsListPage({ kind }: { kind: RecordKind }) {
  const title = kindTitles[kind].plural;
  const { view, search, change: go } = useAddressView(parseRecordsView, recordsViewSearch);
  const valid = Object.keys(recordsFilterProblems(view.filter)).length === 0;
  const people = usePeople();
  const records = useRecordsPage(kind, view, valid);

  const setFilter = (filter: RecordsFilter) => go((v) => ({ ...v, filter, page: 1 }), true);
  const setSort = (field: RecordSortField) => go((v) => ({ ...v, sort: nextSort(v.sort, field), page: 1 }));
  const rows = records.data?.items ?? [];
  const ready = records.data !== undefined && !records.isPlaceholderData;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>{title}</Title>
        <NewRecordButton kind={kind} />
      </Group>
      <Paper withBorder p="sm">
        <RecordsFilters
          label={`Filter ${title.toLowerCase()}`}
          filter={view.filter}
          people={people.data ?? []}
          onChange={setFilter}
          tagKind={kind}
        />
      </Paper>
      <ListState
        badRange={valid ? undefined : title.toLowerCase()}
        error={records.error}
        errorTitle={`The ${title.toLowerCase()} could not be loaded`}
        loading={valid && records.isPending}
        loadingLabel={`Loading ${title.toLowerCase()}`}
        empty={records.data !== undefined && rows.length === 0}
        emptyText={`No ${title.toLowerCase()} match`}
        ready={ready}
        search={search.toString()}
      >
        {rows.length > 0 && (
          <ListTable
            label={title}
            minWidth={720}
            hover
            columns={[
              <SortHeader label="ID" field="id" sort={view.sort} onSort={setSort} />,
              'Name',
              'Tags',
              'Responsible',
              <SortHeader label="Created" field="created_at" sort={view.sort} onSort={setSort} />,
              <SortHeader label="Updated" field="updated_at" sort={view.sort} onSort={setSort} />,
            ]}
          >
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.id}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/${kind}/${r.id}`} size="sm">
                    {r.name || `${kindTitles[kind].one} #${r.id}`}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <TagList tags={r._embedded.tags} />
                </Table.Td>
                <Table.Td>{personName(people.data, r.responsible_user_id)}</Table.Td>
                <Table.Td>{formatTime(r.created_at)}</Table.Td>
                <Table.Td>{formatTime(r.updated_at)}</Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </ListState>
      {records.data && <ViewPager view={view} change={go} hasNext={records.data.hasNext} ready={ready} />}
    </Stack>
  );
}
