// A table of API tokens: name, kind, created, expiry, last use; with `userName`, also whose it
// is. Each row can be revoked (the server refuses what the caller may not revoke).
import { Button, Table, Text, Tooltip } from '@mantine/core';
import { expiresLabel, lastUsedLabel, sortTokens, tokenKindLabel, type TokenLike } from '../../lib/apiTokens';
import { formatDateTime } from '../../lib/sessionsView';
import { CaptionTable } from './CaptionTable';

interface Props<T extends TokenLike> {
  tokens: T[];
  caption: string;
  userName?: (userId: number) => string;
  integrationName?: (id: number) => string | undefined;
  revokingId?: number | null;
  onRevoke: (token: T) => void;
}

export function TokensTable<T extends TokenLike & { user_id: number }>({
  tokens,
  caption,
  userName,
  integrationName,
  revokingId = null,
  onRevoke,
}: Props<T>) {
  return (
    <CaptionTable
      caption={caption}
      columns={['Name', userName !== undefined && 'User', 'Kind', 'Created', 'Expires', 'Last used', 'Actions']}
    >
      {sortTokens(tokens).map((t) => (
        <Table.Tr key={t.id}>
          <Table.Td>{t.name}</Table.Td>
          {userName && <Table.Td>{userName(t.user_id)}</Table.Td>}
          <Table.Td>{tokenKindLabel(t, integrationName)}</Table.Td>
          <Table.Td>{formatDateTime(t.created_at)}</Table.Td>
          <Table.Td>{expiresLabel(t)}</Table.Td>
          <Table.Td>
            {t.last_used_at === 0 ? (
              lastUsedLabel(t)
            ) : (
              <Tooltip label={formatDateTime(t.last_used_at)}>
                <Text size="sm" component="span">
                  {lastUsedLabel(t)}
                </Text>
              </Tooltip>
            )}
          </Table.Td>
          <Table.Td>
            <Button
              size="compact-sm"
              variant="light"
              color="red"
              loading={revokingId === t.id}
              aria-label={`Revoke token ${t.name}${userName ? ` of ${userName(t.user_id)}` : ''}`}
              onClick={() => onRevoke(t)}
            >
              Revoke
            </Button>
          </Table.Td>
        </Table.Tr>
      ))}
    </CaptionTable>
  );
}
