// A table of sessions: device, IP address, location, when it started and its last activity;
// with `userName`, also whose it is. Ending is offered for every session but the current one.
import { Badge, Button, Group, Table, Text, Tooltip } from '@mantine/core';
import { deviceLabel, formatDateTime, formatRelative, locationLabel } from '../../lib/sessionsView';
import { CaptionTable } from './CaptionTable';
import type { SessionItem } from './types';

interface Props {
  sessions: SessionItem[];
  caption: string;
  userName?: (userId: number) => string;
  endingId?: string | null;
  onEnd: (session: SessionItem) => void;
  onEndUser?: (userId: number) => void;
}

export function SessionsTable({ sessions, caption, userName, endingId = null, onEnd, onEndUser }: Props) {
  return (
    <CaptionTable
      caption={caption}
      columns={[userName !== undefined && 'User', 'Device', 'IP address', 'Location', 'Signed in', 'Last activity', 'Actions']}
    >
      {sessions.map((s) => {
        const device = deviceLabel(s.device);
        const who = userName?.(s.user_id);
        return (
          <Table.Tr key={s.id}>
            {userName && <Table.Td>{who}</Table.Td>}
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <Text size="sm">{device}</Text>
                {s.current && (
                  <Badge variant="light" color="teal" style={{ flexShrink: 0 }}>
                    This session
                  </Badge>
                )}
              </Group>
            </Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace">
                {s.ip}
              </Text>
            </Table.Td>
            <Table.Td>{locationLabel(s.location)}</Table.Td>
            <Table.Td>{formatDateTime(s.created_at)}</Table.Td>
            <Table.Td>
              <Tooltip label={formatDateTime(s.last_activity_at)}>
                <Text size="sm" component="span">
                  {formatRelative(s.last_activity_at)}
                </Text>
              </Tooltip>
            </Table.Td>
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                {!s.current && (
                  <Button
                    size="compact-sm"
                    variant="light"
                    color="red"
                    loading={endingId === s.id}
                    aria-label={`End session: ${device}${who ? `, ${who}` : ''}`}
                    onClick={() => onEnd(s)}
                  >
                    End
                  </Button>
                )}
                {onEndUser && (
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    aria-label={`End all sessions of ${who}`}
                    onClick={() => onEndUser(s.user_id)}
                  >
                    End all
                  </Button>
                )}
              </Group>
            </Table.Td>
          </Table.Tr>
        );
      })}
    </CaptionTable>
  );
}
