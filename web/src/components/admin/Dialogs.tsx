// The dialogs the settings pages share: naming something (create / rename) and confirming a
// deletion. Both keep the dialog open and show the server's refusal in words when it says no.
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, fieldErrors } from '../../api/problem';

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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (opened) {
      setName(initial);
      setError(null);
    }
  }, [opened, initial]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSave(name.trim());
      onClose();
    } catch (e) {
      setError(e instanceof ApiError ? (fieldErrors(e.problem).name ?? errorText(e)) : errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput label={label} value={name} onChange={(e) => setName(e.currentTarget.value)} error={error} data-autofocus required />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Save
            </Button>
          </Group>
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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (opened) setError(null);
  }, [opened]);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <Stack>
        <Text>{message}</Text>
        {error && (
          <Alert color="red" role="alert" title="Not deleted">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={() => void confirm()} loading={busy}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
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
