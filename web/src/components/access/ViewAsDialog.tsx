// The "View as" dialog: pick an active paid user other than oneself, then the workspace is
// browsed as them (lib/viewAsStore.ts). Leaving a page that is never viewed as another user
// (settings, profile) goes to the leads.
import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useSignedIn } from '../../api/session';
import { useUsers } from '../../lib/leadsApi';
import { isViewedPath } from '../../lib/viewAs';
import { startViewAs } from '../../lib/viewAsStore';

export default function ViewAsDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { userId } = useSignedIn();
  const users = useUsers();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [chosen, setChosen] = useState<string | null>(null);
  // Only users the API lets one act as: active, with a paid seat, not oneself.
  const options = (users.data ?? [])
    .filter((u) => u.id !== userId && u.rights?.is_active !== false && u.rights?.is_free !== true)
    .map((u) => ({ value: String(u.id), label: `${u.name} (${u.email})` }));
  const start = () => {
    if (!chosen) return;
    startViewAs(Number(chosen));
    onClose();
    if (!isViewedPath(pathname)) void navigate('/leads');
  };
  return (
    <Modal opened={opened} onClose={onClose} title="View as another user">
      <Stack gap="sm">
        <Text size="sm">
          Browse the workspace exactly as this user sees it: their leads, records and the actions their rights allow.
          Settings and your profile stay your own.
        </Text>
        <Select
          label="User"
          placeholder="Pick a user"
          searchable
          data={options}
          value={chosen}
          onChange={setChosen}
          nothingFoundMessage="No such user"
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={start} disabled={!chosen}>
            View as
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
