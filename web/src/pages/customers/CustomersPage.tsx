// /customers: the customers (Kommo's repeat buyers) the effective user may view — the server
// applies the leads' rights — a page at a time, with the records' filters (tags included) plus
// customer statuses, sortable columns and paging. Filters, sort and page live in the URL.
import { Anchor, Group, MultiSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { ListTable, SortHeader, ViewPager } from '../../components/records/ListControls';
import { ListState } from '../../components/records/ListState';
import { TagList } from '../../components/extras/TagList';
import { NewRecordButton } from '../../components/records/NewRecord';
import { useCustomerStatuses, useCustomersPage } from '../../lib/customersApi';
import { customerStatusOf, customersViewSearch, parseCustomersView } from '../../lib/customersQuery';
import { formatPrice, formatTime } from '../../lib/format';
import { nextSort } from '../../lib/listQuery';
import { personName, usePeople } from '../../lib/recordsApi';
import { recordsFilterProblems, type RecordSortField, type RecordsFilter } from '../../lib/recordsQuery';
import { useAddressView } from '../../lib/useAddressView';
import { RecordsFilters } from '../records/RecordsFilters';

export default function CustomersPage() {
  const { view, search, change: go } = useAddressView(parseCustomersView, customersViewSearch);
  const valid = Object.keys(recordsFilterProblems(view.filter)).length === 0;
  const people = usePeople();
  const statuses = useCustomerStatuses();
  const customers = useCustomersPage(view, valid);

  const setFilter = (filter: RecordsFilter) => go((v) => ({ ...v, filter, page: 1 }), true);
  const setSort = (field: RecordSortField) => go((v) => ({ ...v, sort: nextSort(v.sort, field), page: 1 }));
  const rows = customers.data?.items ?? [];
  const ready = customers.data !== undefined && !customers.isPlaceholderData;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>Customers</Title>
        <NewRecordButton kind="customers" />
      </Group>
      <Paper withBorder p="sm">
        <Stack gap="xs">
          <RecordsFilters
            label="Filter customers"
            filter={view.filter}
            people={people.data ?? []}
            onChange={setFilter}
            tagKind="customers"
          />
          <MultiSelect
            label="Status"
            placeholder={view.statuses.length ? undefined : 'Any status'}
            clearable
            maw={480}
            data={(statuses.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
            value={view.statuses.map(String)}
            onChange={(values) => go((v) => ({ ...v, statuses: values.map(Number), page: 1 }), true)}
          />
        </Stack>
      </Paper>
      <ListState
        badRange={valid ? undefined : 'customers'}
        error={customers.error}
        errorTitle="The customers could not be loaded"
        loading={valid && customers.isPending}
        loadingLabel="Loading customers"
        empty={customers.data !== undefined && rows.length === 0}
        emptyText="No customers match"
        ready={ready}
        search={search.toString()}
      >
        {rows.length > 0 && (
          <ListTable
            label="Customers"
            minWidth={860}
            hover
            columns={[
              <SortHeader label="ID" field="id" sort={view.sort} onSort={setSort} />,
              'Name',
              'Tags',
              'Status',
              'Next purchase',
              'Expected amount',
              'Responsible',
              <SortHeader label="Updated" field="updated_at" sort={view.sort} onSort={setSort} />,
            ]}
          >
            {rows.map((c) => {
              const status = customerStatusOf(statuses.data, c.status_id);
              return (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.id}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/customers/${c.id}`} size="sm">
                      {c.name || `Customer #${c.id}`}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <TagList tags={c._embedded.tags} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <span
                        aria-hidden
                        style={{
                          width: 10,
                          height: 10,
                          borderRadius: 5,
                          background: status.color,
                          border: '1px solid var(--mantine-color-gray-5)',
                          flexShrink: 0,
                        }}
                      />
                      <Text size="sm">{status.name}</Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>{c.next_date ? formatTime(c.next_date) : '—'}</Table.Td>
                  <Table.Td>{formatPrice(c.next_price)}</Table.Td>
                  <Table.Td>{personName(people.data, c.responsible_user_id)}</Table.Td>
                  <Table.Td>{formatTime(c.updated_at)}</Table.Td>
                </Table.Tr>
              );
            })}
          </ListTable>
        )}
      </ListState>
      {customers.data && <ViewPager view={view} change={go} hasNext={customers.data.hasNext} ready={ready} />}
    </Stack>
  );
}
