// "Why can I see this?" for any record page (leads, contacts, companies, tasks): the engine's
// explanation of the effective user's access in plain words — seeing the record first, then the
// other actions — and, for an administrator, "Check access": any user and action on this record,
// now or replayed at a past time ("At"), and "Who could see this record?" (now or then).
//
// Use: <WhyPanel entityType="contacts" entityId={id} />. Under "View as" it explains the viewed
// user's access (the request carries X-Context-User-ID; the API lets anyone explain their own).
import { Button, Divider, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../../api/problem';
import type { ExplainAction, ExplainEntity } from '../../lib/explainWords';
import { replayRefusal, unixOfLocal } from '../../lib/replay';
import { useUsers } from '../../lib/leadsApi';
import { useEffectiveUser } from '../../lib/useEffectiveUser';
import { AccessAnswer, useExplanation } from './AccessAnswer';
import { ReplayAt } from './ReplayAt';
import { WhoCouldSee } from './WhoCouldSee';

const actionsOf: Record<ExplainEntity, ExplainAction[]> = {
  leads: ['view', 'edit', 'delete', 'export'],
  contacts: ['view', 'edit', 'delete', 'export'],
  companies: ['view', 'edit', 'delete', 'export'],
  tasks: ['view', 'edit', 'delete'],
  customers: ['view', 'edit', 'delete', 'export'],
};

const actionLabels: Record<ExplainAction, string> = {
  view: 'See',
  edit: 'Edit',
  delete: 'Delete',
  export: 'Export',
  add: 'Add',
};

export interface WhyPanelProps {
  entityType: ExplainEntity;
  entityId: number;
}

function CheckAccessDialog({ entityType, entityId, opened, onClose }: WhyPanelProps & { opened: boolean; onClose: () => void }) {
  const users = useUsers();
  const [userId, setUserId] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>('view');
  const [atText, setAtText] = useState('');
  const at = atText === '' ? null : unixOfLocal(atText);
  const question = { userId: Number(userId), entityType, entityId, action: (action ?? 'view') as ExplainAction, at };
  const asking = userId !== null && action !== null && (atText === '' || at !== null);
  // The same query as the answer's (shared by its key): a refused `at` is shown under the input.
  const explanation = useExplanation(question, asking && opened);
  const refusal = explanation.error instanceof ApiError ? replayRefusal(explanation.error.status, explanation.error.problem, at) : null;
  const options = (users.data ?? []).map((u) => ({ value: String(u.id), label: `${u.name} (${u.email})` }));
  return (
    <Modal opened={opened} onClose={onClose} title="Check access" size="lg">
      <Stack gap="sm">
        <Text size="sm">Pick a user and an action: the engine answers for this record, now or at a past time.</Text>
        <Group grow align="flex-end">
          <Select label="User" placeholder="Pick a user" searchable data={options} value={userId} onChange={setUserId} nothingFoundMessage="No such user" />
          <Select
            label="Action"
            data={actionsOf[entityType].map((a) => ({ value: a, label: actionLabels[a] }))}
            value={action}
            onChange={setAction}
            allowDeselect={false}
          />
        </Group>
        <ReplayAt value={atText} onChange={setAtText} error={refusal?.at} />
        {asking && <AccessAnswer question={question} selfId={null} />}
      </Stack>
    </Modal>
  );
}

export function WhyPanel({ entityType, entityId }: WhyPanelProps) {
  const me = useEffectiveUser();
  const [whyOpen, setWhyOpen] = useState(false);
  const [checkOpen, setCheckOpen] = useState(false);
  const [view, ...others] = actionsOf[entityType];
  return (
    <Group gap="xs">
      <Button variant="light" size="xs" onClick={() => setWhyOpen(true)}>
        Why can I see this?
      </Button>
      {me.isAdmin && (
        <Button variant="default" size="xs" onClick={() => setCheckOpen(true)}>
          Check access
        </Button>
      )}
      {me.isAdmin && <WhoCouldSee entityType={entityType} entityId={entityId} />}
      <Modal opened={whyOpen} onClose={() => setWhyOpen(false)} title="Why can I see this?" size="lg">
        {whyOpen && (
          <Stack gap="md">
            {me.viewingAs && <Text size="sm">Answered for {me.name ?? `user ${me.userId}`}, as you are viewing the workspace as them.</Text>}
            <AccessAnswer question={{ userId: me.userId, entityType, entityId, action: view ?? 'view' }} selfId={me.viewingAs ? null : me.userId} />
            <Divider label="And the other actions" labelPosition="left" />
            {others.map((action) => (
              <AccessAnswer
                key={action}
                title={actionLabels[action]}
                question={{ userId: me.userId, entityType, entityId, action }}
                selfId={me.viewingAs ? null : me.userId}
              />
            ))}
          </Stack>
        )}
      </Modal>
      {me.isAdmin && (
        <CheckAccessDialog entityType={entityType} entityId={entityId} opened={checkOpen} onClose={() => setCheckOpen(false)} />
      )}
    </Group>
  );
}
