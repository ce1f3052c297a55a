// /login: email and password, then the verification code (or a recovery code) when the server
// asks for one. Every refusal the server can give is said in words: wrong credentials,
// lock-out with the wait, the IP whitelist, a wrong or reused code.
import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ApiError } from '../api/problem';
import { useSession } from '../api/session';
import { loginRefusal } from '../lib/loginRefusal';
import { safeNext } from '../lib/next';

type LoginRequest = components['schemas']['LoginRequest'];

export function LoginPage() {
  const { state, refresh } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (state.status === 'signed-in') {
    return <Navigate to={state.mustEnrollTwoFactor ? '/enroll-2fa' : next} replace />;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: LoginRequest = { email: email.trim(), password };
      if (needsCode) body.code = code.replace(/\s+/g, '');
      await unwrap(api.POST('/auth/login', { body }));
      await refresh();
      navigate(next, { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError) {
        const refusal = loginRefusal(caught, needsCode && useRecovery);
        if (refusal.askForCode) setNeedsCode(true);
        setError(refusal.message);
        if (refusal.askForCode && !needsCode) setError(null);
      } else {
        setError('The server could not be reached. Check your connection and try again.');
      }
    } finally {
      setBusy(false);
    }
  }

  const reason = params.get('reason');
  return (
    <Center mih="100vh" p="md">
      <Paper component="main" withBorder shadow="sm" p="xl" w={400} maw="100%">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h2">
              Sign in to Gatehouse
            </Title>
            {reason === 'expired' && !error && (
              <Alert color="yellow" title="Your session has ended">
                Sign in again to go on where you were.
              </Alert>
            )}
            {error && (
              <Alert color="red" role="alert" title="Not signed in">
                {error}
              </Alert>
            )}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              withAsterisk={false}
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              disabled={needsCode}
              autoFocus
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              withAsterisk={false}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              disabled={needsCode}
            />
            {needsCode && (
              <>
                <TextInput
                  label="Verification code"
                  description={
                    useRecovery
                      ? 'One of the recovery codes you saved when you turned on two-step verification.'
                      : 'The 6-digit code from your authenticator app.'
                  }
                  autoComplete="one-time-code"
                  inputMode={useRecovery ? 'text' : 'numeric'}
                  required
                  withAsterisk={false}
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                  autoFocus
                />
                <Anchor component="button" type="button" size="sm" onClick={() => setUseRecovery((v) => !v)}>
                  {useRecovery ? 'Use a code from the authenticator app' : 'Use a recovery code instead'}
                </Anchor>
              </>
            )}
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
            {needsCode && (
              <Text size="sm" c="dimmed">
                Signing in as {email}.{' '}
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  onClick={() => {
                    setNeedsCode(false);
                    setCode('');
                    setError(null);
                  }}
                >
                  Use another account
                </Anchor>
              </Text>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
