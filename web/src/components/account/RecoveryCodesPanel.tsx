// Recovery codes, shown once: the list, copy, download as a .txt file, and a confirmation that
// they were saved before going on.
import { Alert, Button, Checkbox, Code, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { recoveryCodesText } from '../../lib/twoFactor';
import { CopyTextButton } from './CopyTextButton';

interface Props {
  codes: string[];
  who: string;
  continueLabel: string;
  onContinue: () => void;
  busy?: boolean;
}

export function RecoveryCodesPanel({ codes, who, continueLabel, onContinue, busy = false }: Props) {
  const [saved, setSaved] = useState(false);
  const text = useMemo(() => recoveryCodesText(codes, who, new Date()), [codes, who]);
  // A Blob URL for the download link: a download is a navigation, which the console's
  // Content-Security-Policy does not restrict (img-src and connect-src do not apply).
  const url = useMemo(() => URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' })), [text]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);

  return (
    <Stack>
      <Alert color="yellow" title="Save your recovery codes now">
        They are shown only this once. Each code signs you in one time if you lose your authenticator app.
      </Alert>
      <SimpleGrid cols={2} spacing="xs" component="ul" aria-label="Recovery codes" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {codes.map((code) => (
          <li key={code}>
            <Code fz="md">{code}</Code>
          </li>
        ))}
      </SimpleGrid>
      <Group>
        <CopyTextButton text={text} label="Copy codes" />
        <Button component="a" variant="default" href={url} download="gatehouse-recovery-codes.txt">
          Download .txt
        </Button>
      </Group>
      <Checkbox label="I have saved these codes" checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} />
      <Text size="sm" c="dimmed">
        You can get new codes later under Profile → Two-step verification.
      </Text>
      <Button onClick={onContinue} disabled={!saved} loading={busy}>
        {continueLabel}
      </Button>
    </Stack>
  );
}
