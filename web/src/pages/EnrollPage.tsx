// /enroll-2fa: two-step verification before anything else, when the workspace requires it (the
// server then lets the session reach only the 2FA routes and logout). Also reachable by anyone
// who wants to turn it on; a user who already has it is sent on to their profile.
import { Alert, Anchor, Button, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { useSession, useSignedIn } from '../api/session';
import { TwoFactorSetup } from '../components/account/TwoFactorSetup';
import { PageLoader } from '../components/PageLoader';

export default function EnrollPage() {
  const { refresh, signOut } = useSession();
  const { mustEnrollTwoFactor } = useSignedIn();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const state = useQuery({
    queryKey: ['two-factor'],
    queryFn: async () => (await unwrap(api.GET('/api/v4/security/two_factor'))),
    // Enrolment below changes it; never show a stale "already on".
    staleTime: 0,
  });

  let body;
  if (state.isPending) {
    body = <PageLoader />;
  } else if (state.isError) {
    body = (
      <Alert color="red" role="alert" title="Could not read your two-step verification">
        {state.error.message}
      </Alert>
    );
  } else if (state.data.enabled) {
    body = (
      <Stack>
        <Text>Two-step verification is already on for your account.</Text>
        <Anchor component={Link} to="/profile">
          Go to your profile
        </Anchor>
      </Stack>
    );
  } else {
    body = (
      <TwoFactorSetup
        continueLabel="Continue to Gatehouse"
        onDone={async () => {
          // The session no longer has to enrol: read it again before leaving, else the guard
          // would send the user straight back here.
          await refresh();
          await queries.invalidateQueries({ queryKey: ['two-factor'] });
          navigate('/', { replace: true });
        }}
      />
    );
  }

  return (
    <Center mih="100vh" p="md">
      <Paper component="main" withBorder shadow="sm" p="xl" w={560} maw="100%">
        <Stack>
          <Title order={1} size="h2">
            Set up two-step verification
          </Title>
          {mustEnrollTwoFactor && (
            <Text>
              Your workspace requires two-step verification. Set it up now to go on: after your password, Gatehouse will
              ask for a code from an app on your phone.
            </Text>
          )}
          {body}
          <Group justify="space-between" mt="sm">
            {!mustEnrollTwoFactor ? (
              <Anchor component={Link} to="/profile" size="sm">
                Back to your profile
              </Anchor>
            ) : (
              <span />
            )}
            <Button variant="subtle" size="compact-sm" onClick={() => void signOut().then(() => navigate('/login'))}>
              Sign out
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Center>
  );
}
