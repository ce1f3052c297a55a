// "Who could see this record?" (administrators): every user the engine allowed to view the record,
// now or at a chosen past time (GET /api/v4/security/explain/viewers, point-in-time replay), each
// with the rule that allowed it in the words of "Why can I see this?".
import { Alert, Button, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/problem';
import type { ExplainEntity } from '../../lib/explainWords';
import { replayRefusal, replayTime, unixOfLocal, viewersInWords } from '../../lib/replay';
import { useExplainNames } from './AccessAnswer';
import { ReplayAt } from './ReplayAt';

function useViewers(entityType: ExplainEntity, entityId: number, at: number | null, enabled: boolean) {
  return useQuery({
    queryKey: ['explain', 'viewers', entityType, entityId, at],
    enabled,
    staleTime: 0,
    retry: false, // a refused time or a record missing then is the answer
    queryFn: () =>
      unwrap(
        api.GET('/api/v4/security/explain/viewers', {
          params: { query: { entity_type: entityType, entity_id: entityId, ...(at !== null ? { at } : {}) } },
        }),
      ),
  });
}

function ViewersDialog({ entityType, entityId, onClose }: { entityType: ExplainEntity; entityId: number; onClose: () => void }) {
  const [atText, setAtText] = useState('');
  const at = atText === '' ? null : unixOfLocal(atText);
  const viewers = useViewers(entityType, entityId, at, atText === '' || at !== null);
  const names = useExplainNames();
  const error = viewers.error;
  const refusal = error instanceof ApiError ? replayRefusal(error.status, error.problem, at) : null;
  const rows = viewers.data ? viewersInWords(viewers.data, names) : [];
  return (
    <Modal opened onClose={onClose} title="Who could see this record?" size="xl">
      <Stack gap="sm">
        <ReplayAt value={atText} onChange={setAtText} error={refusal?.at} />
        {viewers.isFetching && !viewers.data && <Loader size="sm" aria-label="Asking the engine" />}
        {refusal?.missing && (
          <Alert color="orange" title="Did not exist then" role="alert">
            {refusal.missing}
          </Alert>
        )}
        {viewers.isError && !refusal && (
          <Alert color="red" title="The engine could not answer" role="alert">
            {viewers.error.message}
          </Alert>
        )}
        {viewers.data && !viewers.isError && (
          <>
            <Text size="sm" aria-live="polite">
              {viewers.data.at != null
                ? `As it was on ${replayTime(viewers.data.at)}: ${rows.length} ${rows.length === 1 ? 'user' : 'users'} could see it.`
                : `Now: ${rows.length} ${rows.length === 1 ? 'user' : 'users'} can see it.`}{' '}
              Responsible{viewers.data.at != null ? ' then' : ''}: {viewers.data.responsible_user_id ? (names.userName(viewers.data.responsible_user_id) ?? `user ${viewers.data.responsible_user_id}`) : 'nobody'}.
            </Text>
            <Table striped aria-label="Viewers" verticalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>User</Table.Th>
                  <Table.Th>Rule</Table.Th>
                  <Table.Th>Why</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.userId}>
                    <Table.Td>{row.name}</Table.Td>
                    <Table.Td>{row.rule}</Table.Td>
                    <Table.Td>{row.because.join(' ')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Modal>
  );
}

export function WhoCouldSee({ entityType, entityId }: { entityType: ExplainEntity; entityId: number }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="default" size="xs" onClick={() => setOpen(true)}>
        Who could see this record?
      </Button>
      {open && <ViewersDialog entityType={entityType} entityId={entityId} onClose={() => setOpen(false)} />}
    </>
  );
}
