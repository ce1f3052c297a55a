// The building blocks of a record page: a titled region (its accessible name is its title), what a
// section's list says instead of items (its query failed, or found none), and one labelled value
// of the record's fields grid.
import { Group, Paper, Text, Title } from '@mantine/core';
import { formatTime } from '../../lib/format';

// `action`: a control beside the title (e.g. "New task" on a record's tasks).
export function Section({ title, action, children }: { title: string; action?: React.ReactNode; children: React.ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Group justify="space-between" align="center" mb="xs" gap="xs">
        <Title order={2} size="h4">
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </Paper>
  );
}

// `error`: the section's query failed; `empty`: it found nothing (`emptyText` says so).
export function SectionNote({ error, empty, emptyText }: { error: Error | null; empty: boolean; emptyText: string }) {
  return (
    <>
      {error && (
        <Text size="sm" c="red.9" role="alert">
          {error.message}
        </Text>
      )}
      {empty && (
        <Text size="sm" c="gray.7">
          {emptyText}
        </Text>
      )}
    </>
  );
}

export function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="gray.7" fw={700} tt="uppercase">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

// When the record was created or updated (`at`, unix seconds) and, when known, by whom.
export function StampField({ label, at, by, who }: { label: string; at: number; by: number | null | undefined; who: (userId: number) => string }) {
  return (
    <Field label={label}>
      {formatTime(at)}
      {by ? ` by ${who(by)}` : ''}
    </Field>
  );
}
