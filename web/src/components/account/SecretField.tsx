// A secret shown once (a new token, a client secret): read-only, selected on focus, with a copy
// button where the browser allows one.
import { Group, TextInput } from '@mantine/core';
import { CopyTextButton } from './CopyTextButton';

export function SecretField({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  return (
    <Group align="flex-end" wrap="nowrap">
      <TextInput label={label} value={value} readOnly ff="monospace" style={{ flex: 1 }} onFocus={(e) => e.currentTarget.select()} />
      <CopyTextButton text={value} label={copyLabel} />
    </Group>
  );
}
