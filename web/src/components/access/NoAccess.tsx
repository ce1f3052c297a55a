// A page the effective user's rights do not open: its title and, in words, what is missing and
// who can change it. A state of the page (role="status"), not an error.
import { Alert, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function NoAccess({ title, alertTitle, children }: { title: string; alertTitle: string; children: ReactNode }) {
  return (
    <Stack gap="md">
      <Title order={1}>{title}</Title>
      <Alert color="gray" title={alertTitle} role="status">
        {children}
      </Alert>
    </Stack>
  );
}
