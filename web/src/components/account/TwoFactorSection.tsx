// Two-step verification on the profile: its state, turning it on (the same setup as the forced
// enrolment), turning it off and new recovery codes (each after a current code).
import { Alert, Badge, Button, Group, Modal, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { CodeDialog } from './CodeDialog';
import { RecoveryCodesPanel } from './RecoveryCodesPanel';
import { TwoFactorSetup } from './TwoFactorSetup';

type Dialog = 'none' | 'setup' | 'disable' | 'codes';

export function TwoFactorSection({ email }: { email: string }) {
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>('none');
  const [newCodes, setNewCodes] = useState<string[] | null>(null);
  const state = useQuery({
    queryKey: ['two-factor'],
    queryFn: async () => (await unwrap(api.GET('/api/v4/security/two_factor'))),
  });
  const reload = () => queries.invalidateQueries({ queryKey: ['two-factor'] });
  const close = () => {
    setDialog('none');
    setNewCodes(null);
  };

  let body;
  if (state.isPending) {
    body = <Skeleton h={60} />;
  } else if (state.isError) {
    body = (
      <Alert color="red" role="alert">
        {state.error.message}
      </Alert>
    );
  } else {
    const s = state.data;
    body = (
      <Stack gap="sm">
        <Group gap="xs">
          <Text>Status:</Text>
          <Badge color={s.enabled ? 'green' : 'gray'} variant="light">
            {s.enabled ? 'On' : 'Off'}
          </Badge>
          {s.required && <Text size="sm" c="dimmed">(required by your workspace)</Text>}
        </Group>
        {s.enabled ? (
          <>
            <Text size="sm" c={s.recovery_codes_left <= 3 ? 'red.8' : undefined}>
              Recovery codes left: {s.recovery_codes_left} of 10
              {s.recovery_codes_left <= 3 && ' — get new ones before you run out.'}
            </Text>
            <Group>
              <Button variant="default" onClick={() => setDialog('codes')}>
                New recovery codes
              </Button>
              <Button variant="light" color="red" disabled={s.required} onClick={() => setDialog('disable')}>
                Turn off
              </Button>
            </Group>
            {s.required && (
              <Text size="sm" c="dimmed">
                Your workspace requires two-step verification, so it cannot be turned off.
              </Text>
            )}
          </>
        ) : (
          <>
            <Text size="sm">
              After your password, Gatehouse will also ask for a code from an app on your phone. Turning it on signs out
              your other sessions.
            </Text>
            <Group>
              <Button onClick={() => setDialog('setup')}>Turn on two-step verification</Button>
            </Group>
          </>
        )}
      </Stack>
    );
  }

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="two-factor-title">
      <Stack>
        <Title order={2} size="h3" id="two-factor-title">
          Two-step verification
        </Title>
        {body}
      </Stack>
      <Modal
        opened={dialog === 'setup'}
        onClose={close}
        title="Turn on two-step verification"
        size="lg"
        closeOnClickOutside={false}
        centered
      >
        {dialog === 'setup' && (
          <TwoFactorSetup
            continueLabel="Done"
            onDone={async () => {
              close();
              await reload();
              void queries.invalidateQueries({ queryKey: ['sessions'] });
              notifications.show({ color: 'green', title: 'Two-step verification is on', message: 'Your other sessions were signed out.' });
            }}
          />
        )}
      </Modal>
      <CodeDialog
        opened={dialog === 'disable'}
        title="Turn off two-step verification"
        explanation="Without it, your password alone signs you in. Confirm with a current code."
        submitLabel="Turn off"
        danger
        onClose={close}
        onSubmit={async (code) => {
          await unwrap(api.POST('/api/v4/security/two_factor/disable', { body: { code } }));
          close();
          await reload();
          notifications.show({ title: 'Two-step verification is off', message: 'Your password alone now signs you in.' });
        }}
      />
      <CodeDialog
        opened={dialog === 'codes' && newCodes === null}
        title="New recovery codes"
        explanation="Ten new codes replace all your current ones, used or not. Confirm with a current code."
        submitLabel="Get new codes"
        onClose={close}
        onSubmit={async (code) => {
          const answer = (await unwrap(
            api.POST('/api/v4/security/two_factor/recovery_codes', { body: { code } }),
          ));
          setNewCodes(answer.recovery_codes);
          await reload();
        }}
      />
      <Modal opened={newCodes !== null} onClose={close} title="Your new recovery codes" size="lg" closeOnClickOutside={false} centered>
        {newCodes && <RecoveryCodesPanel codes={newCodes} who={email} continueLabel="Done" onContinue={close} />}
      </Modal>
    </Paper>
  );
}
