// The dialogs the settings pages share: naming something (create / rename) and confirming a
// deletion. Both keep the dialog open and show the server's refusal in words when it says no.
// Also the pair of buttons that opens them for an item.
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, fieldErrors } from '../../api/problem';
import { FormActions } from '../FormActions';

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = Object.values(fieldErrors(error.problem));
    const detail = error.message;
    return fields.length > 0 && !fields.includes(detail) ? `${detail}: ${fields[0]}` : detail;
  }
  return error instanceof Error ? error.message : String(error);
}

interface NameDialogProps {
  opened: boolean;
  title: string;
  label: string;
  initial: string;
  onClose: () => void;
  // Resolves when saved; a rejection is shown in the dialog.
  onSave: (name: string) => Promise<unknown>;
}

export function NameDialog({ opened, title, label, initial, onClose, onSave }: NameDialogProps) {
  const [name, setName] = useState(initial);
  const save = useMutation({ mutationFn: onSave, onSuccess: () => onClose() });
  const { reset } = save;
  useEffect(() => {
    if (opened) {
      setName(initial);
      reset();
    }
  }, [opened, initial, reset]);
  const e = save.error;
  const error = e === null ? null : e instanceof ApiError ? (fieldErrors(e.problem).name ?? errorText(e)) : errorText(e);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(name.trim());
  }

  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput label={label} value={name} onChange={(e) => setName(e.currentTarget.value)} error={error} data-autofocus required />
          <FormActions busy={save.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

interface ConfirmDialogProps {
  opened: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  onClose: () => void;
  onConfirm: () => Promise<unknown>;
}

export function ConfirmDialog({ opened, title, message, confirmLabel, onClose, onConfirm }: ConfirmDialogProps) {
  const confirm = useMutation({ mutationFn: onConfirm, onSuccess: () => onClose() });
  const { reset } = confirm;
  useEffect(() => {
    if (opened) reset();
  }, [opened, reset]);

  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <Stack>
        <Text>{message}</Text>
        {confirm.isError && (
          <Alert color="red" role="alert" title="Not deleted">
            {errorText(confirm.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={() => confirm.mutate()} loading={confirm.isPending}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

// An item's "Rename" (or `edit`) and "Delete" buttons, each named after the item (`what`: its
// name, or "stage Won"); `children` (other actions) come first.
export function EditDeleteButtons({ what, edit = 'Rename', onEdit, onDelete, children }: {
  what: string;
  edit?: string;
  onEdit: () => void;
  onDelete: () => void;
  children?: ReactNode;
}) {
  return (
    <Group gap="xs">
      {children}
      <Button size="xs" variant="default" aria-label={`${edit} ${what}`} onClick={onEdit}>
        {edit}
      </Button>
      <Button size="xs" variant="default" color="red" aria-label={`Delete ${what}`} onClick={onDelete}>
        Delete
      </Button>
    </Group>
  );
}

// A query's failure on the page, in words.
export function LoadError({ error }: { error: unknown }) {
  return (
    <Alert color="red" role="alert" title="Could not load">
      {errorText(error)}
    </Alert>
  );
}

// Input descriptions in a grey dark enough for WCAG AA (the default dimmed grey is not).
export const readable = { description: { color: 'var(--mantine-color-gray-7)' } };
