// /profile: who you are, your password, two-step verification, where you are signed in and
// the API tokens that act as you.
import { Alert, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { ApiTokensSection } from '../components/account/ApiTokensSection';
import { OwnSessionsSection } from '../components/account/OwnSessionsSection';
import { PasswordSection } from '../components/account/PasswordSection';
import { TwoFactorSection } from '../components/account/TwoFactorSection';
import { useCurrentUser } from '../lib/useCurrentUser';

export default function ProfilePage() {
  const user = useCurrentUser();
  const me = user.data;

  return (
    <Stack maw={1100}>
      <Title order={1}>Profile</Title>
      <Paper withBorder p="lg" component="section" aria-labelledby="account-title">
        <Stack gap="xs">
          <Title order={2} size="h3" id="account-title">
            Your account
          </Title>
          {user.isPending && <Skeleton h={40} />}
          {user.isError && (
            <Alert color="red" role="alert">
              {user.error.message}
            </Alert>
          )}
          {me && (
            <SimpleGrid cols={{ base: 1, sm: 2 }} maw={640} component="dl" m={0}>
              <div>
                <Text component="dt" size="sm" c="dimmed">
                  Name
                </Text>
                <Text component="dd" m={0}>
                  {me.name}
                </Text>
              </div>
              <div>
                <Text component="dt" size="sm" c="dimmed">
                  Email
                </Text>
                <Text component="dd" m={0}>
                  {me.email}
                </Text>
              </div>
            </SimpleGrid>
          )}
          <Text size="sm" c="dimmed">
            Your name and email are managed by your workspace's administrators.
          </Text>
        </Stack>
      </Paper>
      <PasswordSection email={me?.email} name={me?.name} />
      <TwoFactorSection email={me?.email ?? ''} />
      <OwnSessionsSection />
      <ApiTokensSection />
    </Stack>
  );
}
