// /lists: the workspace's Lists (catalogs) and their elements, a page at a time, when the
// effective user's Lists access (catalog_access) is on; otherwise a "no access" state, not an
// error. The chosen list and page live in the URL.
import { Alert, Center, Grid, Loader, NavLink, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { NoAccess } from '../../components/access/NoAccess';
import { Pager } from '../../components/records/ListControls';
import { formatTime } from '../../lib/format';
import { pageLimit, positiveInt } from '../../lib/listQuery';
import { pageOf } from '../../lib/recordsApi';
import { featureAccess } from '../../lib/recordRights';
import { useEffectiveUser } from '../../lib/useEffectiveUser';

export default function ListsPage() {
  const [search, setSearch] = useSearchParams();
  const viewer = useEffectiveUser();
  const access = featureAccess(viewer);
  const catalogs = useQuery({
    queryKey: ['catalogs'],
    enabled: access?.lists === true,
    queryFn: async () => {
      const body = await unwrap(api.GET('/api/v4/catalogs', { querySerializer: () => 'limit=250' }));
      return body?._embedded.catalogs ?? [];
    },
  });
  const chosen = positiveInt(search.get('list')) ?? catalogs.data?.[0]?.id ?? null;
  const page = positiveInt(search.get('page')) ?? 1;
  const limit = pageLimit(search.get('limit'));
  const elements = useQuery({
    queryKey: ['catalogs', chosen, 'elements', page, limit],
    enabled: access?.lists === true && chosen !== null,
    queryFn: async ({ signal }) => {
      const body = await unwrap(
        api.GET('/api/v4/catalogs/{id}/elements', {
          params: { path: { id: chosen ?? 0 } },
          querySerializer: () => `page=${page}&limit=${limit}`,
          signal,
        }),
      );
      return pageOf(body, body?._embedded.elements);
    },
    placeholderData: (previous) => previous,
  });
  const go = (list: number, p: number, l: number) => {
    const out = new URLSearchParams({ list: String(list) });
    if (p > 1) out.set('page', String(p));
    if (l !== pageLimit(null)) out.set('limit', String(l));
    setSearch(out);
  };

  if (access && !access.lists) {
    return (
      <NoAccess title="Lists" alertTitle="No access to Lists">
        Your rights do not include Lists. An administrator can turn on Lists access in your rights.
      </NoAccess>
    );
  }
  const current = catalogs.data?.find((c) => c.id === chosen);
  const rows = elements.data?.items ?? [];
  const ready = elements.data !== undefined && !elements.isPlaceholderData;
  return (
    <Stack gap="md">
      <Title order={1}>Lists</Title>
      {(catalogs.isError || elements.isError) && (
        <Alert color="red" title="The lists could not be loaded" role="alert">
          {(catalogs.error ?? elements.error)?.message}
        </Alert>
      )}
      {(!access || catalogs.isPending) && (
        <Center py="xl">
          <Loader aria-label="Loading lists" />
        </Center>
      )}
      {catalogs.data && catalogs.data.length === 0 && (
        <Text py="lg" ta="center" c="gray.7" role="status">
          There are no lists yet
        </Text>
      )}
      {catalogs.data && catalogs.data.length > 0 && (
        <Grid>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Paper withBorder p="xs" component="nav" aria-label="Lists">
              {catalogs.data.map((c) => (
                <NavLink
                  key={c.id}
                  component="button"
                  label={c.name}
                  active={c.id === chosen}
                  aria-current={c.id === chosen ? 'true' : undefined}
                  onClick={() => go(c.id, 1, limit)}
                />
              ))}
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 9 }}>
            <Stack gap="sm">
              <Title order={2} size="h3">
                {current?.name ?? `List ${chosen}`}
              </Title>
              <div aria-busy={!ready} data-ready={ready}>
                {elements.data && rows.length === 0 && (
                  <Text py="lg" ta="center" c="gray.7" role="status">
                    This list has no elements
                  </Text>
                )}
                {rows.length > 0 && (
                  <Table striped verticalSpacing="xs" fz="sm" aria-label={`Elements of ${current?.name ?? 'the list'}`}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>ID</Table.Th>
                        <Table.Th>Name</Table.Th>
                        <Table.Th>Created</Table.Th>
                        <Table.Th>Updated</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {rows.map((e) => (
                        <Table.Tr key={e.id} data-element-id={e.id}>
                          <Table.Td>{e.id}</Table.Td>
                          <Table.Td>{e.name}</Table.Td>
                          <Table.Td>{formatTime(e.created_at)}</Table.Td>
                          <Table.Td>{formatTime(e.updated_at)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </div>
              {elements.data && chosen !== null && (
                <Pager
                  page={page}
                  limit={limit}
                  hasNext={elements.data.hasNext}
                  ready={ready}
                  onPage={(p) => go(chosen, p, limit)}
                  onLimit={(l) => go(chosen, 1, l)}
                />
              )}
            </Stack>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
