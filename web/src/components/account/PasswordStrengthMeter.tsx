// The strength of a new password as it is typed: a meter, its label (announced politely) and
// hints. The server's policy (docs/api.md) decides; this only helps to pick a good one.
import { List, Progress, Text } from '@mantine/core';
import { estimateStrength } from '../../lib/passwordStrength';

const meterColors = ['red', 'red', 'orange', 'teal', 'green'];

export function PasswordStrengthMeter({ password, email, name }: { password: string; email?: string; name?: string }) {
  if (!password) return null;
  const strength = estimateStrength(password, { email, name });
  return (
    <div>
      <Progress value={Math.max(strength.score, 0.5) * 25} color={meterColors[strength.score]} size="sm" aria-label={`Password strength: ${strength.label}`} />
      <Text size="sm" mt={4} aria-live="polite">
        Strength: <strong>{strength.label}</strong>
      </Text>
      {strength.hints.length > 0 && (
        <List size="sm" c="dimmed">
          {strength.hints.map((hint) => (
            <List.Item key={hint}>{hint}</List.Item>
          ))}
        </List>
      )}
    </div>
  );
}
