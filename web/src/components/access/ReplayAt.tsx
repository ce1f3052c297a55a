// The "At" date-time of a replay (administrators): empty asks about now; a time asks the engine
// how things were then (to the second, the browser's local time, sent as unix seconds). The API's
// refusal of `at` (e.g. before the history starts, with from when replay is possible) is shown
// under it.
import { TextInput } from '@mantine/core';
import { unixOfLocal } from '../../lib/replay';

export function ReplayAt({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string }) {
  const unreadable = value !== '' && unixOfLocal(value) === null;
  return (
    <TextInput
      label="At"
      description="Leave empty for now; a past date and time replays the decision as it was then"
      type="datetime-local"
      step={1}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={unreadable ? 'Not a date and time' : error}
    />
  );
}
