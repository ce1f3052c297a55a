// Turning two-step verification on: a new secret from the server (QR code and the key in text),
// confirmation with a code from the app, then the recovery codes, shown once.
import { Alert, Button, Center, Group, Image, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError, fieldErrors } from '../../api/problem';
import { groupSecret, normalizeCode, otpauthAccount, svgDataUri } from '../../lib/twoFactor';
import { CopyTextButton } from './CopyTextButton';
import { RecoveryCodesPanel } from './RecoveryCodesPanel';
import type { TwoFactorEnrollment } from './types';

interface Props {
  continueLabel: string;
  onDone: () => Promise<void> | void;
}

export function TwoFactorSetup({ continueLabel, onDone }: Props) {
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [finishing, setFinishing] = useState(false);
  const [enrollment, setEnrollment] = useState<TwoFactorEnrollment | null>(null);
  const [enrollError, setEnrollError] = useState<string | null>(null);
  const start = useCallback(() => {
    setEnrollError(null);
    unwrap(api.POST('/api/v4/security/two_factor/enroll')).then(
      (answer) => setEnrollment(answer),
      (error: unknown) =>
        setEnrollError(error instanceof Error ? error.message : 'The server could not be reached.'),
    );
  }, []);
  const confirm = useMutation({
    mutationFn: async (value: string) =>
      (await unwrap(
        api.POST('/api/v4/security/two_factor/confirm', { body: { code: value } }),
      )),
    onError: (error) => {
      if (error instanceof ApiError) setCodeError(fieldErrors(error.problem).code ?? error.message);
    },
  });

  // One enrolment per mount: each call replaces the pending secret, so a second one (React's
  // development double effects) would make the QR code on screen stale.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start();
  }, [start]);

  if (confirm.data) {
    return (
      <RecoveryCodesPanel
        codes={confirm.data.recovery_codes}
        who={enrollment ? otpauthAccount(enrollment.otpauth_uri) : ''}
        continueLabel={continueLabel}
        busy={finishing}
        onContinue={() => {
          setFinishing(true);
          void Promise.resolve(onDone()).finally(() => setFinishing(false));
        }}
      />
    );
  }
  if (enrollError) {
    return (
      <Stack>
        <Alert color="red" role="alert" title="Two-step verification could not be started">
          {enrollError}
        </Alert>
        <Group>
          <Button onClick={start}>Try again</Button>
        </Group>
      </Stack>
    );
  }
  if (!enrollment) {
    return (
      <Center p="lg">
        <Loader aria-label="Preparing two-step verification" />
      </Center>
    );
  }

  const { secret, qr_svg: qr } = enrollment;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCodeError(null);
    const value = normalizeCode(code);
    if (!/^\d{6}$/.test(value)) {
      setCodeError('Enter the 6-digit code your authenticator app shows.');
      return;
    }
    confirm.mutate(value);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text>
          1. Scan this QR code with an authenticator app (such as Google Authenticator, Microsoft Authenticator, 1Password or
          Aegis).
        </Text>
        <Center>
          <Image src={svgDataUri(qr)} alt="QR code to scan with your authenticator app" w={200} h={200} fit="contain" />
        </Center>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label="Secret key"
            description="Can't scan? Enter this key in the app instead (time-based, 6 digits)."
            value={groupSecret(secret)}
            readOnly
            flex={1}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyTextButton text={secret} label="Copy key" />
        </Group>
        <Text>2. Enter the code the app shows to confirm.</Text>
        <TextInput
          label="Verification code"
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          withAsterisk={false}
          value={code}
          error={codeError}
          onChange={(e) => setCode(e.currentTarget.value)}
        />
        <Group>
          <Button type="submit" loading={confirm.isPending}>
            Confirm
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
