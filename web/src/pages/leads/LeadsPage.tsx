// /leads: the leads the signed-in user may view, a page at a time through GET /api/v4/leads
// (never everything), with Kommo's filters, sorting, batch actions and CSV export — each action
// offered only when the user's rights can allow it. Filters, sort and page live in the URL.
import { Group, Paper, Stack, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useEffectiveUser } from '../../lib/useEffectiveUser';
import { stageIndex, useLeadsPage, usePipelines, useUsers, type Lead, type User } from '../../lib/leadsApi';
import { leadPermissions } from '../../lib/leadRights';
import { rowActions, type Mover } from '../../lib/board';
import {
  filterProblems,
  leadsViewSearch,
  nextSort,
  parseLeadsView,
  type LeadsFilter,
  type SortField,
} from '../../lib/leadsQuery';
import { useAddressView } from '../../lib/useAddressView';
import { BatchActions } from './BatchActions';
import { ViewPager } from '../../components/records/ListControls';
import { ListState } from '../../components/records/ListState';
import { ExportButton } from './ExportButton';
import { NewRecordButton } from '../../components/records/NewRecord';
import { LeadsFilters } from './LeadsFilters';
import { LeadsTable } from './LeadsTable';

export default function LeadsPage() {
  const { view, search, change: go } = useAddressView(parseLeadsView, leadsViewSearch);
  const valid = Object.keys(filterProblems(view.filter)).length === 0;
  // The effective user (the viewed one under View as): the API answers rights to the user
  // themself; until they are known nothing is offered.
  const me = useEffectiveUser();
  const permissions = leadPermissions(me.rights, me.isAdmin);
  const pipelines = usePipelines();
  const users = useUsers();
  const leads = useLeadsPage(view, valid);
  const [selected, setSelected] = useState<Set<number>>(new Set());

  const viewKey = leadsViewSearch(view).toString();
  useEffect(() => setSelected(new Set()), [viewKey]);

  const setFilter = (filter: LeadsFilter) => go((v) => ({ ...v, filter, page: 1 }), true);
  const setSort = (field: SortField) => go((v) => ({ ...v, sort: nextSort(v.sort, field), page: 1 }));

  const stages = useMemo(() => stageIndex(pipelines.data), [pipelines.data]);
  const userIndex = useMemo(
    () => new Map<number, User>((users.data ?? []).map((u) => [u.id, u])),
    [users.data],
  );
  const mover: Mover = useMemo(
    () => ({
      userId: me.userId,
      isAdmin: me.isAdmin,
      rights: me.rights,
      groupOf: (id) => userIndex.get(id)?._embedded?.groups?.[0]?.id,
    }),
    [me.userId, me.isAdmin, me.rights, userIndex],
  );
  // A row is selectable when the user may edit or delete that lead where it stands.
  const canSelect = (lead: Lead) => {
    const can = rowActions(mover, lead);
    return (permissions.edit && can.edit) || (permissions.delete && can.delete);
  };
  const rows = leads.data?.leads ?? [];
  const selectable = permissions.edit || permissions.delete;
  const selectedLeads = rows.filter((l) => selected.has(l.id));
  const ready = leads.data !== undefined && !leads.isPlaceholderData;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>Leads</Title>
        <Group gap="sm">
          {permissions.export && <ExportButton view={view} />}
          <NewRecordButton kind="leads" />
        </Group>
      </Group>
      <Paper withBorder p="sm">
        <LeadsFilters
          filter={view.filter}
          pipelines={pipelines.data ?? []}
          users={users.data ?? []}
          onChange={setFilter}
        />
      </Paper>
      {selectable && (
        <BatchActions
          selected={selectedLeads}
          pipelines={pipelines.data ?? []}
          users={users.data ?? []}
          permissions={permissions}
          mover={mover}
          onFinished={() => setSelected(new Set())}
        />
      )}
      <ListState
        badRange={valid ? undefined : 'leads'}
        error={leads.error}
        errorTitle="The leads could not be loaded"
        loading={valid && leads.isPending}
        loadingLabel="Loading leads"
        empty={leads.data !== undefined && rows.length === 0}
        emptyText="No leads match"
        ready={ready}
        search={search.toString()}
      >
        {leads.data && rows.length > 0 && (
          <LeadsTable
            leads={rows}
            stages={stages}
            users={userIndex}
            sort={view.sort}
            onSort={setSort}
            selectable={selectable}
            canSelect={canSelect}
            selected={selected}
            onSelect={(ids, on) =>
              setSelected((current) => {
                const next = new Set(current);
                for (const id of ids) {
                  if (on) next.add(id);
                  else next.delete(id);
                }
                return next;
              })
            }
          />
        )}
      </ListState>
      {leads.data && <ViewPager view={view} change={go} hasNext={leads.data.hasNext} ready={ready} />}
    </Stack>
  );
}
