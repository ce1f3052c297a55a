// Asks for a current code (from the authenticator app, or a recovery code) before a 2FA change.
// The server's refusal of the code is shown on the field.
import { Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, fieldErrors } from '../../api/problem';
import { normalizeCode } from '../../lib/twoFactor';
import { FormActions } from '../FormActions';

interface Props {
  opened: boolean;
  title: string;
  explanation: ReactNode;
  submitLabel: string;
  danger?: boolean;
  onSubmit: (code: string) => Promise<void>;
  onClose: () => void;
}

export function CodeDialog({ opened, title, explanation, submitLabel, danger = false, onSubmit, onClose }: Props) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setCode('');
    setError(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = normalizeCode(code);
    if (!value) {
      setError('Enter a code.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(value);
      setCode('');
    } catch (caught) {
      if (caught instanceof ApiError) setError(fieldErrors(caught.problem).code ?? caught.message);
      else setError('The server could not be reached. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={title} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{explanation}</Text>
          <TextInput
            label="Verification code"
            description="The 6-digit code from your authenticator app, or one of your recovery codes."
            autoComplete="one-time-code"
            value={code}
            error={error}
            onChange={(e) => setCode(e.currentTarget.value)}
            data-autofocus
          />
          <FormActions submit={submitLabel} color={danger ? 'red' : undefined} busy={busy} onCancel={close} />
        </Stack>
      </form>
    </Modal>
  );
}
