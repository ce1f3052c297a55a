// The workspace security policy (GET/PATCH /api/v4/security/policy): only the fields that
// changed are sent; the server's errors land on their fields.
import { NumberInput, SimpleGrid, Stack, Switch, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, fieldErrors } from '../../api/problem';
import { patchPolicy, type SecurityPolicy } from '../../lib/adminApi';
import { isPendingApproval } from '../../lib/approvals';
import { FormActions } from '../FormActions';
import { errorText, readable } from './Dialogs';

type NumberField = 'session_idle_minutes' | 'session_max_hours' | 'lockout_threshold' | 'lockout_minutes' | 'dormant_days' | 'seats';

const numberFields: { key: NumberField; label: string; description: string }[] = [
  { key: 'session_idle_minutes', label: 'Session idle timeout (minutes)', description: 'A session unused this long signs out.' },
  { key: 'session_max_hours', label: 'Session maximum lifetime (hours)', description: 'Every session ends after this, used or not.' },
  { key: 'lockout_threshold', label: 'Failed logins before lock-out', description: 'Per email; the address is throttled too.' },
  { key: 'lockout_minutes', label: 'Lock-out duration (minutes)', description: 'How long a locked sign-in waits.' },
  { key: 'dormant_days', label: 'Dormant after (days)', description: 'Users without a login this long are deactivated automatically (hourly; never the last administrator); 0 switches it off.' },
  { key: 'seats', label: 'Paid seats', description: 'Active paid users may not exceed this.' },
];

export function PolicyForm({ policy }: { policy: SecurityPolicy }) {
  const queries = useQueryClient();
  const [draft, setDraft] = useState<SecurityPolicy>(policy);
  const [proxies, setProxies] = useState(policy.trusted_proxies.join('\n'));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (change: Partial<SecurityPolicy>) => patchPolicy(change),
    onSuccess: (saved) => {
      setErrors({});
      setFailure(null);
      if (isPendingApproval(saved)) {
        // Four-eyes approval holds it: nothing changed yet, the form shows what is in force.
        setDraft(policy);
        setProxies(policy.trusted_proxies.join('\n'));
        void queries.invalidateQueries({ queryKey: ['security', 'approvals'] });
        notifications.show({ color: 'blue', message: 'Sent for approval: another administrator must approve this change.' });
        return;
      }
      setDraft(saved);
      setProxies(saved.trusted_proxies.join('\n'));
      queries.setQueryData(['security', 'policy'], saved);
      notifications.show({ color: 'green', message: 'Security policy saved.' });
    },
    onError: (error) => {
      const fields = error instanceof ApiError ? fieldErrors(error.problem) : {};
      setErrors(fields);
      setFailure(Object.keys(fields).length > 0 ? 'The policy was not saved: correct the marked fields.' : errorText(error));
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const change: Partial<SecurityPolicy> = {};
    if (draft.require_two_factor !== policy.require_two_factor) change.require_two_factor = draft.require_two_factor;
    if (draft.four_eyes !== policy.four_eyes) change.four_eyes = draft.four_eyes;
    for (const { key } of numberFields) if (draft[key] !== policy[key]) change[key] = draft[key];
    const list = proxies.split(/\s+/).filter(Boolean);
    if (list.join('\n') !== policy.trusted_proxies.join('\n')) change.trusted_proxies = list;
    save.mutate(change);
  }

  const proxyError = Object.entries(errors)
    .filter(([path]) => path.startsWith('trusted_proxies'))
    .map(([path, message]) => {
      const index = /^trusted_proxies\.(\d+)$/.exec(path);
      return index ? `Line ${Number(index[1]) + 1}: ${message}` : message;
    })[0];

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Switch
          label="Require two-step verification for everyone"
          checked={draft.require_two_factor}
          onChange={(e) => setDraft({ ...draft, require_two_factor: e.currentTarget.checked })}
        />
        <Switch
          label="Require a second administrator's approval for security changes"
          description="Four-eyes approval: changes to this policy, the IP whitelist and grants of administrator rights wait until another administrator approves them. Needs two active administrators."
          checked={draft.four_eyes}
          onChange={(e) => setDraft({ ...draft, four_eyes: e.currentTarget.checked })}
          error={errors.four_eyes}
        />
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {numberFields.map(({ key, label, description }) => (
            <NumberInput
              key={key}
              label={label}
              styles={readable}
              description={description}
              value={draft[key]}
              allowDecimal={false}
              onChange={(value) => setDraft({ ...draft, [key]: typeof value === 'number' ? value : Number(value) || 0 })}
              error={errors[key]}
            />
          ))}
        </SimpleGrid>
        <Textarea
          label="Trusted proxies"
          styles={readable}
          description="One address or range per line. Requests from these peers are attributed to the right-most untrusted X-Forwarded-For address."
          autosize
          minRows={2}
          value={proxies}
          onChange={(e) => setProxies(e.currentTarget.value)}
          error={proxyError}
        />
        <FormActions error={failure} busy={save.isPending} start />
      </Stack>
    </form>
  );
}
