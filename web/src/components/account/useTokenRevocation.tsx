// Revoking an API token from a TokensTable (the profile's tokens, the workspace's on Settings →
// Integrations): the row being revoked, what a row's Revoke does, and the confirmation it opens.
import { api, unwrap } from '../../api/client';
import type { TokenLike } from '../../lib/apiTokens';
import { ConfirmDialog } from './ConfirmDialog';
import { useRemoval } from './useRemoval';

export function useTokenRevocation<T extends TokenLike>(refresh: string[][]) {
  const { pending, setPending, mutation } = useRemoval<T>(
    (token) => unwrap(api.DELETE('/api/v4/security/tokens/{id}', { params: { path: { id: token.id } } })),
    { done: 'Token revoked', failed: 'Token not revoked', detail: (token) => `“${token.name}” no longer works.` },
    refresh,
  );
  const dialog = (
    <ConfirmDialog
      opened={pending !== null}
      title="Revoke token"
      confirmLabel="Revoke token"
      busy={mutation.isPending}
      onClose={() => setPending(null)}
      onConfirm={() => pending && mutation.mutate(pending)}
    >
      Whatever uses “{pending?.name}” stops working at once, on every server.
    </ConfirmDialog>
  );
  return { revokingId: mutation.isPending ? (mutation.variables?.id ?? null) : null, onRevoke: setPending, dialog };
}
