// A confirmation dialog for one user action: says what will happen, runs it with a pending
// state, and shows the server's refusal in words inside the dialog.
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';

interface Props {
  opened: boolean;
  title: string;
  confirmLabel: string;
  color?: string;
  children?: ReactNode;
  pendingText?: string;
  canConfirm?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

export function ConfirmDialog({ opened, title, confirmLabel, color = 'red', children, pendingText, canConfirm = true, onConfirm, onClose }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened={opened}
      onClose={() => {
        if (!busy) {
          setError(null);
          onClose();
        }
      }}
      title={title}
    >
      <Stack>
        {children}
        {busy && pendingText && (
          <Text size="sm" role="status">
            {pendingText}
          </Text>
        )}
        {error && (
          <Alert color="red" role="alert" title="The server refused">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button color={color} loading={busy} disabled={!canConfirm} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
