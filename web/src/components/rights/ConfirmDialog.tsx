// A confirmation dialog for one user action: says what will happen, runs it with a pending
// state, and shows the server's refusal in words inside the dialog.
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';

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
  const confirm = useMutation({ mutationFn: onConfirm, onSuccess: () => onClose() });
  const busy = confirm.isPending;

  return (
    <Modal
      opened={opened}
      onClose={() => {
        if (!busy) {
          confirm.reset();
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
        {confirm.isError && (
          <Alert color="red" role="alert" title="The server refused">
            {confirm.error instanceof Error ? confirm.error.message : String(confirm.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button color={color} loading={busy} disabled={!canConfirm} onClick={() => confirm.mutate()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
