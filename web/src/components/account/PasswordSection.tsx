// Password change: the current password, the new one with a strength meter, and the server's
// policy refusals shown on the field they are about.
import { Alert, Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError, fieldErrors } from '../../api/problem';
import { minPasswordLength } from '../../lib/passwordStrength';
import { PasswordStrengthMeter } from './PasswordStrengthMeter';

interface Errors {
  current?: string;
  next?: string;
  repeat?: string;
  form?: string;
}

export function PasswordSection({ email, name }: { email?: string; name?: string }) {
  const queries = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Errors>({});

  const change = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v4/security/password', {
          body: { current_password: current, new_password: next },
        }),
      ),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setRepeat('');
      setErrors({});
      notifications.show({
        color: 'green',
        title: 'Password changed',
        message: 'Your other sessions were signed out and your API tokens revoked.',
      });
      void queries.invalidateQueries({ queryKey: ['sessions'] });
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) {
        setErrors({ form: 'The server could not be reached. Try again.' });
        return;
      }
      const fields = fieldErrors(error.problem);
      const found: Errors = { current: fields.current_password, next: fields.new_password };
      setErrors(found.current || found.next ? found : { form: error.message });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Errors = {};
    if (!current) found.current = 'Enter your current password.';
    if (!next) found.next = 'Enter a new password.';
    else if (repeat !== next) found.repeat = 'The two new passwords differ.';
    setErrors(found);
    if (Object.keys(found).length === 0) change.mutate();
  };

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="password-title">
      <form onSubmit={submit} noValidate>
        <Stack maw={480}>
          <Title order={2} size="h3" id="password-title">
            Password
          </Title>
          {errors.form && (
            <Alert color="red" role="alert" title="Password not changed">
              {errors.form}
            </Alert>
          )}
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            value={current}
            error={errors.current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          <Stack gap={6}>
            <PasswordInput
              label="New password"
              description={`At least ${minPasswordLength} characters, not your email address, not a common password.`}
              autoComplete="new-password"
              value={next}
              error={errors.next}
              onChange={(e) => {
                setNext(e.currentTarget.value);
                if (errors.next) setErrors({ ...errors, next: undefined });
              }}
            />
            <PasswordStrengthMeter password={next} email={email} name={name} />
          </Stack>
          <PasswordInput
            label="Repeat new password"
            autoComplete="new-password"
            value={repeat}
            error={errors.repeat}
            onChange={(e) => setRepeat(e.currentTarget.value)}
          />
          <Text size="sm" c="dimmed">
            Changing your password signs out your other sessions and revokes your API tokens.
          </Text>
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
