// The activity log's hash chain (GET /api/v4/security/audit/verify), in words.
import { Alert, Button, Group, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { verifyChain } from '../../lib/adminApi';
import { chainVerdict } from '../../lib/chain';
import { errorText } from './Dialogs';

export function ChainCheck() {
  const verify = useMutation({ mutationFn: verifyChain });
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="default" onClick={() => verify.mutate()} loading={verify.isPending}>
          Verify the chain
        </Button>
      </Group>
      {verify.data && (
        <Alert color={verify.data.intact ? 'green' : 'red'} role="status" title={verify.data.intact ? 'Chain verified' : 'Chain broken'}>
          {chainVerdict(verify.data)}
        </Alert>
      )}
      {verify.error && (
        <Alert color="red" role="alert">
          {errorText(verify.error)}
        </Alert>
      )}
    </Stack>
  );
}
