// The end of a form: the refusal in words (when no field shows it), then the buttons — Cancel when
// the form can be left, the submit button last.
import { Alert, Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

export function FormActions({ error, errorTitle, submit = 'Save', busy, disabled, color, onCancel, start = false }: {
  error?: ReactNode; // shown when set
  errorTitle?: string;
  submit?: ReactNode; // the submit button's text
  busy: boolean;
  disabled?: boolean;
  color?: string;
  onCancel?: () => void;
  start?: boolean; // buttons at the start of the line (a page's form) rather than its end (a dialog's)
}) {
  return (
    <>
      {error && (
        <Alert color="red" role="alert" title={errorTitle}>
          {error}
        </Alert>
      )}
      <Group justify={start ? undefined : 'flex-end'}>
        {onCancel && (
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        )}
        <Button type="submit" color={color} loading={busy} disabled={disabled}>
          {submit}
        </Button>
      </Group>
    </>
  );
}
