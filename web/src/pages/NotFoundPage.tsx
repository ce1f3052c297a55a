import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';

// Also what a record or page the user may not see shows: exactly like one that does not exist.
export function NotFoundPage() {
  return (
    <Stack align="flex-start" gap="sm" py="xl">
      <Title order={1}>Page not found</Title>
      <Text c="dimmed">There is nothing here, or you do not have access to it.</Text>
      <Button component={Link} to="/" variant="light">
        Go to the start page
      </Button>
    </Stack>
  );
}
